// mv-apply: each input row's arrays are expanded into a small table, the subquery runs on that
// table alone, and its rows are joined back to the row's other columns. Compiled as one
// mv-expand over numbered rows, the subquery partitioned by the row number, and a join back.
import type { ColumnDef } from '../schema/kusto-types.js';
import { column } from '../ir/scalar.js';
import { join, mvExpand, window, type JoinOutput, type RelNode } from '../ir/relational.js';
import { elements, namedParameters, parameterText, type Expression } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { expansionsOf, rowLimitOf } from './mv-expand.js';
import { lowerSubquery } from './tabular.js';
import { partitionPlan, PartitionRewriteError } from './partition.js';

let applyIds = 0;

export function lowerMvApply(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.MvApplyOperator): RelNode {
  const params = namedParameters(node.Parameters);
  const indexColumn = parameterText(params.get('with_itemindex'));
  const out = tableColumns(ctx, node);
  const rid: ColumnDef = { name: `__rid${++applyIds}`, type: 'long' };
  const numbered = window(input, [], input.kind === 'sort' ? input.keys : [], [{ name: rid.name, type: 'long', fn: 'row_number', args: [] }]);
  const items = elements<Kusto.Language.Syntax.MvApplyExpression>(node.Expressions).map(e => ({ expression: e.Expression! as Expression, toTypeOf: e.ToTypeOf }));
  const expansions = expansionsOf(ctx, numbered, items, undefined, indexColumn);
  const expanded = mvExpand(numbered, expansions, 'bag', indexColumn, rowLimitOf(ctx, node.RowLimitClause?.RowLimit));
  const subquery = node.Subquery?.Expression;
  if (!subquery) throw ctx.error(node, 'mv-apply needs a subquery: on (...)');
  const result = lowerSubquery(ctx, subquery, expanded);
  let perRow: RelNode;
  try {
    perRow = partitionPlan(result, expanded, [rid]);
  } catch (e) {
    if (e instanceof PartitionRewriteError) throw ctx.unsupported(node, `mv-apply with ${e.message}`);
    throw e;
  }
  // Columns of the subquery's result come from it; the row's other columns from the input row.
  const fromSubquery = new Set(perRow.columns.map(c => c.name));
  const outputs: JoinOutput[] = out.map(c => ({
    name: c.name, type: c.type, side: fromSubquery.has(c.name) ? 'left' : 'right', source: c.name,
  }));
  for (const o of outputs) {
    const side = o.side === 'left' ? perRow : numbered;
    if (!side.columns.some(c => c.name === o.source)) throw ctx.error(node, `internal: mv-apply output ${o.name} has no source`, 'CH900');
  }
  return join('inner', perRow, numbered, [column(rid.name, 'long')], [column(rid.name, 'long')], outputs);
}
