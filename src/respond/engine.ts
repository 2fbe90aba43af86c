// The policy engine: for each incident and each enabled policy, finds the earliest moment (in event
// time) at which the incident's alerts satisfied the policy's trigger, and plans the policy's actions
// on the entities the trigger names. Pure: no store, no clock; the same incidents and alerts always
// give the same plan.
//
// Definitions (see content/policies/README.md):
// - An alert's time is its createdTime: the event time at which its rule's condition held (the
//   Timestamp of the rule's result row — the evidence that completed it), which a rule running on
//   live data could not have reported earlier. (firstActivity, the earliest evidence, can be earlier:
//   the first of a burst of commands.) Alerts without a usable createdTime use firstActivity.
// - A step matches an alert when every field the step gives holds for it (any of its values).
// - 'sequence': step k's alert starts no earlier than step k-1's; 'any': no order.
// - sameUser / sameDevice: one user identity / one device appears in every chosen alert.
// - within: from the earliest chosen alert to the latest.
// - The trigger completes at the latest chosen alert's time; among all ways to satisfy it, the
//   earliest completion wins. Actions are stamped with that time: the event time of the evidence
//   that triggered them; the source event recorded with them is the completing alert's evidence at
//   (or just before) that time.
import { createHash } from 'node:crypto';
import type { Alert, AlertEntity, Incident, SourceEvent } from '../detect/model.js';
import { SEVERITIES } from '../detect/model.js';
import { globMatch, type ActionType, type Policy, type TriggerStep } from './policies.js';

/** A person as the incident's alerts name them: any of object id, UPN, SID, account name. */
export interface UserIdentity {
  readonly objectId?: string;
  readonly upn?: string;
  readonly sid?: string;
  /** sAMAccountName, without the domain. */
  readonly name?: string;
  readonly domain?: string;
}

export type ActionTarget =
  | { readonly kind: 'user'; readonly user: UserIdentity }
  | { readonly kind: 'device'; readonly device: { readonly name: string; readonly id?: string } };

/** Why a policy fired: the alerts chosen for its steps and the event that completed the trigger. */
export interface TriggerMatch {
  readonly incidentId: string;
  readonly policyId: string;
  /** One alert id per step, in step order. */
  readonly alertIds: readonly string[];
  /** Event time at which the trigger was satisfied (ISO-8601, as the alert carries it). */
  readonly timestamp: string;
  readonly event: SourceEvent | null;
  readonly user: UserIdentity | null;
  readonly device: string | null;
}

export interface PlannedAction {
  /** Deterministic from incident, policy, action and target: the same plan twice is the same action. */
  readonly id: string;
  readonly incidentId: string;
  readonly policy: Policy;
  readonly type: ActionType;
  readonly target: ActionTarget;
  readonly timestamp: string;
  readonly match: TriggerMatch;
  /** The device the trigger started on (the first step's), for the record. */
  readonly originDevice: string | null;
  /** Users this policy contains on this incident (DisruptionAndResponseEvents' CompromisedAccountCount). */
  readonly compromisedAccountCount: number;
}

// ---- entities -------------------------------------------------------------------------------------

const SYSTEM_SIDS = new Set(['S-1-5-18', 'S-1-5-19', 'S-1-5-20', 'S-1-5-7']);
const SYSTEM_NAMES = new Set(['system', 'local service', 'network service', 'localsystem', 'anonymous logon', 'nt authority\\system', '-', '']);

function accountName(v: string): { name: string; domain?: string } {
  const s = v.trim();
  const cut = s.lastIndexOf('\\');
  return cut >= 0 ? { name: s.slice(cut + 1), domain: s.slice(0, cut) } : { name: s };
}

/** Accounts that are never a person to contain: SYSTEM, services, machine accounts, window managers. */
export function isSystemAccount(e: AlertEntity): boolean {
  const v = e.value.trim();
  switch (e.kind) {
    case 'userSid':
      return SYSTEM_SIDS.has(v.toUpperCase()) || /^S-1-5-(80|90|96)-/i.test(v);
    case 'userName': {
      const n = accountName(v).name.toLowerCase();
      return SYSTEM_NAMES.has(v.toLowerCase()) || SYSTEM_NAMES.has(n) || n.endsWith('$') || /^(dwm|umfd)-\d+$/.test(n);
    }
    case 'userUpn':
    case 'userObjectId':
      return v === '' || v === '-';
    default:
      return false;
  }
}

const USER_KINDS = new Set(['userObjectId', 'userUpn', 'userSid', 'userName']);
export const isUserEntity = (e: AlertEntity) => USER_KINDS.has(e.kind);

