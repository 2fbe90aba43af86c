// Writes incoming rows into one Defender table: each value checked against its column's Kusto type
// (a value that does not fit rejects the whole row, never half of it), and fields the schema does
// not know kept: merged into AdditionalFields where the table has it and it holds an object,
// otherwise in the table's extra-fields column. Rows are buffered as CSV and loaded by DuckDB's
// parallel CSV reader, inside the caller's transaction.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableDef } from '../schema/defender.js';
import type { ColumnDef } from '../schema/kusto-types.js';
import { DUCKDB_TYPES, quoteDuckDbIdentifier } from '../sql/duckdb/dialect.js';
import { storedColumns, type DuckDbStore } from '../store/duckdb-store.js';
import { CoercionError, csvField } from './csv-field.js';
import { coerce } from './coerce.js';

const FLUSH_BYTES = 32 * 1024 * 1024;

export class TableWriter {
  private readonly columns: readonly ColumnDef[];
  private readonly byName = new Map<string, number>();
  private readonly byLowerName = new Map<string, number>();
  private readonly additionalFields: number;
  private readonly insertSql: string;
  private lines: string[] = [];
  private bytes = 0;
  private dir?: string;
  private files = 0;
  /** Fields seen that the schema does not know, with how many rows carried each. */
  readonly unknownFields = new Map<string, number>();
  accepted = 0;

  constructor(readonly table: TableDef, private readonly store: DuckDbStore) {
    this.columns = storedColumns(table);
    table.columns.forEach((c, i) => {
      this.byName.set(c.name, i);
      this.byLowerName.set(c.name.toLowerCase(), i);
    });
    this.additionalFields = table.columns.findIndex(c => c.name === 'AdditionalFields');
    const spec = this.columns.map(c => `${quoteDuckDbIdentifier(c.name)}: '${DUCKDB_TYPES[c.type]}'`).join(', ');
    this.insertSql = `INSERT INTO ${quoteDuckDbIdentifier(table.name)} SELECT * FROM read_csv($1, header = false, columns = {${spec}},
      delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, auto_detect = false, new_line = '\\n',
      timestampformat = '%Y-%m-%d %H:%M:%S.%f', max_line_size = 1073741824)`;
  }

  /** Takes a row; returns why it was rejected, or undefined when it was taken. */
  write(values: Record<string, unknown>): string | undefined {
    const cols = this.table.columns;
    const given: unknown[] = new Array<unknown>(cols.length);
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
    let extraField = '';
    if (extras) {
      const merged = this.mergeIntoAdditionalFields(given, extras);
      if (merged === undefined) extraField = csvField(extras, 'dynamic');
    }
    const fields = new Array<string>(cols.length + 1);
    for (let i = 0; i < cols.length; i++) {
      try {
        fields[i] = csvField(given[i], cols[i]!.type);
      } catch (e) {
        if (e instanceof CoercionError) return `column ${cols[i]!.name} (${cols[i]!.type}): ${e.message}`;
        throw e;
      }
    }
    fields[cols.length] = extraField;
    const line = fields.join(',');
    this.lines.push(line);
    this.bytes += line.length + 1;
    this.accepted++;
    return undefined;
  }

  /** Puts unknown fields into AdditionalFields when that holds an object (or nothing); false otherwise. */
  private mergeIntoAdditionalFields(given: unknown[], extras: Record<string, unknown>): true | undefined {
    if (this.additionalFields < 0) return undefined;
    const current = given[this.additionalFields];
    let existing: Record<string, unknown> | undefined;
    if (current === undefined || current === null || current === '') existing = {};
    else if (typeof current === 'object' && !Array.isArray(current)) existing = current as Record<string, unknown>;
    else if (typeof current === 'string') existing = parseObject(current);
    if (!existing) return undefined;
    given[this.additionalFields] = JSON.stringify({ ...existing, ...extras });
    return true;
  }

  get pending(): boolean {
    return this.bytes >= FLUSH_BYTES;
  }

  /** Loads the buffered rows into the table. */
  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    this.dir ??= mkdtempSync(join(tmpdir(), 'chainhunt-ingest-'));
    const file = join(this.dir, `${this.table.name}-${this.files++}.csv`);
    writeFileSync(file, this.lines.join('\n') + '\n');
    this.lines = [];
    this.bytes = 0;
    try {
      await this.store.sql(this.insertSql, [file]);
    } finally {
      rmSync(file, { force: true });
    }
  }

  close(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
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

export { coerce };
