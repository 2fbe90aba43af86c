// Query operators: each takes the lowered input and returns the lowered output. Output column names
// and types come from the binder, so Kusto's naming rules (Column1, count_, print_0...) hold.
import type { ColumnDef } from '../schema/kusto-types.js';
import { call, column, containsWindow, literal, type ScalarExpr } from '../ir/scalar.js';
import {
  aggregate, distinct, filter, limit, project, sort, values,
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
      const cond = lowerScalar(ctx, (node as Kusto.Language.Syntax.FilterOperator).Condition!, { columns: rel.columns });
      return filter(rel, asBool(ctx, cond));
    }
    case 'ExtendOperator':
      return lowerExtend(ctx, need(), node, elements<Expression>((node as Kusto.Language.Syntax.ExtendOperator).Expressions));
    case 'ProjectOperator':
      return lowerProject(ctx, need(), node, elements<Expression>((node as Kusto.Language.Syntax.ProjectOperator).Expressions));
    case 'ProjectAwayOperator':
    case 'ProjectKeepOperator':
    case 'ProjectReorderOperator':
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
    case 'ParseOperator':
    case 'ParseWhereOperator':
      return lowerParse(ctx, need(), node as Kusto.Language.Syntax.ParseOperator, kind === 'ParseWhereOperator');
    case 'SerializeOperator': {
      const exprs = elements<Expression>((node as Kusto.Language.Syntax.SerializeOperator).Expressions);
      return exprs.length ? lowerExtend(ctx, need(), node, exprs) : need();
    }
    case 'AsOperator':
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

export function lowerExtend(ctx: LowerContext, input: RelNode, node: Operator, exprs: Expression[]): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const inputNames = new Set(input.columns.map(c => c.name));
  const newNames = out.filter(c => !inputNames.has(c.name)).map(c => c.name);
  const assigned = new Map<string, ScalarExpr>();
  let unnamed = 0;
  for (const e of exprs) {
    if (kindName(e) === 'CompoundNamedExpression') throw ctx.unsupported(e, 'extend with a tuple of names');
    const value = lowerScalar(ctx, e, scope);
    let name: string | undefined;
    if (isNamed(e)) name = e.Name!.SimpleName!;
    else if (value.kind === 'column' && kindName(e) === 'NameReference') name = value.name;
    else name = newNames.filter(n => !assigned.has(n))[unnamed++] ?? undefined;
    if (!name) throw ctx.error(e, 'cannot name this extend expression');
    assigned.set(name, value);
  }
  const named: NamedExpr[] = out.map(c => {
    const v = assigned.get(c.name);
    return { name: c.name, expr: v ? (v.type === c.type ? v : convert(v, c.type)) : column(c.name, c.type) };
  });
  return project(input, named);
}

export function lowerProject(ctx: LowerContext, input: RelNode, node: Operator, exprs: Expression[]): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  if (exprs.length !== out.length) {
    throw ctx.error(node, `internal: ${exprs.length} expressions for ${out.length} output columns`, 'CH900');
  }
  return project(input, exprs.map((e, i) => {
    const v = lowerScalar(ctx, e, scope);
    const c = out[i]!;
    return { name: c.name, expr: v.type === c.type ? v : convert(v, c.type) };
  }));
}

/** project-away, project-keep, project-reorder, project-rename: the binder's columns, by name. */
function selectBinderColumns(ctx: LowerContext, input: RelNode, node: Operator, renames: Map<string, string>): RelNode {
  const out = tableColumns(ctx, node);
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
