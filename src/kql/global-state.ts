// The binder's view of the world: Kusto's built-in functions plus a `defender` database holding
// every Defender advanced hunting table and the Defender-specific functions hunting queries call.
import { DEFENDER_TABLES } from '../schema/defender.js';
import { DEFENDER_FUNCTIONS } from '../schema/defender-functions.js';
import { kustoLanguage } from './kusto-language.js';

// The startup snapshot (see scripts/build.mjs) builds this once and leaves it on globalThis.
const holder = globalThis as { __chainhuntDefenderGlobals?: Kusto.Language.GlobalState };
let cached: Kusto.Language.GlobalState | undefined;

function quoteName(name: string): string {
  return `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

export function defenderGlobalState(): Kusto.Language.GlobalState {
  if (cached) return cached;
  if (holder.__chainhuntDefenderGlobals) return (cached = holder.__chainhuntDefenderGlobals);
  const K = kustoLanguage();
  const members: Kusto.Language.Symbols.Symbol[] = [];
  for (const table of DEFENDER_TABLES.values()) {
    const schema = '(' + table.columns.map(c => `${quoteName(c.name)}:${c.type}`).join(', ') + ')';
    members.push(new K.Symbols.TableSymbol.$ctor7(table.name, schema, null));
  }
  for (const fn of DEFENDER_FUNCTIONS) {
    members.push(new K.Symbols.FunctionSymbol.$ctor16(fn.name, fn.parameters, fn.body, fn.description));
  }
  const database = new K.Symbols.DatabaseSymbol.ctor('defender', members);
  // WithCache: the binder keeps what it works out about the globals (function bodies, ...) across queries.
  cached = K.GlobalState.Default!.WithDatabase(database)!.WithCache()!;
  holder.__chainhuntDefenderGlobals = cached;
  return cached;
}
