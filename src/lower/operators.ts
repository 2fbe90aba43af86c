// Query operators: each takes the lowered input and returns the lowered output. Output column names
// and types come from the binder, so Kusto's naming rules (Column1, count_, print_0...) hold.
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import { kustoType } from '../schema/kusto-types.js';
import { toArray } from '../kql/kusto-language.js';
import { call, column, containsWindow, literal, type ScalarExpr } from '../ir/scalar.js';
import {
  aggregate, distinct, filter, limit, project, shared, sort, values,
  type NamedExpr, type RelNode, type SortKey,
} from '../ir/relational.js';
import { elements, kindName, namedParameters, type Expression, nodeText } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { asBool, lowerScalar, type RowScope } from './scalar.js';
import { lowerSummarize } from './aggregates.js';
import { lowerJoin, lowerLookup } from './join.js';
import { lowerUnion } from './union.js';
import { lowerMvExpand } from './mv-expand.js';
import { lowerParse } from './parse.js';
import { expandUserFunction } from './user-functions.js';
import { convert } from './convert.js';
import { lowerTopNested } from './top-nested.js';
import { lowerMakeSeries } from './make-series.js';
import { lowerEvaluate } from './evaluate.js';
import { lowerMvApply } from './mv-apply.js';
import { lowerPartition } from './partition-operator.js';
import { lowerScan } from './scan.js';
import { lowerParseKv } from './parse-kv.js';
import { lowerFind, lowerSearch } from './search.js';
import { lowerGraphMarkComponents, lowerGraphMatch, lowerGraphToTable, lowerMakeGraph } from './graph.js';
import { hasRestart, withRestartSegments } from './window-restart.js';

type Operator = Kusto.Language.Syntax.QueryOperator;

