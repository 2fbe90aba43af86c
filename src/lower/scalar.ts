// Lowering of bound Kusto scalar expressions to IR scalar expressions.
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import { isNumeric } from '../schema/kusto-types.js';
import { arith, call, column, literal, type ScalarExpr } from '../ir/scalar.js';
import { elements, kindName, type Expression, nodeText } from '../kql/syntax.js';
import { scalarType, type LowerContext } from './context.js';
import { literalValue, LiteralSyntaxError } from './literals.js';
import { jsonText } from './dynamic-literal.js';
import { lowerFunctionCall } from './functions.js';
import { resolveName } from './names.js';
import { lowerTabular } from './tabular.js';
import { convert } from './convert.js';

/** The row an expression is evaluated against: its columns (and, in a join condition, both sides). */
export interface RowScope {
  readonly columns: readonly ColumnDef[];
}

export const EMPTY_SCOPE: RowScope = { columns: [] };

const COMPARISONS: Record<string, string> = {
  LessThanExpression: 'lt',
  LessThanOrEqualExpression: 'le',
  GreaterThanExpression: 'gt',
  GreaterThanOrEqualExpression: 'ge',
  EqualExpression: 'eq',
  NotEqualExpression: 'ne',
};

const ARITHMETIC: Record<string, string> = {
  AddExpression: 'add',
  SubtractExpression: 'sub',
  MultiplyExpression: 'mul',
  DivideExpression: 'div',
  ModuloExpression: 'mod',
};

/** String predicates: syntax kind → [IR function, negated]. */
const STRING_PREDICATES: Record<string, [string, boolean]> = {
  EqualTildeExpression: ['eq_ci', false],
  BangTildeExpression: ['eq_ci', true],
  HasExpression: ['has', false],
  NotHasExpression: ['has', true],
  HasCsExpression: ['has_cs', false],
  NotHasCsExpression: ['has_cs', true],
  HasPrefixExpression: ['hasprefix', false],
  NotHasPrefixExpression: ['hasprefix', true],
  HasPrefixCsExpression: ['hasprefix_cs', false],
  NotHasPrefixCsExpression: ['hasprefix_cs', true],
  HasSuffixExpression: ['hassuffix', false],
  NotHasSuffixExpression: ['hassuffix', true],
  HasSuffixCsExpression: ['hassuffix_cs', false],
  NotHasSuffixCsExpression: ['hassuffix_cs', true],
  ContainsExpression: ['contains', false],
  NotContainsExpression: ['contains', true],
  ContainsCsExpression: ['contains_cs', false],
  NotContainsCsExpression: ['contains_cs', true],
  StartsWithExpression: ['startswith', false],
  NotStartsWithExpression: ['startswith', true],
  StartsWithCsExpression: ['startswith_cs', false],
  NotStartsWithCsExpression: ['startswith_cs', true],
  EndsWithExpression: ['endswith', false],
  NotEndsWithExpression: ['endswith', true],
  EndsWithCsExpression: ['endswith_cs', false],
  NotEndsWithCsExpression: ['endswith_cs', true],
  LikeExpression: ['like', false],
  NotLikeExpression: ['like', true],
  LikeCsExpression: ['like_cs', false],
  NotLikeCsExpression: ['like_cs', true],
  MatchesRegexExpression: ['matches_regex', false],
};

/** in / in~ / !in / !in~ : syntax kind → [IR function, negated]. Kusto.Language names `in~` InCs. */
const IN_PREDICATES: Record<string, [string, boolean]> = {
  InExpression: ['in', false],
  NotInExpression: ['in', true],
  InCsExpression: ['in_ci', false],
  NotInCsExpression: ['in_ci', true],
};

export const not = (e: ScalarExpr): ScalarExpr => call('not', [e], 'bool');

