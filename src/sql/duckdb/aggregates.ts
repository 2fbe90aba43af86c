// DuckDB implementations of Kusto aggregates. Multi-column aggregates (arg_max, arg_min, any with
// several arguments, percentiles) return a struct {v0, v1, ...} that the compiler unpacks.
// dcount and hll are exact here (hll() keeps the distinct values), percentiles use the
// nearest-rank definition on the exact values, and tdigest() keeps every (value, weight) pair.
import type { AggregateTemplate, SqlArg, SqlContext } from '../dialect.js';
import { toDynamicSql } from './functions/index.js';
import { bind } from './functions/arrays.js';

type Table = Record<string, AggregateTemplate>;

const DEFAULT_MAX = 1048576n;

/** A struct of the given values, fields v0, v1, ... */
function struct(args: string[]): string {
  return `{${args.map((a, i) => `'v${i}': ${a}`).join(', ')}}`;
}

function notNull(a: SqlArg): string {
  return a.type === 'string' ? 'true' : a.type === 'dynamic' ? `(${a.sql} IS NOT NULL AND json_type(${a.sql}) <> 'NULL')` : `${a.sql} IS NOT NULL`;
}

function cond(a: SqlArg): string {
  return `coalesce(${a.sql}, false)`;
}

function where(filters: string[]): string {
  return filters.length ? ` FILTER (WHERE ${filters.join(' AND ')})` : '';
}

function maxSize(a: SqlArg | undefined, ctx: SqlContext): string {
  return a ? `CAST(${a.sql} AS BIGINT)` : ctx.param(DEFAULT_MAX, 'long');
}

/** Built by bag_pack or pack_all: never an array, so there is nothing to append one by one. */
function isBag(a: SqlArg): boolean {
  return a.ir.kind === 'call' && (a.ir.fn === 'pack' || a.ir.fn === 'pack_all' || a.ir.fn === 'pack_nonempty');
}

/**
 * make_list: a JSON array of the values (nulls skipped), at most maxSize long. As in Kusto, the
 * elements of an array value are appended one by one (make_list(pack_array(a, b)) is [a, b, ...]).
 */
function makeList(maxIndex: number, condIndex?: number): AggregateTemplate {
  return (args, _agg, ctx) => {
    const value = args[0]!;
    const filters = [notNull(value)];
    if (condIndex !== undefined && args[condIndex]) filters.push(cond(args[condIndex]!));
    const values = value.type === 'dynamic' && !isBag(value)
      ? `flatten(list(CASE WHEN json_type(${value.sql}) = 'ARRAY' THEN CAST(${value.sql} AS JSON[]) ELSE [${value.sql}] END)${where(filters)})`
      : `list(${toDynamicSql(value)})${where(filters)}`;
    return `to_json(coalesce(list_slice(${values}, 1, ${maxSize(args[maxIndex], ctx)}), []))`;
  };
}

/**
 * make_set: the distinct values in order of first appearance (the elements of array values are
 * added one by one), at most maxSize of them.
 */
function makeSet(maxIndex: number, condIndex?: number): AggregateTemplate {
  return (args, _agg, ctx) => {
    const value = args[0]!;
    const filters = [notNull(value)];
    if (condIndex !== undefined && args[condIndex]) filters.push(cond(args[condIndex]!));
    const values = value.type === 'dynamic'
      ? `list_filter(flatten(list(CASE WHEN json_type(${value.sql}) = 'ARRAY' THEN CAST(${value.sql} AS JSON[]) ELSE [${value.sql}] END)${where(filters)}), __x -> __x IS NOT NULL AND json_type(__x) <> 'NULL')`
      : `list(${toDynamicSql(value)})${where(filters)}`;
    return `to_json(coalesce(list_slice(kql_first_distinct(${values}), 1, ${maxSize(args[maxIndex], ctx)}), []))`;
  };
}

/** The bag of all property bags (the first value of a repeated key is kept). */
function makeBag(condIndex?: number): AggregateTemplate {
  return args => {
    const value = args[0]!;
    const filters = [`json_type(${value.sql}) = 'OBJECT'`];
    if (condIndex !== undefined && args[condIndex]) filters.push(cond(args[condIndex]!));
    return `kql_bag_from_entries(coalesce(flatten(list(kql_bag_entries(${value.sql}))${where(filters)}), []))`;
  };
}

/** The nearest-rank percentile p (0..100) of a sorted list. */
const rank = (sorted: string, p: string) => bind(sorted, '__ps', `__ps[CAST(greatest(ceil(CAST(${p} AS DOUBLE) / 100 * len(__ps)), 1) AS BIGINT)]`);