/** The comparable key of a user entity (kind-qualified, normalised). */
export function userKey(e: AlertEntity): string {
  switch (e.kind) {
    case 'userObjectId': return `oid:${e.value.trim().toLowerCase()}`;
    case 'userUpn': return `upn:${e.value.trim().toLowerCase()}`;
    case 'userSid': return `sid:${e.value.trim().toUpperCase()}`;
    default: return `name:${accountName(e.value).name.toLowerCase()}`;
  }
}

/** A device's comparable key: the host name without its domain, without case. */
export function deviceKey(name: string): string {
  const n = name.trim().toLowerCase();
  return /^\d+\.\d+\.\d+\.\d+$/.test(n) ? n : n.split('.')[0]!;
}

/**
 * User identities across an incident's alerts: an alert that names at most one value of each user
 * kind names one person, so its keys belong together; identities that share a key are one.
 */
export class Identities {
  private readonly parent = new Map<string, string>();
  private readonly values = new Map<string, AlertEntity[]>();

  constructor(alerts: readonly Alert[]) {
    for (const a of alerts) {
      const users = a.entities.filter(e => isUserEntity(e) && !isSystemAccount(e));
      for (const e of users) {
        const k = userKey(e);
        if (!this.parent.has(k)) this.parent.set(k, k);
        const list = this.values.get(k) ?? [];
        if (!list.some(x => x.kind === e.kind && x.value === e.value)) list.push(e);
        this.values.set(k, list);
      }
      const kinds = new Map<string, Set<string>>();
      for (const e of users) {
        const set = kinds.get(e.kind) ?? new Set();
        set.add(userKey(e));
        kinds.set(e.kind, set);
      }
      if ([...kinds.values()].every(s => s.size === 1)) {
        const keys = users.map(userKey);
        for (const k of keys.slice(1)) this.union(keys[0]!, k);
      }
    }
  }

  private find(k: string): string {
    let r = k;
    while (this.parent.get(r) !== r) r = this.parent.get(r)!;
    this.parent.set(k, r);
    return r;
  }

  private union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller key is the root, so identities do not depend on the order alerts came in.
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }

  /** The identity roots an alert names. */
  of(a: Alert): Set<string> {
    return new Set(a.entities.filter(e => isUserEntity(e) && !isSystemAccount(e)).map(e => this.find(userKey(e))));
  }

  /** Everything known about the identity with this root. */
  identity(root: string): UserIdentity {
    const r = this.find(root);
    const out: { objectId?: string; upn?: string; sid?: string; name?: string; domain?: string } = {};
    for (const k of [...this.parent.keys()].sort()) {
      if (this.find(k) !== r) continue;
      for (const e of this.values.get(k) ?? []) {
        if (e.kind === 'userObjectId') out.objectId ??= e.value.trim();
        else if (e.kind === 'userUpn') out.upn ??= e.value.trim();
        else if (e.kind === 'userSid') out.sid ??= e.value.trim();
        else {
          const n = accountName(e.value);
          out.name ??= n.name;
          if (n.domain) out.domain ??= n.domain;
        }
      }
    }
    return out;
  }
}

const devicesOf = (a: Alert) => new Set(a.entities.filter(e => e.kind === 'device' && e.value.trim()).map(e => deviceKey(e.value)));
const deviceNames = (a: Alert) => a.entities.filter(e => e.kind === 'device' && e.value.trim()).map(e => e.value.trim());

/** A user target's stable key: the first of object id, UPN, SID, name that is known. */
export function userTargetKey(u: UserIdentity): string {
  if (u.objectId) return `oid:${u.objectId.toLowerCase()}`;
  if (u.upn) return `upn:${u.upn.toLowerCase()}`;
  if (u.sid) return `sid:${u.sid.toUpperCase()}`;
  return `name:${(u.name ?? '').toLowerCase()}`;
}

export function targetKey(t: ActionTarget): string {
  return t.kind === 'user' ? `user:${userTargetKey(t.user)}` : `device:${deviceKey(t.device.name)}`;
}

/** The entity a target is recorded as on ResponseAction (the model's AlertEntity). */
export function targetEntity(t: ActionTarget): AlertEntity {
  if (t.kind === 'device') return { kind: 'device', value: t.device.name };
  const u = t.user;
  if (u.objectId) return { kind: 'userObjectId', value: u.objectId };
  if (u.upn) return { kind: 'userUpn', value: u.upn };
  if (u.sid) return { kind: 'userSid', value: u.sid };
  return { kind: 'userName', value: u.domain ? `${u.domain}\\${u.name}` : u.name ?? '' };
}

export function actionId(incidentId: string, policyId: string, type: ActionType, t: ActionTarget): string {
  return createHash('sha256').update(`${incidentId}\u0000${policyId}\u0000${type}\u0000${targetKey(t)}`).digest('hex').slice(0, 32);
}