export function lowerScalar(ctx: LowerContext, node: Expression, scope: RowScope): ScalarExpr {
  const replaced = ctx.replacements?.get(node);
  if (replaced) return replaced;
  const kind = kindName(node);
  switch (kind) {
    case 'ParenthesizedExpression':
      return lowerScalar(ctx, (node as Kusto.Language.Syntax.ParenthesizedExpression).Expression!, scope);
    case 'BracketedExpression':
      return lowerScalar(ctx, (node as Kusto.Language.Syntax.BracketedExpression).Expression!, scope);
    case 'SimpleNamedExpression':
      return lowerScalar(ctx, (node as Kusto.Language.Syntax.SimpleNamedExpression).Expression!, scope);
    case 'NameReference':
      return resolveName(ctx, node as Kusto.Language.Syntax.NameReference, scope);
    case 'DynamicExpression':
      return literal(jsonText(ctx, (node as Kusto.Language.Syntax.DynamicExpression).Expression!), 'dynamic');
    case 'CompoundStringLiteralExpression':
    case 'StringLiteralExpression':
      return literal(String(node.ConstantValue ?? node.LiteralValue ?? ''), 'string');
    case 'NullLiteralExpression':
      return literal(null, 'dynamic');
    case 'BooleanLiteralExpression':
    case 'IntLiteralExpression':
    case 'LongLiteralExpression':
    case 'RealLiteralExpression':
    case 'DecimalLiteralExpression':
    case 'DateTimeLiteralExpression':
    case 'TimespanLiteralExpression':
    case 'GuidLiteralExpression':
    case 'TokenLiteralExpression':
      return lowerLiteral(ctx, node);
    case 'UnaryMinusExpression': {
      const operand = lowerScalar(ctx, (node as Kusto.Language.Syntax.PrefixUnaryExpression).Expression!, scope);
      if (operand.kind === 'literal' && operand.value !== null && typeof operand.value !== 'string' && typeof operand.value !== 'boolean') {
        return literal(-operand.value as number | bigint, operand.type);
      }
      return call('neg', [operand], scalarType(ctx, node));
    }
    case 'UnaryPlusExpression':
      return lowerScalar(ctx, (node as Kusto.Language.Syntax.PrefixUnaryExpression).Expression!, scope);
    case 'AndExpression':
    case 'OrExpression': {
      const b = node as Kusto.Language.Syntax.BinaryExpression;
      const fn = kind === 'AndExpression' ? 'and' : 'or';
      return call(fn, [asBool(ctx, lowerScalar(ctx, b.Left!, scope)), asBool(ctx, lowerScalar(ctx, b.Right!, scope))], 'bool');
    }
    case 'FunctionCallExpression':
      return lowerFunctionCall(ctx, node as Kusto.Language.Syntax.FunctionCallExpression, scope);
    case 'PathExpression':
      return lowerPath(ctx, node as Kusto.Language.Syntax.PathExpression, scope);
    case 'ElementExpression': {
      const el = node as Kusto.Language.Syntax.ElementExpression;
      const base = lowerScalar(ctx, el.Expression!, scope);
      const key = lowerScalar(ctx, el.Selector!, scope);
      return call('dyn_get', [convert(base, 'dynamic'), key], 'dynamic');
    }
    case 'ToScalarExpression': {
      const ts = node as Kusto.Language.Syntax.ToScalarExpression;
      const input = lowerTabular(ctx, ts.Expression!);
      const type = input.columns[0]?.type ?? 'dynamic';
      return { kind: 'scalar-subquery', input, type };
    }
    case 'BetweenExpression':
    case 'NotBetweenExpression':
      return lowerBetween(ctx, node as Kusto.Language.Syntax.BetweenExpression, scope, kind === 'NotBetweenExpression');
    case 'HasAnyExpression':
    case 'HasAllExpression':
      return lowerHasAnyAll(ctx, node as Kusto.Language.Syntax.HasAnyExpression, scope, kind === 'HasAnyExpression' ? 'has_any' : 'has_all');
    default:
      break;
  }
  if (kind in COMPARISONS) {
    const b = node as Kusto.Language.Syntax.BinaryExpression;
    const [l, r] = comparable(lowerScalar(ctx, b.Left!, scope), lowerScalar(ctx, b.Right!, scope));
    return call(COMPARISONS[kind]!, [l, r], 'bool');
  }
  if (kind in ARITHMETIC) {
    const b = node as Kusto.Language.Syntax.BinaryExpression;
    const type = scalarType(ctx, node);
    let l = lowerScalar(ctx, b.Left!, scope);
    let r = lowerScalar(ctx, b.Right!, scope);
    if (l.type === 'dynamic' && type !== 'dynamic') l = convert(l, isNumeric(type) ? type : 'real');
    if (r.type === 'dynamic' && type !== 'dynamic') r = convert(r, isNumeric(type) ? type : 'real');
    const fn = ARITHMETIC[kind]!;
    return fn === 'add' || fn === 'sub' ? arith(fn, [l, r], type) : call(fn, [l, r], type);
  }
  if (kind in STRING_PREDICATES) {
    const [fn, negated] = STRING_PREDICATES[kind]!;
    const b = node as Kusto.Language.Syntax.BinaryExpression;
    const l = convert(lowerScalar(ctx, b.Left!, scope), 'string');
    const r = convert(lowerScalar(ctx, b.Right!, scope), 'string');
    const e = call(fn, [l, r], 'bool', ctx.spanOf(node));
    return negated ? not(e) : e;
  }
  if (kind in IN_PREDICATES) {
    const [fn, negated] = IN_PREDICATES[kind]!;
    const e = lowerIn(ctx, node as Kusto.Language.Syntax.InExpression, scope, fn as 'in' | 'in_ci');
    return negated ? not(e) : e;
  }
  throw ctx.unsupported(node, `the expression ${describe(node)}`);
}

