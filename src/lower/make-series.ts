// make-series: not compiled yet; refused with a clear message naming the operator and its position.
import type { RelNode } from '../ir/relational.js';
import type { LowerContext } from './context.js';

export function lowerMakeSeries(ctx: LowerContext, _input: RelNode, node: Kusto.Language.Syntax.MakeSeriesOperator): RelNode {
  throw ctx.unsupported(node, "the operator 'make-series'");
}
