// summarize (and count): group keys, aggregate calls, and expressions over aggregates.
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import { call, column, literal, type ScalarExpr } from '../ir/scalar.js';
import { aggregate, project, type Aggregation, type NamedExpr, type RelNode } from '../ir/relational.js';
import { elements, kindName, type Expression } from '../kql/syntax.js';
import { scalarType, tableColumns, type LowerContext } from './context.js';
import { asBool, lowerScalar, type RowScope } from './scalar.js';
import { convert } from './convert.js';
import { canonicalName, callArguments } from './functions.js';

/** Aggregates chainhunt compiles, by canonical name. */
export const AGGREGATE_NAMES = new Set([
  'count', 'countif', 'dcount', 'dcountif', 'sum', 'sumif', 'avg', 'avgif', 'min', 'minif', 'max', 'maxif',
  'any', 'anyif', 'arg_max', 'arg_min', 'make_set', 'make_set_if', 'make_list', 'make_list_if', 'make_list_with_nulls',
  'make_bag', 'make_bag_if', 'percentile', 'percentiles', 'percentiles_array', 'percentilew', 'percentilesw', 'percentilesw_array',
  'stdev', 'stdevif', 'stdevp', 'variance', 'varianceif', 'variancep', 'variancepif',
  'binary_all_and', 'binary_all_or', 'binary_all_xor', 'hll', 'hll_if', 'hll_merge', 'tdigest', 'tdigest_merge', 'merge_tdigest',
  'buildschema', 'covariance', 'covarianceif', 'covariancep', 'covariancepif', 'count_distinct', 'count_distinctif',
]);

let hiddenId = 0;
const hiddenName = () => `__agg${++hiddenId}`;

function isAggregateCall(node: Expression): node is Kusto.Language.Syntax.FunctionCallExpression {
  if (kindName(node) !== 'FunctionCallExpression') return false;
  const name = canonicalName((node as Kusto.Language.Syntax.FunctionCallExpression).Name?.SimpleName ?? '');
  return AGGREGATE_NAMES.has(name);
}

function unwrapNamed(node: Expression): Expression {
  let e = node;
  while (kindName(e) === 'SimpleNamedExpression' || kindName(e) === 'CompoundNamedExpression') {
    e = (e as Kusto.Language.Syntax.SimpleNamedExpression).Expression!;
  }
  return e;
}

/** How many output columns an aggregate expression produces, given the group keys. */
function outputCount(ctx: LowerContext, node: Expression, scope: RowScope, keyNames: Set<string>): number {
  const e = unwrapNamed(node);
  if (!isAggregateCall(e)) return 1;
  const name = canonicalName(e.Name?.SimpleName ?? '');
  const args = callArguments(e);
  switch (name) {
    case 'arg_max':
    case 'arg_min':
      return argExtremeSources(ctx, args, scope, keyNames).length;
    case 'percentiles':
    case 'percentilesw':
      return Math.max(1, args.length - (name === 'percentilesw' ? 2 : 1));
    case 'any':
    case 'anyif': {
      if (args.length === 1 && kindName(args[0]!) === 'StarExpression') return scope.columns.filter(c => !keyNames.has(c.name)).length;
      return name === 'anyif' ? 1 : args.length;
    }
    default:
      return 1;
  }
}

/** The value expressions an arg_max/arg_min returns, first the maximized expression itself. */
function argExtremeSources(ctx: LowerContext, args: Expression[], scope: RowScope, keyNames: Set<string>): { name?: string; expr: ScalarExpr }[] {
  const sources: { name?: string; expr: ScalarExpr }[] = [];
  const by = lowerScalar(ctx, unwrapNamed(args[0]!), scope);
  sources.push({ expr: by });
  const byName = by.kind === 'column' ? by.name : undefined;
  for (const a of args.slice(1)) {
    if (kindName(a) === 'StarExpression') {
      for (const c of scope.columns) {
        if (keyNames.has(c.name) || c.name === byName) continue;
        sources.push({ name: c.name, expr: column(c.name, c.type) });
      }
    } else {
      sources.push({ expr: lowerScalar(ctx, unwrapNamed(a), scope) });
    }
  }
  return sources;
}

export function lowerAggregateCall(ctx: LowerContext, node: Kusto.Language.Syntax.FunctionCallExpression, scope: RowScope, outputs: ColumnDef[], keyNames: Set<string>): Aggregation {
  const name = canonicalName(node.Name?.SimpleName ?? '');
  const args = callArguments(node);
  const span = ctx.spanOf(node);
  const lower = (e: Expression) => lowerScalar(ctx, unwrapNamed(e), scope);
  switch (name) {
    case 'count':
      return { fn: 'count', args: [], outputs, span };
    case 'arg_max':
    case 'arg_min':
      return { fn: name, args: argExtremeSources(ctx, args, scope, keyNames).map(s => s.expr), outputs, span };
    case 'any':
      if (args.length === 1 && kindName(args[0]!) === 'StarExpression') {
        return { fn: 'any', args: scope.columns.filter(c => !keyNames.has(c.name)).map(c => column(c.name, c.type)), outputs, span };
      }
      return { fn: 'any', args: args.map(lower), outputs, span };
    case 'countif':
      return { fn: 'countif', args: [asBool(ctx, lower(args[0]!))], outputs, span };
    case 'percentiles':
      return { fn: 'percentiles', args: args.map(lower), outputs, span };
    default: {
      let lowered = args.map(lower);
      if (['sumif', 'avgif', 'minif', 'maxif', 'dcountif', 'stdevif', 'varianceif', 'make_set_if', 'make_list_if', 'make_bag_if', 'anyif', 'hll_if', 'covarianceif', 'covariancepif', 'count_distinctif', 'variancepif'].includes(name)) {
        const condIndex = name === 'covarianceif' || name === 'covariancepif' ? 2 : 1;
        lowered = lowered.map((a, i) => (i === condIndex ? asBool(ctx, a) : a));
      }
      if (['dcount', 'dcountif', 'count_distinct', 'count_distinctif'].includes(name)) {
        // The accuracy argument of dcount changes nothing here: chainhunt counts exactly.
        lowered = name.endsWith('if') ? lowered.slice(0, 2) : lowered.slice(0, 1);
      }
      if ((name === 'sum' || name === 'avg' || name === 'sumif' || name === 'avgif' || name.startsWith('stdev') || name.startsWith('variance')) && lowered[0]!.type === 'dynamic') {
        lowered[0] = convert(lowered[0]!, 'real');
      }
      return { fn: name, args: lowered, outputs, span };
    }
  }
}

