// Alerts in the store: written into Defender's AlertInfo and AlertEvidence tables (so that hunting
// queries, the seed's K among them, read them like Defender's own), plus chainhunt's record of each
// alert (rule, stages, entities, source events). An alert id is deterministic, so saving an alert
// again changes nothing.
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { Alert, AlertEntity, EntityKind, SourceEvent } from './model.js';

export const ALERTS_TABLE = '_chainhunt_alerts';

export async function ensureAlertTables(store: DuckDbStore): Promise<void> {
  await store.ensureTables(['AlertInfo', 'AlertEvidence']);
  await store.sql(`CREATE TABLE IF NOT EXISTS ${ALERTS_TABLE} (
    AlertId VARCHAR PRIMARY KEY, RuleId VARCHAR, FirstActivity TIMESTAMP, LastActivity TIMESTAMP, CreatedTime TIMESTAMP, Alert JSON)`);
}

const SEVERITY_WORD = { informational: 'Informational', low: 'Low', medium: 'Medium', high: 'High' } as const;

/** AlertEvidence's entity type for an entity kind. */
const EVIDENCE_TYPE: Record<EntityKind, string> = {
  device: 'Machine', userObjectId: 'User', userUpn: 'User', userSid: 'User', userName: 'User', ip: 'Ip', url: 'Url',
  file: 'File', fileHash: 'File', process: 'Process', registryValue: 'RegistryValue', teamsThread: 'CloudApplication', mailbox: 'Mailbox',
};

/** The AlertEvidence columns that hold an entity of each kind. */
function evidenceColumns(e: AlertEntity): Record<string, unknown> {
  switch (e.kind) {
    case 'device': return { DeviceName: e.value };
    case 'userObjectId': return { AccountObjectId: e.value };
    case 'userUpn': return { AccountUpn: e.value };
    case 'userSid': return { AccountSid: e.value };
    case 'userName': return { AccountName: e.value };
    case 'ip': return { RemoteIP: e.value };
    case 'url': return { RemoteUrl: e.value };
    case 'file': return { FileName: e.value.split('\\').pop(), FolderPath: e.value };
    case 'fileHash': return { SHA256: e.value };
    case 'process': return { ProcessCommandLine: e.value };
    case 'registryValue': {
      const cut = e.value.lastIndexOf('\\');
      return cut > 0 ? { RegistryKey: e.value.slice(0, cut), RegistryValueName: e.value.slice(cut + 1) } : { RegistryValueName: e.value };
    }
    case 'teamsThread': return { Application: 'Microsoft Teams', AdditionalFields: JSON.stringify({ ChatThreadId: e.value }) };
    case 'mailbox': return { AccountUpn: e.value };
  }
}

/** The AlertInfo and AlertEvidence rows of alerts (one AlertInfo row per alert, one AlertEvidence row per entity). */
export function alertTableRows(alerts: readonly Alert[]): { info: Record<string, unknown>[]; evidence: Record<string, unknown>[] } {
  const info: Record<string, unknown>[] = [];
  const evidence: Record<string, unknown>[] = [];
  for (const a of alerts) {
    const common = {
      Timestamp: a.lastActivity, AlertId: a.id, Title: a.title, ServiceSource: 'chainhunt', DetectionSource: 'Custom detection',
      AttackTechniques: JSON.stringify(a.techniques),
    };
    info.push({ ...common, Category: a.category, Severity: SEVERITY_WORD[a.severity] });
    for (const e of a.entities) {
      evidence.push({ ...common, Categories: JSON.stringify([a.category]), EntityType: EVIDENCE_TYPE[e.kind], EvidenceRole: 'Impacted', Severity: SEVERITY_WORD[a.severity], ...evidenceColumns(e) });
    }
  }
  return { info, evidence };
}

/** Saves the alerts not already stored; returns how many were new. */
export async function saveAlerts(store: DuckDbStore, alerts: readonly Alert[]): Promise<number> {
  await ensureAlertTables(store);
  if (alerts.length === 0) return 0;
  const existing = new Set((await store.sql(`SELECT AlertId FROM ${ALERTS_TABLE}`)).map(r => String(r[0])));
  const fresh = [...new Map(alerts.filter(a => !existing.has(a.id)).map(a => [a.id, a])).values()];
  if (fresh.length === 0) return 0;
  const { info, evidence } = alertTableRows(fresh);
  await store.sql('BEGIN TRANSACTION');
  try {
    await store.insertObjects('AlertInfo', info);
    await store.insertObjects('AlertEvidence', evidence);
    for (const a of fresh) {
      await store.sql(`INSERT INTO ${ALERTS_TABLE} VALUES ($1, $2, CAST($3 AS TIMESTAMP), CAST($4 AS TIMESTAMP), CAST($5 AS TIMESTAMP), CAST($6 AS JSON))`,
        [a.id, a.ruleId, a.firstActivity, a.lastActivity, a.createdTime, JSON.stringify(a)]);
    }
    await store.sql('COMMIT');
  } catch (e) {
    await store.sql('ROLLBACK');
    throw e;
  }
  return fresh.length;
}

