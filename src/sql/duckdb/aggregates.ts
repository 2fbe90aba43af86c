// DuckDB implementations of Kusto aggregates. Multi-column aggregates (arg_max, arg_min, any with
// several arguments) return a struct {v0, v1, ...} that the compiler unpacks into columns.
import type { AggregateTemplate, SqlArg } from '../dialect.js';
import { toDynamicSql } from './functions/index.js';

type Table = Record<string, AggregateTemplate>;

const DEFAULT_MAX = 1048576n;

/** A struct of the given values, fields v0, v1, ... */
function struct(args: SqlArg[]): string {
  return `{${args.map((a, i) => `'v${i}': ${a.sql}`).join(', ')}}`;
}

function notNull(a: SqlArg): string {
  return a.type === 'string' ? 'true' : `${a.sql} IS NOT NULL`;
}

/** make_list / make_set: a JSON array of the values (nulls skipped), at most maxSize long. */
function collect(distinct: boolean, maxIndex: number, condIndex?: number): AggregateTemplate {
  return (args, _agg, ctx) => {
    const value = args[0]!;
    const max = args[maxIndex] ? args[maxIndex]!.sql : ctx.param(DEFAULT_MAX, 'long');
    const filters = [notNull(value)];
    if (condIndex !== undefined && args[condIndex]) filters.push(`coalesce(${args[condIndex]!.sql}, false)`);
    const list = `list(${distinct ? 'DISTINCT ' : ''}${toDynamicSql(value)}) FILTER (WHERE ${filters.join(' AND ')})`;
    return `to_json(coalesce(list_slice(${list}, 1, ${max}), []))`;
  };
}

function cond(a: SqlArg): string {
  return `coalesce(${a.sql}, false)`;
}

const aggregates: Table = {
  count: () => 'count(*)',
  countif: ([p]) => `count(*) FILTER (WHERE ${cond(p!)})`,
  dcount: ([x]) => (x!.type === 'dynamic' ? `count(DISTINCT CAST(${x!.sql} AS VARCHAR))` : `count(DISTINCT ${x!.sql})`),
  dcountif: ([x, p]) => `count(DISTINCT ${x!.sql}) FILTER (WHERE ${cond(p!)})`,
  count_distinct: ([x]) => `count(DISTINCT ${x!.sql})`,
  count_distinctif: ([x, p]) => `count(DISTINCT ${x!.sql}) FILTER (WHERE ${cond(p!)})`,
  sum: ([x], agg) => `coalesce(CAST(sum(${x!.sql}) AS ${agg.outputs[0]!.type === 'real' ? 'DOUBLE' : agg.outputs[0]!.type === 'int' ? 'INTEGER' : agg.outputs[0]!.type === 'decimal' ? 'DECIMAL(38,18)' : 'BIGINT'}), 0)`,
  sumif: ([x, p], agg) => `coalesce(CAST(sum(${x!.sql}) FILTER (WHERE ${cond(p!)}) AS ${agg.outputs[0]!.type === 'real' ? 'DOUBLE' : 'BIGINT'}), 0)`,
  avg: ([x]) => `coalesce(avg(${x!.sql}), 'NaN'::DOUBLE)`,
  avgif: ([x, p]) => `coalesce(avg(${x!.sql}) FILTER (WHERE ${cond(p!)}), 'NaN'::DOUBLE)`,
  min: ([x]) => (x!.type === 'string' ? `coalesce(min(nullif(${x!.sql}, '')), '')` : `min(${x!.sql})`),
  max: ([x]) => (x!.type === 'string' ? `coalesce(max(nullif(${x!.sql}, '')), '')` : `max(${x!.sql})`),
  minif: ([x, p]) => `min(${x!.sql}) FILTER (WHERE ${cond(p!)})`,
  maxif: ([x, p]) => `max(${x!.sql}) FILTER (WHERE ${cond(p!)})`,
  any: args => (args.length === 1 ? `{'v0': any_value(${args[0]!.sql})}` : `any_value(${struct(args)})`),
  anyif: ([x, p]) => `any_value(${x!.sql}) FILTER (WHERE ${cond(p!)})`,
  arg_max: ([by, ...rest]) => `arg_max(${struct([by!, ...rest])}, ${by!.sql})`,
  arg_min: ([by, ...rest]) => `arg_min(${struct([by!, ...rest])}, ${by!.sql})`,
  make_set: collect(true, 1),
  make_list: collect(false, 1),
  make_set_if: collect(true, 2, 1),
  make_list_if: collect(false, 2, 1),
  make_list_with_nulls: ([x]) => `to_json(coalesce(list(${toDynamicSql(x!)}), []))`,
  make_bag: ([x]) => `coalesce(list_reduce(list(${x!.sql}) FILTER (WHERE json_type(${x!.sql}) = 'OBJECT'), (a, b) -> json_merge_patch(b, a)), '{}'::JSON)`,
  make_bag_if: ([x, p]) => `coalesce(list_reduce(list(${x!.sql}) FILTER (WHERE json_type(${x!.sql}) = 'OBJECT' AND ${cond(p!)}), (a, b) -> json_merge_patch(b, a)), '{}'::JSON)`,
  percentile: ([x, p]) => `quantile_disc(${x!.sql}, CAST(${p!.sql} AS DOUBLE) / 100)`,
  percentiles: ([x, ...ps]) => `{${ps.map((p, i) => `'v${i}': quantile_disc(${x!.sql}, CAST(${p.sql} AS DOUBLE) / 100)`).join(', ')}}`,
  stdev: ([x]) => `coalesce(stddev_samp(${x!.sql}), 0)`,
  stdevif: ([x, p]) => `coalesce(stddev_samp(${x!.sql}) FILTER (WHERE ${cond(p!)}), 0)`,
  stdevp: ([x]) => `coalesce(stddev_pop(${x!.sql}), 0)`,
  variance: ([x]) => `coalesce(var_samp(${x!.sql}), 0)`,
  varianceif: ([x, p]) => `coalesce(var_samp(${x!.sql}) FILTER (WHERE ${cond(p!)}), 0)`,
  variancep: ([x]) => `coalesce(var_pop(${x!.sql}), 0)`,
  binary_all_and: ([x]) => `bit_and(${x!.sql})`,
  binary_all_or: ([x]) => `bit_or(${x!.sql})`,
  binary_all_xor: ([x]) => `bit_xor(${x!.sql})`,
  covariance: ([x, y]) => `covar_samp(${x!.sql}, ${y!.sql})`,
  covariancep: ([x, y]) => `covar_pop(${x!.sql}, ${y!.sql})`,
};

export const DUCKDB_AGGREGATES: Readonly<Table> = aggregates;
