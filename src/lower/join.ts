// join and lookup. Kusto's default join kind is innerunique (the left side deduplicated on the
// key); output columns and the renaming of duplicate names (Key1) come from the binder.
import { call, column, type ScalarExpr } from '../ir/scalar.js';
import { join, type JoinKind, type JoinOutput, type RelNode } from '../ir/relational.js';
import { elements, kindName, namedParameters, parameterText, type Expression, nodeText } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { asBool, comparable, lowerScalar, type RowScope } from './scalar.js';
import { lowerTabular } from './tabular.js';

const JOIN_KINDS: Record<string, JoinKind> = {
  innerunique: 'innerunique', inner: 'inner', leftouter: 'leftouter', rightouter: 'rightouter', fullouter: 'fullouter',
  leftanti: 'leftanti', anti: 'leftanti', leftantisemi: 'leftanti', rightanti: 'rightanti', rightantisemi: 'rightanti',
  leftsemi: 'leftsemi', rightsemi: 'rightsemi',
};

interface KeyPair {
  left: ScalarExpr;
  right: ScalarExpr;
}

/** The parts of a join condition: equalities between the sides become keys, the rest a residual condition. */
interface Condition {
  pairs: KeyPair[];
  residual?: ScalarExpr;
  residualColumns?: Map<string, { side: 'left' | 'right'; source: string }>;
}

/** `$left.X` or `$right.Y`: which side, and the expression on that side. */
function sideOf(ctx: LowerContext, e: Expression, left: RowScope, right: RowScope): { side: 'left' | 'right'; expr: ScalarExpr } | undefined {
  if (kindName(e) === 'ParenthesizedExpression') return sideOf(ctx, (e as Kusto.Language.Syntax.ParenthesizedExpression).Expression!, left, right);
  if (kindName(e) !== 'PathExpression') return undefined;
  const p = e as Kusto.Language.Syntax.PathExpression;
  const base = nodeText(p.Expression!).toLowerCase();
  if (base !== '$left' && base !== '$right') return undefined;
  const side = base === '$left' ? 'left' : 'right';
  const scope = side === 'left' ? left : right;
  const name = (p.Selector as Kusto.Language.Syntax.NameReference).SimpleName ?? nodeText(p.Selector!);
  const col = scope.columns.find(c => c.name === name);
  if (!col) throw ctx.error(e, `column '${name}' is not on the ${side} side of the join`);
  return { side, expr: column(col.name, col.type) };
}

function keyPairs(ctx: LowerContext, exprs: Expression[], left: RowScope, right: RowScope, allowResidual = false): Condition {
  const pairs: KeyPair[] = [];
  const residuals: Expression[] = [];
  const visit = (e: Expression) => {
    const k = kindName(e);
    if (k === 'AndExpression') {
      const b = e as Kusto.Language.Syntax.BinaryExpression;
      visit(b.Left!);
      visit(b.Right!);
      return;
    }
    if (k === 'NameReference') {
      const name = (e as Kusto.Language.Syntax.NameReference).SimpleName!;
      const l = left.columns.find(c => c.name === name);
      const r = right.columns.find(c => c.name === name);
      if (!l || !r) throw ctx.error(e, `join key '${name}' must be a column on both sides`);
      const [a, b] = comparable(column(l.name, l.type), column(r.name, r.type));
      pairs.push({ left: a, right: b });
      return;
    }
    if (k === 'EqualExpression') {
      const b = e as Kusto.Language.Syntax.BinaryExpression;
      const x = sideOf(ctx, b.Left!, left, right);
      const y = sideOf(ctx, b.Right!, left, right);
      if (x && y && x.side !== y.side) {
        const l = x.side === 'left' ? x.expr : y.expr;
        const r = x.side === 'left' ? y.expr : x.expr;
        const [a, c] = comparable(l, r);
        pairs.push({ left: a, right: c });
        return;
      }
    }
    if (allowResidual) {
      residuals.push(e);
      return;
    }
    throw ctx.unsupported(e, `the join condition '${nodeText(e)}' (only equality of columns is supported)`);
  };
  for (const e of exprs) visit(e);
  if (residuals.length === 0) return { pairs };
  // Other conditions see $left.X and $right.Y as columns named after their side.
  const residualColumns = new Map<string, { side: 'left' | 'right'; source: string }>();
  const replacements = new Map<unknown, ScalarExpr>();
  const collect = (n: Kusto.Language.Syntax.SyntaxNode) => {
    if (!n || n.IsToken) return;
    const side = kindName(n) === 'PathExpression' ? sideOf(ctx, n as Expression, left, right) : undefined;
    if (side && side.expr.kind === 'column') {
      const name = `__${side.side}_${side.expr.name}`;
      residualColumns.set(name, { side: side.side, source: side.expr.name });
      replacements.set(n, column(name, side.expr.type));
      return;
    }
    for (let i = 0; i < n.ChildCount; i++) collect(n.GetChild(i) as Kusto.Language.Syntax.SyntaxNode);
  };
  residuals.forEach(collect);
  const saved = ctx.replacements;
  ctx.replacements = new Map([...(saved ?? new Map()), ...replacements]);
  try {
    const scope: RowScope = { columns: [...residualColumns].map(([name, ref]) => ({ name, type: (ref.side === 'left' ? left : right).columns.find(c => c.name === ref.source)!.type })) };
    const parts = residuals.map(r => asBool(ctx, lowerScalar(ctx, r, scope)));
    const residual = parts.reduce((a, b) => call('and', [a, b], 'bool'));
    return { pairs, residual, residualColumns };
  } finally {
    ctx.replacements = saved;
  }
}

