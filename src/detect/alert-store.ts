// Alerts in the store: written into Defender's AlertInfo and AlertEvidence tables (so that hunting
// queries, the seed's K among them, read them like Defender's own), plus chainhunt's record of each
// alert (rule, stages, entities, source events). An alert id is deterministic, so saving an alert
// again changes nothing.
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { Alert, AlertEntity, EntityKind } from './model.js';

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

/** Saves the alerts not already stored; returns how many were new. */
export async function saveAlerts(store: DuckDbStore, alerts: readonly Alert[]): Promise<number> {
  await ensureAlertTables(store);
  if (alerts.length === 0) return 0;
  const existing = new Set((await store.sql(`SELECT AlertId FROM ${ALERTS_TABLE}`)).map(r => String(r[0])));
  const fresh = [...new Map(alerts.filter(a => !existing.has(a.id)).map(a => [a.id, a])).values()];
  if (fresh.length === 0) return 0;
  const info: Record<string, unknown>[] = [];
  const evidence: Record<string, unknown>[] = [];
  for (const a of fresh) {
    const common = {
      Timestamp: a.lastActivity, AlertId: a.id, Title: a.title, ServiceSource: 'chainhunt', DetectionSource: 'Custom detection',
      AttackTechniques: JSON.stringify(a.techniques),
    };
    info.push({ ...common, Category: a.category, Severity: SEVERITY_WORD[a.severity] });
    for (const e of a.entities) {
      evidence.push({ ...common, Categories: JSON.stringify([a.category]), EntityType: EVIDENCE_TYPE[e.kind], EvidenceRole: 'Impacted', Severity: SEVERITY_WORD[a.severity], ...evidenceColumns(e) });
    }
  }
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