// ---- trigger matching -----------------------------------------------------------------------------

const norm = (s: string) => s.replace(/[\s_-]/g, '').toLowerCase();
const sevRank = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);

export function stepMatches(step: TriggerStep, a: Alert): boolean {
  if (step.stages.length && !a.stages.some(s => step.stages.includes(s))) return false;
  if (step.tactics.length && !a.tactics.some(t => step.tactics.some(x => norm(x) === norm(t)))) return false;
  if (step.rules.length && !step.rules.some(r => globMatch(r, a.ruleId))) return false;
  if (step.titles.length && !step.titles.some(r => globMatch(r, a.title))) return false;
  if (sevRank(a.severity) < sevRank(step.minSeverity)) return false;
  return true;
}

interface Timed {
  readonly alert: Alert;
  readonly t: number;
}

const timeOf = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : NaN;
};

/** When an alert could first have been raised (event time): its createdTime, else its firstActivity. */
export function alertTime(a: Alert): { iso: string; t: number } {
  const c = timeOf(a.createdTime);
  if (Number.isFinite(c)) return { iso: a.createdTime, t: c };
  return { iso: a.firstActivity, t: timeOf(a.firstActivity) };
}

/** The earliest way to satisfy the steps with these candidate lists: chosen alerts, or null. */
function earliest(cands: Timed[][], order: 'sequence' | 'any', withinMs: number | null): Timed[] | null {
  if (cands.some(c => c.length === 0)) return null;
  const within = withinMs ?? Infinity;
  let best: Timed[] | null = null;
  const better = (x: Timed[]) => {
    if (!best) return true;
    const cx = Math.max(...x.map(c => c.t));
    const cb = Math.max(...best.map(c => c.t));
    return cx < cb || (cx === cb && Math.min(...x.map(c => c.t)) > Math.min(...best.map(c => c.t)));
  };
  if (order === 'sequence') {
    for (const first of cands[0]!) {
      const chosen = [first];
      let ok = true;
      for (let k = 1; k < cands.length; k++) {
        const prev = chosen[k - 1]!.t;
        const next = cands[k]!.find(c => c.t >= prev);
        if (!next) {
          ok = false;
          break;
        }
        chosen.push(next);
      }
      if (ok && chosen[chosen.length - 1]!.t - first.t <= within && better(chosen)) best = chosen;
    }
    return best;
  }
  // Any order: for each possible completion time T, each step takes its latest alert at or before T.
  const times = [...new Set(cands.flat().map(c => c.t))].sort((a, b) => a - b);
  for (const T of times) {
    const chosen: Timed[] = [];
    for (const list of cands) {
      let pick: Timed | undefined;
      for (const c of list) if (c.t <= T) pick = c;
      if (!pick) break;
      chosen.push(pick);
    }
    if (chosen.length === cands.length && T - Math.min(...chosen.map(c => c.t)) <= within) return chosen;
  }
  return null;
}

/**
 * The matches of a policy's trigger in an incident: with sameUser / sameDevice, the earliest match
 * for each user / device (or pair) that satisfies it — an incident that holds two people's intrusions
 * contains both — otherwise the earliest match. Ordered by completion time.
 */
export function matchPolicyAll(policy: Policy, incident: Incident, alerts: readonly Alert[], ids = new Identities(alerts)): TriggerMatch[] {
  const timed: Timed[] = alerts
    .map(alert => ({ alert, t: alertTime(alert).t }))
    .filter(x => Number.isFinite(x.t))
    .sort((a, b) => a.t - b.t || (a.alert.id < b.alert.id ? -1 : 1));
  const { steps, order, sameUser, sameDevice, withinMs } = policy.trigger;
  const perStep = steps.map(s => timed.filter(x => stepMatches(s, x.alert)));
  if (perStep.some(c => c.length === 0)) return [];

  // The users and devices that could be shared: those of the first step's candidates.
  const userChoices: (string | null)[] = sameUser ? [...new Set(perStep[0]!.flatMap(x => [...ids.of(x.alert)]))].sort() : [null];
  const deviceChoices: (string | null)[] = sameDevice ? [...new Set(perStep[0]!.flatMap(x => [...devicesOf(x.alert)]))].sort() : [null];
  const found: { chosen: Timed[]; user: string | null; device: string | null; t: number }[] = [];
  for (const u of userChoices) {
    for (const d of deviceChoices) {
      const cands = perStep.map(list => list.filter(x => (u === null || ids.of(x.alert).has(u)) && (d === null || devicesOf(x.alert).has(d))));
      const chosen = earliest(cands, order, withinMs);
      if (chosen) found.push({ chosen, user: u, device: d, t: Math.max(...chosen.map(x => x.t)) });
    }
  }
  found.sort((a, b) => a.t - b.t || ((a.user ?? '') + (a.device ?? '') < (b.user ?? '') + (b.device ?? '') ? -1 : 1));
  return found.map(best => {
    const completing = best.chosen.reduce((a, b) => (b.t > a.t ? b : a));
    const events = [...completing.alert.sourceEvents].sort((a, b) => timeOf(a.timestamp) - timeOf(b.timestamp));
    const atOrBefore = events.filter(e => timeOf(e.timestamp) <= completing.t);
    const event = atOrBefore[atOrBefore.length - 1] ?? events[0] ?? null;
    return {
      incidentId: incident.id,
      policyId: policy.id,
      alertIds: best.chosen.map(x => x.alert.id),
      timestamp: alertTime(completing.alert).iso,
      event,
      user: best.user ? ids.identity(best.user) : null,
      device: best.device,
    };
  });
}