export function lowerOperator(ctx: LowerContext, input: RelNode | undefined, node: Operator): RelNode {
  const kind = kindName(node);
  const need = (): RelNode => {
    if (!input) throw ctx.error(node, `${kind} needs an input table`);
    return input;
  };
  switch (kind) {
    case 'FilterOperator': {
      const rel = need();
      const cond = asBool(ctx, lowerScalar(ctx, (node as Kusto.Language.Syntax.FilterOperator).Condition!, { columns: rel.columns }));
      if (!containsWindow(cond)) return filter(rel, cond);
      // A condition over the serialized rows (row_number(), prev()...): computed first, then tested.
      const flag = `__where${++tupleIds}`;
      const marked = projectRows(rel, [...rel.columns.map(c => ({ name: c.name, expr: column(c.name, c.type) as ScalarExpr })), { name: flag, expr: cond }]);
      return project(filter(marked, column(flag, 'bool')), rel.columns.map(c => ({ name: c.name, expr: column(c.name, c.type) })));
    }
    case 'ExtendOperator':
      return lowerExtend(ctx, need(), node, elements<Expression>((node as Kusto.Language.Syntax.ExtendOperator).Expressions));
    case 'ProjectOperator':
      return lowerProject(ctx, need(), node, elements<Expression>((node as Kusto.Language.Syntax.ProjectOperator).Expressions));
    case 'ProjectAwayOperator':
    case 'ProjectKeepOperator':
    case 'ProjectReorderOperator':
      return selectBinderColumns(ctx, need(), node, new Map());
    case 'ProjectByNamesOperator':
      // The binder resolves the names (constants, wildcards, column_names_of) to columns; names
      // that match no column are ignored, as Kusto does.
      return selectBinderColumns(ctx, need(), node, new Map());
    case 'ProjectRenameOperator': {
      const renames = new Map<string, string>();
      for (const e of elements<Expression>((node as Kusto.Language.Syntax.ProjectRenameOperator).Expressions)) {
        if (kindName(e) !== 'SimpleNamedExpression') continue;
        const n = e as Kusto.Language.Syntax.SimpleNamedExpression;
        const source = lowerScalar(ctx, n.Expression!, { columns: need().columns });
        if (source.kind === 'column') renames.set(n.Name!.SimpleName!, source.name);
      }
      return selectBinderColumns(ctx, need(), node, renames);
    }
    case 'SummarizeOperator': {
      const s = node as Kusto.Language.Syntax.SummarizeOperator;
      const keys = elements<Expression>(s.ByClause?.Expressions);
      return lowerSummarize(ctx, need(), node, keys, elements<Expression>(s.Aggregates));
    }
    case 'CountOperator': {
      const out = tableColumns(ctx, node)[0]!;
      return aggregate(need(), [], [{ fn: 'count', args: [], outputs: [out] }]);
    }
    case 'SortOperator': {
      const rel = need();
      return sort(rel, sortKeys(ctx, rel, elements<Expression>((node as Kusto.Language.Syntax.SortOperator).Expressions)));
    }
    case 'TopOperator': {
      const t = node as Kusto.Language.Syntax.TopOperator;
      const rel = need();
      const count = lowerScalar(ctx, t.Expression!, { columns: [] });
      return limit(sort(rel, sortKeys(ctx, rel, [t.ByExpression!])), count);
    }
    case 'TakeOperator': {
      const count = lowerScalar(ctx, (node as Kusto.Language.Syntax.TakeOperator).Expression!, { columns: [] });
      return limit(need(), count);
    }
    case 'DistinctOperator': {
      const rel = need();
      const exprs = elements<Expression>((node as Kusto.Language.Syntax.DistinctOperator).Expressions);
      if (exprs.length === 1 && kindName(exprs[0]!) === 'StarExpression') return distinct(rel);
      return distinct(lowerProject(ctx, rel, node, exprs));
    }
    case 'JoinOperator':
      return lowerJoin(ctx, need(), node as Kusto.Language.Syntax.JoinOperator);
    case 'LookupOperator':
      return lowerLookup(ctx, need(), node as Kusto.Language.Syntax.LookupOperator);
    case 'UnionOperator':
      return lowerUnion(ctx, input, node as Kusto.Language.Syntax.UnionOperator);
    case 'MvExpandOperator':
      return lowerMvExpand(ctx, need(), node as Kusto.Language.Syntax.MvExpandOperator);
    case 'MvApplyOperator':
      return lowerMvApply(ctx, need(), node as Kusto.Language.Syntax.MvApplyOperator);
    case 'MakeGraphOperator':
      return lowerMakeGraph(ctx, need(), node as Kusto.Language.Syntax.MakeGraphOperator);
    case 'GraphMatchOperator':
      return lowerGraphMatch(ctx, input, node as Kusto.Language.Syntax.GraphMatchOperator, false);
    case 'GraphShortestPathsOperator':
      return lowerGraphMatch(ctx, input, node as Kusto.Language.Syntax.GraphShortestPathsOperator, true);
    case 'GraphMarkComponentsOperator':
      return lowerGraphMarkComponents(ctx, input, node as Kusto.Language.Syntax.GraphMarkComponentsOperator);
    case 'GraphToTableOperator':
      return lowerGraphToTable(ctx, input, node as Kusto.Language.Syntax.GraphToTableOperator);
    case 'SearchOperator':
      return lowerSearch(ctx, input, node as Kusto.Language.Syntax.SearchOperator);
    case 'FindOperator':
      return lowerFind(ctx, node as Kusto.Language.Syntax.FindOperator);
    case 'ParseKvOperator':
      return lowerParseKv(ctx, need(), node as Kusto.Language.Syntax.ParseKvOperator);
    case 'ScanOperator':
      return lowerScan(ctx, need(), node as Kusto.Language.Syntax.ScanOperator);
    case 'PartitionOperator':
      return lowerPartition(ctx, need(), node as Kusto.Language.Syntax.PartitionOperator);
    case 'ParseOperator':
    case 'ParseWhereOperator':
      return lowerParse(ctx, need(), node as Kusto.Language.Syntax.ParseOperator, kind === 'ParseWhereOperator');
    case 'SerializeOperator': {
      const exprs = elements<Expression>((node as Kusto.Language.Syntax.SerializeOperator).Expressions);
      return exprs.length ? lowerExtend(ctx, need(), node, exprs) : need();
    }
    case 'AsOperator': {
      // `as Name` names the rows for the rest of the query (as a let would).
      const rel = shared(need(), false);
      const declared = (node as Kusto.Language.Syntax.AsOperator).Name!;
      const name = declared.SimpleName ?? '';
      const binding = { name, node: node as unknown as Expression, frame: ctx.frame, value: { kind: 'tabular' as const, rel } };
      if (declared.ReferencedSymbol) ctx.frame.lets.set(declared.ReferencedSymbol, binding);
      ctx.frame.letsByName.set(name, binding);
      return rel;
    }
    case 'SampleDistinctOperator': {
      const sd = node as Kusto.Language.Syntax.SampleDistinctOperator;
      const rel = need();
      const out = tableColumns(ctx, node)[0]!;
      const value = lowerScalar(ctx, sd.OfExpression!, { columns: rel.columns });
      const count = lowerScalar(ctx, sd.Expression!, { columns: [] });
      return limit(distinct(project(rel, [{ name: out.name, expr: value.type === out.type ? value : convert(value, out.type) }])), count);
    }
    case 'TopHittersOperator': {
      // Exact counts (or sums) stand in for Kusto's approximation.
      const th = node as Kusto.Language.Syntax.TopHittersOperator;
      const rel = need();
      const [key, measure] = tableColumns(ctx, node) as [ColumnDef, ColumnDef];
      const scope = { columns: rel.columns };
      const value = lowerScalar(ctx, th.OfExpression!, scope);
      const by = th.ByClause?.Expression ? lowerScalar(ctx, th.ByClause.Expression, scope) : undefined;
      const grouped = aggregate(rel, [{ name: key.name, expr: value.type === key.type ? value : convert(value, key.type) }], [
        by ? { fn: 'sum', args: [by], outputs: [measure] } : { fn: 'count', args: [], outputs: [measure] },
      ]);
      const count = lowerScalar(ctx, th.Expression!, { columns: [] });
      return limit(sort(grouped, [{ expr: column(measure.name, measure.type), descending: true, nullsFirst: false }]), count);
    }
    case 'RenderOperator':
    case 'ConsumeOperator':
    case 'ExecuteAndCacheOperator':
      // Presentation and caching hints: the rows are unchanged (render is kept by the query front end).
      return need();
    case 'InvokeOperator': {
      const fn = (node as Kusto.Language.Syntax.InvokeOperator).Function!;
      if (kindName(fn) !== 'FunctionCallExpression') throw ctx.unsupported(node, 'invoke of this expression');
      const result = expandUserFunction(ctx, fn as Kusto.Language.Syntax.FunctionCallExpression, { columns: need().columns }, need());
      if (result.kind !== 'tabular') throw ctx.error(node, 'invoke needs a function that returns a table');
      return result.rel;
    }
    case 'GetSchemaOperator':
      return getSchema(need());
    case 'SampleOperator': {
      const count = lowerScalar(ctx, (node as Kusto.Language.Syntax.SampleOperator).Expression!, { columns: [] });
      return limit(need(), count);
    }
    case 'TopNestedOperator':
      return lowerTopNested(ctx, need(), node as Kusto.Language.Syntax.TopNestedOperator);
    case 'MakeSeriesOperator':
      return lowerMakeSeries(ctx, need(), node as Kusto.Language.Syntax.MakeSeriesOperator);
    case 'EvaluateOperator':
      return lowerEvaluate(ctx, input, node as Kusto.Language.Syntax.EvaluateOperator);
    default:
      throw ctx.unsupported(node, `the operator '${operatorName(node)}'`);
  }
}