function describe(node: Expression): string {
  const text = nodeText(node).replace(/\s+/g, ' ');
  return `'${text.length > 60 ? text.slice(0, 57) + '...' : text}' (${kindName(node)})`;
}

export function lowerLiteral(ctx: LowerContext, node: Expression): ScalarExpr {
  const type = scalarType(ctx, node);
  if (type === 'string') return literal(String(node.LiteralValue ?? ''), 'string');
  const token = (node as Kusto.Language.Syntax.LiteralExpression).Token?.Text ?? nodeText(node);
  try {
    return literal(literalValue(type, token), type);
  } catch (e) {
    if (e instanceof LiteralSyntaxError) throw ctx.error(node, e.message, 'CH102');
    throw e;
  }
}

/** Kusto compares a dynamic value with a typed one by converting the dynamic side. */
export function comparable(l: ScalarExpr, r: ScalarExpr): [ScalarExpr, ScalarExpr] {
  if (l.type === 'dynamic' && r.type !== 'dynamic') return [convert(l, r.type), r];
  if (r.type === 'dynamic' && l.type !== 'dynamic') return [l, convert(r, l.type)];
  return [l, r];
}

export function asBool(_ctx: LowerContext, e: ScalarExpr): ScalarExpr {
  return e.type === 'bool' ? e : convert(e, 'bool');
}

function lowerPath(ctx: LowerContext, node: Kusto.Language.Syntax.PathExpression, scope: RowScope): ScalarExpr {
  const selector = node.Selector!;
  const key = selectorName(selector);
  const base = lowerScalar(ctx, node.Expression!, scope);
  return call('dyn_get', [convert(base, 'dynamic'), literal(key, 'string')], 'dynamic');
}

