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
  }
  return Kusto.Language;
}

/** Bridge.NET lists expose Count/getItem; this turns one into a JS array. */
export function toArray<T>(list: { Count: number; getItem(i: number): T } | null | undefined): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) out.push(list.getItem(i));
  return out;
}
