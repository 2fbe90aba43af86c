// The DuckDB dialect: identifiers, typed parameters, Kusto types as DuckDB types, and the tables
// of functions, aggregates and window functions.
import type { KustoType } from '../../schema/kusto-types.js';
import type { SqlDialect } from '../dialect.js';
import { DUCKDB_FUNCTIONS } from './functions/index.js';
import { DUCKDB_AGGREGATES } from './aggregates.js';
import { DUCKDB_WINDOWS } from './windows.js';
import { DUCKDB_MACROS } from './macros.js';

/**
 * Kusto types in DuckDB. datetime is a TIMESTAMP (UTC, microseconds); timespan is a BIGINT count of
 * 100-ns ticks, so its arithmetic is exact; dynamic is JSON.
 */
export const DUCKDB_TYPES: Readonly<Record<KustoType, string>> = {
  bool: 'BOOLEAN',
  int: 'INTEGER',
  long: 'BIGINT',
  real: 'DOUBLE',
  decimal: 'DECIMAL(38,18)',
  string: 'VARCHAR',
  datetime: 'TIMESTAMP',
  timespan: 'BIGINT',
  dynamic: 'JSON',
  guid: 'UUID',
};

export function quoteDuckDbIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  quoteIdentifier: quoteDuckDbIdentifier,
  placeholder(index, type) {
    // Parameters are bound with their DuckDB type; JSON, UUID and DECIMAL travel as text.
    if (type === 'dynamic' || type === 'guid' || type === 'decimal') return `CAST($${index} AS ${DUCKDB_TYPES[type]})`;
    return `$${index}`;
  },
  sqlType: type => DUCKDB_TYPES[type],
  nullLiteral: type => (type === 'string' ? "''" : `CAST(NULL AS ${DUCKDB_TYPES[type]})`),
  functions: DUCKDB_FUNCTIONS,
  aggregates: DUCKDB_AGGREGATES,
  windows: DUCKDB_WINDOWS,
  prelude: DUCKDB_MACROS,
  mvExpandList: (value, bagExpansion) => (bagExpansion === 'array' ? `kql_mv_list_array(${value})` : `kql_mv_list(${value})`),
  unnest: list => `unnest(${list})`,
  rangeRows(name, type, from, to, step) {
    if (type === 'datetime') {
      return `(SELECT unnest(generate_series(${from}, ${to}, to_microseconds(CAST((${step}) // 10 AS BIGINT)))) AS ${name})`;
    }
    if (type === 'real') {
      return `(SELECT ${from} + i * (${step}) AS ${name} FROM generate_series(0, CAST(floor((${to} - ${from}) / (${step})) AS BIGINT)) AS g(i))`;
    }
    return `(SELECT unnest(generate_series(${from}, ${to}, ${step})) AS ${name})`;
  },
  fromDynamic(value, type) {
    return type === 'dynamic' ? value : `kql_from_json_${type}(${value})`;
  },
};