/** Every stored alert, oldest activity first. */
export async function loadAlerts(store: DuckDbStore): Promise<Alert[]> {
  await ensureAlertTables(store);
  const rows = await store.sql(`SELECT CAST(Alert AS VARCHAR) FROM ${ALERTS_TABLE} ORDER BY FirstActivity, AlertId`);
  return rows.map(r => JSON.parse(String(r[0])) as Alert);
}

const eventKey = (e: SourceEvent) => `${e.table}\u0000${e.reportId}\u0000${e.timestamp}\u0000${e.deviceName}`;
const entityKey = (e: AlertEntity) => `${e.kind}\u0000${e.value}`;

/**
 * One alert from two sightings of it (same id): the union of their source events and entities, the
 * earliest first activity, the latest last activity, the first sighting's creation time; the rule's
 * fields from the newer one.
 */
export function combineAlerts(older: Alert, newer: Alert): Alert {
  const events = new Map<string, SourceEvent>();
  for (const e of [...older.sourceEvents, ...newer.sourceEvents]) events.set(eventKey(e), e);
  const entities = new Map<string, AlertEntity>();
  for (const e of [...older.entities, ...newer.entities]) entities.set(entityKey(e), e);
  const sourceEvents = [...events.values()].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : eventKey(a) < eventKey(b) ? -1 : eventKey(a) > eventKey(b) ? 1 : 0));
  return {
    ...newer,
    firstActivity: older.firstActivity < newer.firstActivity ? older.firstActivity : newer.firstActivity,
    lastActivity: older.lastActivity > newer.lastActivity ? older.lastActivity : newer.lastActivity,
    createdTime: older.createdTime < newer.createdTime ? older.createdTime : newer.createdTime,
    entities: [...entities.values()],
    sourceEvents,
  };
}

/** JSON with object keys sorted: two alerts are the same whatever order their fields were written in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function sameAlert(a: Alert, b: Alert): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Saves alerts, merging each into the stored alert of the same id (an alert seen again with more
 * evidence — a burst that grew, a detection re-run over a later window — gains the new source events
 * and entities; its AlertInfo and AlertEvidence rows are rewritten). Saving the same alerts again
 * changes nothing. Returns how many alerts were added and how many stored ones gained evidence.
 */
export async function mergeAlerts(store: DuckDbStore, alerts: readonly Alert[]): Promise<{ added: number; updated: number; ids: string[] }> {
  await ensureAlertTables(store);
  const batch = new Map<string, Alert>();
  for (const a of alerts) {
    const seen = batch.get(a.id);
    batch.set(a.id, seen ? combineAlerts(seen, a) : a);
  }
  if (batch.size === 0) return { added: 0, updated: 0, ids: [] };
  const existing = new Map<string, Alert>();
  const ids = [...batch.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = await store.sql(`SELECT AlertId, CAST(Alert AS VARCHAR) FROM ${ALERTS_TABLE} WHERE AlertId IN (${part.map((_, j) => `$${j + 1}`).join(', ')})`, part);
    for (const r of rows) existing.set(String(r[0]), JSON.parse(String(r[1])) as Alert);
  }
  const fresh: Alert[] = [];
  const changed: Alert[] = [];
  for (const a of batch.values()) {
    const old = existing.get(a.id);
    if (!old) fresh.push(a);
    else {
      const merged = combineAlerts(old, a);
      if (!sameAlert(merged, old)) changed.push(merged);
    }
  }
  const write = [...fresh, ...changed];
  if (write.length === 0) return { added: 0, updated: 0, ids };
  const { info, evidence } = alertTableRows(write);
  await store.sql('BEGIN TRANSACTION');
  try {
    for (const a of changed) {
      await store.sql('DELETE FROM AlertInfo WHERE AlertId = $1', [a.id]);
      await store.sql('DELETE FROM AlertEvidence WHERE AlertId = $1', [a.id]);
      await store.sql(`DELETE FROM ${ALERTS_TABLE} WHERE AlertId = $1`, [a.id]);
    }
    await store.insertObjects('AlertInfo', info);
    await store.insertObjects('AlertEvidence', evidence);
    for (const a of write) {
      await store.sql(`INSERT INTO ${ALERTS_TABLE} VALUES ($1, $2, CAST($3 AS TIMESTAMP), CAST($4 AS TIMESTAMP), CAST($5 AS TIMESTAMP), CAST($6 AS JSON))`,
        [a.id, a.ruleId, a.firstActivity, a.lastActivity, a.createdTime, JSON.stringify(a)]);
    }
    await store.sql('COMMIT');
  } catch (e) {
    await store.sql('ROLLBACK');
    throw e;
  }
  return { added: fresh.length, updated: changed.length, ids };
}
