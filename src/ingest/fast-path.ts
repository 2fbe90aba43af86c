// The fast path for the common case: a clean file of streaming API records, one per line. DuckDB's
// JSON reader loads it in parallel, reading each field straight into its column's type, with two
// additions: a first pass lists the fields each record carries, so that fields the schema does not
// know are kept rather than dropped, and values are stored in Kusto's forms (datetimes in UTC,
// strings never null, dynamic columns given as JSON text parsed). Anything unusual (a bad line, a
// value of the wrong type, an unknown category, a byte-order mark...) fails the load, and the file
// goes through the record-by-record path instead, which reports each bad record with its line:
// the fast path never quarantines and never drops a record.
import type { TableDef } from '../schema/defender.js';
import { DEFENDER_TABLES } from '../schema/defender.js';
import type { KustoType } from '../schema/kusto-types.js';
import { DUCKDB_TYPES, quoteDuckDbIdentifier as q } from '../sql/duckdb/dialect.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { EXTRA_COLUMN } from '../store/duckdb-store.js';
import { tableFromCategory } from './formats.js';

export interface FastPathResult {
  /** Rows stored per table. */
  readonly tables: Map<string, number>;
  /** Fields the schema does not know, per table, with how many rows carried each. */
  readonly unknownFields: Map<string, Map<string, number>>;
  readonly records: number;
  /** Records stored per file. */
  readonly perFile: Map<string, number>;
}

/**
 * The longest record the bulk reader takes (DuckDB's default). Its buffers grow with this limit and
 * a large one costs parallelism (1 GB made every file ~2.5x slower to read); a file with a longer
 * record is declined and read record by record, which takes any length.
 */
const FAST_PATH_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** Why the fast path declined a file (it is then read record by record). */
export class FastPathDeclined extends Error {}

/** DuckDB's type for reading each Kusto type out of JSON; datetimes keep their offsets. */
function readType(type: KustoType): string {
  switch (type) {
    case 'datetime': return 'TIMESTAMPTZ';
    case 'timespan': return 'VARCHAR';
    default: return DUCKDB_TYPES[type];
  }
}

/** SQL turning the read value of a column into the stored one. */
function storeExpr(name: string, type: KustoType, fromStruct: boolean): string {
  const v = fromStruct ? `p.${q(name)}` : q(name);
  switch (type) {
    case 'string': return `coalesce(${v}, '')`;
    // The instant's microseconds since the epoch: UTC, and cheaper than AT TIME ZONE.
    case 'datetime': return `make_timestamp(epoch_us(${v}))`;
    case 'timespan': return `kql_string_totimespan(${v})`;
    // Dynamic columns come as JSON values, or as JSON text (which is parsed, as Defender's own columns are).
    case 'dynamic':
      return `CASE WHEN ${v} IS NULL THEN NULL WHEN json_type(${v}) = 'VARCHAR' AND json_valid(${v} ->> '$') AND regexp_matches(${v} ->> '$', '^\\s*([\\[{"]|true|false|null|-?\\d)') THEN CAST(${v} ->> '$' AS JSON) WHEN json_type(${v}) = 'NULL' THEN NULL ELSE ${v} END`;
    default: return v;
  }
}

/** The files to read, as one bound value: a JSON array of paths (read as VARCHAR[] in SQL). */
const FILES = 'CAST(CAST($1 AS JSON) AS VARCHAR[])';

/**
 * Loads the files inside the caller's transaction. Several files are read by each statement (DuckDB
 * reads a list of files much faster than the same files one by one). Throws (FastPathDeclined or a
 * database error) when any file needs the record-by-record path; the caller then rolls back.
 */
