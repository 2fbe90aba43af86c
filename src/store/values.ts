// DuckDB values → Kusto value forms.
import type { DuckDBValue } from '@duckdb/node-api';
import { duckdb } from './duckdb-lib.js';
import type { KustoType } from '../schema/kusto-types.js';
import { formatDatetime, formatTimespan } from '../util/kusto-format.js';
import type { Cell, JsonValue } from './result.js';

export function fromDuckDb(v: DuckDBValue, type: KustoType): Cell {
  if (v === null || v === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'datetime':
      if (v instanceof duckdb().DuckDBTimestampValue) return formatDatetime(v.micros * 10n);
      return String(v);
    case 'timespan':
      return formatTimespan(typeof v === 'bigint' ? v : BigInt(String(v)));
    case 'dynamic': {
      const text = String(v);
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        return text;
      }
    }
    case 'int':
      return Number(v);
    case 'long':
      return typeof v === 'bigint' ? v : BigInt(String(v));
    case 'real':
      return typeof v === 'number' ? v : Number(String(v));
    case 'bool':
      return Boolean(v);
    default:
      return String(v);
  }
}
