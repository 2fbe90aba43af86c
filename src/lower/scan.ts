// scan: a state machine over the rows in their serialized order (the order of a preceding sort),
// matching steps and extending matched rows with declared columns. `step.Column` references are
// lowered to state values (stateRef) that the SQL compiler keeps across rows.
import type { ColumnDef } from '../schema/kusto-types.js';
import { column, nullOf, type ScalarExpr } from '../ir/scalar.js';
import { stateRef, type NamedExpr, type RelNode, type ScanStepDef, type SequenceScan, type SortKey } from '../ir/relational.js';
import { elements, items, kindName, namedParameters, parameterText, nodeText, type Expression, type SyntaxNode } from '../kql/syntax.js';
import { scalarType, tableColumns, type LowerContext } from './context.js';
import { asBool, lowerScalar, EMPTY_SCOPE, type RowScope } from './scalar.js';
import { convert } from './convert.js';
import { sortKeys } from './operators.js';

export function lowerScan(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.ScanOperator): RelNode {
  const out = tableColumns(ctx, node);
  const params = namedParameters(node.Parameters);
  const matchIdColumn = parameterText(params.get('with_match_id'));
  const declared: NamedExpr[] = elements<Kusto.Language.Syntax.FunctionParameter>(node.DeclareClause?.Declarations).map(p => {
    const name = p.NameAndType!.Name!.SimpleName!;
    const type = out.find(c => c.name === name)?.type ?? 'dynamic';
    const dv = p.DefaultValue?.Value;
    const value = dv ? lowerScalar(ctx, dv, EMPTY_SCOPE) : nullOf(type);
    return { name, expr: value.type === type ? value : convert(value, type) };
  });
  const steps = items<Kusto.Language.Syntax.ScanStep>(node.Steps);
  const stepIndex = new Map(steps.map((s, i) => [s.Name!.SimpleName!, i]));
  const refs = new Map<string, [number, string]>();
  const replacements = new Map<unknown, ScalarExpr>();
  // Find every `step.Column` in the conditions and assignments.
  const collect = (n: SyntaxNode) => {
    if (!n || n.IsToken) return;
    if (kindName(n) === 'PathExpression') {
      const p = n as Kusto.Language.Syntax.PathExpression;
      const base = p.Expression;
      if (base && kindName(base) === 'NameReference') {
        const stepName = (base as Kusto.Language.Syntax.NameReference).SimpleName ?? '';
        const index = stepIndex.get(stepName);
        if (index !== undefined) {
          const col = nodeText(p.Selector!).replace(/^\[['"]|['"]\]$/g, '');
          const name = stateRef(index, col);
          refs.set(name, [index, col]);
          replacements.set(n, column(name, scalarType(ctx, p)));
          return;
        }
      }
    }
    for (let i = 0; i < n.ChildCount; i++) collect(n.GetChild(i) as SyntaxNode);
  };
  for (const s of steps) {
    if (s.Condition) collect(s.Condition);
    for (const a of elements<Kusto.Language.Syntax.ScanAssignment>(s.ComputationClause?.Assignments)) collect(a.Expression!);
  }
  const scope: RowScope = { columns: [...input.columns, ...declared.map(d => ({ name: d.name, type: d.expr.type }))] };
  const saved = ctx.replacements;
  ctx.replacements = new Map([...(saved ?? new Map()), ...replacements]);
  let defs: ScanStepDef[];
  try {
    defs = steps.map(s => {
      const outputText = s.ScanStepOutput ? nodeText(s.ScanStepOutput).toLowerCase() : '';
      const output = outputText.includes('none') ? 'none' : outputText.includes('last') ? 'last' : 'all';
      const condition = asBool(ctx, lowerScalar(ctx, s.Condition!, scope));
      const assignments = elements<Kusto.Language.Syntax.ScanAssignment>(s.ComputationClause?.Assignments).map(a => {
        const name = a.Name!.SimpleName!;
        const target = declared.find(d => d.name === name);
        if (!target) throw ctx.error(a, `scan can only assign declared columns; '${name}' is not declared`);
        const v = lowerScalar(ctx, a.Expression! as Expression, scope);
        return { name, expr: v.type === target.expr.type ? v : convert(v, target.expr.type) };
      });
      return { name: s.Name!.SimpleName!, condition, assignments, output };
    });
  } finally {
    ctx.replacements = saved;
  }
  // scan's own `order by` sorts ascending unless told otherwise.
  const orderBy: SortKey[] = elements<Expression>(node.OrderByClause?.Expressions).map(e => {
    const key = sortKeys(ctx, input, [e])[0]!;
    return kindName(e) === 'OrderedExpression' && (e as Kusto.Language.Syntax.OrderedExpression).Ordering?.AscOrDescKeyword ? key : { ...key, descending: false, nullsFirst: true };
  });
  const partitionBy = elements<Expression>(node.PartitionByClause?.Expressions).map(e => lowerScalar(ctx, e, { columns: input.columns }));
  // Kusto.Language always adds match_id; Kusto outputs it only when with_match_id names it.
  const columns: ColumnDef[] = matchIdColumn ? out : out.filter(c => c.name !== 'match_id' || input.columns.some(x => x.name === 'match_id'));
  const plan: SequenceScan = {
    kind: 'sequence-scan', input, partitionBy, orderBy, declared, steps: defs, stateRefs: [...refs.values()], matchIdColumn, columns,
  };
  return plan;
}
