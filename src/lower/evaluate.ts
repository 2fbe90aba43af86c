// evaluate plugins.
import type { RelNode } from '../ir/relational.js';
import type { LowerContext } from './context.js';

export function lowerEvaluate(ctx: LowerContext, _input: RelNode | undefined, node: Kusto.Language.Syntax.EvaluateOperator): RelNode {
  const name = node.FunctionCall?.Name?.SimpleName ?? '?';
  throw ctx.unsupported(node, `the plugin 'evaluate ${name}'`);
}
