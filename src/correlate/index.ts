// Correlation: the stored alerts grouped into incidents (clusterAlerts), then mapped onto the
// incidents already stored so that ids stay put: a group keeps the id of the incident its alerts
// were in; when a group holds the alerts of several incidents they merge into the oldest, the others
// are redirected to it (Microsoft Graph's status "redirected", redirectIncidentId) and the merge is
// recorded in both histories. New groups get the next number. What people changed (status,
// classification, assignment, tags, comments) is never rewritten; a resolved incident that gains
// alerts is reopened. Times that correlation writes are event times (the alerts' creation times), so
// replayed history reads as live data would.
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { Alert } from '../detect/model.js';
import { loadAlerts } from '../detect/alert-store.js';
import { clusterAlerts, type ClusterOptions, timeMicros } from './cluster.js';
import { deviceKey, urlHost, type KeyClass } from './entities.js';
import { summarize } from '../incidents/summary.js';
import {
  ensureIncidentTables, INCIDENT_ALERTS_TABLE, INCIDENT_COMMENTS_TABLE, INCIDENT_HISTORY_TABLE, INCIDENTS_TABLE, recordHistory,
} from '../incidents/store.js';

export { clusterAlerts, type ClusterOptions, type ClusterResult } from './cluster.js';

export interface CorrelationSummary {
  readonly alerts: number;
  /** Incidents holding alerts after this run (not counting redirected ones). */
  readonly incidents: number;
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly merged: readonly { readonly from: string; readonly into: string }[];
  readonly unchanged: number;
}

export interface CorrelateOptions extends ClusterOptions {
  /** Who correlation's history entries name (default "chainhunt"). */
  readonly actor?: string;
}