/**
 * Lowers aggregate expressions. Each one is either a bare aggregate call, or an expression over
 * aggregates (`count() * 2`, `dcount(x) / count()`), computed in a projection after grouping.
 */
export function lowerSummarize(
  ctx: LowerContext,
  input: RelNode,
  node: Expression,
  keyNodes: Expression[],
  aggNodes: Expression[],
): RelNode {
  const scope: RowScope = { columns: input.columns };
  const outColumns = tableColumns(ctx, node);
  const keys: NamedExpr[] = keyNodes.map((k, i) => {
    const out = outColumns[i]!;
    let expr = lowerScalar(ctx, unwrapNamed(k), scope);
    if (expr.type !== out.type) expr = convert(expr, out.type);
    return { name: out.name, expr };
  });
  const keyNames = new Set(keys.map(k => k.name));
  const sourceKeyNames = new Set(keyNodes.map(k => {
    const e = lowerScalar(ctx, unwrapNamed(k), scope);
    return e.kind === 'column' ? e.name : '';
  }));
  for (const k of keyNames) sourceKeyNames.add(k);

  const counts = aggNodes.map(a => outputCount(ctx, a, scope, sourceKeyNames));
  const total = counts.reduce((a, b) => a + b, 0);
  if (keys.length + total !== outColumns.length) {
    throw ctx.error(node, `internal: summarize produces ${outColumns.length} columns but chainhunt derived ${keys.length + total}`, 'CH900');
  }
  const aggregations: Aggregation[] = [];
  const finals: NamedExpr[] = keys.map(k => ({ name: k.name, expr: column(k.name, k.expr.type) }));
  let needsProjection = false;
  let pos = keys.length;
  aggNodes.forEach((a, i) => {
    const outs = outColumns.slice(pos, pos + counts[i]!);
    pos += counts[i]!;
    const e = unwrapNamed(a);
    if (isAggregateCall(e)) {
      aggregations.push(lowerAggregateCall(ctx, e, scope, outs, sourceKeyNames));
      for (const o of outs) finals.push({ name: o.name, expr: column(o.name, o.type) });
      return;
    }
    // An expression over aggregates: each aggregate inside gets a hidden column.
    needsProjection = true;
    const out = outs[0]!;
    const expr = lowerOverAggregates(ctx, e, scope, aggregations, sourceKeyNames);
    finals.push({ name: out.name, expr: expr.type === out.type ? expr : convert(expr, out.type) });
  });
  const grouped = aggregate(input, keys, aggregations);
  return needsProjection ? project(grouped, finals) : grouped;
}

/** Lowers an expression whose leaves may be aggregate calls, collecting those into `aggregations`. */
function lowerOverAggregates(ctx: LowerContext, node: Expression, scope: RowScope, aggregations: Aggregation[], keyNames: Set<string>): ScalarExpr {
  const found = new Map<Expression, string>();
  const collect = (n: Kusto.Language.Syntax.SyntaxNode) => {
    if (!n || n.IsToken) return;
    if (isAggregateCall(n as Expression)) {
      const name = hiddenName();
      const type: KustoType = scalarType(ctx, n as Expression);
      aggregations.push(lowerAggregateCall(ctx, n as Kusto.Language.Syntax.FunctionCallExpression, scope, [{ name, type }], keyNames));
      found.set(n as Expression, name);
      return;
    }
    for (let i = 0; i < n.ChildCount; i++) collect(n.GetChild(i) as Kusto.Language.Syntax.SyntaxNode);
  };
  collect(node);
  // The outer expression sees only the aggregate results (and the group keys) as columns.
  const hiddenColumns: ColumnDef[] = [...found.values()].map(name => {
    const agg = aggregations.find(a => a.outputs[0]!.name === name)!;
    return agg.outputs[0]!;
  });
  return substituteAggregates(ctx, node, found, { columns: [...scope.columns, ...hiddenColumns] });
}

function substituteAggregates(ctx: LowerContext, node: Expression, found: Map<Expression, string>, scope: RowScope): ScalarExpr {
  // Re-lower the expression with the aggregate calls replaced by references to their hidden columns.
  const replacement = new Map<unknown, ScalarExpr>();
  for (const [n, name] of found) replacement.set(n, column(name, scope.columns.find(c => c.name === name)!.type));
  const saved = ctx.replacements;
  ctx.replacements = replacement;
  try {
    return lowerScalar(ctx, node, scope);
  } finally {
    ctx.replacements = saved;
  }
}

export { call, literal, elements };