/** The member name of `x.name` or `x.['name']`. */
export function selectorName(selector: Expression): string {
  const named = selector as Kusto.Language.Syntax.NameReference;
  if (named.SimpleName) return named.SimpleName;
  const text = nodeText(selector);
  const bracket = /^\[\s*(['"])([\s\S]*)\1\s*\]$/.exec(text);
  return bracket ? bracket[2]! : text;
}

function lowerBetween(ctx: LowerContext, node: Kusto.Language.Syntax.BetweenExpression, scope: RowScope, negated: boolean): ScalarExpr {
  let value = lowerScalar(ctx, node.Left!, scope);
  let low = lowerScalar(ctx, node.Right!.First!, scope);
  let high = lowerScalar(ctx, node.Right!.Second!, scope);
  // datetime between (start .. 1d) means up to start + 1d
  if ((value.type === 'datetime' || low.type === 'datetime') && high.type === 'timespan') high = arith('add', [low, high], 'datetime');
  if (value.type === 'dynamic') value = convert(value, low.type === 'dynamic' ? 'real' : low.type);
  if (low.type === 'dynamic') low = convert(low, value.type);
  if (high.type === 'dynamic') high = convert(high, value.type);
  const e = call('between', [value, low, high], 'bool');
  return negated ? not(e) : e;
}

/** The right-hand side of in / has_any: a list of scalars, dynamic arrays, or one tabular expression. */
function setOperands(ctx: LowerContext, list: Kusto.Language.Syntax.ExpressionList, scope: RowScope):
  { kind: 'scalars'; values: ScalarExpr[] } | { kind: 'table'; input: ReturnType<typeof lowerTabular> } {
  const exprs = elements<Expression>(list.Expressions);
  if (exprs.length === 1) {
    const only = exprs[0]!;
    const t = only.ResultType as unknown as { Columns?: unknown } | null;
    if (t && t.Columns) return { kind: 'table', input: lowerTabular(ctx, only) };
  }
  return { kind: 'scalars', values: exprs.map(e => lowerScalar(ctx, e, scope)) };
}

function lowerIn(ctx: LowerContext, node: Kusto.Language.Syntax.InExpression, scope: RowScope, fn: 'in' | 'in_ci'): ScalarExpr {
  let operand = lowerScalar(ctx, node.Left!, scope);
  const rhs = setOperands(ctx, node.Right!, scope);
  if (rhs.kind === 'table') {
    const keyType = rhs.input.columns[0]?.type ?? 'string';
    if (operand.type === 'dynamic' && keyType !== 'dynamic') operand = convert(operand, keyType);
    return { kind: 'set-predicate', op: fn, operand, input: rhs.input, type: 'bool' };
  }
  const scalars = rhs.values.filter(v => v.type !== 'dynamic');
  const arrays = rhs.values.filter(v => v.type === 'dynamic');
  if (operand.type === 'dynamic') {
    const target: KustoType = scalars[0]?.type ?? 'string';
    operand = convert(operand, target);
  }
  const parts: ScalarExpr[] = [];
  if (scalars.length > 0) {
    const typed = scalars.map(v => (v.type === operand.type || bothNumeric(v.type, operand.type) ? v : convert(v, operand.type)));
    parts.push(call(fn, [operand, ...typed], 'bool', ctx.spanOf(node)));
  }
  for (const arr of arrays) parts.push(call(fn === 'in' ? 'in_array' : 'in_array_ci', [operand, arr], 'bool', ctx.spanOf(node)));
  if (parts.length === 0) return literal(false, 'bool');
  return parts.reduce((a, b) => call('or', [a, b], 'bool'));
}

function bothNumeric(a: KustoType, b: KustoType): boolean {
  return isNumeric(a) && isNumeric(b);
}

function lowerHasAnyAll(ctx: LowerContext, node: Kusto.Language.Syntax.HasAnyExpression, scope: RowScope, fn: 'has_any' | 'has_all'): ScalarExpr {
  const operand = convert(lowerScalar(ctx, node.Left!, scope), 'string');
  const rhs = setOperands(ctx, node.Right!, scope);
  if (rhs.kind === 'table') return { kind: 'set-predicate', op: fn, operand, input: rhs.input, type: 'bool' };
  const scalars = rhs.values.filter(v => v.type !== 'dynamic').map(v => convert(v, 'string'));
  const arrays = rhs.values.filter(v => v.type === 'dynamic');
  const parts: ScalarExpr[] = [];
  if (scalars.length > 0) parts.push(call(fn, [operand, ...scalars], 'bool', ctx.spanOf(node)));
  for (const arr of arrays) parts.push(call(`${fn}_array`, [operand, arr], 'bool', ctx.spanOf(node)));
  if (parts.length === 0) return literal(fn === 'has_all', 'bool');
  return parts.reduce((a, b) => call(fn === 'has_any' ? 'or' : 'and', [a, b], 'bool'));
}

export { column };
