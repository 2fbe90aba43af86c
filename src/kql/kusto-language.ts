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
    keepInputNamesInUnions(Kusto.Language);
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

interface ColumnList {
  Count: number;
  getItem(i: number): Kusto.Language.Symbols.ColumnSymbol;
  setItem(i: number, c: Kusto.Language.Symbols.ColumnSymbol): void;
}

/**
 * union (and search, find) rename the columns that share a name but not a type to name_type.
 * When an input already has a column of that name, Kusto keeps it and numbers the renamed one
 * (x_long stays, x:long becomes x_long1); Kusto.Language numbers the input's column instead.
 * The output lists one column per name, or one per type of a name that has several, in order of
 * first appearance, which tells the renamed columns apart.
 */
function keepInputNamesInUnions(K: typeof Kusto.Language): void {
  const binder = K.Binding.Binder as unknown as { UnifyColumnsWithSameNameAndType: (columns: ColumnList) => void; chainhuntUnionNames?: boolean };
  if (binder.chainhuntUnionNames) return;
  binder.chainhuntUnionNames = true;
  const original = binder.UnifyColumnsWithSameNameAndType;
  binder.UnifyColumnsWithSameNameAndType = function (columns) {
    const types = new Map<string, Set<string>>();
    for (const c of toArray(columns)) {
      const name = c.Name ?? '';
      if (!types.has(name)) types.set(name, new Set());
      types.get(name)!.add(c.Type?.Name ?? '');
    }
    original.call(this, columns);
    const layout: { name: string; renamed: boolean }[] = [];
    for (const [name, set] of types) for (let i = 0; i < (set.size > 1 ? set.size : 1); i++) layout.push({ name, renamed: set.size > 1 });
    if (layout.length !== columns.Count || !layout.some(l => l.renamed)) return;
    const kept = new Set(layout.filter(l => !l.renamed).map(l => l.name));
    const used = new Set<string>();
    for (let i = 0; i < columns.Count; i++) {
      const col = columns.getItem(i);
      const { name: base, renamed } = layout[i]!;
      let name = base;
      if (renamed) {
        const suggested = `${base}_${col.Type?.Name ?? ''}`;
        name = suggested;
        for (let n = 1; kept.has(name) || used.has(name); n++) name = `${suggested}${n}`;
      }
      used.add(name);
      if (name !== col.Name) columns.setItem(i, (col as unknown as { WithName(name: string): Kusto.Language.Symbols.ColumnSymbol }).WithName(name));
    }
  };
}

/** Bridge.NET lists expose Count/getItem; this turns one into a JS array. */
export function toArray<T>(list: { Count: number; getItem(i: number): T } | null | undefined): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) out.push(list.getItem(i));
  return out;
}
