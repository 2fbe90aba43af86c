/// <reference types="@kusto/language-service-next" />
// Loads Microsoft's Kusto.Language (the official parser and binder, compiled to JavaScript by
// Bridge.NET). The library defines the globals `Bridge` and `Kusto`. When chainhunt starts from
// its V8 startup snapshot they are already there, parsed and warmed up; otherwise we load them.
import { createRequire } from 'node:module';

let loaded = false;

export function kustoLanguage(): typeof Kusto.Language {
  if (!loaded) {
    if (typeof (globalThis as { Kusto?: unknown }).Kusto === 'undefined') {
      const require = createRequire(import.meta.url);
      require('@kusto/language-service-next/bridge.min.js');
      require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    }
    loaded = true;
    nameAggregatesByBothArguments(Kusto.Language);
  }
  return Kusto.Language;
}

/** Aggregates Kusto names after both of their arguments: covariance(x, y) is covariance_x_y. */
const BOTH_ARGUMENTS = new Set(['covariance', 'covarianceif', 'covariancep', 'covariancepif']);

type ResultName = (fc: Kusto.Language.Syntax.FunctionCallExpression, defaultName?: string, row?: unknown) => string | null;

/**
 * Kusto.Language names these by their first argument only (covariance_x); the column names of
 * every later operator come from the binder, so the rule is mended there, once.
 */
function nameAggregatesByBothArguments(K: typeof Kusto.Language): void {
  const binder = K.Binding.Binder as unknown as { GetFunctionResultName: ResultName; GetExpressionResultName: (e: unknown, d?: string) => string | null; chainhuntNames?: boolean };
  if (binder.chainhuntNames) return;
  binder.chainhuntNames = true;
  const original = binder.GetFunctionResultName;
  binder.GetFunctionResultName = function (fc, defaultName = '', row = null) {
    const name = original.call(this, fc, defaultName, row);
    const fn = fc?.ReferencedSymbol?.Name ?? '';
    const args = fc?.ArgumentList?.Expressions;
    if (!name || !BOTH_ARGUMENTS.has(fn) || !args || args.Count < 2) return name;
    const second = binder.GetExpressionResultName(args.getItem$1(1).Element$1, '');
    return second ? `${name}_${second}` : name;
  };
}

/** Bridge.NET lists expose Count/getItem; this turns one into a JS array. */
export function toArray<T>(list: { Count: number; getItem(i: number): T } | null | undefined): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) out.push(list.getItem(i));
  return out;
}
