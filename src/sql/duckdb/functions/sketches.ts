// DuckDB: the scalar side of hll() and tdigest() values (dcount_hll, hll_merge, percentile_tdigest,
// rank_tdigest...). chainhunt's hll is the JSON array of the distinct values and its tdigest the
// JSON array of [value, weight] pairs sorted by value, so these results are exact.
import type { KustoType } from '../../../schema/kusto-types.js';
import type { SqlArg } from '../../dialect.js';
import { bind } from './arrays.js';
import { type FunctionTable } from './common.js';

/** A JSON value read as a Kusto type. */
const fromJson = (sql: string, type: KustoType) => (type === 'dynamic' ? sql : `kql_from_json_${type}(${sql})`);

/** {v, w} pairs of a tdigest value. */
const pairs = (td: string) => `list_transform(kql_list(${td}), __x -> {'v': json_extract(__x, '$[0]'), 'w': CAST(json_extract(__x, '$[1]') AS DOUBLE)})`;

/** Above this many list_position comparisons, kql_first_distinct sorts instead. */
const FIRST_POSITION_BUDGET = 4_000_000;

export const SKETCH_MACROS: Record<string, string> = {
  /**
   * The distinct elements of a list in order of first appearance (compared by their text). With
   * few distinct values each one's first position is looked up (fast, but distinct × length work);
   * with many, the list is sorted once by (value, position) instead.
   */
  kql_first_distinct: `(l) AS ${bind('list_distinct(l)', '__d', `CASE WHEN len(__d) * len(l) <= ${FIRST_POSITION_BUDGET}
    THEN list_transform(list_sort(list_transform(__d, __e -> {'i': list_position(l, __e), 'v': __e})), __e -> __e.v)
    ELSE ${bind("list_sort(list_transform(l, (__x, __i) -> {'k': CAST(__x AS VARCHAR), 'i': __i, 'v': __x}))", '__fd',
    "list_transform(list_sort(list_transform(list_filter(__fd, (__e, __j) -> __j = 1 OR __fd[__j - 1].k IS DISTINCT FROM __e.k), __e -> {'i': __e.i, 'v': __e.v})), __e -> __e.v)")} END`)}`,
  /** The weighted nearest-rank percentile p (0..100) of {v, w} pairs sorted by v. */
  kql_weighted_percentile: `(l, p) AS ${bind("{'l': l, 't': CAST(p AS DOUBLE) / 100 * list_sum(list_transform(l, __e -> __e.w))}", '__wp',
    `CASE WHEN len(__wp.l) = 0 THEN NULL ELSE list_reduce(list_concat([{'v': __wp.l[1].v, 'w': CAST(0 AS DOUBLE), 'done': false}],
      list_transform(__wp.l, __e -> {'v': __e.v, 'w': __e.w, 'done': false})),
      (__a, __e) -> CASE WHEN __a.done THEN __a ELSE {'v': __e.v, 'w': __a.w + __e.w, 'done': __a.w + __e.w >= __wp.t} END).v END`)}`,
  /** A list of [value, weight] JSON pairs, sorted by value, as JSON. */
  kql_tdigest_sort: `(l) AS to_json(coalesce(list_transform(list_sort(list_transform(l, __x -> {'k': kql_sort_key(json_extract(__x, '$[0]'), 9), 'x': __x})), __e -> __e.x), []))`,
};

function percentileList(ps: SqlArg[]): string {
  if (ps.length === 1 && ps[0]!.type === 'dynamic') return `list_transform(kql_list(${ps[0]!.sql}), __p -> CAST(__p AS DOUBLE))`;
  return `[${ps.map(p => `CAST(${p.sql} AS DOUBLE)`).join(', ')}]`;
}

export const SKETCH_FUNCTIONS: FunctionTable = {
  dcount_hll: ([h]) => `coalesce(CAST(json_array_length(${h!.sql}) AS BIGINT), 0)`,
  hll_merge: args => `to_json(list_distinct(list_concat(${args.map(a => `coalesce(kql_list(${a.sql}), [])`).join(', ')}${args.length === 1 ? ', []' : ''})))`,
  tdigest_merge: args => `kql_tdigest_sort(list_concat(${args.map(a => `coalesce(kql_list(${a.sql}), [])`).join(', ')}${args.length === 1 ? ', []' : ''}))`,
  merge_tdigest: (args, call, ctx) => SKETCH_FUNCTIONS.tdigest_merge!(args, call, ctx),
  percentile_tdigest: ([td, p], call) => fromJson(`kql_weighted_percentile(${pairs(td!.sql)}, ${p!.sql})`, call.type),
  percentile_array_tdigest: ([td, ...ps]) => bind(pairs(td!.sql), '__tp', `to_json(list_transform(${percentileList(ps)}, __p -> kql_weighted_percentile(__tp, __p)))`),
  rank_tdigest: ([td, v]) => `CAST(list_sum(list_transform(list_filter(${pairs(td!.sql)}, __e -> ${fromJson('__e.v', v!.type)} <= ${v!.sql}), __e -> __e.w)) AS BIGINT)`,
  percentrank_tdigest: ([td, v]) => bind(pairs(td!.sql), '__tq',
    `100.0 * coalesce(list_sum(list_transform(list_filter(__tq, __e -> ${fromJson('__e.v', v!.type)} <= ${v!.sql}), __e -> __e.w)), 0) / list_sum(list_transform(__tq, __e -> __e.w))`),
};