function operatorName(node: Operator): string {
  const text = nodeText(node);
  const m = /^[a-z-]+/i.exec(text);
  return m ? m[0] : kindName(node);
}

/** The name Kusto gives an unnamed expression that is a plain column (or path) reference. */
function isNamed(e: Expression): e is Kusto.Language.Syntax.SimpleNamedExpression {
  return kindName(e) === 'SimpleNamedExpression';
}

/** A tuple-valued expression (series_stats(x), or `(a, b) = f(x)`): one value per output column. */
interface TupleValue {
  readonly value: ScalarExpr;
  readonly names: string[];
  readonly types: KustoType[];
}

let tupleIds = 0;

function tupleOf(ctx: LowerContext, e: Expression, scope: RowScope): TupleValue | undefined {
  let inner = e;
  let renames: string[] = [];
  if (kindName(e) === 'CompoundNamedExpression') {
    const c = e as Kusto.Language.Syntax.CompoundNamedExpression;
    renames = elements<Kusto.Language.Syntax.NameDeclaration>(c.Names?.Names).map(n => n.SimpleName ?? '');
    inner = c.Expression!;
  }
  const t = inner.ResultType as unknown as { Columns?: unknown } | null;
  if (!t || !t.Columns) return undefined;
  const cols = toArray((t as Kusto.Language.Symbols.TupleSymbol).Columns as never) as Kusto.Language.Symbols.ColumnSymbol[];
  const names = cols.map((c, i) => renames[i] ?? c.Name ?? `Column${i + 1}`);
  const types = cols.map(c => kustoType(c.Type?.Name ?? '') ?? 'dynamic');
  return { value: lowerScalar(ctx, inner, scope), names, types };
}

