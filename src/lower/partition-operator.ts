// partition: the subquery runs separately on the rows of each value of the partition column, and
// the results are unioned. Compiled as one plan over all rows, partitioned by the key.
import { column } from '../ir/scalar.js';
import { project, type RelNode } from '../ir/relational.js';
import { kindName } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { lowerScalar } from './scalar.js';
import { lowerSubquery } from './tabular.js';
import { partitionPlan, PartitionRewriteError } from './partition.js';

export function lowerPartition(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.PartitionOperator): RelNode {
  const out = tableColumns(ctx, node);
  const key = lowerScalar(ctx, node.ByExpression!, { columns: input.columns });
  if (key.kind !== 'column') throw ctx.error(node.ByExpression, 'partition by needs a column');
  const operand = node.Operand;
  if (!operand || kindName(operand) !== 'PartitionSubquery') throw ctx.unsupported(node, 'this form of partition (use partition by Column ( subquery ))');
  const subquery = (operand as Kusto.Language.Syntax.PartitionSubquery).Subquery!;
  const result = lowerSubquery(ctx, subquery, input);
  let plan: RelNode;
  try {
    plan = partitionPlan(result, input, [{ name: key.name, type: key.type }]);
  } catch (e) {
    if (e instanceof PartitionRewriteError) throw ctx.unsupported(node, `partition with ${e.message}`);
    throw e;
  }
  return project(plan, out.filter(c => c.name !== 'match_id' || plan.columns.some(x => x.name === c.name)).map(c => {
    const src = plan.columns.find(x => x.name === c.name);
    if (!src) throw ctx.error(node, `internal: partition output ${c.name} is missing`, 'CH900');
    return { name: c.name, expr: column(src.name, src.type) };
  }));
}
