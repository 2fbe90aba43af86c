// Small helpers over Kusto.Language syntax trees (Bridge.NET objects).
import { kustoLanguage } from './kusto-language.js';

export type SyntaxNode = Kusto.Language.Syntax.SyntaxNode;
export type Expression = Kusto.Language.Syntax.Expression;

type AnyList = { Count: number; getItem(i: number): unknown } | null | undefined;

let kindNames: Map<number, string> | undefined;

/** The SyntaxKind enum, e.g. `SK().FilterOperator`. */
export function SK(): typeof Kusto.Language.Syntax.SyntaxKind {
  return kustoLanguage().Syntax.SyntaxKind;
}

export function kindName(node: { Kind: number }): string {
  if (!kindNames) {
    kindNames = new Map();
    for (const [name, value] of Object.entries(SK() as unknown as Record<string, unknown>)) {
      if (typeof value === 'number' && !kindNames.has(value)) kindNames.set(value, name);
    }
  }
  return kindNames.get(node.Kind) ?? `Kind${node.Kind}`;
}

/** The elements of a SyntaxList of SeparatedElements, in order. */
export function elements<T>(list: AnyList): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) {
    const item = list.getItem(i) as { Element?: unknown } | null;
    if (item && item.Element) out.push(item.Element as T);
  }
  return out;
}

/** The items of a plain SyntaxList. */
export function items<T>(list: AnyList): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) {
    const item = list.getItem(i) as T | null;
    if (item) out.push(item);
  }
  return out;
}

/** Named parameters of an operator (kind=inner, hint.strategy=broadcast, withsource=T...), by lower-cased name. */
export function namedParameters(list: AnyList): Map<string, Expression> {
  const out = new Map<string, Expression>();
  for (const p of items<Kusto.Language.Syntax.NamedParameter>(list)) {
    const name = p.Name?.SimpleName;
    if (name && p.Expression) out.set(name.toLowerCase(), p.Expression);
  }
  return out;
}

/** The text of a parameter value that is a bare word or literal (kind=inner → "inner"). */
export function parameterText(expr: Expression | undefined): string | undefined {
  if (!expr) return undefined;
  return String(expr.toString()).trim();
}

export function nodeText(node: { toString(): string | null }): string {
  return String(node.toString()).trim();
}
