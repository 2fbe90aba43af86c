// top-nested: a hierarchy of top-N groups. Level i groups by the first i `of` expressions, keeps
// the N best groups (by its aggregate) within each surviving group of level i-1, and carries the
// values of the levels above. Compiled as one aggregate per level, joined to the level above and
// ranked with a window function.
import { call, column, literal, type ScalarExpr } from '../ir/scalar.js';
import {
  aggregate, filter, join, project, sort, window, type JoinOutput, type NamedExpr, type RelNode, type SortKey,
} from '../ir/relational.js';
import { elements, kindName, type Expression } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { lowerScalar, EMPTY_SCOPE, type RowScope } from './scalar.js';
import { lowerAggregateCall } from './aggregates.js';
import { convert } from './convert.js';

let levelIds = 0;

function unwrapNamed(node: Expression): Expression {
  let e = node;
  while (kindName(e) === 'SimpleNamedExpression') e = (e as Kusto.Language.Syntax.SimpleNamedExpression).Expression!;
  return e;
}

export function lowerTopNested(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.TopNestedOperator): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const clauses = elements<Kusto.Language.Syntax.TopNestedClause>(node.Clauses);
  if (out.length !== clauses.length * 2) throw ctx.error(node, `internal: top-nested has ${out.length} columns for ${clauses.length} levels`, 'CH900');
  const keys: NamedExpr[] = [];
  const aggColumns: { name: string; type: ScalarExpr['type']; descending: boolean }[] = [];
  let previous: RelNode | undefined;
  clauses.forEach((clause, i) => {
    if (clause.WithOthersClause) throw ctx.unsupported(clause.WithOthersClause, 'top-nested with others');
    const keyCol = out[2 * i]!;
    const aggCol = out[2 * i + 1]!;
    const of = lowerScalar(ctx, unwrapNamed(clause.OfExpression!), scope);
    keys.push({ name: keyCol.name, expr: of.type === keyCol.type ? of : convert(of, keyCol.type) });
    let by: Expression = clause.ByExpression!;
    let descending = true;
    if (kindName(by) === 'OrderedExpression') {
      const o = by as Kusto.Language.Syntax.OrderedExpression;
      descending = o.Ordering?.AscOrDescKeyword?.Text?.toLowerCase() !== 'asc';
      by = o.Expression!;
    }
    const aggNode = unwrapNamed(by);
    if (kindName(aggNode) !== 'FunctionCallExpression') throw ctx.error(aggNode, 'top-nested needs an aggregate after by');
    const agg = lowerAggregateCall(ctx, aggNode as Kusto.Language.Syntax.FunctionCallExpression, scope, [aggCol], new Set());
    aggColumns.push({ name: aggCol.name, type: aggCol.type, descending });
    const grouped = aggregate(input, keys.map(k => ({ ...k })), [agg]);
    let level: RelNode = grouped;
    const parentKeys = keys.slice(0, i).map(k => column(k.name, k.expr.type));
    if (previous) {
      const outputs: JoinOutput[] = [
        ...keys.map(k => ({ name: k.name, type: k.expr.type, side: 'left' as const, source: k.name })),
        { name: aggCol.name, type: aggCol.type, side: 'left', source: aggCol.name },
        ...aggColumns.slice(0, i).map(a => ({ name: a.name, type: a.type, side: 'right' as const, source: a.name })),
      ];
      level = { ...join('inner', grouped, previous, parentKeys, parentKeys, outputs), nullSafe: true };
    }
    const rank = `__rank${++levelIds}`;
    const order: SortKey = { expr: column(aggCol.name, aggCol.type), descending, nullsFirst: !descending };
    let kept: RelNode = window(level, parentKeys, [order], [{ name: rank, type: 'long', fn: 'row_number', args: [] }]);
    if (clause.Expression) {
      const n = lowerScalar(ctx, clause.Expression, EMPTY_SCOPE);
      kept = filter(kept, call('le', [column(rank, 'long'), convert(n, 'long')], 'bool'));
    }
    previous = project(kept, out.slice(0, 2 * i + 2).map(c => ({ name: c.name, expr: column(c.name, c.type) })));
  });
  // Kusto lists each level's groups together, best first.
  const order: SortKey[] = [];
  keys.forEach((k, i) => {
    const a = aggColumns[i]!;
    order.push({ expr: column(a.name, a.type), descending: a.descending, nullsFirst: !a.descending });
    order.push({ expr: column(k.name, k.expr.type), descending: false, nullsFirst: true });
  });
  return sort(previous!, order);
}

export { literal };