/** The earliest match of a policy's trigger in an incident, or null. */
export function matchPolicy(policy: Policy, incident: Incident, alerts: readonly Alert[], ids = new Identities(alerts)): TriggerMatch | null {
  return matchPolicyAll(policy, incident, alerts, ids)[0] ?? null;
}

function excludedUser(policy: Policy, u: UserIdentity): boolean {
  const values = [u.objectId, u.upn, u.sid, u.name, u.domain && u.name ? `${u.domain}\\${u.name}` : undefined].filter((v): v is string => !!v);
  return policy.exclude.users.some(p => values.some(v => globMatch(p, v)));
}

const excludedDevice = (policy: Policy, name: string) => policy.exclude.devices.some(p => globMatch(p, name) || globMatch(p, deviceKey(name)));

/** Plans the actions of every enabled policy whose trigger an incident satisfies. */
export function planIncident(incident: Incident, alerts: readonly Alert[], policies: readonly Policy[]): PlannedAction[] {
  const ids = new Identities(alerts);
  const byId = new Map(alerts.map(a => [a.id, a]));
  const out: PlannedAction[] = [];
  for (const policy of policies) {
    if (!policy.enabled) continue;
    const planned: Omit<PlannedAction, 'compromisedAccountCount'>[] = [];
    const users = new Map<string, UserIdentity>();
    const seen = new Set<string>();
    for (const match of matchPolicyAll(policy, incident, alerts, ids)) {
      const chosen = match.alertIds.map(id => byId.get(id)!);
      const stepAlerts = (from: 'first' | 'last' | 'all') => (from === 'first' ? [chosen[0]!] : from === 'last' ? [chosen[chosen.length - 1]!] : chosen);
      const originDevice = match.device
        ? deviceNames(chosen[0]!).find(n => deviceKey(n) === match.device) ?? match.device
        : deviceNames(chosen[0]!)[0] ?? null;
      const targets: { type: ActionType; target: ActionTarget }[] = [];
      for (const action of policy.actions) {
        if (action.target === 'user') {
          const roots = match.user ? null : [...new Set(stepAlerts(action.from).flatMap(a => [...ids.of(a)]))].sort();
          const identities = match.user ? [match.user] : roots!.map(r => ids.identity(r));
          for (const u of identities) {
            if (excludedUser(policy, u)) continue;
            users.set(userTargetKey(u), u);
            targets.push({ type: action.type, target: { kind: 'user', user: u } });
          }
        } else {
          const names = new Map<string, string>();
          if (match.device && action.from !== 'last') names.set(match.device, originDevice ?? match.device);
          else for (const a of stepAlerts(action.from)) for (const n of deviceNames(a)) if (!names.has(deviceKey(n))) names.set(deviceKey(n), n);
          for (const name of [...names.values()].sort()) {
            if (excludedDevice(policy, name)) continue;
            targets.push({ type: action.type, target: { kind: 'device', device: { name } } });
          }
        }
      }
      // A target reached by several matches is acted on once, at the earliest.
      for (const { type, target } of targets) {
        const id = actionId(incident.id, policy.id, type, target);
        if (seen.has(id)) continue;
        seen.add(id);
        planned.push({ id, incidentId: incident.id, policy, type, target, timestamp: match.timestamp, match, originDevice });
      }
    }
    for (const p of planned) out.push({ ...p, compromisedAccountCount: users.size });
  }
  return out;
}

/** Plans every incident (alerts looked up by id; incidents missing alerts use those they have). */
export function planResponses(incidents: readonly Incident[], alerts: readonly Alert[], policies: readonly Policy[]): PlannedAction[] {
  const byId = new Map(alerts.map(a => [a.id, a]));
  return incidents.flatMap(i => planIncident(i, i.alertIds.map(id => byId.get(id)).filter((a): a is Alert => !!a), policies));
}
