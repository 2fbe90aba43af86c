// Calls to user functions (let f = (...) {...}), views, and database functions: Kusto.Language
// gives the bound expansion of the body; we bind each parameter to its argument and lower it.
import { toArray } from '../kql/kusto-language.js';
import { kindName, type Expression } from '../kql/syntax.js';
import type { RelNode } from '../ir/relational.js';
import { type Bound, type LowerContext } from './context.js';
import { lowerScalar, type RowScope } from './scalar.js';
import { lowerTabular } from './tabular.js';
import { lowerFunctionBody } from './statements.js';
import { convert } from './convert.js';
import { kustoType } from '../schema/kusto-types.js';
import { nullOf } from '../ir/scalar.js';
import { callArguments } from './functions.js';

/** A call to a function with a KQL body (let, view, database function): Kusto.Language can expand it. */
export function isUserFunction(node: Kusto.Language.Syntax.FunctionCallExpression): boolean {
  return !!node.ReferencedSymbol && !!node.GetExpansion();
}

function isTabularParameter(p: Kusto.Language.Symbols.Parameter): boolean {
  return p.IsTabular;
}

/**
 * Expands a call. `piped` is the input of `invoke f()` (or `T | f()`), bound to the first
 * tabular parameter.
 */
export function expandUserFunction(ctx: LowerContext, node: Kusto.Language.Syntax.FunctionCallExpression, scope: RowScope, piped?: RelNode): Bound {
  const expansion = node.GetExpansion();
  if (!expansion) throw ctx.error(node, `cannot expand the function ${node.Name?.SimpleName}`);
  const signature = node.ReferencedSignature!;
  const params = toArray(signature.Parameters);
  const args = callArguments(node);
  const named = new Map<string, Expression>();
  const positional: Expression[] = [];
  for (const a of args) {
    if (kindName(a) === 'SimpleNamedExpression') {
      const n = a as Kusto.Language.Syntax.SimpleNamedExpression;
      const pname = n.Name?.SimpleName ?? '';
      if (params.some(p => p.Name === pname)) {
        named.set(pname, n.Expression!);
        continue;
      }
    }
    positional.push(a);
  }
  const bound = new Map<string, Bound>();
  let pipedUsed = !piped;
  for (const p of params) {
    const name = p.Name ?? '';
    if (isTabularParameter(p)) {
      if (!pipedUsed) {
        bound.set(name, { kind: 'tabular', rel: piped! });
        pipedUsed = true;
        continue;
      }
      const arg = named.get(name) ?? positional.shift();
      if (!arg) throw ctx.error(node, `missing tabular argument ${name}`);
      bound.set(name, { kind: 'tabular', rel: lowerTabular(ctx, arg) });
      continue;
    }
    const arg = named.get(name) ?? positional.shift() ?? p.DefaultValue ?? undefined;
    const declared = kustoType(toArray(p.DeclaredTypes)[0]?.Name ?? '');
    if (!arg) {
      bound.set(name, { kind: 'scalar', expr: nullOf(declared ?? 'dynamic') });
      continue;
    }
    const value = lowerScalar(ctx, arg, scope);
    bound.set(name, { kind: 'scalar', expr: declared && declared !== 'dynamic' ? convert(value, declared) : value });
  }
  const callSite = ctx.spanOf(node);
  return ctx.withFrame({ lets: new Map(), letsByName: new Map(), params: bound, callSite }, () => lowerFunctionBody(ctx, expansion, scope));
}