interface ExistingIncident {
  id: string;
  seq: number;
  status: string;
  createdTime: string;
  lastUpdateTime: string;
  systemTags: string[];
  customTags: string[];
  assignedTo: string;
  snapshot: string;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

async function tableHasRows(store: DuckDbStore, table: string): Promise<boolean> {
  const t = await store.sql(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1`, [table]);
  if (Number(t[0]![0]) === 0) return false;
  const r = await store.sql(`SELECT 1 FROM "${table}" LIMIT 1`);
  return r.length > 0;
}

/**
 * Keys the store knows about: the device behind an internal IP address (DeviceNetworkInfo, when the IP
 * belongs to exactly one device) and behind a URL whose host is a device's name (WinRM's
 * http://host:5985/wsman), so that an alert naming a host only by address links like one naming it.
 */
async function storeKeys(store: DuckDbStore, alerts: readonly Alert[]): Promise<(a: Alert) => { cls: KeyClass; key: string }[]> {
  const ips = new Set<string>();
  const hosts = new Set<string>();
  for (const a of alerts) {
    for (const e of a.entities) {
      if (e.kind === 'ip') ips.add(e.value.trim().toLowerCase());
      if (e.kind === 'url') hosts.add(deviceKey(urlHost(e.value)));
    }
  }
  const ipDevice = new Map<string, Set<string>>();
  const knownDevices = new Set<string>();
  try {
    if (ips.size && (await tableHasRows(store, 'DeviceNetworkInfo'))) {
      for (const r of await store.sql(`SELECT DISTINCT DeviceName, IPAddresses FROM DeviceNetworkInfo WHERE IPAddresses <> ''`)) {
        let list: unknown;
        try {
          list = JSON.parse(str(r[1]));
        } catch {
          continue;
        }
        if (!Array.isArray(list)) continue;
        for (const x of list) {
          const ip = str((x as { IPAddress?: unknown })?.IPAddress).toLowerCase();
          if (!ips.has(ip)) continue;
          if (!ipDevice.has(ip)) ipDevice.set(ip, new Set());
          ipDevice.get(ip)!.add(deviceKey(str(r[0])));
        }
      }
    }
    if (hosts.size && (await tableHasRows(store, 'DeviceInfo'))) {
      for (const r of await store.sql(`SELECT DISTINCT DeviceName FROM DeviceInfo`)) {
        const d = deviceKey(str(r[0]));
        if (hosts.has(d)) knownDevices.add(d);
      }
    }
  } catch {
    // Enrichment is best effort: correlation works from the alerts alone.
  }
  return (a: Alert) => {
    const out: { cls: KeyClass; key: string }[] = [];
    for (const e of a.entities) {
      if (e.kind === 'ip') {
        const devs = ipDevice.get(e.value.trim().toLowerCase());
        if (devs?.size === 1) out.push({ cls: 'device', key: `device:${[...devs][0]!}` });
      } else if (e.kind === 'url') {
        const d = deviceKey(urlHost(e.value));
        if (knownDevices.has(d)) out.push({ cls: 'device', key: `device:${d}` });
      }
    }
    return out;
  };
}

/** Tables whose rows name the process that acted and its parent, with their creation times. */
const LINEAGE_TABLES = ['DeviceProcessEvents', 'DeviceFileEvents', 'DeviceNetworkEvents', 'DeviceRegistryEvents', 'DeviceImageLoadEvents', 'DeviceEvents', 'DeviceLogonEvents'];

/**
 * When the processes behind the given alerts' events started: the InitiatingProcessCreationTime and
 * InitiatingProcessParentCreationTime of their source rows (µs), looked up by table, ReportId and device.
 */
async function lineageTimes(store: DuckDbStore, alerts: readonly Alert[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const wanted = new Map<string, Map<string, string[]>>(); // table -> "reportId|device" -> alert ids
  for (const a of alerts) {
    for (const e of a.sourceEvents) {
      if (!LINEAGE_TABLES.includes(e.table) || !e.deviceName) continue;
      if (!wanted.has(e.table)) wanted.set(e.table, new Map());
      const k = `${e.reportId}|${e.deviceName.toLowerCase()}`;
      const m = wanted.get(e.table)!;
      if (!m.has(k)) m.set(k, []);
      m.get(k)!.push(a.id);
    }
  }
  for (const [table, m] of wanted) {
    try {
      if (!(await tableHasRows(store, table))) continue;
      const ids = [...new Set([...m.keys()].map(k => k.slice(0, k.indexOf('|'))))];
      const rows = await store.sql(`SELECT CAST(ReportId AS VARCHAR), lower(DeviceName), epoch_us(InitiatingProcessCreationTime), epoch_us(InitiatingProcessParentCreationTime)
        FROM "${table}" WHERE CAST(ReportId AS VARCHAR) IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`, [JSON.stringify(ids)]);
      for (const r of rows) {
        const alertIds = m.get(`${str(r[0])}|${str(r[1])}`);
        if (!alertIds) continue;
        for (const id of alertIds) {
          if (!out.has(id)) out.set(id, []);
          for (const t of [r[2], r[3]]) if (t !== null && t !== undefined) out.get(id)!.push(Number(t));
        }
      }
    } catch {
      // Lineage is a refinement: without it, attribution falls back to severity, specificity and time.
    }
  }
  return out;
}

/** Correlates every stored alert into incidents and stores them; returns what changed. */
export async function correlate(store: DuckDbStore, options: CorrelateOptions = {}): Promise<CorrelationSummary> {
  await ensureIncidentTables(store);
  const alerts = await loadAlerts(store);
  const byId = new Map(alerts.map(a => [a.id, a]));
  const extraKeys = options.extraKeys ?? (await storeKeys(store, alerts));
  let result = clusterAlerts(alerts, { ...options, extraKeys });
  // Alerts without a subject of their own: where the telemetry says their processes came from.
  if (!options.lineage && result.subjectless.length) {
    const times = await lineageTimes(store, result.subjectless.map(id => byId.get(id)!));
    if (times.size) result = clusterAlerts(alerts, { ...options, extraKeys, lineage: a => times.get(a.id) ?? [] });
  }
  const actor = options.actor ?? 'chainhunt';

  // What is stored.
  const existing = new Map<string, ExistingIncident>();
  for (const r of await store.sql(`SELECT IncidentId, Seq, Status, CreatedTime, LastUpdateTime, CAST(SystemTags AS VARCHAR), CAST(CustomTags AS VARCHAR), AssignedTo,
      Title || '|' || Description || '|' || Severity || '|' || FirstActivity || '|' || LastActivity || '|' || CAST(Stages AS VARCHAR) || '|' || CAST(Tactics AS VARCHAR)
      || '|' || CAST(Entities AS VARCHAR) || '|' || CAST(Devices AS VARCHAR) || '|' || CAST(Users AS VARCHAR) || '|' || CAST(ServiceSources AS VARCHAR) || '|' || CAST(SystemTags AS VARCHAR)
      FROM ${INCIDENTS_TABLE}`)) {
    existing.set(str(r[0]), {
      id: str(r[0]), seq: Number(r[1]), status: str(r[2]), createdTime: str(r[3]), lastUpdateTime: str(r[4]),
      systemTags: JSON.parse(str(r[5]) || '[]') as string[], customTags: JSON.parse(str(r[6]) || '[]') as string[], assignedTo: str(r[7]), snapshot: str(r[8]),
    });
  }
  const membership = new Map<string, string>();
  for (const r of await store.sql(`SELECT AlertId, IncidentId FROM ${INCIDENT_ALERTS_TABLE}`)) membership.set(str(r[0]), str(r[1]));
  const alertsOf = new Map<string, Set<string>>();
  for (const [a, inc] of membership) {
    if (!alertsOf.has(inc)) alertsOf.set(inc, new Set());
    alertsOf.get(inc)!.add(a);
  }
  let nextSeq = Math.max(0, ...[...existing.values()].map(e => e.seq)) + 1;

  // Which group owns each stored incident: the one holding most of its alerts (the earlier on a tie).
  const groups = result.groups;
  const overlap = new Map<string, Map<number, number>>();
  groups.forEach((g, gi) => {
    for (const id of g.alertIds) {
      const inc = membership.get(id);
      if (!inc || !existing.has(inc) || existing.get(inc)!.status === 'redirected') continue;
      if (!overlap.has(inc)) overlap.set(inc, new Map());
      const m = overlap.get(inc)!;
      m.set(gi, (m.get(gi) ?? 0) + 1);
    }
  });
  const owned = new Map<number, string[]>();
  for (const [inc, m] of overlap) {
    const [gi] = [...m].sort(([ga, na], [gb, nb]) => nb - na || ga - gb)[0]!;
    if (!owned.has(gi)) owned.set(gi, []);
    owned.get(gi)!.push(inc);
  }
  // The older incident is the one created first (the lower number), whatever the event times of its alerts.
  const older = (a: ExistingIncident, b: ExistingIncident) => a.seq - b.seq;

  const created: string[] = [];
  const updated: string[] = [];
  const merged: { from: string; into: string }[] = [];
  let unchanged = 0;

  const fresh: Record<string, string | number>[] = [];
  const freshMembers: { AlertId: string; IncidentId: string; AddedTime: string; moved: boolean }[] = [];
  await store.sql('BEGIN TRANSACTION');
  try {
    for (let gi = 0; gi < groups.length; gi++) {
      const group = groups[gi]!;
      const groupAlerts = group.alertIds.map(id => byId.get(id)!);
      const s = summarize(groupAlerts);
      const eventTime = s.lastAlertTime;
      const mine = (owned.get(gi) ?? []).map(id => existing.get(id)!).sort(older);
      const target = mine[0];
      const derivedTags = (keep: readonly string[]) => {
        const tags = keep.filter(t => t !== 'Multi-stage');
        return [...s.systemTags.filter(t => !tags.includes(t)), ...tags];
      };

      if (!target) {
        // New incidents are written together at the end (one statement per table).
        const id = String(nextSeq);
        fresh.push({
          IncidentId: id, Seq: nextSeq, Title: s.title, Description: s.description, Severity: s.severity, SystemTags: JSON.stringify(s.systemTags),
          FirstActivity: s.firstActivity, LastActivity: s.lastActivity, CreatedTime: s.createdTime, LastUpdateTime: eventTime,
          Stages: JSON.stringify(s.stages), Tactics: JSON.stringify(s.tactics), Entities: JSON.stringify(s.entities), Devices: JSON.stringify(s.devices),
          Users: JSON.stringify(s.users), ServiceSources: JSON.stringify(s.serviceSources), AlertCount: groupAlerts.length,
          History: `${groupAlerts.length} alert${groupAlerts.length === 1 ? '' : 's'}: ${s.title}`,
        });
        for (const a of groupAlerts) freshMembers.push({ AlertId: a.id, IncidentId: id, AddedTime: a.createdTime, moved: membership.has(a.id) });
        for (const a of groupAlerts) membership.set(a.id, id);
        nextSeq++;
        created.push(id);
        continue;
      }

      // Merges: the other incidents this group owns are redirected into the oldest.
      let customTags = [...target.customTags];
      let assignedTo = target.assignedTo;
      for (const other of mine.slice(1)) {
        await store.sql(`UPDATE ${INCIDENTS_TABLE} SET Status = 'redirected', RedirectIncidentId = $1, AlertCount = 0, LastUpdateTime = greatest(LastUpdateTime, $2) WHERE IncidentId = $3`,
          [target.id, eventTime, other.id]);
        await store.sql(`UPDATE ${INCIDENTS_TABLE} SET CreatedTime = least(CreatedTime, $1) WHERE IncidentId = $2`, [other.createdTime, target.id]);
        await recordHistory(store, other.id, eventTime, actor, 'mergedInto', null, target.id);
        await recordHistory(store, target.id, eventTime, actor, 'merged', null, other.id);
        for (const t of other.customTags) if (!customTags.includes(t)) customTags.push(t);
        if (!assignedTo && other.assignedTo) assignedTo = other.assignedTo;
        // The merged incident's comments follow it.
        await store.sql(`INSERT INTO ${INCIDENT_COMMENTS_TABLE}
          SELECT $1, (SELECT coalesce(max(Seq), 0) FROM ${INCIDENT_COMMENTS_TABLE} WHERE IncidentId = $1) + Seq, '[from incident ' || $2 || '] ' || Comment, CreatedBy, CreatedTime
          FROM ${INCIDENT_COMMENTS_TABLE} WHERE IncidentId = $2`, [target.id, other.id]);
        other.status = 'redirected';
        merged.push({ from: other.id, into: target.id });
      }

      const before = alertsOf.get(target.id) ?? new Set<string>();
      const now = new Set(group.alertIds);
      const added = group.alertIds.filter(a => !before.has(a));
      const removed = [...before].filter(a => !now.has(a));
      const systemTags = derivedTags(target.systemTags);
      const snapshot = [s.title, s.description, s.severity, s.firstActivity, s.lastActivity, JSON.stringify(s.stages), JSON.stringify(s.tactics),
        JSON.stringify(s.entities), JSON.stringify(s.devices), JSON.stringify(s.users), JSON.stringify(s.serviceSources), JSON.stringify(systemTags)].join('|');
      const changed = added.length > 0 || removed.length > 0 || mine.length > 1 || normalizeJson(snapshot) !== normalizeJson(target.snapshot)
        || customTags.length !== target.customTags.length || assignedTo !== target.assignedTo;
      if (!changed) {
        unchanged++;
        continue;
      }
      const lastUpdate = target.lastUpdateTime > eventTime ? target.lastUpdateTime : eventTime;
      await store.sql(`UPDATE ${INCIDENTS_TABLE} SET Title = $1, Description = $2, Severity = $3, FirstActivity = $4, LastActivity = $5, Stages = CAST($6 AS JSON),
        Tactics = CAST($7 AS JSON), Entities = CAST($8 AS JSON), Devices = CAST($9 AS JSON), Users = CAST($10 AS JSON), ServiceSources = CAST($11 AS JSON),
        SystemTags = CAST($12 AS JSON), CustomTags = CAST($13 AS JSON), AssignedTo = $14, AlertCount = $15, LastUpdateTime = $16 WHERE IncidentId = $17`,
      [s.title, s.description, s.severity, s.firstActivity, s.lastActivity, JSON.stringify(s.stages), JSON.stringify(s.tactics), JSON.stringify(s.entities),
        JSON.stringify(s.devices), JSON.stringify(s.users), JSON.stringify(s.serviceSources), JSON.stringify(systemTags), JSON.stringify(customTags), assignedTo,
        groupAlerts.length, lastUpdate, target.id]);
      if (added.length) {
        await writeMembership(store, target.id, added.map(a => byId.get(a)!), membership);
        await recordHistory(store, target.id, eventTime, actor, 'alertsAdded', null, added.join(', '));
        if (target.status === 'resolved') {
          await store.sql(`UPDATE ${INCIDENTS_TABLE} SET Status = 'active', ResolvedTime = NULL WHERE IncidentId = $1`, [target.id]);
          await recordHistory(store, target.id, eventTime, actor, 'status', 'resolved', 'active');
        }
      }
      if (removed.length) await recordHistory(store, target.id, eventTime, actor, 'alertsRemoved', removed.join(', '), null);
      if (!target.snapshot.startsWith(`${s.title}|`)) await recordHistory(store, target.id, eventTime, actor, 'title', target.snapshot.split('|')[0] ?? null, s.title);
      updated.push(target.id);
    }
    if (fresh.length) {
      const text = (keys: string[]) => `{${keys.map(k => `"${k}":"VARCHAR"`).join(',')}}`;
      await store.sql(`INSERT INTO ${INCIDENTS_TABLE} SELECT r.IncidentId, CAST(r.Seq AS BIGINT), r.Title, r.Description, r.Severity, 'active', 'unknown', 'unknown', '',
          CAST(r.SystemTags AS JSON), CAST('[]' AS JSON), r.FirstActivity, r.LastActivity, r.CreatedTime, r.LastUpdateTime, NULL, CAST(r.Stages AS JSON),
          CAST(r.Tactics AS JSON), CAST(r.Entities AS JSON), CAST(r.Devices AS JSON), CAST(r.Users AS JSON), CAST(r.ServiceSources AS JSON), CAST(r.AlertCount AS INTEGER), NULL
        FROM (SELECT unnest(from_json($1, '[${text(Object.keys(fresh[0]!))}]')) AS r)`, [JSON.stringify(fresh.map(f => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, String(v)]))))]);
      await store.sql(`INSERT INTO ${INCIDENT_HISTORY_TABLE} SELECT r.IncidentId, 1, r.CreatedTime, $2, 'created', NULL, r.History
        FROM (SELECT unnest(from_json($1, '[${text(['IncidentId', 'CreatedTime', 'History'])}]')) AS r)`, [JSON.stringify(fresh.map(f => ({ IncidentId: f.IncidentId, CreatedTime: f.CreatedTime, History: f.History }))), actor]);
      const moved = freshMembers.filter(m => m.moved).map(m => m.AlertId);
      if (moved.length) await store.sql(`DELETE FROM ${INCIDENT_ALERTS_TABLE} WHERE AlertId IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`, [JSON.stringify(moved)]);
      await store.sql(`INSERT INTO ${INCIDENT_ALERTS_TABLE} SELECT r.AlertId, r.IncidentId, r.AddedTime FROM (SELECT unnest(from_json($1, '[${text(['AlertId', 'IncidentId', 'AddedTime'])}]')) AS r)`,
        [JSON.stringify(freshMembers.map(({ moved: _, ...m }) => m))]);
    }
    await store.sql('COMMIT');
  } catch (e) {
    await store.sql('ROLLBACK');
    throw e;
  }
  return { alerts: alerts.length, incidents: groups.length, created, updated, merged, unchanged };
}

function normalizeJson(s: string): string {
  return s.replace(/\s+/g, '');
}

async function writeMembership(store: DuckDbStore, incidentId: string, alerts: readonly Alert[], membership: Map<string, string>): Promise<void> {
  if (alerts.length === 0) return;
  const ids = JSON.stringify(alerts.map(a => a.id));
  const moved = alerts.filter(a => membership.has(a.id));
  if (moved.length) await store.sql(`DELETE FROM ${INCIDENT_ALERTS_TABLE} WHERE AlertId IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`, [JSON.stringify(moved.map(a => a.id))]);
  await store.sql(`INSERT INTO ${INCIDENT_ALERTS_TABLE} SELECT unnest(from_json($1, '["VARCHAR"]')), $2, unnest(from_json($3, '["VARCHAR"]'))`,
    [ids, incidentId, JSON.stringify(alerts.map(a => a.createdTime))]);
  for (const a of alerts) membership.set(a.id, incidentId);
}

export { timeMicros };
