// Front end: parse and bind a query with Kusto.Language against the Defender schema. A query with
// errors is refused here, with Kusto's own diagnostics and their line:column, before anything runs.
import { KqlError, positionAt, type KqlDiagnostic } from './diagnostics.js';
import { defenderGlobalState } from './global-state.js';
import { kustoLanguage, toArray } from './kusto-language.js';

export type BoundQuery = Kusto.Language.KustoCode;

export function parseAndBind(text: string, globals = defenderGlobalState()): BoundQuery {
  const K = kustoLanguage();
  const code = K.KustoCode.ParseAndAnalyze(text, globals)!;
  const errors: KqlDiagnostic[] = [];
  for (const d of toArray(code.GetDiagnostics())) {
    if (d.Severity !== 'Error') continue;
    const { line, column } = positionAt(text, d.Start);
    errors.push({ code: d.Code ?? '', message: d.Message ?? 'error', start: d.Start, length: d.Length, line, column });
  }
  if (errors.length > 0) throw new KqlError(errors);
  return code;
}
