// Relational operators of the IR. Each node is immutable and knows its output columns. The IR
// speaks Kusto semantics (innerunique joins, mv-expand...) and knows nothing about SQL dialects.
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import type { Literal, ScalarExpr, SourceSpan } from './scalar.js';

export interface NamedExpr {
  readonly name: string;
  readonly expr: ScalarExpr;
}

export interface SortKey {
  readonly expr: ScalarExpr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** One aggregate in a summarize. Most produce one column; arg_max/arg_min produce several. */
export interface Aggregation {
  readonly fn: string;
  readonly args: readonly ScalarExpr[];
  readonly outputs: readonly ColumnDef[];
  readonly span?: SourceSpan;
}

export type JoinKind =
  | 'innerunique' | 'inner' | 'leftouter' | 'rightouter' | 'fullouter'
  | 'leftanti' | 'rightanti' | 'leftsemi' | 'rightsemi';

/** An output column of a join: which side it comes from and its name on that side. */
export interface JoinOutput extends ColumnDef {
  readonly side: 'left' | 'right';
  readonly source: string;
}

export interface MvExpansion {
  readonly name: string;
  readonly source: ScalarExpr;
  readonly type: KustoType;
}

interface Base {
  readonly columns: readonly ColumnDef[];
}

export interface Scan extends Base { readonly kind: 'scan'; readonly table: string }
export interface Values extends Base { readonly kind: 'values'; readonly rows: readonly (readonly Literal[])[] }
export interface Range extends Base { readonly kind: 'range'; readonly from: ScalarExpr; readonly to: ScalarExpr; readonly step: ScalarExpr }
export interface Filter extends Base { readonly kind: 'filter'; readonly input: RelNode; readonly predicate: ScalarExpr }
export interface Project extends Base { readonly kind: 'project'; readonly input: RelNode; readonly exprs: readonly NamedExpr[] }
export interface Aggregate extends Base {
  readonly kind: 'aggregate';
  readonly input: RelNode;
  readonly keys: readonly NamedExpr[];
  readonly aggregations: readonly Aggregation[];
}
export interface Sort extends Base { readonly kind: 'sort'; readonly input: RelNode; readonly keys: readonly SortKey[] }
export interface Limit extends Base {
  readonly kind: 'limit';
  readonly input: RelNode;
  readonly count: ScalarExpr;
  /** Keep `count` rows per group of these keys (in the input's order) rather than overall. */
  readonly partitionBy?: readonly ScalarExpr[];
}
export interface Distinct extends Base { readonly kind: 'distinct'; readonly input: RelNode }
export interface Join extends Base {
  readonly kind: 'join';
  readonly joinKind: JoinKind;
  readonly left: RelNode;
  readonly right: RelNode;
  readonly leftKeys: readonly ScalarExpr[];
  readonly rightKeys: readonly ScalarExpr[];
  readonly outputs: readonly JoinOutput[];
  /**
   * A further condition on each pair of rows (join ... where, ipv4_lookup...). Its column
   * references name a side: `residualColumns` maps each name it uses to a side and a column there.
   */
  readonly residual?: ScalarExpr;
  readonly residualColumns?: ReadonlyMap<string, { readonly side: 'left' | 'right'; readonly source: string }>;
  /** Keys match when both are null too (grouping semantics rather than Kusto's join semantics). */
  readonly nullSafe?: boolean;
}
export interface Union extends Base {
  readonly kind: 'union';
  readonly inputs: readonly RelNode[];
  /** Inputs have only some of the columns (by name); the others are null ("" for strings). */
  readonly byName?: boolean;
}
export interface MvExpand extends Base {
  readonly kind: 'mv-expand';
  readonly input: RelNode;
  readonly expansions: readonly MvExpansion[];
  readonly indexColumn?: string;
  readonly rowLimit?: number;
  /** How a property bag expands: one {key: value} bag per property, or one [key, value] array. */
  readonly bagExpansion: 'bag' | 'array';
}
/** One value computed over a window of rows: a ranking, an offset or a running aggregate. */
export interface WindowOutput {
  readonly name: string;
  readonly type: KustoType;
  /** row_number, rank, dense_rank, count, sum, min, max, avg, lag, lead, first_value, last_value. */
  readonly fn: string;
  readonly args: readonly ScalarExpr[];
  /** The frame: the whole partition (default) or the rows up to the current one. */
  readonly frame?: 'partition' | 'running';
}

/** Adds window columns to every row: values over the rows of the same partition, in an order. */
export interface Window extends Base {
  readonly kind: 'window';
  readonly input: RelNode;
  readonly partitionBy: readonly ScalarExpr[];
  readonly orderBy: readonly SortKey[];
  readonly outputs: readonly WindowOutput[];
}

/** One aggregate of make-series, with the value of the bins that have no rows. */
export interface SeriesAggregation {
  readonly aggregation: Aggregation;
  readonly defaultValue: ScalarExpr;
}

/**
 * make-series: per group, one array per aggregate with an element per bin of the axis, and the
 * axis array itself. Bins without rows get the default. start/end are computed from the data
 * when absent (the first and last bin that has rows, over the whole input).
 */
export interface MakeSeries extends Base {
  readonly kind: 'make-series';
  readonly input: RelNode;
  readonly keys: readonly NamedExpr[];
  readonly axis: ScalarExpr;
  readonly axisName: string;
  readonly start?: ScalarExpr;
  readonly end?: ScalarExpr;
  readonly step: ScalarExpr;
  readonly series: readonly SeriesAggregation[];
  /** kind=nonempty: an input without rows still gives one row of defaults (when there are no keys). */
  readonly nonEmpty: boolean;
}

/** One step of a sequence scan (Kusto's scan operator). */
export interface ScanStepDef {
  readonly name: string;
  readonly condition: ScalarExpr;
  /** Declared column → value assigned when a row matches this step. */
  readonly assignments: readonly NamedExpr[];
  readonly output: 'all' | 'last' | 'none';
}

/**
 * Kusto's scan: a state machine over the rows in order (per partition). Conditions and assignments
 * refer to the current row's columns and to state values named `stateRef(step, column)`.
 */
export interface SequenceScan extends Base {
  readonly kind: 'sequence-scan';
  readonly input: RelNode;
  readonly partitionBy: readonly ScalarExpr[];
  readonly orderBy: readonly SortKey[];
  /** Declared columns with their defaults, appended to the input's columns. */
  readonly declared: readonly NamedExpr[];
  readonly steps: readonly ScanStepDef[];
  /** State values the expressions read, as [step index, column]. */
  readonly stateRefs: readonly (readonly [number, string])[];
  readonly matchIdColumn?: string;
}

/** The name under which a scan condition sees `step.column` of the state. */
export const stateRef = (step: number, column: string): string => `__state_${step}_${column}`;

/** One edge step of a graph pattern: min..max edges in a direction (1..1 for a plain edge). */
export interface GraphSegment {
  readonly edgeVar: string;
  readonly direction: 'forward' | 'backward' | 'any';
  readonly min: number;
  readonly max: number;
}

/**
 * graph-match / graph-shortest-paths over a graph given as a nodes relation (__nid, __deg_in,
 * __deg_out, properties) and an edges relation (__src, __dst, __eid, properties). Expressions see
 * `var.prop` columns for node variables and plain edge variables; the list functions over path
 * variables are calls of graph_map/graph_any/graph_all/graph_len on `var#edges` or `var#inner`,
 * whose bodies see the element's properties as plain columns.
 */
export interface GraphMatch extends Base {
  readonly kind: 'graph-match';
  readonly nodes: RelNode;
  readonly edges: RelNode;
  readonly nodeVars: readonly string[];
  readonly segments: readonly GraphSegment[];
  readonly cycles: 'all' | 'none' | 'unique_edges';
  readonly where?: ScalarExpr;
  readonly project: readonly NamedExpr[];
  /** graph-shortest-paths: keep the shortest matches per pair of end nodes (any one, or all of them). */
  readonly shortest?: 'any' | 'all';
}

/** Weakly connected components of a graph: each node with a component number (0, 1, ...). */
export interface GraphComponents extends Base {
  readonly kind: 'graph-components';
  readonly nodes: RelNode;
  readonly edges: RelNode;
  readonly idColumn: string;
}

/** A sub-plan used more than once (a tabular `let`), or explicitly materialized. */
export interface Shared extends Base { readonly kind: 'shared'; readonly id: number; readonly input: RelNode; readonly materialize: boolean }

export type RelNode =
  | Scan | Values | Range | Filter | Project | Aggregate | Sort | Limit | Distinct | Join | Union | MvExpand | Shared
  | Window | MakeSeries | SequenceScan | GraphMatch | GraphComponents;

export const scan = (table: string, columns: readonly ColumnDef[]): Scan => ({ kind: 'scan', table, columns });
export const values = (columns: readonly ColumnDef[], rows: readonly (readonly Literal[])[]): Values => ({ kind: 'values', columns, rows });
export const range = (name: string, type: KustoType, from: ScalarExpr, to: ScalarExpr, step: ScalarExpr): Range =>
  ({ kind: 'range', columns: [{ name, type }], from, to, step });
export const filter = (input: RelNode, predicate: ScalarExpr): Filter => ({ kind: 'filter', input, predicate, columns: input.columns });
export const project = (input: RelNode, exprs: readonly NamedExpr[]): Project =>
  ({ kind: 'project', input, exprs, columns: exprs.map(e => ({ name: e.name, type: e.expr.type })) });
export const aggregate = (input: RelNode, keys: readonly NamedExpr[], aggregations: readonly Aggregation[]): Aggregate => ({
  kind: 'aggregate', input, keys, aggregations,
  columns: [...keys.map(k => ({ name: k.name, type: k.expr.type })), ...aggregations.flatMap(a => a.outputs)],
});
export const sort = (input: RelNode, keys: readonly SortKey[]): Sort => ({ kind: 'sort', input, keys, columns: input.columns });
export const limit = (input: RelNode, count: ScalarExpr, partitionBy?: readonly ScalarExpr[]): Limit =>
  (partitionBy && partitionBy.length ? { kind: 'limit', input, count, partitionBy, columns: input.columns } : { kind: 'limit', input, count, columns: input.columns });
export const distinct = (input: RelNode): Distinct => ({ kind: 'distinct', input, columns: input.columns });
export const join = (joinKind: JoinKind, left: RelNode, right: RelNode, leftKeys: readonly ScalarExpr[], rightKeys: readonly ScalarExpr[], outputs: readonly JoinOutput[]): Join =>
  ({ kind: 'join', joinKind, left, right, leftKeys, rightKeys, outputs, columns: outputs.map(o => ({ name: o.name, type: o.type })) });
export const union = (inputs: readonly RelNode[], columns: readonly ColumnDef[], byName = false): Union =>
  (byName ? { kind: 'union', inputs, columns, byName } : { kind: 'union', inputs, columns });
export const mvExpand = (input: RelNode, expansions: readonly MvExpansion[], bagExpansion: 'bag' | 'array', indexColumn?: string, rowLimit?: number): MvExpand => {
  const replaced = new Map(expansions.map(e => [e.name, e.type]));
  const columns: ColumnDef[] = input.columns.map(c => (replaced.has(c.name) ? { name: c.name, type: replaced.get(c.name)! } : c));
  for (const e of expansions) if (!input.columns.some(c => c.name === e.name)) columns.push({ name: e.name, type: e.type });
  if (indexColumn) columns.push({ name: indexColumn, type: 'long' });
  return { kind: 'mv-expand', input, expansions, bagExpansion, indexColumn, rowLimit, columns };
};

let sharedIds = 0;
export const shared = (input: RelNode, materialize: boolean): Shared =>
  ({ kind: 'shared', id: ++sharedIds, input, materialize, columns: input.columns });

export const window = (input: RelNode, partitionBy: readonly ScalarExpr[], orderBy: readonly SortKey[], outputs: readonly WindowOutput[]): Window => ({
  kind: 'window', input, partitionBy, orderBy, outputs,
  columns: [...input.columns.filter(c => !outputs.some(o => o.name === c.name)), ...outputs.map(o => ({ name: o.name, type: o.type }))],
});
