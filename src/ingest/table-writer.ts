// Writes incoming rows into one Defender table: each value coerced to its column's Kusto type (a
// value that does not fit rejects the whole row, never half of it), and fields the schema does not
// know kept: merged into AdditionalFields where the table has it and it holds an object, otherwise
// in the table's extra-fields column.
import type { DuckDBAppender } from '@duckdb/node-api';
import type { TableDef } from '../schema/defender.js';
import type { ColumnDef } from '../schema/kusto-types.js';
import { appendCoerced } from '../store/appender.js';
import { storedColumns } from '../store/duckdb-store.js';
import { coerce, CoercionError, type Coerced } from './coerce.js';

export class TableWriter {
  private readonly columns: readonly ColumnDef[];
  private readonly byName = new Map<string, number>();
  private readonly byLowerName = new Map<string, number>();
  private readonly additionalFields: number;
  private readonly extra: number;
  /** Fields seen that the schema does not know, with how many rows carried each. */
  readonly unknownFields = new Map<string, number>();
  accepted = 0;

  constructor(readonly table: TableDef, private readonly appender: DuckDBAppender) {
    this.columns = storedColumns(table);
    table.columns.forEach((c, i) => {
      this.byName.set(c.name, i);
      this.byLowerName.set(c.name.toLowerCase(), i);
    });
    this.additionalFields = table.columns.findIndex(c => c.name === 'AdditionalFields');
    this.extra = this.columns.length - 1;
  }

  /** Appends a row; returns why it was rejected, or undefined when it was written. */
  write(values: Record<string, unknown>): string | undefined {
    const row: Coerced[] = new Array<Coerced>(this.columns.length).fill(null);
    const given: unknown[] = new Array<unknown>(this.table.columns.length);
    let extras: Record<string, unknown> | undefined;
    for (const key in values) {
      const index = this.byName.get(key) ?? this.byLowerName.get(key.toLowerCase());
      if (index === undefined) {
        (extras ??= {})[key] = values[key];
        this.unknownFields.set(key, (this.unknownFields.get(key) ?? 0) + 1);
      } else {
        given[index] = values[key];
      }
    }
    const cols = this.table.columns;
    for (let i = 0; i < cols.length; i++) {
      try {
        row[i] = coerce(given[i], cols[i]!.type);
      } catch (e) {
        if (e instanceof CoercionError) return `column ${cols[i]!.name} (${cols[i]!.type}): ${e.message}`;
        throw e;
      }
    }
    if (extras) this.keepExtras(row, extras);
    appendCoerced(this.appender, this.columns, row);
    this.accepted++;
    return undefined;
  }

  private keepExtras(row: Coerced[], extras: Record<string, unknown>): void {
    if (this.additionalFields >= 0) {
      const current = row[this.additionalFields];
      const existing = current === null || current === '' ? {} : parseObject(String(current));
      if (existing) {
        row[this.additionalFields] = JSON.stringify({ ...existing, ...extras });
        return;
      }
    }
    row[this.extra] = JSON.stringify(extras);
  }

  flush(): void {
    this.appender.flushSync();
  }

  close(): void {
    this.appender.closeSync();
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
