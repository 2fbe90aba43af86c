// Grouping alerts into incidents: a pure, deterministic function of the alerts (the same alerts in
// any order give the same groups).
//
// An incident is the story of one subject over time: a person (with the accounts, chats and
// external correspondents the alerts show them with), or a device that no person's alerts are tied
// to. Alerts join a subject's story when they are at most `windowMs` apart. Other entities (devices,
// IPs, URLs, hashes, files, registry values, command lines) never join two subjects: an entity that
// appears in the stories of two or more subjects is shared infrastructure (a domain controller, a
// file server, a cloud storage IP, a common binary) and its prevalence is measured from the alerts
// themselves, not from a list of names. Such entities only attribute the alerts that have no subject
// of their own (SYSTEM activity on a file server, an alert that names only an IP) to the story that
// touched the same entity shortly before, preferring the most severe.
import type { Alert, Severity } from '../detect/model.js';
import { ARTIFACT_ORDER, Aliases, artifactKey, deviceKey, isNonPersonalId, isUserKind, type KeyClass, resolvePersons, userIdKey } from './entities.js';

export const HOUR_MS = 3_600_000;
/** A process started this long before (1 min) to this long after (10 min) a story's alert on the device is its doing. */
const LINEAGE_BEFORE = 60_000_000;
const LINEAGE_AFTER = 600_000_000;

export interface ClusterOptions {
  /** Largest gap between consecutive alerts of one subject's story (default 24 h). */
  readonly windowMs?: number;
  /** How long after a subject touched an entity an alert with no subject of its own is attributed to it (default 24 h). */
  readonly attributionWindowMs?: number;
  /** Alerts with no subject and nothing to attribute them to group with each other within this gap (default 1 h). */
  readonly orphanWindowMs?: number;
  /** An identity seen with this many separate groups of other identities is a hub (a helpdesk technician, a shared mailbox) and links nothing (default 3). */
  readonly hubDegree?: number;
  /** An alert naming more identities than this (a mail bomb's senders) does not tie them together (default 4). */
  readonly broadcastIdentities?: number;
  /** Identifier groups known to be one person from outside the alerts (e.g. telemetry): ["upn:…", "sid:…"]. */
  readonly aliases?: readonly (readonly string[])[];
  /** Keys the store knows an alert also involves (e.g. the device behind an internal IP). */
  readonly extraKeys?: (alert: Alert) => readonly { cls: KeyClass; key: string }[];
  /**
   * When the processes behind an alert's events were started: the creation times (µs since the
   * epoch) of their initiating process and its parent, from the telemetry. An alert without a
   * subject whose process tree was started right after a story's alert on the same device (an agent
   * that story installed) is attributed to that story first.
   */
  readonly lineage?: (alert: Alert) => readonly number[];
}

/** identity: same person or chat; device: an alert without identities on a device of the story; attribution: see above; orphan: alerts with nothing to attribute them to, sharing an entity. */
export type LinkKind = 'identity' | 'device' | 'attribution' | 'orphan';

/** Why an alert is in its group: the alert it was linked to and through what. */
export interface Link {
  readonly alertId: string;
  readonly to: string;
  readonly kind: LinkKind;
  readonly via: string;
}

export interface AlertGroup {
  /** Alert ids, oldest activity first. */
  readonly alertIds: readonly string[];
  readonly links: readonly Link[];
}

export interface ClusterResult {
  readonly groups: readonly AlertGroup[];
  /** Alerts that have no subject of their own (attributed, or left on their own). */
  readonly subjectless: readonly string[];
  /** Entities that appear in several subjects' stories and so link nothing, with how many. */
  readonly shared: ReadonlyMap<string, number>;
  /** Identities that link nothing (hubs, well-known accounts). */
  readonly nonLinkingIdentities: readonly string[];
}

const SEVERITY_RANK: Record<Severity, number> = { informational: 0, low: 1, medium: 2, high: 3 };

/** Microseconds since the epoch of an ISO-8601 time (up to 7 fractional digits). */
export function timeMicros(iso: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso.trim().replace(' ', 'T'));
  if (!m) {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? 0 : ms * 1000;
  }
  const base = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return base * 1000 + Number(frac);
}