/** Computes each tuple once, in a hidden column, and returns the input with those columns. */
function withTuples(input: RelNode, tuples: TupleValue[]): { rel: RelNode; parts: Map<string, ScalarExpr> } {
  const parts = new Map<string, ScalarExpr>();
  if (tuples.length === 0) return { rel: input, parts };
  const exprs: NamedExpr[] = input.columns.map(c => ({ name: c.name, expr: column(c.name, c.type) }));
  for (const t of tuples) {
    const hidden = `__tuple${++tupleIds}`;
    exprs.push({ name: hidden, expr: t.value });
    t.names.forEach((n, i) => {
      const v = call('dyn_get', [column(hidden, 'dynamic'), literal(BigInt(i), 'long')], 'dynamic');
      parts.set(n, t.types[i] === 'dynamic' ? v : convert(v, t.types[i]!));
    });
  }
  return { rel: project(input, exprs), parts };
}

export function lowerExtend(ctx: LowerContext, input: RelNode, node: Operator, exprs: Expression[]): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const inputNames = new Set(input.columns.map(c => c.name));
  const newNames = out.filter(c => !inputNames.has(c.name)).map(c => c.name);
  const assigned = new Map<string, ScalarExpr>();
  const tuples: TupleValue[] = [];
  let unnamed = 0;
  for (const e of exprs) {
    const tuple = tupleOf(ctx, e, scope);
    if (tuple) {
      tuples.push(tuple);
      for (const n of tuple.names) assigned.set(n, column(n, 'dynamic'));
      continue;
    }
    const value = lowerScalar(ctx, e, scope);
    let name: string | undefined;
    if (isNamed(e)) name = e.Name!.SimpleName!;
    else if (value.kind === 'column' && kindName(e) === 'NameReference') name = value.name;
    else name = newNames.filter(n => !assigned.has(n))[unnamed++] ?? undefined;
    if (!name) throw ctx.error(e, 'cannot name this extend expression');
    assigned.set(name, value);
  }
  const { rel, parts } = withTuples(input, tuples);
  for (const [n, v] of parts) assigned.set(n, v);
  // A column the binder expects but the input lacks (a binder-only column such as scan's match_id) is left out.
  const named: NamedExpr[] = out.filter(c => assigned.has(c.name) || input.columns.some(x => x.name === c.name)).map(c => {
    const v = assigned.get(c.name);
    return { name: c.name, expr: v ? (v.type === c.type ? v : convert(v, c.type)) : column(c.name, c.type) };
  });
  // Input columns the binder does not know (the data-driven columns of bag_unpack or pivot) stay,
  // before the new ones, as extend keeps every input column.
  const known = new Set(out.map(c => c.name));
  const unknown = input.columns.filter(c => !known.has(c.name) && !c.name.startsWith('__'));
  if (unknown.length) {
    const firstNew = named.findIndex(n => !inputNames.has(n.name));
    const carried = unknown.map(c => ({ name: c.name, expr: column(c.name, c.type) as ScalarExpr }));
    named.splice(firstNew < 0 ? named.length : firstNew, 0, ...carried);
  }
  return projectRows(rel, named);
}

