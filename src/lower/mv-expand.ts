// mv-expand: one output row per element of a dynamic array (or property of a bag); several columns
// expand in parallel, the shorter padded with nulls, as Kusto does.
import { literal } from '../ir/scalar.js';
import { mvExpand, type MvExpansion, type RelNode } from '../ir/relational.js';
import { elements, kindName, namedParameters, parameterText, type Expression } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { lowerScalar } from './scalar.js';
import { convert } from './convert.js';

export function lowerMvExpand(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.MvExpandOperator): RelNode {
  const params = namedParameters(node.Parameters);
  const bagExpansion = (parameterText(params.get('kind')) ?? parameterText(params.get('bagexpansion')) ?? 'bag').toLowerCase() === 'array' ? 'array' : 'bag';
  const indexColumn = parameterText(params.get('with_itemindex'));
  const out = tableColumns(ctx, node);
  const scope = { columns: input.columns };
  const inputNames = new Set(input.columns.map(c => c.name));
  const unnamed = out.filter(c => !inputNames.has(c.name) && c.name !== indexColumn).map(c => c.name);
  const expansions: MvExpansion[] = elements<Kusto.Language.Syntax.MvExpandExpression>(node.Expressions).map(mv => {
    const e = mv.Expression! as Expression;
    let name: string;
    let sourceNode: Expression = e;
    if (kindName(e) === 'SimpleNamedExpression') {
      const n = e as Kusto.Language.Syntax.SimpleNamedExpression;
      name = n.Name!.SimpleName!;
      sourceNode = n.Expression!;
    } else {
      const v = lowerScalar(ctx, e, scope);
      if (v.kind === 'column') name = v.name;
      else {
        // The binder names an unnamed expression (e.g. a path x.y becomes x_y).
        const next = unnamed.shift();
        if (!next) throw ctx.error(e, 'mv-expand of an expression needs a name: Name = expression');
        name = next;
      }
    }
    const source = convert(lowerScalar(ctx, sourceNode, scope), 'dynamic');
    const type = out.find(c => c.name === name)?.type ?? 'dynamic';
    return { name, source, type };
  });
  const limitNode = node.RowLimitClause?.RowLimit;
  let rowLimit: number | undefined;
  if (limitNode) {
    const v = lowerScalar(ctx, limitNode, { columns: [] });
    if (v.kind !== 'literal' || v.value === null) throw ctx.error(limitNode, 'mv-expand limit must be a constant');
    rowLimit = Number(v.value);
  }
  const rel = mvExpand(input, expansions, bagExpansion, indexColumn, rowLimit);
  const got = rel.columns.map(c => c.name).join(',');
  const want = out.map(c => c.name).join(',');
  if (got !== want) throw ctx.error(node, `internal: mv-expand columns ${got} differ from ${want}`, 'CH900');
  return rel;
}

export { literal };
