// Front end: parse and bind a query with Kusto.Language against the Defender schema. A query with
// errors is refused here, with Kusto's own diagnostics and their line:column, before anything runs.
import { KqlError, positionAt, type KqlDiagnostic } from './diagnostics.js';
import { defenderGlobalState } from './global-state.js';
import { kustoLanguage, toArray } from './kusto-language.js';

export type BoundQuery = Kusto.Language.KustoCode;

/**
 * Bound syntax trees are immutable and do not depend on the query instant, so a query seen again (a
 * scheduled detection, a re-run in the console) reuses its tree: parsing and binding in the
 * Bridge.NET build of Kusto.Language costs tens of milliseconds per query.
 */
const CACHE_SIZE = 256;
const cache = new Map<string, BoundQuery>();

function cached(text: string, globals: Kusto.Language.GlobalState): BoundQuery | undefined {
  const hit = cache.get(text);
  if (!hit || hit.Globals !== globals) return undefined;
  cache.delete(text);
  cache.set(text, hit); // most recently used last
  return hit;
}

export function parseAndBind(text: string, globals = defenderGlobalState()): BoundQuery {
  const hit = cached(text, globals);
  if (hit) return hit;
  const K = kustoLanguage();
  const code = K.KustoCode.ParseAndAnalyze(text, globals)!;
  const errors: KqlDiagnostic[] = [];
  for (const d of toArray(code.GetDiagnostics())) {
    if (d.Severity !== 'Error') continue;
    const { line, column } = positionAt(text, d.Start);
    errors.push({ code: d.Code ?? '', message: d.Message ?? 'error', start: d.Start, length: d.Length, line, column });
  }
  if (errors.length > 0) throw new KqlError(errors);
  cache.set(text, code);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return code;
}