/** A projection whose window functions may restart: their segments are computed first. */
function projectRows(rel: RelNode, exprs: NamedExpr[]): RelNode {
  if (!hasRestart(exprs)) return project(rel, exprs);
  const staged = withRestartSegments(rel, exprs);
  return project(staged.rel, staged.exprs);
}

export function lowerProject(ctx: LowerContext, input: RelNode, node: Operator, exprs: Expression[]): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const values: ScalarExpr[] = [];
  const tuples: TupleValue[] = [];
  const pending: (ScalarExpr | string)[] = [];
  for (const e of exprs) {
    const tuple = tupleOf(ctx, e, scope);
    if (tuple) {
      tuples.push(tuple);
      pending.push(...tuple.names);
    } else {
      pending.push(lowerScalar(ctx, e, scope));
    }
  }
  if (pending.length !== out.length) {
    throw ctx.error(node, `internal: ${pending.length} expressions for ${out.length} output columns`, 'CH900');
  }
  const { rel, parts } = withTuples(input, tuples);
  for (const p of pending) values.push(typeof p === 'string' ? parts.get(p)! : p);
  return projectRows(rel, values.map((v, i) => {
    const c = out[i]!;
    return { name: c.name, expr: v.type === c.type ? v : convert(v, c.type) };
  }));
}

/** project-away, project-keep, project-reorder, project-rename: the binder's columns, by name. */
function selectBinderColumns(ctx: LowerContext, input: RelNode, node: Operator, renames: Map<string, string>): RelNode {
  const out = tableColumns(ctx, node).filter(c => input.columns.some(x => x.name === (renames.get(c.name) ?? c.name)));
  return project(input, out.map(c => {
    const source = renames.get(c.name) ?? c.name;
    const col = input.columns.find(x => x.name === source);
    if (!col) throw ctx.error(node, `internal: column ${source} not in the input`, 'CH900');
    return { name: c.name, expr: column(col.name, col.type) };
  }));
}

/** Kusto sorts descending by default; nulls come first ascending and last descending. */
export function sortKeys(ctx: LowerContext, input: RelNode, exprs: Expression[]): SortKey[] {
  const scope: RowScope = { columns: input.columns };
  return exprs.map(e => {
    let inner: Expression = e;
    let descending = true;
    let nullsFirst: boolean | undefined;
    if (kindName(e) === 'OrderedExpression') {
      const o = e as Kusto.Language.Syntax.OrderedExpression;
      inner = o.Expression!;
      const dir = o.Ordering?.AscOrDescKeyword?.Text?.toLowerCase();
      if (dir === 'asc') descending = false;
      const nulls = o.Ordering?.NullsClause?.FirstOrLastKeyword?.Text?.toLowerCase();
      if (nulls) nullsFirst = nulls === 'first';
    }
    const expr = lowerScalar(ctx, inner, scope);
    return { expr: expr.type === 'dynamic' ? convert(expr, 'string') : expr, descending, nullsFirst: nullsFirst ?? !descending };
  });
}

function getSchema(input: RelNode): RelNode {
  const DOTNET: Record<string, string> = {
    bool: 'System.SByte', int: 'System.Int32', long: 'System.Int64', real: 'System.Double', decimal: 'System.Data.SqlTypes.SqlDecimal',
    string: 'System.String', datetime: 'System.DateTime', timespan: 'System.TimeSpan', dynamic: 'System.Object', guid: 'System.Guid',
  };
  const columns: ColumnDef[] = [
    { name: 'ColumnName', type: 'string' }, { name: 'ColumnOrdinal', type: 'int' },
    { name: 'DataType', type: 'string' }, { name: 'ColumnType', type: 'string' },
  ];
  return values(columns, input.columns.map((c, i) => [
    literal(c.name, 'string'), literal(BigInt(i), 'int'), literal(DOTNET[c.type]!, 'string'), literal(c.type, 'string'),
  ]));
}

export { call, containsWindow, namedParameters };
