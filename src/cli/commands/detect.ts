// chainhunt detect: run every enabled detection rule over the stored telemetry (catch-up), save the
// alerts into AlertInfo / AlertEvidence, print a summary per rule, then correlate alerts into incidents.
import { Engine } from '../../engine.js';
import { detect, type RuleRunSummary } from '../../detect/detect.js';
import { loadRules, rulesDir } from '../../detect/rules.js';
import { correlate } from '../../correlate/index.js';
import { respond, type RespondSummary } from '../../respond/index.js';
import { withRuleState } from '../../detect/rule-state.js';
import { UsageError } from '../errors.js';
import { parseNow } from './query.js';

export interface DetectCommandOptions {
  readonly db: string;
  readonly rules?: string;
  readonly now?: string;
  readonly from?: string;
  readonly rule?: string[];
  readonly correlate?: boolean;
  readonly respond?: boolean;
  readonly format?: 'table' | 'json';
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function line(s: RuleRunSummary): string {
  const counts = s.error ? `ERROR ${s.error}` : `${String(s.alerts).padStart(4)} alert${s.alerts === 1 ? ' ' : 's'} (${s.added} new, ${s.updated} updated)`;
  return `${pad(s.ruleId, 50)} ${pad(s.severity, 13)} ${counts}  ${(s.ms / 1000).toFixed(1)} s`;
}

export async function runDetectCommand(options: DetectCommandOptions): Promise<number> {
  const now = parseNow(options.now);
  const from = options.from ? parseNow(options.from) : undefined;
  if (options.from && !from) throw new UsageError(`--from ${options.from} is not a date`);
  let rules = loadRules(options.rules ?? rulesDir());
  if (options.rule?.length) {
    const unknown = options.rule.filter(id => !rules.some(r => r.id === id));
    if (unknown.length) throw new UsageError(`no rule named ${unknown.join(', ')} (have: ${rules.map(r => r.id).join(', ')})`);
    rules = rules.filter(r => options.rule!.includes(r.id));
  }
  const json = options.format === 'json';
  const engine = await Engine.open({ path: options.db });
  try {
    // Rules switched on or off in this database (console, API) keep their state here too.
    rules = await withRuleState(engine.store, rules);
    const enabled = rules.filter(r => r.enabled);
    if (!json) process.stderr.write(`Running ${enabled.length} rule${enabled.length === 1 ? '' : 's'} (${rules.length - enabled.length} disabled) from ${options.rules ?? rulesDir()}\n`);
    const result = await detect(engine, rules, {
      now,
      from,
      onRule: s => {
        if (!json) process.stdout.write(line(s) + '\n');
      },
    });
    let correlation: Awaited<ReturnType<typeof correlate>> | null = null;
    if (options.correlate !== false) correlation = await correlate(engine.store);
    // Automatic attack disruption on the incidents (dry run: it records what it would do).
    let response: RespondSummary | null = null;
    if (options.correlate !== false && options.respond !== false) response = await respond(engine.store);
    if (json) {
      process.stdout.write(JSON.stringify({
        span: result.span ? { from: result.span.from.toISOString(), to: result.span.to.toISOString() } : null,
        rules: result.rules,
        added: result.added,
        updated: result.updated,
        failed: result.failed,
        correlation,
        response: response ? { planned: response.planned, recorded: response.recorded.length, dryRun: response.dryRun } : null,
      }, null, 2) + '\n');
    } else {
      const span = result.span ? `${result.span.from.toISOString()} .. ${result.span.to.toISOString()}` : 'no data';
      process.stdout.write(`\n${result.alerts.length} alerts over ${span}: ${result.added} new, ${result.updated} updated${result.failed ? `; ${result.failed} rule${result.failed === 1 ? '' : 's'} failed` : ''}.\n`);
      if (correlation) {
        process.stdout.write(`Correlation: ${correlation.incidents} incident${correlation.incidents === 1 ? '' : 's'} from ${correlation.alerts} alerts (${correlation.created.length} new, ${correlation.updated.length} updated, ${correlation.merged.length} merged).\n`);
      }
      if (response) {
        process.stdout.write(`Attack disruption (dry run): ${response.recorded.length} action${response.recorded.length === 1 ? '' : 's'} recorded, ${response.alreadyDone} already recorded (see: chainhunt respond --db ${options.db} for real responders).\n`);
      }
    }
    return result.failed ? 1 : 0;
  } finally {
    engine.close();
  }
}
