// chainhunt respond --db FILE [--responder dry-run|webhook|graph|mde|graph,mde] [--config FILE]:
// evaluate the attack disruption policies over the stored incidents and act.
// Secrets never come from the command line: the environment or a 0600 config file (--config).
import { Engine } from '../../engine.js';
import { respond, type RespondSummary } from '../../respond/respond.js';
import { loadPolicies } from '../../respond/policies.js';
import { createResponders, ResponderConfigError } from '../../respond/responders/index.js';
import type { StoredAction } from '../../respond/store.js';
import { toJson } from '../../util/json.js';
import { UsageError } from '../errors.js';

export interface RespondCommandOptions {
  readonly db: string;
  readonly responder?: string;
  readonly config?: string;
  readonly policies?: string;
  readonly format?: 'table' | 'json';
}

export function actionLine(a: StoredAction): string {
  const t = a.targetDetail as { kind: string; name?: string; upn?: string; sid?: string; domain?: string };
  const who = t.kind === 'device' ? `device ${t.name}` : `user ${t.upn ?? (t.domain && t.name ? `${t.domain}\\${t.name}` : t.name ?? t.sid ?? a.target.value)}`;
  return `${a.status.padEnd(9)} ${a.action.padEnd(14)} ${who}  incident ${a.incidentId}  policy ${a.policyId}  evidence at ${a.timestamp}  [${a.responder}] ${a.detail}`;
}

export function summaryLine(s: RespondSummary): string {
  return `${s.incidents} incident(s), ${s.planned} action(s) planned: ${s.recorded.length} recorded now (${s.succeeded} succeeded, ${s.failed} failed, ${s.dryRun} dry run), ${s.alreadyDone} already done`;
}

export async function runRespondCommand(options: RespondCommandOptions): Promise<number> {
  let responders;
  try {
    responders = createResponders(options.responder ?? 'dry-run', options.config);
  } catch (e) {
    if (e instanceof ResponderConfigError) throw new UsageError(e.message);
    throw e;
  }
  const policies = options.policies ? loadPolicies(options.policies) : loadPolicies();
  const engine = await Engine.open({ path: options.db });
  let summary: RespondSummary;
  try {
    summary = await respond(engine.store, {
      policies,
      responders,
      onAction: options.format === 'json' ? undefined : a => process.stdout.write(actionLine(a) + '\n'),
    });
  } finally {
    engine.close();
  }
  if (options.format === 'json') {
    process.stdout.write(toJson(summary) + '\n');
  } else {
    process.stdout.write(summaryLine(summary) + '\n');
  }
  return summary.failed ? 1 : 0;
}
