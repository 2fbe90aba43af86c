// Bulk writes into a Defender table through DuckDB's appender, from already-coerced values.
import type { DuckDBAppender } from '@duckdb/node-api';
import { duckdb } from './duckdb-lib.js';
import type { ColumnDef } from '../schema/kusto-types.js';
import type { Coerced } from '../ingest/coerce.js';

export function appendCoerced(appender: DuckDBAppender, columns: readonly ColumnDef[], row: readonly Coerced[]): void {
  columns.forEach((c, i) => {
    const v = row[i];
    if (v === null || v === undefined) {
      if (c.type === 'string') appender.appendVarchar('');
      else appender.appendNull();
      return;
    }
    switch (c.type) {
      case 'string':
      case 'dynamic':
      case 'guid':
      case 'decimal':
        appender.appendVarchar(String(v));
        break;
      case 'int':
        appender.appendInteger(Number(v));
        break;
      case 'long':
      case 'timespan':
        appender.appendBigInt(typeof v === 'bigint' ? v : BigInt(v as number));
        break;
      case 'real':
        appender.appendDouble(Number(v));
        break;
      case 'bool':
        appender.appendBoolean(Boolean(v));
        break;
      case 'datetime':
        appender.appendTimestamp(new (duckdb().DuckDBTimestampValue)((v as bigint) / 10n));
        break;
    }
  });
  appender.endRow();
}
