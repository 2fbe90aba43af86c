// The embedded store: a DuckDB database (a file, or in memory) holding the Defender tables.
import type { DuckDBConnection, DuckDBInstance, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { duckdb } from './duckdb-lib.js';
import { DEFENDER_TABLES, type TableDef } from '../schema/defender.js';
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import type { BoundParameter } from '../sql/dialect.js';
import type { CompiledQuery } from '../sql/compiler.js';
import { DUCKDB_TYPES, duckdbDialect, quoteDuckDbIdentifier } from '../sql/duckdb/dialect.js';
import { fromDuckDb } from './values.js';
import { appendCoerced } from './appender.js';
import { coerce } from '../ingest/coerce.js';
import { MacroInstaller } from './macro-installer.js';
import type { QueryResult } from './result.js';

/** The DuckDB type each Kusto type's parameters are bound with (JSON, UUID and DECIMAL travel as text). */
function paramType(type: KustoType): DuckDBType {
  const d = duckdb();
  switch (type) {
    case 'bool': return d.BOOLEAN;
    case 'int': return d.INTEGER;
    case 'long':
    case 'timespan': return d.BIGINT;
    case 'real': return d.DOUBLE;
    case 'datetime': return d.TIMESTAMP;
    default: return d.VARCHAR;
  }
}

function toDuckDbValue(p: BoundParameter): DuckDBValue {
  const v = p.value;
  if (v === null) return null;
  switch (p.type) {
    case 'datetime':
      return new (duckdb().DuckDBTimestampValue)((v as bigint) / 10n);
    case 'int':
      return Number(v);
    case 'long':
    case 'timespan':
      return typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
    case 'real':
      return Number(v);
    case 'bool':
      return Boolean(v);
    default:
      return String(v);
  }
}

/**
 * Every table has one column beyond the Defender schema: fields of incoming records that the schema
 * does not know, as a JSON object, so that ingestion loses nothing. KQL queries never see it.
 */
export const EXTRA_COLUMN = '__extra';

/** The columns of a table as stored: the schema's, then the extra-fields column. */
export function storedColumns(table: TableDef): ColumnDef[] {
  return [...table.columns, { name: EXTRA_COLUMN, type: 'dynamic' }];
}

export function createTableSql(table: TableDef): string {
  const cols = storedColumns(table).map(c => `${quoteDuckDbIdentifier(c.name)} ${DUCKDB_TYPES[c.type]}`).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${quoteDuckDbIdentifier(table.name)} (${cols});\n`
    + `ALTER TABLE ${quoteDuckDbIdentifier(table.name)} ADD COLUMN IF NOT EXISTS ${quoteDuckDbIdentifier(EXTRA_COLUMN)} JSON`;
}

export interface DuckDbStoreOptions {
  /** Database file; omitted for an empty in-memory database. */
  readonly path?: string;
  readonly readOnly?: boolean;
}

export class DuckDbStore {
  /** Defender tables known to exist in this database. */
  private readonly existing: Set<string>;
  /** The dialect's macros, created on the connection as queries first use them. */
  private readonly macros = new MacroInstaller(duckdbDialect.prelude);

  private constructor(
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string | undefined,
    /** False for a session: closing it closes its connection, not the database. */
    private readonly ownsInstance = true,
    existing = new Set<string>(),
  ) {
    this.existing = existing;
  }

  static async open(options: DuckDbStoreOptions = {}): Promise<DuckDbStore> {
    const instance = await duckdb().DuckDBInstance.create(options.path ?? ':memory:', {
      ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
      // Filter pull-up lifts a let-bound table's regex filter above the joins that follow it, so the
      // regex runs on the join's output instead of its input. npm run bench:query on 5M events: the
      // seed's J 5.8 s with it, 0.8 s without; A–I unchanged.
      disabled_optimizers: 'filter_pullup',
    });
    const connection = await instance.connect();
    // Kusto's datetimes are UTC: a datetime text without an offset means UTC, whatever the machine's
    // zone. (Global, so sessions opened later share it; ICU loads with the first connection.)
    await connection.run("SET GLOBAL TimeZone = 'UTC'");
    const store = new DuckDbStore(instance, connection, options.path);
    // A database file gets every Defender table; an in-memory one gets each table when a query first
    // reads it, which keeps one-off queries (and the CLI's start) fast.
    if (options.path && !options.readOnly) await store.ensureSchema();
    if (options.readOnly) await store.loadExistingTables();
    return store;
  }

  /**
   * A store on a new connection to the same database, for work that runs beside the rest and can
   * be interrupted on its own (a console's query, an upload). Close it when done.
   */
  async session(): Promise<DuckDbStore> {
    return new DuckDbStore(this.instance, await this.instance.connect(), this.path, false, this.existing);
  }

  /** Stops the statement running on this store's connection (it fails with an interrupt error). */
  interrupt(): void {
    this.connection.interrupt();
  }

  /** Creates every Defender table that is missing (existing tables are left as they are). */
  async ensureSchema(): Promise<void> {
    await this.ensureTables([...DEFENDER_TABLES.keys()]);
  }

  /** Creates the named Defender tables that do not exist yet. */
  async ensureTables(names: readonly string[]): Promise<void> {
    const missing = names.filter(n => !this.existing.has(n) && DEFENDER_TABLES.has(n));
    if (missing.length === 0) return;
    await this.connection.run(missing.map(n => createTableSql(DEFENDER_TABLES.get(n)!)).join(';\n'));
    for (const n of missing) this.existing.add(n);
  }

  private async loadExistingTables(): Promise<void> {
    const rows = await this.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'");
    for (const r of rows) this.existing.add(String(r[0]));
  }

  /** Creates the macros `sql` needs that this connection does not have yet. */
  async installMacros(sql: string): Promise<void> {
    const names = this.macros.pending(sql);
    if (names.length === 0) return;
    await this.connection.run(names.map(n => this.macros.statement(n)).join(';\n'));
    this.macros.markInstalled(names);
  }

  /** Runs compiled SQL with its bound parameters; the rows are DuckDB values. */
  async execute(compiled: CompiledQuery): Promise<DuckDBValue[][]> {
    await this.installMacros(compiled.sql);
    const values = compiled.params.map(toDuckDbValue);
    const types = compiled.params.map(p => paramType(p.type));
    const reader = await this.connection.runAndReadAll(compiled.sql, values, types);
    return reader.getRows();
  }

  /** Runs compiled SQL; the rows are in Kusto value forms. */
  async run(compiled: CompiledQuery): Promise<QueryResult> {
    return this.toKusto(compiled, await this.execute(compiled));
  }

  /**
   * Runs compiled SQL but reads at most `maxRows` rows of its result (streamed, so a huge result is
   * never materialised); `truncated` says whether there were more.
   */
  async runCapped(compiled: CompiledQuery, maxRows: number): Promise<QueryResult & { truncated: boolean }> {
    await this.installMacros(compiled.sql);
    const values = compiled.params.map(toDuckDbValue);
    const types = compiled.params.map(p => paramType(p.type));
    const reader = await this.connection.streamAndReadUntil(compiled.sql, maxRows + 1, values, types);
    const rows = reader.getRows();
    const truncated = rows.length > maxRows;
    return { ...this.toKusto(compiled, truncated ? rows.slice(0, maxRows) : rows), truncated };
  }

  private toKusto(compiled: CompiledQuery, rows: DuckDBValue[][]): QueryResult {
    const kinds = compiled.columns.map(c => c.type);
    return {
      columns: compiled.columns.map(c => ({ name: c.name, type: c.type })),
      rows: rows.map(r => r.map((v, i) => fromDuckDb(v, kinds[i]!))),
    };
  }

  /**
   * Appends rows given as objects keyed by column name (missing columns: "" for strings, null
   * otherwise). Values are coerced to the column types; a value that does not fit throws.
   */
  async insertObjects(tableName: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    const table = DEFENDER_TABLES.get(tableName);
    if (!table) throw new Error(`unknown table ${tableName}`);
    await this.ensureTables([tableName]);
    const known = new Set(table.columns.map(c => c.name));
    const columns = storedColumns(table);
    const appender = await this.connection.createAppender(tableName);
    try {
      for (const row of rows) {
        for (const key of Object.keys(row)) if (!known.has(key)) throw new Error(`${tableName} has no column ${key}`);
        appendCoerced(appender, columns, columns.map(c => coerce(row[c.name], c.type)));
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** Rows of an internal SQL statement; any value that came from outside goes in `params` ($1, $2...). */
  async sql(sql: string, params: readonly (string | number | bigint | boolean | null)[] = []): Promise<unknown[][]> {
    const reader = params.length
      ? await this.connection.runAndReadAll(sql, params.map(p => (typeof p === 'number' && Number.isInteger(p) ? BigInt(p) : p)))
      : await this.connection.runAndReadAll(sql);
    return reader.getRows();
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}