interface Item {
  readonly alert: Alert;
  readonly id: string;
  readonly start: number;
  readonly end: number;
  readonly severity: number;
  /** Resolved identity roots (persons and threads) that may link. */
  identities: string[];
  /** Artifact keys (devices first), with their class. */
  readonly keys: Map<string, KeyClass>;
  readonly devices: string[];
  /** The identity cluster the alert belongs to, if any. */
  cluster: string | null;
  /** The subject the alert's story is about ('c:' identity cluster, 'd:' device), if any. */
  subject: string | null;
}

function byTime(a: Item, b: Item): number {
  return a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

class AlertUnion {
  private readonly parent: number[];
  readonly links: Link[] = [];
  constructor(private readonly items: readonly Item[]) {
    this.parent = items.map((_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  union(a: number, b: number, kind: LinkKind, via: string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    // The earlier item stays the root, so the result does not depend on the order of unions.
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
    const [from, to] = a > b ? [a, b] : [b, a];
    this.links.push({ alertId: this.items[from]!.id, to: this.items[to]!.id, kind, via });
    return true;
  }
}

/** Chains time-ordered items: each joins the previous run when it starts within `gap` of the run's latest end. */
function chain(indexes: readonly number[], items: readonly Item[], gap: number, join: (a: number, b: number) => void): void {
  let prev = -1;
  let runEnd = -Infinity;
  for (const i of indexes) {
    const it = items[i]!;
    if (prev >= 0 && it.start - runEnd <= gap) join(prev, i);
    if (prev < 0 || it.start - runEnd > gap) runEnd = it.end;
    else runEnd = Math.max(runEnd, it.end);
    prev = i;
  }
}

export function clusterAlerts(alerts: readonly Alert[], options: ClusterOptions = {}): ClusterResult {
  const window = options.windowMs ?? 24 * HOUR_MS;
  const attribution = options.attributionWindowMs ?? 24 * HOUR_MS;
  const orphanGap = options.orphanWindowMs ?? HOUR_MS;
  const hubDegree = options.hubDegree ?? 3;
  const broadcast = options.broadcastIdentities ?? 4;
  const W = window * 1000;
  const WA = attribution * 1000;
  const WO = orphanGap * 1000;

  const unique = [...new Map(alerts.map(a => [a.id, a])).values()];
  const persons = resolvePersons(unique, options.aliases);

  // Identities per alert: resolved persons (minus well-known accounts) and chat threads.
  const nonPersonal = new Set<string>();
  for (const [root, ids] of persons.members()) if (ids.some(isNonPersonalId)) nonPersonal.add(root);

  const items: Item[] = unique.map(a => {
    const start = timeMicros(a.firstActivity);
    const end = Math.max(start, timeMicros(a.lastActivity));
    const identities = new Set<string>();
    const keys = new Map<string, KeyClass>();
    for (const e of a.entities) {
      if (isUserKind(e.kind)) {
        const id = userIdKey(e);
        if (id) {
          const root = persons.find(id);
          if (!nonPersonal.has(root)) identities.add(`person:${root}`);
        }
        continue;
      }
      const k = artifactKey(e);
      if (!k) continue;
      if (k.cls === 'thread') identities.add(k.key);
      else keys.set(k.key, k.cls);
    }
    for (const s of a.sourceEvents) {
      const d = s.deviceName ? deviceKey(s.deviceName) : '';
      if (d) keys.set(`device:${d}`, 'device');
    }
    for (const k of options.extraKeys?.(a) ?? []) {
      if (k.cls === 'thread' || k.cls === 'person') identities.add(k.key);
      else if (!keys.has(k.key)) keys.set(k.key, k.cls);
    }
    const devices = [...keys].filter(([, c]) => c === 'device').map(([k]) => k).sort();
    return { alert: a, id: a.id, start, end, severity: SEVERITY_RANK[a.severity] ?? 0, identities: [...identities].sort(), keys, devices, cluster: null, subject: null };
  });
  items.sort(byTime);

  // Hub identities: seen with several separate groups of other identities.
  const partners = new Map<string, string[][]>();
  for (const it of items) {
    if (it.identities.length > broadcast) continue;
    for (const id of it.identities) {
      const others = it.identities.filter(x => x !== id);
      if (!partners.has(id)) partners.set(id, []);
      if (others.length) partners.get(id)!.push(others);
    }
  }
  const hubs = new Set<string>();
  for (const [id, sets] of partners) {
    const u = new Aliases();
    for (const s of sets) {
      for (const x of s) u.add(x);
      for (let i = 1; i < s.length; i++) u.union(s[0]!, s[i]!);
    }
    if (u.members().size >= hubDegree) hubs.add(id);
  }
  const nonLinkingIdentities = [...[...nonPersonal].map(r => `person:${r}`), ...hubs].sort();
  for (const it of items) it.identities = it.identities.filter(id => !hubs.has(id));

  // Identity clusters: identities named together in an alert are one story (unless the alert is a broadcast).
  const clusters = new Aliases();
  const alertCount = new Map<string, number>();
  for (const it of items) for (const id of it.identities) alertCount.set(id, (alertCount.get(id) ?? 0) + 1);
  for (const it of items) {
    for (const id of it.identities) clusters.add(id);
    if (it.identities.length > broadcast) continue;
    for (let i = 1; i < it.identities.length; i++) clusters.union(it.identities[0]!, it.identities[i]!);
  }
  for (const it of items) {
    if (!it.identities.length) continue;
    // A broadcast alert belongs to the identity of it seen in the most alerts.
    const best = [...it.identities].sort((x, y) => (alertCount.get(y)! - alertCount.get(x)!) || (x < y ? -1 : 1))[0]!;
    it.cluster = clusters.find(best);
  }

  // Devices: which clusters each is tied to. A device of one cluster belongs to that story; a device
  // of none is a subject of its own; a device of several is shared infrastructure.
  const deviceClusters = new Map<string, Set<string>>();
  for (const it of items) {
    for (const d of it.devices) {
      if (!deviceClusters.has(d)) deviceClusters.set(d, new Set());
      if (it.cluster) deviceClusters.get(d)!.add(it.cluster);
    }
  }
  const deviceSubjects = new Aliases();
  for (const it of items) {
    if (it.cluster) {
      it.subject = `c:${it.cluster}`;
      continue;
    }
    const cs = new Set<string>();
    const own: string[] = [];
    for (const d of it.devices) {
      const set = deviceClusters.get(d)!;
      if (set.size === 1) cs.add([...set][0]!);
      else if (set.size === 0) own.push(d);
    }
    if (cs.size === 1) it.subject = `c:${[...cs][0]!}`;
    else if (cs.size === 0 && own.length) {
      for (const d of own) deviceSubjects.add(d);
      for (let i = 1; i < own.length; i++) deviceSubjects.union(own[0]!, own[i]!);
      it.subject = `d:${own[0]!}`;
    }
  }
  for (const it of items) if (it.subject?.startsWith('d:')) it.subject = `d:${deviceSubjects.find(it.subject.slice(2))}`;

  // Prevalence: how many subjects each entity appears with. One: it is part of that story; several:
  // shared infrastructure. Alerts without a subject count as one subject each (they may be anyone's).
  const keySubjects = new Map<string, Set<string>>();
  const keyItems = new Map<string, number[]>();
  const keyLoose = new Map<string, number>();
  items.forEach((it, i) => {
    for (const k of it.keys.keys()) {
      if (!keySubjects.has(k)) {
        keySubjects.set(k, new Set());
        keyItems.set(k, []);
        keyLoose.set(k, 0);
      }
      keyItems.get(k)!.push(i);
      if (it.subject) keySubjects.get(k)!.add(it.subject);
      else keyLoose.set(k, keyLoose.get(k)! + 1);
    }
  });
  const shared = new Map<string, number>();
  for (const [k, s] of [...keySubjects].sort(([a], [b]) => (a < b ? -1 : 1))) if (s.size >= 2) shared.set(k, s.size);

  // The items of a key whose activity may fall within [from, to]: keyItems are in start order.
  const keyMaxSpan = new Map<string, number>();
  for (const [k, idx] of keyItems) keyMaxSpan.set(k, Math.max(...idx.map(i => items[i]!.end - items[i]!.start)));
  const near = (k: string, from: number, to: number): number[] => {
    const idx = keyItems.get(k);
    if (!idx) return [];
    const lowStart = from - keyMaxSpan.get(k)!;
    let lo = 0;
    let hi = idx.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (items[idx[mid]!]!.start < lowStart) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let n = lo; n < idx.length && items[idx[n]!]!.start <= to; n++) out.push(idx[n]!);
    return out;
  };

  const union = new AlertUnion(items);

  // Each subject's story: its alerts chained in time.
  const bySubject = new Map<string, number[]>();
  items.forEach((it, i) => {
    if (!it.subject) return;
    if (!bySubject.has(it.subject)) bySubject.set(it.subject, []);
    bySubject.get(it.subject)!.push(i);
  });
  for (const [subject, idx] of [...bySubject].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const name = subject.slice(2);
    // The device through which an alert without identities belongs to the subject.
    const deviceOf = (it: Item) => it.devices.find(d => subject.startsWith('d:') || (deviceClusters.get(d)!.size === 1 && deviceClusters.get(d)!.has(name))) ?? name;
    chain(idx, items, W, (a, b) => {
      const x = items[a]!;
      const y = items[b]!;
      if (x.cluster !== null && y.cluster !== null) union.union(a, b, 'identity', name);
      else union.union(a, b, 'device', deviceOf(y.cluster === null ? y : x));
    });
  }

  // Alerts with no subject of their own (SYSTEM on a shared server, an alert naming only an IP or a
  // hash), in time order, join a story that touched one of their entities at most a day before (or
  // an hour after) them; for an alert on a device, only a story that reached that device. Preferred,
  // in order: the story that started the processes behind the alert (their process tree began right
  // after its alert on the device, e.g. an agent it installed); the most severe; the one sharing the
  // most specific entities (each weighs 1 / the number of subjects and subject-less alerts it appears
  // in); the one before rather than after; the closest in time. When two stories have equal claims
  // the alert is left alone; alerts left alone, or with nothing to join, group with each other by a
  // shared entity within the orphan window. An attributed alert counts as part of its story for the
  // alerts after it (the install on a server, then what the installed agent ran).
  const componentOf = items.map((it, i) => (it.subject ? union.find(i) : -1));
  const componentSeverity = new Map<number, number>();
  items.forEach((it, i) => {
    const r = componentOf[i]!;
    if (r >= 0) componentSeverity.set(r, Math.max(componentSeverity.get(r) ?? 0, it.severity));
  });
  interface Candidate { root: number; i: number; via: string; causal: number; sev: number; score: number; before: number; dist: number }
  const better = (c: Candidate, b: Candidate | null): boolean => {
    if (!b) return true;
    if (c.causal !== b.causal) return c.causal > b.causal;
    if (c.sev !== b.sev) return c.sev > b.sev;
    if (Math.abs(c.score - b.score) > 1e-9) return c.score > b.score;
    if (c.before !== b.before) return c.before > b.before;
    if (c.dist !== b.dist) return c.dist < b.dist;
    return c.root < b.root;
  };
  const orphans: number[] = [];
  const attributions: [number, number, string][] = [];
  items.forEach((it, i) => {
    if (it.subject) return;
    // What happened on a device can only be the doing of a story that reached that device.
    const onDevices = [...new Set(it.alert.sourceEvents.map(e => (e.deviceName ? `device:${deviceKey(e.deviceName)}` : '')).filter(Boolean))];
    let allowed: Set<number> | null = null;
    if (onDevices.length) {
      allowed = new Set();
      for (const d of onDevices) {
        for (const j of near(d, it.start - WA, it.end + WO)) {
          const c = items[j]!;
          if (componentOf[j]! < 0) continue;
          const before = c.start <= it.end;
          const dist = before ? Math.max(0, it.start - c.end) : c.start - it.end;
          if (dist <= (before ? WA : WO)) allowed.add(componentOf[j]!);
        }
      }
    }
    // Stories whose alert on one of those devices came right before a process behind this alert started.
    const causal = new Set<number>();
    const started = options.lineage?.(it.alert) ?? [];
    if (started.length && onDevices.length) {
      for (const d of onDevices) {
        for (const j of near(d, Math.min(...started) - LINEAGE_AFTER, Math.max(...started) + LINEAGE_BEFORE)) {
          const c = items[j]!;
          if (componentOf[j]! >= 0 && started.some(t => t >= c.start - LINEAGE_BEFORE && t <= c.end + LINEAGE_AFTER)) causal.add(componentOf[j]!);
        }
      }
    }
    const byRoot = new Map<number, Candidate>();
    for (const k of [...it.keys.keys()].sort()) {
      const weight = 1 / Math.max(1, keySubjects.get(k)!.size + keyLoose.get(k)! - 1);
      const counted = new Set<number>();
      for (const j of near(k, it.start - WA, it.end + WO)) {
        const r = componentOf[j]!;
        if (r < 0 || (allowed && !allowed.has(r))) continue;
        const c = items[j]!;
        const before = c.start <= it.end ? 1 : 0;
        const dist = before ? Math.max(0, it.start - c.end) : c.start - it.end;
        if (dist > (before ? WA : WO)) continue;
        let cand = byRoot.get(r);
        if (!cand) {
          cand = { root: r, i: j, via: k, causal: causal.has(r) ? 1 : 0, sev: componentSeverity.get(r) ?? 0, score: 0, before, dist };
          byRoot.set(r, cand);
        }
        if (!counted.has(r)) cand.score += weight;
        counted.add(r);
        if (before > cand.before || (before === cand.before && dist < cand.dist)) Object.assign(cand, { before, dist, i: j, via: k });
      }
    }
    let best: Candidate | null = null;
    for (const c of byRoot.values()) if (better(c, best)) best = c;
    // Two stories with equal claims (the same server, nothing more specific): it is not ours to guess.
    const tied = best && [...byRoot.values()].some(c => c !== best && c.causal === best!.causal && c.sev === best!.sev && Math.abs(c.score - best!.score) <= 1e-9 && c.before === best!.before);
    if (best && !tied) {
      attributions.push([i, best.i, best.via]);
      // From now on it is part of that story: later alerts may be attributed through it (the agent
      // an attributed install started, then what that agent ran).
      componentOf[i] = best.root;
      componentSeverity.set(best.root, Math.max(componentSeverity.get(best.root) ?? 0, it.severity));
    }
    else orphans.push(i);
  });
  for (const [i, j, via] of attributions) union.union(i, j, 'attribution', via);
  const orphanSet = new Set(orphans);
  const classRank = (c: KeyClass) => ARTIFACT_ORDER.indexOf(c);
  const orderedKeys = [...keySubjects.keys()].sort((a, b) => {
    const ca = classRank(items[keyItems.get(a)![0]!]!.keys.get(a)!);
    const cb = classRank(items[keyItems.get(b)![0]!]!.keys.get(b)!);
    return ca - cb || (a < b ? -1 : a > b ? 1 : 0);
  });
  for (const k of orderedKeys) {
    const idx = keyItems.get(k)!.filter(i => orphanSet.has(i));
    if (idx.length > 1) chain(idx, items, WO, (a, b) => union.union(a, b, 'orphan', k));
  }

  // Groups, oldest first; ids within a group by activity.
  const members = new Map<number, number[]>();
  items.forEach((_, i) => {
    const r = union.find(i);
    if (!members.has(r)) members.set(r, []);
    members.get(r)!.push(i);
  });
  const indexOf = new Map(items.map((it, i) => [it.id, i]));
  const linksByRoot = new Map<number, Link[]>();
  for (const l of union.links) {
    const r = union.find(indexOf.get(l.alertId)!);
    if (!linksByRoot.has(r)) linksByRoot.set(r, []);
    linksByRoot.get(r)!.push(l);
  }
  const groups = [...members].sort(([a], [b]) => a - b).map(([r, idx]) => ({
    alertIds: idx.sort((a, b) => a - b).map(i => items[i]!.id),
    links: (linksByRoot.get(r) ?? []).sort((x, y) => (x.alertId < y.alertId ? -1 : x.alertId > y.alertId ? 1 : 0)),
  }));
  return { groups, subjectless: items.filter(it => !it.subject).map(it => it.id).sort(), shared, nonLinkingIdentities };
}
