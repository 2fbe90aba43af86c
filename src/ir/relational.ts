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
export interface Limit extends Base { readonly kind: 'limit'; readonly input: RelNode; readonly count: ScalarExpr }
export interface Distinct extends Base { readonly kind: 'distinct'; readonly input: RelNode }
export interface Join extends Base {
  readonly kind: 'join';
  readonly joinKind: JoinKind;
  readonly left: RelNode;
  readonly right: RelNode;
  readonly leftKeys: readonly ScalarExpr[];
  readonly rightKeys: readonly ScalarExpr[];
  readonly outputs: readonly JoinOutput[];
}
export interface Union extends Base { readonly kind: 'union'; readonly inputs: readonly RelNode[] }
export interface MvExpand extends Base {
  readonly kind: 'mv-expand';
  readonly input: RelNode;
  readonly expansions: readonly MvExpansion[];
  readonly indexColumn?: string;
  readonly rowLimit?: number;
  /** How a property bag expands: one {key: value} bag per property, or one [key, value] array. */
  readonly bagExpansion: 'bag' | 'array';
}
/** A sub-plan used more than once (a tabular `let`), or explicitly materialized. */
export interface Shared extends Base { readonly kind: 'shared'; readonly id: number; readonly input: RelNode; readonly materialize: boolean }

export type RelNode = Scan | Values | Range | Filter | Project | Aggregate | Sort | Limit | Distinct | Join | Union | MvExpand | Shared;

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
export const limit = (input: RelNode, count: ScalarExpr): Limit => ({ kind: 'limit', input, count, columns: input.columns });
export const distinct = (input: RelNode): Distinct => ({ kind: 'distinct', input, columns: input.columns });
export const join = (joinKind: JoinKind, left: RelNode, right: RelNode, leftKeys: readonly ScalarExpr[], rightKeys: readonly ScalarExpr[], outputs: readonly JoinOutput[]): Join =>
  ({ kind: 'join', joinKind, left, right, leftKeys, rightKeys, outputs, columns: outputs.map(o => ({ name: o.name, type: o.type })) });
export const union = (inputs: readonly RelNode[], columns: readonly ColumnDef[]): Union => ({ kind: 'union', inputs, columns });
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
