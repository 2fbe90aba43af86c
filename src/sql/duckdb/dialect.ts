// The DuckDB dialect: identifiers, typed parameters, Kusto types as DuckDB types, and the tables
// of functions, aggregates and window functions.
import type { KustoType } from '../../schema/kusto-types.js';
import type { SqlDialect } from '../dialect.js';
import { DUCKDB_FUNCTIONS } from './functions/index.js';
import { DUCKDB_AGGREGATES } from './aggregates.js';
import { DUCKDB_WINDOWS } from './windows.js';
import { DUCKDB_MACROS } from './macros.js';
import { GEO_MACROS } from './geo-macros.js';
import { SERIES_MACROS } from './series-macros.js';
import { OPERATOR_FUNCTIONS } from './operator-functions.js';

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
  functions: { ...DUCKDB_FUNCTIONS, ...OPERATOR_FUNCTIONS },
  aggregates: DUCKDB_AGGREGATES,
  windows: DUCKDB_WINDOWS,
  prelude: [...DUCKDB_MACROS, ...GEO_MACROS, ...SERIES_MACROS],
  mvExpandList: (value, bagExpansion) => (bagExpansion === 'array' ? `kql_mv_list_array(${value})` : `kql_mv_list(${value})`),
  unnest: list => `unnest(${list})`,
  rangeRows(name, type, from, to, step) {
    if (type === 'datetime') {
      return `(SELECT g.v AS ${name} FROM generate_series(${from}, ${to}, to_microseconds(CAST((${step}) // 10 AS BIGINT))) AS g(v))`;
    }
    if (type === 'real') {
      return `(SELECT ${from} + i * (${step}) AS ${name} FROM generate_series(0, CAST(floor((${to} - ${from}) / (${step})) AS BIGINT)) AS g(i))`;
    }
    // The table function streams its rows: a long range never becomes one list in memory.
    return `(SELECT g.v AS ${name} FROM generate_series(${from}, ${to}, ${step}) AS g(v))`;
  },
  unionAllByName: 'UNION ALL BY NAME',
  listOf: items => `[${items.join(', ')}]`,
  listAppend: (list, item) => `list_append(${list}, ${item})`,
  listConcat: (a, b) => `list_concat(${a}, ${b})`,
  listContains: (list, item) => `list_contains(${list}, ${item})`,
  listHasAny: (a, b) => `list_has_any(${a}, ${b})`,
  listLength: list => `len(${list})`,
  listElement: (list, index) => `(${list})[${index}]`,
  emptyListLike: like => `list_slice(${like}, 1, 0)`,
  recordOf: fields => `{${fields.map(([k, v]) => `'${k.replace(/'/g, "''")}': ${v}`).join(', ')}}`,
  recordField: (record, field) => `(${record}).${quoteDuckDbIdentifier(field)}`,
  listTransform: (list, param, body) => `list_transform(${list}, ${param} -> ${body})`,
  listAnyTrue: list => `coalesce(list_bool_or(${list}), false)`,
  listAllTrue: list => `coalesce(list_bool_and(${list}), true)`,
  jsonArrayOf: list => `to_json(coalesce(${list}, []))`,
  structAggregates: new Set(['arg_max', 'arg_min', 'any', 'percentiles', 'percentilesw']),
  indexList: count => `range(0, ${count})`,
  jsonArrayAgg: (value, order) => `to_json(coalesce(list(${value} ORDER BY ${order}), []))`,
  fromDynamic(value, type) {
    return type === 'dynamic' ? value : `kql_from_json_${type}(${value})`;
  },
};
