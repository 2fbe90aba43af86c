// Statement lists of a query or a function body: let statements are registered (and lowered when
// first used); the value of the body is its last expression.
import { elements, items, kindName, type Expression, type SyntaxNode, nodeText } from '../kql/syntax.js';
import type { Bound, LowerContext } from './context.js';
import { lowerScalar, EMPTY_SCOPE, type RowScope } from './scalar.js';
import { lowerTabular } from './tabular.js';

export function registerLet(ctx: LowerContext, stmt: Kusto.Language.Syntax.LetStatement): void {
  const declared = stmt.Name!;
  const name = declared.SimpleName ?? '';
  const symbol = declared.ReferencedSymbol;
  const value = stmt.Expression!;
  // Function declarations are expanded at each call site by Kusto.Language; nothing to record.
  if (kindName(value) === 'FunctionDeclaration') return;
  const binding = { name, node: value, frame: ctx.frame };
  if (symbol) ctx.frame.lets.set(symbol, binding);
  ctx.frame.letsByName.set(name, binding);
}

/** Declared patterns (declare pattern), by the context lowering them and their name. */
const patterns = new WeakMap<LowerContext, Map<string, Kusto.Language.Syntax.PatternDeclaration>>();

export function patternDeclaration(ctx: LowerContext, name: string): Kusto.Language.Syntax.PatternDeclaration | undefined {
  return patterns.get(ctx)?.get(name);
}

/** Registers the lets of a statement list and returns the expression statements, in order. */
export function processStatements(ctx: LowerContext, statements: SyntaxNode[]): Expression[] {
  const results: Expression[] = [];
  for (const stmt of statements) {
    switch (kindName(stmt)) {
      case 'LetStatement':
        registerLet(ctx, stmt as Kusto.Language.Syntax.LetStatement);
        break;
      case 'ExpressionStatement':
        results.push((stmt as Kusto.Language.Syntax.ExpressionStatement).Expression!);
        break;
      case 'PatternStatement': {
        const p = stmt as Kusto.Language.Syntax.PatternStatement;
        let known = patterns.get(ctx);
        if (!known) patterns.set(ctx, (known = new Map()));
        known.set(p.Name!.SimpleName!, p.Pattern!);
        break;
      }
      case 'SetOptionStatement': {
        // Kept for the functions that read them (bin_auto); the others do not change the result here.
        const set = stmt as Kusto.Language.Syntax.SetOptionStatement;
        const value = set.ValueClause?.Expression;
        if (set.Name?.SimpleName && value) ctx.options.set(set.Name.SimpleName.toLowerCase(), value);
        break;
      }
      case 'QueryParametersStatement':
      case 'RestrictStatement':
      case 'AliasStatement':
        break; // options and declarations that do not change the result on a local store
      default:
        throw ctx.unsupported(stmt, `the statement '${nodeText(stmt).slice(0, 40)}'`);
    }
  }
  return results;
}

export function isTabular(node: Expression): boolean {
  const t = node.ResultType as unknown as { Columns?: unknown } | null;
  return !!(t && t.Columns);
}

/** The value of a function body: its statements' lets, then its final expression. */
export function lowerFunctionBody(ctx: LowerContext, body: SyntaxNode, scope: RowScope = EMPTY_SCOPE): Bound {
  let expr: Expression | null | undefined;
  if (kindName(body) === 'FunctionBody') {
    const fb = body as Kusto.Language.Syntax.FunctionBody;
    processStatements(ctx, elements<SyntaxNode>(fb.Statements));
    expr = fb.Expression;
  } else {
    expr = body as Expression;
  }
  if (!expr) throw ctx.error(body, 'function body has no value');
  if (isTabular(expr)) return { kind: 'tabular', rel: lowerTabular(ctx, expr) };
  return { kind: 'scalar', expr: lowerScalar(ctx, expr, scope) };
}

export { items };