function conditionExpressions(ctx: LowerContext, clause: Kusto.Language.Syntax.JoinConditionClause | null | undefined): Expression[] {
  if (!clause) throw ctx.error(clause, 'join needs an on clause');
  if (kindName(clause) === 'JoinOnClause') return elements<Expression>((clause as Kusto.Language.Syntax.JoinOnClause).Expressions);
  const where = clause as unknown as { Expression?: Expression };
  if (where.Expression) return [where.Expression];
  throw ctx.unsupported(clause, 'this join condition');
}

function outputsFor(kind: JoinKind, left: RelNode, right: RelNode, out: { name: string; type: JoinOutput['type'] }[]): JoinOutput[] {
  const sides: { side: 'left' | 'right'; source: string }[] = [];
  if (kind !== 'rightsemi' && kind !== 'rightanti') for (const c of left.columns) sides.push({ side: 'left', source: c.name });
  if (kind !== 'leftsemi' && kind !== 'leftanti') for (const c of right.columns) sides.push({ side: 'right', source: c.name });
  return out.map((c, i) => ({ ...c, ...sides[i]! }));
}

export function lowerJoin(ctx: LowerContext, left: RelNode, node: Kusto.Language.Syntax.JoinOperator): RelNode {
  const params = namedParameters(node.Parameters);
  const kindText = (parameterText(params.get('kind')) ?? 'innerunique').toLowerCase();
  const kind = JOIN_KINDS[kindText];
  if (!kind) throw ctx.unsupported(node, `join kind=${kindText}`);
  const right = lowerTabular(ctx, node.Expression!);
  const isWhere = kindName(node.ConditionClause!) === 'JoinWhereClause';
  const cond = keyPairs(ctx, conditionExpressions(ctx, node.ConditionClause), { columns: left.columns }, { columns: right.columns }, isWhere);
  const pairs = cond.pairs;
  const out = tableColumns(ctx, node);
  const expected = (kind.endsWith('semi') || kind.endsWith('anti')) ? (kind.startsWith('left') ? left.columns.length : right.columns.length) : left.columns.length + right.columns.length;
  if (out.length !== expected) throw ctx.error(node, `internal: join produces ${out.length} columns, expected ${expected}`, 'CH900');
  const j = join(kind, left, right, pairs.map(p => p.left), pairs.map(p => p.right), outputsFor(kind, left, right, out));
  return cond.residual ? { ...j, residual: cond.residual, residualColumns: cond.residualColumns } : j;
}

export function lowerLookup(ctx: LowerContext, left: RelNode, node: Kusto.Language.Syntax.LookupOperator): RelNode {
  const params = namedParameters(node.Parameters);
  const kindText = (parameterText(params.get('kind')) ?? 'leftouter').toLowerCase();
  const kind: JoinKind = kindText === 'inner' ? 'inner' : 'leftouter';
  const right = lowerTabular(ctx, node.Expression!);
  const pairs = keyPairs(ctx, conditionExpressions(ctx, node.LookupClause), { columns: left.columns }, { columns: right.columns }).pairs;
  const out = tableColumns(ctx, node);
  // lookup keeps the left columns, then the right columns that are not same-named join keys.
  const keyNames = new Set<string>();
  pairs.forEach(p => {
    if (p.left.kind === 'column' && p.right.kind === 'column' && p.left.name === p.right.name) keyNames.add(p.right.name);
  });
  const sides: { side: 'left' | 'right'; source: string }[] = [
    ...left.columns.map(c => ({ side: 'left' as const, source: c.name })),
    ...right.columns.filter(c => !keyNames.has(c.name)).map(c => ({ side: 'right' as const, source: c.name })),
  ];
  if (sides.length !== out.length) throw ctx.error(node, `internal: lookup produces ${out.length} columns, expected ${sides.length}`, 'CH900');
  return join(kind, left, right, pairs.map(p => p.left), pairs.map(p => p.right), out.map((c, i) => ({ ...c, ...sides[i]! })));
}