/** The values of percentile arguments: constants or one dynamic array of them. */
function percentileList(ps: SqlArg[]): string {
  if (ps.length === 1 && ps[0]!.type === 'dynamic') return `list_transform(kql_list(${ps[0]!.sql}), __p -> CAST(__p AS DOUBLE))`;
  return `[${ps.map(p => `CAST(${p.sql} AS DOUBLE)`).join(', ')}]`;
}

/** {v, w} pairs sorted by value, for weighted percentiles. */
const weighted = (x: SqlArg, w: SqlArg) => `list({'v': ${x.sql}, 'w': CAST(${w.sql} AS DOUBLE)} ORDER BY ${x.sql}) FILTER (WHERE ${x.sql} IS NOT NULL AND ${w.sql} > 0)`;

const aggregates: Table = {
  count: () => 'count(*)',
  countif: ([p]) => `count(*) FILTER (WHERE ${cond(p!)})`,
  dcount: ([x]) => (x!.type === 'dynamic' ? `count(DISTINCT CAST(${x!.sql} AS VARCHAR))` : `count(DISTINCT ${x!.sql})`),
  dcountif: ([x, p]) => `count(DISTINCT ${x!.type === 'dynamic' ? `CAST(${x!.sql} AS VARCHAR)` : x!.sql}) FILTER (WHERE ${cond(p!)})`,
  count_distinct: ([x]) => `count(DISTINCT ${x!.type === 'dynamic' ? `CAST(${x!.sql} AS VARCHAR)` : x!.sql})`,
  count_distinctif: ([x, p]) => `count(DISTINCT ${x!.type === 'dynamic' ? `CAST(${x!.sql} AS VARCHAR)` : x!.sql}) FILTER (WHERE ${cond(p!)})`,
  sum: ([x], agg) => `coalesce(CAST(sum(${x!.sql}) AS ${sqlNumeric(agg.outputs[0]!.type)}), 0)`,
  sumif: ([x, p], agg) => `coalesce(CAST(sum(${x!.sql}) FILTER (WHERE ${cond(p!)}) AS ${sqlNumeric(agg.outputs[0]!.type)}), 0)`,
  avg: ([x]) => `coalesce(avg(${x!.sql}), 'NaN'::DOUBLE)`,
  avgif: ([x, p]) => `coalesce(avg(${x!.sql}) FILTER (WHERE ${cond(p!)}), 'NaN'::DOUBLE)`,
  min: ([x]) => (x!.type === 'string' ? `coalesce(min(nullif(${x!.sql}, '')), '')` : `min(${x!.sql})`),
  max: ([x]) => (x!.type === 'string' ? `coalesce(max(nullif(${x!.sql}, '')), '')` : `max(${x!.sql})`),
  minif: ([x, p]) => (x!.type === 'string' ? `coalesce(min(nullif(${x!.sql}, '')) FILTER (WHERE ${cond(p!)}), '')` : `min(${x!.sql}) FILTER (WHERE ${cond(p!)})`),
  maxif: ([x, p]) => (x!.type === 'string' ? `coalesce(max(nullif(${x!.sql}, '')) FILTER (WHERE ${cond(p!)}), '')` : `max(${x!.sql}) FILTER (WHERE ${cond(p!)})`),
  any: args => (args.length === 1 ? `{'v0': any_value(${args[0]!.sql})}` : `any_value(${struct(args.map(a => a.sql))})`),
  anyif: ([x, p]) => `any_value(${x!.sql}) FILTER (WHERE ${cond(p!)})`,
  // Rows where the maximized value is null are skipped, unless there is no other row.
  arg_max: ([by, ...rest]) => `coalesce(arg_max(${struct([by!, ...rest].map(a => a.sql))}, ${by!.sql}), any_value(${struct([by!, ...rest].map(a => a.sql))}))`,
  arg_min: ([by, ...rest]) => `coalesce(arg_min(${struct([by!, ...rest].map(a => a.sql))}, ${by!.sql}), any_value(${struct([by!, ...rest].map(a => a.sql))}))`,
  make_set: makeSet(1),
  make_set_if: makeSet(2, 1),
  make_list: makeList(1),
  make_list_if: makeList(2, 1),
  make_list_with_nulls: ([x]) => `to_json(coalesce(list(${toDynamicSql(x!)}), []))`,
  make_bag: makeBag(),
  make_bag_if: makeBag(1),
  percentile: ([x, p]) => rank(`list_sort(list(${x!.sql}) FILTER (WHERE ${x!.sql} IS NOT NULL))`, p!.sql),
  percentiles: ([x, ...ps]) => bind(`list_sort(list(${x!.sql}) FILTER (WHERE ${x!.sql} IS NOT NULL))`, '__pl',
    struct(ps.map(p => rank('__pl', p.sql)))),
  percentiles_array: ([x, ...ps]) => bind(`list_sort(list(${x!.sql}) FILTER (WHERE ${x!.sql} IS NOT NULL))`, '__pl',
    `to_json(list_transform(${percentileList(ps)}, __p -> ${rank('__pl', '__p')}))`),
  percentilew: ([x, w, p]) => `kql_weighted_percentile(${weighted(x!, w!)}, ${p!.sql})`,
  percentilesw: ([x, w, ...ps]) => bind(weighted(x!, w!), '__wl', struct(ps.map(p => `kql_weighted_percentile(__wl, ${p.sql})`))),
  percentilesw_array: ([x, w, ...ps]) => bind(weighted(x!, w!), '__wl', `to_json(list_transform(${percentileList(ps)}, __p -> kql_weighted_percentile(__wl, __p)))`),
  stdev: ([x]) => `coalesce(stddev_samp(${x!.sql}), 0)`,
  stdevif: ([x, p]) => `coalesce(stddev_samp(${x!.sql}) FILTER (WHERE ${cond(p!)}), 0)`,
  stdevp: ([x]) => `coalesce(stddev_pop(${x!.sql}), 0)`,
  stdevpif: ([x, p]) => `coalesce(stddev_pop(${x!.sql}) FILTER (WHERE ${cond(p!)}), 0)`,
  variance: ([x]) => `coalesce(var_samp(${x!.sql}), 0)`,
  varianceif: ([x, p]) => `coalesce(var_samp(${x!.sql}) FILTER (WHERE ${cond(p!)}), 0)`,
  variancep: ([x]) => `coalesce(var_pop(${x!.sql}), 0)`,
  variancepif: ([x, p]) => `coalesce(var_pop(${x!.sql}) FILTER (WHERE ${cond(p!)}), 0)`,
  covariance: ([x, y]) => `coalesce(covar_samp(${x!.sql}, ${y!.sql}), 0)`,
  covarianceif: ([x, y, p]) => `coalesce(covar_samp(${x!.sql}, ${y!.sql}) FILTER (WHERE ${cond(p!)}), 0)`,
  covariancep: ([x, y]) => `coalesce(covar_pop(${x!.sql}, ${y!.sql}), 0)`,
  covariancepif: ([x, y, p]) => `coalesce(covar_pop(${x!.sql}, ${y!.sql}) FILTER (WHERE ${cond(p!)}), 0)`,
  binary_all_and: ([x]) => `bit_and(${x!.sql})`,
  binary_all_or: ([x]) => `bit_or(${x!.sql})`,
  binary_all_xor: ([x]) => `bit_xor(${x!.sql})`,
  // hll(): the distinct values themselves, so dcount_hll() is exact.
  hll: ([x]) => `to_json(coalesce(list(DISTINCT ${toDynamicSql(x!)}) FILTER (WHERE ${notNull(x!)}), []))`,
  hll_if: ([x, p]) => `to_json(coalesce(list(DISTINCT ${toDynamicSql(x!)}) FILTER (WHERE ${notNull(x!)} AND ${cond(p!)}), []))`,
  hll_merge: ([h]) => `to_json(coalesce(list_distinct(flatten(list(kql_list(${h!.sql})))), []))`,
  // tdigest(): every [value, weight] pair, sorted by value.
  tdigest: ([x, w]) => `to_json(coalesce(list([${toDynamicSql(x!)}, to_json(${w ? `CAST(${w.sql} AS DOUBLE)` : '1.0'})] ORDER BY ${x!.sql}) FILTER (WHERE ${notNull(x!)}), []))`,
  tdigest_merge: ([t]) => `kql_tdigest_sort(flatten(list(kql_list(${t!.sql}))))`,
  merge_tdigest: ([t]) => `kql_tdigest_sort(flatten(list(kql_list(${t!.sql}))))`,
};

function sqlNumeric(type: string): string {
  return type === 'real' ? 'DOUBLE' : type === 'int' ? 'INTEGER' : type === 'decimal' ? 'DECIMAL(38,18)' : 'BIGINT';
}

export const DUCKDB_AGGREGATES: Readonly<Table> = aggregates;
