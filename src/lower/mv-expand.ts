// mv-expand: one output row per element of a dynamic array (or property of a bag); several columns
// expand in parallel, the shorter padded with nulls, as Kusto does.
import type { KustoType } from '../schema/kusto-types.js';
import { kustoType } from '../schema/kusto-types.js';
import { literal } from '../ir/scalar.js';
import { mvExpand, type MvExpansion, type RelNode } from '../ir/relational.js';
import { elements, kindName, namedParameters, parameterText, type Expression } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { lowerScalar } from './scalar.js';
import { convert } from './convert.js';

interface ExpandItem {
  readonly expression: Expression;
  readonly toTypeOf?: Kusto.Language.Syntax.ToTypeOfClause | null;
}

/** The first column a function call's arguments refer to: `mv-expand parse_json(Col)` expands into Col. */
function firstColumnReference(e: Kusto.Language.Syntax.SyntaxNode): string | undefined {
  if (kindName(e) === 'NameReference') {
    const n = e as Kusto.Language.Syntax.NameReference;
    const sym = n.ReferencedSymbol as unknown as { constructor?: { $$name?: string } } | null;
    if ((sym?.constructor?.$$name ?? '').endsWith('ColumnSymbol')) return n.SimpleName ?? undefined;
  }
  for (let i = 0; i < e.ChildCount; i++) {
    const child = e.GetChild(i) as Kusto.Language.Syntax.SyntaxNode | null;
    if (child && !child.IsToken) {
      const found = firstColumnReference(child);
      if (found) return found;
    }
  }
  return undefined;
}

function typeOfClause(clause: Kusto.Language.Syntax.ToTypeOfClause | null | undefined): KustoType | undefined {
  const t = clause?.TypeOf;
  if (!t) return undefined;
  const first = elements<Expression>(t.Types)[0];
  const name = (first?.ReferencedSymbol as { Name?: string } | null)?.Name ?? (first ? String(first.toString()).trim() : '');
  return kustoType(name) ?? undefined;
}

/**
 * The expansions of mv-expand / mv-apply. `out` is the binder's output schema of the expanded rows
 * when known (mv-expand); it names unnamed expressions and gives their types.
 */
export function expansionsOf(ctx: LowerContext, input: RelNode, items: ExpandItem[], out: { name: string; type: KustoType }[] | undefined, indexColumn?: string): MvExpansion[] {
  const scope = { columns: input.columns };
  const inputNames = new Set(input.columns.map(c => c.name));
  const unnamed = (out ?? []).filter(c => !inputNames.has(c.name) && c.name !== indexColumn).map(c => c.name);
  const used = new Set<string>();
  return items.map(({ expression: e, toTypeOf }) => {
    let name: string | undefined;
    let sourceNode: Expression = e;
    let declared: KustoType | undefined;
    if (kindName(e) === 'SimpleNamedExpression') {
      const n = e as Kusto.Language.Syntax.SimpleNamedExpression;
      name = n.Name!.SimpleName!;
      sourceNode = n.Expression!;
      declared = kustoType((n.Name!.ResultType as { Name?: string } | null)?.Name ?? '') ?? undefined;
    } else {
      const v = lowerScalar(ctx, e, scope);
      if (v.kind === 'column') name = v.name;
      // The binder names other unnamed expressions (a path x.y becomes x_y) when it adds a column...
      else name = unnamed.shift();
      // ...and `mv-expand parse_json(Col)` expands into Col itself.
      if (!name && kindName(e) === 'FunctionCallExpression') {
        const ref = firstColumnReference(e);
        if (ref && !used.has(ref)) name = ref;
      }
      if (!name) throw ctx.error(e, 'mv-expand of an expression needs a name: Name = expression');
    }
    used.add(name);
    const source = convert(lowerScalar(ctx, sourceNode, scope), 'dynamic');
    const type = typeOfClause(toTypeOf) ?? out?.find(c => c.name === name)?.type ?? declared ?? 'dynamic';
    return { name, source, type };
  });
}

export function rowLimitOf(ctx: LowerContext, limitNode: Expression | null | undefined): number | undefined {
  if (!limitNode) return undefined;
  const v = lowerScalar(ctx, limitNode, { columns: [] });
  if (v.kind !== 'literal' || v.value === null) throw ctx.error(limitNode, 'the row limit must be a constant');
  return Number(v.value);
}

export function lowerMvExpand(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.MvExpandOperator): RelNode {
  const params = namedParameters(node.Parameters);
  const bagExpansion = (parameterText(params.get('kind')) ?? parameterText(params.get('bagexpansion')) ?? 'bag').toLowerCase() === 'array' ? 'array' : 'bag';
  const indexColumn = parameterText(params.get('with_itemindex'));
  const out = tableColumns(ctx, node);
  const items = elements<Kusto.Language.Syntax.MvExpandExpression>(node.Expressions).map(mv => ({ expression: mv.Expression! as Expression, toTypeOf: mv.ToTypeOf }));
  const expansions = expansionsOf(ctx, input, items, out, indexColumn);
  const rel = mvExpand(input, expansions, bagExpansion, indexColumn, rowLimitOf(ctx, node.RowLimitClause?.RowLimit));
  // The input may carry hidden columns (the row ids of mv-apply): only the binder's must be there.
  const got = rel.columns.map(c => c.name).filter(n => !n.startsWith('__'));
  const missing = out.filter(c => !got.includes(c.name)).map(c => c.name);
  if (missing.length) throw ctx.error(node, `internal: mv-expand lacks the columns ${missing.join(', ')}`, 'CH900');
  return rel;
}

export { literal };
