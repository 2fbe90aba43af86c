// top-nested: not compiled yet; refused with a clear message naming the operator and its position.
import type { RelNode } from '../ir/relational.js';
import type { LowerContext } from './context.js';

export function lowerTopNested(ctx: LowerContext, _input: RelNode, node: Kusto.Language.Syntax.TopNestedOperator): RelNode {
  throw ctx.unsupported(node, "the operator 'top-nested'");
}
