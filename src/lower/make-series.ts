// make-series: per group, an array per aggregate over the bins of an axis (from/to/step, or
// `in range(start, stop, step)`); bins without rows get the aggregate's default (0 unless given).
// Output columns (group keys, series, axis) and their names come from the binder.
import type { KustoType } from '../schema/kusto-types.js';
import { isNumeric } from '../schema/kusto-types.js';
import { literal, nullOf, type ScalarExpr } from '../ir/scalar.js';
import type { MakeSeries, NamedExpr, RelNode, SeriesAggregation } from '../ir/relational.js';
import { elements, kindName, namedParameters, parameterText, type Expression } from '../kql/syntax.js';
import { scalarType, tableColumns, type LowerContext } from './context.js';
import { lowerScalar, EMPTY_SCOPE, type RowScope } from './scalar.js';
import { lowerAggregateCall } from './aggregates.js';
import { convert } from './convert.js';

function unwrapNamed(node: Expression): Expression {
  let e = node;
  while (kindName(e) === 'SimpleNamedExpression') e = (e as Kusto.Language.Syntax.SimpleNamedExpression).Expression!;
  return e;
}

function zeroOf(type: KustoType): ScalarExpr {
  switch (type) {
    case 'int':
    case 'long':
    case 'timespan':
      return literal(0n, type);
    case 'real':
      return literal(0, 'real');
    case 'decimal':
      return literal('0', 'decimal');
    default:
      return nullOf(type);
  }
}

export function lowerMakeSeries(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.MakeSeriesOperator): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const params = namedParameters(node.Parameters);
  const nonEmpty = (parameterText(params.get('kind')) ?? '').toLowerCase() === 'nonempty';

  const keyNodes = elements<Expression>(node.ByClause?.Expressions);
  const keys: NamedExpr[] = keyNodes.map((k, i) => {
    const c = out[i]!;
    const v = lowerScalar(ctx, unwrapNamed(k), scope);
    return { name: c.name, expr: v.type === c.type ? v : convert(v, c.type) };
  });
  const keyNames = new Set(keys.map(k => k.name));

  const aggNodes = elements<Kusto.Language.Syntax.MakeSeriesExpression>(node.Aggregates);
  const series: SeriesAggregation[] = aggNodes.map((a, i) => {
    const c = out[keys.length + i]!;
    const call = unwrapNamed(a.Expression!);
    if (kindName(call) !== 'FunctionCallExpression') throw ctx.error(call, 'make-series needs an aggregate function here');
    const elementType = scalarType(ctx, call);
    const aggregation = lowerAggregateCall(ctx, call as Kusto.Language.Syntax.FunctionCallExpression, scope, [{ name: c.name, type: elementType }], keyNames);
    const dflt = a.DefaultExpression?.Expression;
    let defaultValue: ScalarExpr = isNumeric(elementType) || elementType === 'timespan' ? zeroOf(elementType) : nullOf(elementType);
    if (dflt) {
      const v = lowerScalar(ctx, dflt, EMPTY_SCOPE);
      defaultValue = v.type === elementType ? v : convert(v, elementType);
    }
    return { aggregation, defaultValue };
  });

  const axisColumn = out[out.length - 1]!;
  const axis = lowerScalar(ctx, node.OnClause!.Expression!, scope);
  let start: ScalarExpr | undefined;
  let end: ScalarExpr | undefined;
  let step: ScalarExpr | undefined;
  const range = node.RangeClause;
  if (range && kindName(range) === 'MakeSeriesInRangeClause') {
    const args = elements<Expression>((range as Kusto.Language.Syntax.MakeSeriesInRangeClause).Arguments?.Expressions);
    [start, end, step] = args.map(e => lowerScalar(ctx, e, EMPTY_SCOPE));
  } else if (range) {
    const r = range as Kusto.Language.Syntax.MakeSeriesFromToStepClause;
    const from = r.MakeSeriesFromClause?.Expression;
    const to = r.MakeSeriesToClause?.Expression;
    const by = r.MakeSeriesStepClause?.Expression;
    if (from) start = lowerScalar(ctx, from, EMPTY_SCOPE);
    if (to) end = lowerScalar(ctx, to, EMPTY_SCOPE);
    if (by) step = lowerScalar(ctx, by, EMPTY_SCOPE);
  }
  if (!step) throw ctx.error(node, 'make-series needs a step');
  if (start && start.type !== axis.type) start = convert(start, axis.type);
  if (end && end.type !== axis.type) end = convert(end, axis.type);
  if (axis.type === 'datetime' && step.type !== 'timespan') step = convert(step, 'timespan');

  const plan: MakeSeries = {
    kind: 'make-series', input, keys, axis, axisName: axisColumn.name, start, end, step, series, nonEmpty, columns: out,
  };
  return plan;
}