export async function ingestFast(store: DuckDbStore, pathOrPaths: string | readonly string[]): Promise<FastPathResult> {
  const paths = typeof pathOrPaths === 'string' ? [pathOrPaths] : [...pathOrPaths];
  // Pass 1: per file, the categories and the set of fields each record carries.
  // (Grouping by the hash of the field list is much cheaper than by the list; reading only the two
  // fields with read_json is about 2.5x faster than parsing whole objects with read_ndjson_objects.)
  const shapes = await store.sql(`SELECT filename, category, any_value(k), count(*), count(*) FILTER (WHERE k IS NULL) FROM (
      SELECT filename, category, json_keys(properties) AS k
      FROM read_json(${FILES}, format = 'newline_delimited', filename = true, maximum_object_size = ${FAST_PATH_MAX_RECORD_BYTES},
        columns = {category: 'VARCHAR', properties: 'JSON'}))
    GROUP BY filename, category, hash(k)`, [JSON.stringify(paths)]);
  const byTable = new Map<string, { count: number; unknown: Map<string, number>; files: Set<string> }>();
  const perFile = new Map<string, number>(paths.map(p => [p, 0]));
  for (const [file, category, keys, n, notObjects] of shapes) {
    const table = tableFromCategory(category);
    if (!table) throw new FastPathDeclined(`category ${String(category)}`);
    if (Number(notObjects) !== 0 || keys === null) throw new FastPathDeclined('a record without a properties object');
    if (!perFile.has(String(file))) throw new FastPathDeclined(`read an unexpected file name ${String(file)}`);
    perFile.set(String(file), perFile.get(String(file))! + Number(n));
    const fieldList = (keys as { items: unknown[] }).items;
    const entry = byTable.get(table) ?? { count: 0, unknown: new Map<string, number>(), files: new Set<string>() };
    entry.count += Number(n);
    entry.files.add(String(file));
    const known = new Set(DEFENDER_TABLES.get(table)!.columns.map(c => c.name));
    const lower = new Set([...known].map(c => c.toLowerCase()));
    for (const k of fieldList) {
      const key = String(k);
      if (known.has(key)) continue;
      if (lower.has(key.toLowerCase())) throw new FastPathDeclined(`field ${key} differs from a column only in case`);
      entry.unknown.set(key, (entry.unknown.get(key) ?? 0) + Number(n));
    }
    byTable.set(table, entry);
  }
  // Pass 2, per table: DuckDB reads every field straight into its type (a value that does not fit fails the load).
  const tables = new Map<string, number>();
  const unknownFields = new Map<string, Map<string, number>>();
  let total = 0;
  for (const [tableName, { count, unknown, files }] of byTable) {
    const table: TableDef = DEFENDER_TABLES.get(tableName)!;
    await store.ensureTables([tableName]);
    const extras = [...unknown.keys()];
    // The record type, as DuckDB type text: a bound value (it names fields found in the file).
    const ident = (n: string) => `"${n.replace(/"/g, '""')}"`;
    const struct = `STRUCT(${[...table.columns.map(c => `${ident(c.name)} ${readType(c.type)}`), ...extras.map(k => `${ident(k)} JSON`)].join(', ')})`;
    // Without unknown fields, the record's fields come out as columns (UNNEST), which DuckDB reads
    // faster than one struct field at a time; with them, the struct stays whole for their values.
    const fromStruct = extras.length > 0;
    const values = table.columns.map(c => storeExpr(c.name, c.type, fromStruct));
    // (In a file that mixes tables, every record is read as this table's record type before the
    // category filter: a field whose type differs between the tables, such as ReportId, declines
    // the file. json_transform could read only this table's records, but it cannot both allow
    // missing fields and refuse wrong types.)
    const params: string[] = [JSON.stringify(paths.filter(p => files.has(p))), `AdvancedHunting-${tableName}`, struct];
    // The unknown fields of a row as one object; their names are bound values, never SQL text.
    const pairs = extras.map((k, i) => {
      params.push(k);
      return `$${params.length}, struct_extract_at(p, ${table.columns.length + i + 1})`;
    });
    const x = extras.length ? `CAST(NULLIF(CAST(json_merge_patch('{}', json_object(${pairs.join(', ')})) AS VARCHAR), '{}') AS JSON)` : 'CAST(NULL AS JSON)';
    const af = table.columns.findIndex(c => c.name === 'AdditionalFields');
    if (extras.length && af >= 0) {
      // Unknown fields join AdditionalFields when that is empty or an object, as the record-by-record path does.
      const cur = values[af]!;
      const obj = `TRY_CAST(NULLIF(CAST(${cur} AS VARCHAR), '') AS JSON)`;
      // (Never null: text that is not JSON makes json_type null, and NOT null would drop the fields.)
      const mergeable = `(NULLIF(CAST(${cur} AS VARCHAR), '') IS NULL OR coalesce(json_type(${obj}) = 'OBJECT', false))`;
      values[af] = `CASE WHEN x IS NOT NULL AND ${mergeable} THEN CAST(json_merge_patch(coalesce(${obj}, '{}'), x) AS ${DUCKDB_TYPES[table.columns[af]!.type]}) ELSE ${cur} END`;
      values.push(`CASE WHEN x IS NOT NULL AND NOT ${mergeable} THEN x END`);
    } else {
      values.push(fromStruct ? 'x' : x);
    }
    const records = `(SELECT properties FROM read_json(${FILES}, format = 'newline_delimited', maximum_object_size = ${FAST_PATH_MAX_RECORD_BYTES},
      columns = {category: 'VARCHAR', properties: $3}) WHERE category = $2)`;
    const sql = `INSERT INTO ${q(tableName)} (${[...table.columns.map(c => q(c.name)), q(EXTRA_COLUMN)].join(', ')})
      SELECT ${values.join(', ')} FROM ${fromStruct
        ? `(SELECT p, ${x} AS x FROM (SELECT properties AS p FROM ${records}))`
        : `(SELECT UNNEST(properties) FROM ${records})`}`;
    await store.installMacros(sql);
    const inserted = await store.sql(sql, params);
    const n = Number(inserted[0]?.[0] ?? count);
    if (n !== count) throw new FastPathDeclined(`read ${n} of ${count} ${tableName} records`);
    tables.set(tableName, n);
    total += n;
    if (unknown.size) unknownFields.set(tableName, unknown);
  }
  return { tables, unknownFields, records: total, perFile };
}
