// Attack disruption over a store: evaluate the policies over the incidents, complete each planned
// action's target from the telemetry, hand it to the responder that can carry it out, and record it
// (chainhunt's action record, Defender's DisruptionAndResponseEvents, and the incident's tag).
//
// Never twice: an action is one incident, policy, action and target (its id). The dry-run responder
// records an action once; a real responder carries out an action once it has succeeded, and tries a
// failed one again on the next run (a dry-run record does not stop a real responder).
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { Alert, Incident } from '../detect/model.js';
import { loadAlerts } from '../detect/alert-store.js';
import { planResponses, type PlannedAction, type TriggerMatch, type UserIdentity } from './engine.js';
import { loadPolicies, type Policy } from './policies.js';
import { DryRunResponder } from './responders/dry-run.js';
import { responderFor } from './responders/index.js';
import type { Responder, ResolvedAction, ResponderResult } from './responders/types.js';
import { TargetResolver } from './resolve.js';
import { loadActions, recordAttempt, type StoredAction } from './store.js';
import { incidentSource, type IncidentSource } from './incidents.js';

export const DISRUPTION_TAG = 'Attack Disruption';

export interface RespondOptions {
  /** Default: content/policies. */
  readonly policies?: readonly Policy[];
  /** Default: dry-run. Each action goes to the first responder that supports it. */
  readonly responders?: readonly Responder[];
  /** Default: the stored incidents and alerts. */
  readonly incidents?: readonly Incident[];
  readonly alerts?: readonly Alert[];
  /** How incidents are read and tagged (default: the incidents store). */
  readonly source?: IncidentSource;
  /** The wall clock for CreatedTime (actions themselves carry event time). */
  readonly now?: () => Date;
  /** Called after each recorded attempt. */
  readonly onAction?: (a: StoredAction) => void;
}

export interface RespondSummary {
  readonly incidents: number;
  readonly planned: number;
  /** Actions recorded in this run (one attempt each). */
  readonly recorded: StoredAction[];
  /** Planned actions left alone because they were already done (or already recorded, in dry-run). */
  readonly alreadyDone: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly dryRun: number;
}

function shouldAct(responder: Responder, previous: StoredAction | undefined): boolean {
  if (!previous) return true;
  if (responder.name === 'dry-run') return false;
  return previous.status !== 'succeeded';
}

export async function respond(store: DuckDbStore, options: RespondOptions = {}): Promise<RespondSummary> {
  const source = options.source ?? incidentSource;
  const policies = options.policies ?? loadPolicies();
  const responders = options.responders?.length ? options.responders : [new DryRunResponder()];
  const incidents = options.incidents ?? (await source.load(store));
  const alerts = options.alerts ?? (await loadAlerts(store));
  const now = options.now ?? (() => new Date());
  const plan = planResponses(incidents, alerts, policies);
  const previous = new Map((await loadActions(store)).map(a => [a.id, a]));
  const resolver = new TargetResolver(store);

  // The user each trigger match contains, named on its device rows too.
  const contextUser = new Map<TriggerMatch, UserIdentity>();
  for (const p of plan) if (!contextUser.has(p.match) && p.target.kind === 'user') contextUser.set(p.match, p.target.user);

  const recorded: StoredAction[] = [];
  let alreadyDone = 0;
  for (const p of plan) {
    const responder = responderFor(responders, p.type);
    const prev = previous.get(p.id);
    // An action none of the responders can carry out is recorded (as failed) once.
    if (!shouldAct(responder ?? responders[0]!, prev) || (!responder && prev?.responder === 'none')) {
      alreadyDone++;
      continue;
    }
    const resolved = await resolveAction(resolver, p);
    const result: ResponderResult = responder
      ? await responder.execute(resolved).catch((e: unknown) => ({ status: 'failed' as const, detail: `${responder.name}: ${(e as Error).message}` }))
      : { status: 'failed', detail: `no responder configured can ${p.type} (responders: ${responders.map(r => r.name).join(', ')})` };
    const ctxUserRaw = p.match.user ?? contextUser.get(p.match) ?? null;
    const ctxUser = ctxUserRaw ? await resolver.user(ctxUserRaw) : null;
    const origin = p.originDevice ? { name: p.originDevice, id: await resolver.deviceId(p.originDevice) } : null;
    const stored = await recordAttempt(store, resolved, result, responder?.name ?? 'none', { user: ctxUser, originDevice: origin, now: now() }, prev);
    recorded.push(stored);
    previous.set(stored.id, stored);
    options.onAction?.(stored);
    await source.mark(store, stored, DISRUPTION_TAG);
  }
  return {
    incidents: incidents.length,
    planned: plan.length,
    recorded,
    alreadyDone,
    succeeded: recorded.filter(r => r.status === 'succeeded').length,
    failed: recorded.filter(r => r.status === 'failed').length,
    dryRun: recorded.filter(r => r.status === 'dryRun').length,
  };
}

async function resolveAction(resolver: TargetResolver, p: PlannedAction): Promise<ResolvedAction> {
  if (p.target.kind === 'user') return { ...p, target: { kind: 'user', user: await resolver.user(p.target.user) } };
  return { ...p, target: { kind: 'device', device: { name: p.target.device.name, id: p.target.device.id ?? (await resolver.deviceId(p.target.device.name)) } } };
}
