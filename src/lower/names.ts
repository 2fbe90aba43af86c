// Resolution of names in scalar position: columns of the current row, scalar lets, and the
// parameters of the user function being expanded.
import { column, nullOf, type ScalarExpr } from '../ir/scalar.js';
import { scalarType, type Bound, type LetBinding, type LowerContext } from './context.js';
import type { RowScope } from './scalar.js';
import { lowerScalar, EMPTY_SCOPE } from './scalar.js';
import { lowerTabular } from './tabular.js';
import { shared } from '../ir/relational.js';
import { kindName } from '../kql/syntax.js';

export function symbolKind(symbol: unknown): string {
  const name = (symbol as { constructor?: { $$name?: string } } | null)?.constructor?.$$name ?? '';
  return name.slice(name.lastIndexOf('.') + 1);
}

export function resolveName(ctx: LowerContext, node: Kusto.Language.Syntax.NameReference, scope: RowScope): ScalarExpr {
  const symbol = node.ReferencedSymbol;
  const name = node.SimpleName ?? symbol?.Name ?? '';
  const kind = symbolKind(symbol);
  if (kind === 'ColumnSymbol') {
    const col = scope.columns.find(c => c.name === name);
    // A column of an open schema (after bag_unpack or pivot without a schema) that the data did
    // not produce: null, as Kusto has no value for it.
    if (!col && node.ResultType?.Name === 'unknown' && scope.columns.length) return nullOf('dynamic');
    return column(name, col?.type ?? scalarType(ctx, node));
  }
  const binding = ctx.findLet(symbol, name);
  if (binding) {
    const value = evaluateLet(ctx, binding);
    if (value.kind === 'scalar') return value.expr;
    throw ctx.error(node, `'${name}' is a tabular expression and cannot be used as a scalar value here`);
  }
  // A column not known to the binder's scope (e.g. one produced by a plugin) still resolves by name.
  const col = scope.columns.find(c => c.name === name);
  if (col) return column(name, col.type);
  throw ctx.error(node, `cannot resolve the name '${name}' (${kind || kindName(node)})`);
}

/** Lowers a let statement's value the first time it is needed. */
export function evaluateLet(ctx: LowerContext, binding: LetBinding): Bound {
  if (binding.value) return binding.value;
  if (binding.lowering) throw ctx.error(binding.node, `'${binding.name}' refers to itself`);
  binding.lowering = true;
  try {
    const saved = ctx.frame;
    ctx.frame = binding.frame;
    try {
      binding.value = lowerLetValue(ctx, binding);
    } finally {
      ctx.frame = saved;
    }
    return binding.value;
  } finally {
    binding.lowering = false;
  }
}

function lowerLetValue(ctx: LowerContext, binding: LetBinding): Bound {
  const node = binding.node;
  const t = node.ResultType as unknown as { Columns?: unknown } | null;
  if (t && t.Columns) {
    const rel = lowerTabular(ctx, node);
    // A tabular let is a named sub-plan: the SQL compiler emits it once, as a common table expression.
    return { kind: 'tabular', rel: rel.kind === 'shared' ? rel : shared(rel, false) };
  }
  return { kind: 'scalar', expr: lowerScalar(ctx, node, EMPTY_SCOPE) };
}
