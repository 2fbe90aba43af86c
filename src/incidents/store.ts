// Incidents in the DuckDB file, beside the alerts:
//   _chainhunt_incidents           one row per incident: what correlation derives from its alerts
//                                  (title, severity, activity, stages, tactics, entities) and what
//                                  people set (status, classification, determination, assignment, tags)
//   _chainhunt_incident_alerts     which incident each alert belongs to
//   _chainhunt_incident_comments   analysts' comments
//   _chainhunt_incident_history    every change: by correlation (alerts joined, merged, reopened) or by people
//   _chainhunt_actions             (attack disruption's) response actions, read with their incidents
// Re-correlation rewrites only the derived columns, so people's changes survive it.
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { Alert, AlertEntity, Classification, IncidentComment, IncidentStatus, ResponseAction, Severity } from '../detect/model.js';
import { ALERTS_TABLE, ensureAlertTables } from '../detect/alert-store.js';
import type { Incident } from '../detect/model.js';
import { normalizeTime } from './summary.js';

export const INCIDENTS_TABLE = '_chainhunt_incidents';
export const INCIDENT_ALERTS_TABLE = '_chainhunt_incident_alerts';
export const INCIDENT_COMMENTS_TABLE = '_chainhunt_incident_comments';
export const INCIDENT_HISTORY_TABLE = '_chainhunt_incident_history';
export const ACTIONS_TABLE = '_chainhunt_actions';

export const INCIDENT_STATUSES: readonly IncidentStatus[] = ['active', 'inProgress', 'resolved', 'redirected'];
export const CLASSIFICATIONS: readonly Classification[] = ['unknown', 'falsePositive', 'truePositive', 'informationalExpectedActivity'];
/** Microsoft Graph's alertDetermination values (incident and alert pages together). */
export const DETERMINATIONS: readonly string[] = [
  'unknown', 'apt', 'malware', 'securityPersonnel', 'securityTesting', 'unwantedSoftware', 'other', 'multiStagedAttack',
  'compromisedUser', 'compromisedAccount', 'phishing', 'maliciousUserActivity', 'clean', 'insufficientData',
  'confirmedUserActivity', 'lineOfBusinessApplication', 'notMalicious', 'notEnoughDataToValidate', 'confirmedActivity',
];

/** An incident as stored: the shared Incident model plus what the store and the Graph form need. */
export interface StoredIncident extends Incident {
  readonly description: string;
  /** Tags chainhunt sets ("Multi-stage", "Attack Disruption"). */
  readonly systemTags: readonly string[];
  /** Tags people set. */
  readonly customTags: readonly string[];
  /** Set when the incident was merged into another (status redirected). */
  readonly redirectIncidentId: string | null;
  readonly resolvedTime: string | null;
  readonly devices: readonly string[];
  readonly users: readonly string[];
  readonly serviceSources: readonly string[];
  /** Response actions recorded on the incident (when asked for). */
  readonly actions?: readonly ResponseAction[];
}

export interface HistoryEntry {
  readonly incidentId: string;
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  readonly change: string;
  readonly oldValue: string | null;
  readonly newValue: string | null;
}

export async function ensureIncidentTables(store: DuckDbStore): Promise<void> {
  await ensureAlertTables(store);
  await store.sql(`CREATE TABLE IF NOT EXISTS ${INCIDENTS_TABLE} (
    IncidentId VARCHAR, Seq BIGINT, Title VARCHAR, Description VARCHAR, Severity VARCHAR, Status VARCHAR,
    Classification VARCHAR, Determination VARCHAR, AssignedTo VARCHAR, SystemTags JSON, CustomTags JSON,
    FirstActivity VARCHAR, LastActivity VARCHAR, CreatedTime VARCHAR, LastUpdateTime VARCHAR, ResolvedTime VARCHAR,
    Stages JSON, Tactics JSON, Entities JSON, Devices JSON, Users JSON, ServiceSources JSON, AlertCount INTEGER,
    RedirectIncidentId VARCHAR)`);
  await store.sql(`CREATE TABLE IF NOT EXISTS ${INCIDENT_ALERTS_TABLE} (AlertId VARCHAR, IncidentId VARCHAR, AddedTime VARCHAR)`);
  await store.sql(`CREATE TABLE IF NOT EXISTS ${INCIDENT_COMMENTS_TABLE} (IncidentId VARCHAR, Seq INTEGER, Comment VARCHAR, CreatedBy VARCHAR, CreatedTime VARCHAR)`);
  await store.sql(`CREATE TABLE IF NOT EXISTS ${INCIDENT_HISTORY_TABLE} (IncidentId VARCHAR, Seq INTEGER, Time VARCHAR, Actor VARCHAR, Change VARCHAR, OldValue VARCHAR, NewValue VARCHAR)`);
}

async function tableExists(store: DuckDbStore, name: string): Promise<boolean> {
  const rows = await store.sql(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1`, [name]);
  return Number(rows[0]![0]) > 0;
}

const INCIDENT_COLUMNS = `IncidentId, Title, Description, Severity, Status, Classification, Determination, AssignedTo,
  CAST(SystemTags AS VARCHAR), CAST(CustomTags AS VARCHAR), FirstActivity, LastActivity, CreatedTime, LastUpdateTime, ResolvedTime,
  CAST(Stages AS VARCHAR), CAST(Tactics AS VARCHAR), CAST(Entities AS VARCHAR), CAST(Devices AS VARCHAR), CAST(Users AS VARCHAR),
  CAST(ServiceSources AS VARCHAR), RedirectIncidentId`;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const json = <T>(v: unknown, fallback: T): T => (v === null || v === undefined || v === '' ? fallback : (JSON.parse(String(v)) as T));

function rowToIncident(r: unknown[], alertIds: readonly string[], comments: readonly IncidentComment[]): StoredIncident {
  const systemTags = json<string[]>(r[8], []);
  const customTags = json<string[]>(r[9], []);
  return {
    id: str(r[0]),
    title: str(r[1]),
    description: str(r[2]),
    severity: str(r[3]) as Severity,
    status: str(r[4]) as IncidentStatus,
    classification: str(r[5]) as Classification,
    determination: str(r[6]),
    assignedTo: str(r[7]),
    systemTags,
    customTags,
    tags: [...systemTags, ...customTags.filter(t => !systemTags.includes(t))],
    firstActivity: str(r[10]),
    lastActivity: str(r[11]),
    createdTime: str(r[12]),
    lastUpdateTime: str(r[13]),
    resolvedTime: r[14] === null || r[14] === undefined || r[14] === '' ? null : String(r[14]),
    stages: json<number[]>(r[15], []),
    tactics: json<string[]>(r[16], []),
    entities: json<AlertEntity[]>(r[17], []),
    devices: json<string[]>(r[18], []),
    users: json<string[]>(r[19], []),
    serviceSources: json<string[]>(r[20], []),
    redirectIncidentId: r[21] === null || r[21] === undefined || r[21] === '' ? null : String(r[21]),
    alertIds,
    comments,
  };
}

export interface ListOptions {
  /** Only these statuses (default: every status but redirected). */
  readonly status?: readonly IncidentStatus[];
  readonly severity?: readonly Severity[];
  /** Attach recorded response actions. */
  readonly includeActions?: boolean;
  /** Only these ids. */
  readonly ids?: readonly string[];
}

/** Incidents, most recent activity first (as Defender's queue). */
export async function listIncidents(store: DuckDbStore, options: ListOptions = {}): Promise<StoredIncident[]> {
  await ensureIncidentTables(store);
  const rows = await store.sql(`SELECT ${INCIDENT_COLUMNS} FROM ${INCIDENTS_TABLE} ORDER BY LastActivity DESC, Seq DESC`);
  const statuses = new Set(options.status ?? INCIDENT_STATUSES.filter(s => s !== 'redirected'));
  const severities = options.severity ? new Set(options.severity) : null;
  const ids = options.ids ? new Set(options.ids) : null;
  const chosen = rows.filter(r => statuses.has(str(r[4]) as IncidentStatus) && (!severities || severities.has(str(r[3]) as Severity)) && (!ids || ids.has(str(r[0]))));
  if (chosen.length === 0) return [];
  const alertIds = new Map<string, string[]>();
  for (const r of await store.sql(`SELECT m.IncidentId, m.AlertId FROM ${INCIDENT_ALERTS_TABLE} m LEFT JOIN ${ALERTS_TABLE} a ON a.AlertId = m.AlertId ORDER BY a.FirstActivity, m.AlertId`)) {
    const id = str(r[0]);
    if (!alertIds.has(id)) alertIds.set(id, []);
    alertIds.get(id)!.push(str(r[1]));
  }
  const comments = new Map<string, IncidentComment[]>();
  for (const r of await store.sql(`SELECT IncidentId, Comment, CreatedBy, CreatedTime FROM ${INCIDENT_COMMENTS_TABLE} ORDER BY IncidentId, Seq`)) {
    const id = str(r[0]);
    if (!comments.has(id)) comments.set(id, []);
    comments.get(id)!.push({ comment: str(r[1]), createdBy: str(r[2]), createdTime: str(r[3]) });
  }
  const actions = options.includeActions ? await loadActions(store) : null;
  return chosen.map(r => {
    const inc = rowToIncident(r, alertIds.get(str(r[0])) ?? [], comments.get(str(r[0])) ?? []);
    return actions ? { ...inc, actions: actions.filter(a => a.incidentId === inc.id) } : inc;
  });
}

/** One incident (whatever its status), or null. */
export async function getIncident(store: DuckDbStore, id: string, options: { includeActions?: boolean } = {}): Promise<StoredIncident | null> {
  const found = await listIncidents(store, { status: INCIDENT_STATUSES, ids: [id], includeActions: options.includeActions });
  return found[0] ?? null;
}

/** The alerts of an incident, oldest activity first. */
export async function incidentAlerts(store: DuckDbStore, id: string): Promise<Alert[]> {
  await ensureIncidentTables(store);
  const rows = await store.sql(`SELECT CAST(a.Alert AS VARCHAR) FROM ${INCIDENT_ALERTS_TABLE} m JOIN ${ALERTS_TABLE} a ON a.AlertId = m.AlertId
    WHERE m.IncidentId = $1 ORDER BY a.FirstActivity, a.AlertId`, [id]);
  return rows.map(r => JSON.parse(String(r[0])) as Alert);
}

/** Every stored alert by id. */
export async function alertsById(store: DuckDbStore): Promise<Map<string, Alert>> {
  await ensureAlertTables(store);
  const rows = await store.sql(`SELECT CAST(Alert AS VARCHAR) FROM ${ALERTS_TABLE}`);
  return new Map(rows.map(r => {
    const a = JSON.parse(String(r[0])) as Alert;
    return [a.id, a];
  }));
}

export async function incidentHistory(store: DuckDbStore, id: string): Promise<HistoryEntry[]> {
  await ensureIncidentTables(store);
  const rows = await store.sql(`SELECT IncidentId, Seq, Time, Actor, Change, OldValue, NewValue FROM ${INCIDENT_HISTORY_TABLE} WHERE IncidentId = $1 ORDER BY Seq`, [id]);
  return rows.map(r => ({
    incidentId: str(r[0]), seq: Number(r[1]), time: str(r[2]), actor: str(r[3]), change: str(r[4]),
    oldValue: r[5] === null ? null : String(r[5]), newValue: r[6] === null ? null : String(r[6]),
  }));
}

/** Appends to an incident's history. */
export async function recordHistory(store: DuckDbStore, id: string, time: string, actor: string, change: string, oldValue: string | null, newValue: string | null): Promise<void> {
  const seq = Number((await store.sql(`SELECT coalesce(max(Seq), 0) + 1 FROM ${INCIDENT_HISTORY_TABLE} WHERE IncidentId = $1`, [id]))[0]![0]);
  await store.sql(`INSERT INTO ${INCIDENT_HISTORY_TABLE} VALUES ($1, $2, $3, $4, $5, $6, $7)`, [id, seq, time, actor, change, oldValue, newValue]);
}

export class IncidentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncidentError';
  }
}

export interface IncidentChanges {
  readonly status?: IncidentStatus;
  readonly classification?: Classification;
  readonly determination?: string;
  readonly assignedTo?: string;
  readonly addTags?: readonly string[];
  readonly removeTags?: readonly string[];
  readonly comment?: string;
}

export interface ChangeOptions {
  /** Who makes the change (default "chainhunt"). */
  readonly by?: string;
  /** When (default: now, the wall clock: people's changes happen in real time). */
  readonly now?: Date;
}

function pick<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const found = allowed.find(a => a.toLowerCase() === value.trim().toLowerCase());
  if (!found) throw new IncidentError(`${what} must be one of ${allowed.join(', ')} (got "${value}")`);
  return found;
}

export function parseStatus(v: string): IncidentStatus {
  return pick(v, INCIDENT_STATUSES.filter(s => s !== 'redirected'), 'status');
}

export function parseClassification(v: string): Classification {
  return pick(v, CLASSIFICATIONS, 'classification');
}

export function parseDetermination(v: string): string {
  return pick(v, DETERMINATIONS, 'determination');
}

/**
 * Changes status, classification, determination, assignment or tags and/or adds a comment; each
 * change goes into the history. Returns the incident as it is afterwards.
 */
export async function updateIncident(store: DuckDbStore, id: string, changes: IncidentChanges, options: ChangeOptions = {}): Promise<StoredIncident> {
  await ensureIncidentTables(store);
  const before = await getIncident(store, id);
  if (!before) throw new IncidentError(`no incident ${id}`);
  const by = options.by ?? 'chainhunt';
  const now = normalizeTime((options.now ?? new Date()).toISOString());
  if (before.status === 'redirected' && (changes.status || changes.classification || changes.determination || changes.assignedTo !== undefined)) {
    throw new IncidentError(`incident ${id} was merged into incident ${before.redirectIncidentId}; change that one`);
  }
  const sets: string[] = [];
  const params: (string | null)[] = [];
  const history: [string, string | null, string | null][] = [];
  const set = (column: string, value: string | null, change: string, old: string | null) => {
    if (value === old) return;
    params.push(value);
    sets.push(`${column} = $${params.length}`);
    history.push([change, old, value]);
  };
  if (changes.status !== undefined) {
    const status = parseStatus(changes.status);
    set('Status', status, 'status', before.status);
    if (status === 'resolved' && before.status !== 'resolved') {
      params.push(now);
      sets.push(`ResolvedTime = $${params.length}`);
    }
    if (status !== 'resolved' && before.resolvedTime) sets.push('ResolvedTime = NULL');
  }
  if (changes.classification !== undefined) set('Classification', parseClassification(changes.classification), 'classification', before.classification);
  if (changes.determination !== undefined) set('Determination', parseDetermination(changes.determination), 'determination', before.determination);
  if (changes.assignedTo !== undefined) set('AssignedTo', changes.assignedTo, 'assignedTo', before.assignedTo);
  if (changes.addTags?.length || changes.removeTags?.length) {
    const remove = new Set((changes.removeTags ?? []).map(t => t.toLowerCase()));
    const tags = before.customTags.filter(t => !remove.has(t.toLowerCase()));
    for (const t of changes.addTags ?? []) if (t.trim() && !tags.some(x => x.toLowerCase() === t.trim().toLowerCase())) tags.push(t.trim());
    set('CustomTags', JSON.stringify(tags), 'customTags', JSON.stringify(before.customTags));
  }
  const comment = changes.comment?.trim();
  if (sets.length === 0 && !comment) return before;
  await store.sql('BEGIN TRANSACTION');
  try {
    if (sets.length) {
      params.push(now);
      sets.push(`LastUpdateTime = $${params.length}`);
      params.push(id);
      await store.sql(`UPDATE ${INCIDENTS_TABLE} SET ${sets.join(', ')} WHERE IncidentId = $${params.length}`, params);
      for (const [change, o, n] of history) await recordHistory(store, id, now, by, change, o, n);
    }
    if (comment) await insertComment(store, id, comment, by, now);
    await store.sql('COMMIT');
  } catch (e) {
    await store.sql('ROLLBACK');
    throw e;
  }
  return (await getIncident(store, id))!;
}

async function insertComment(store: DuckDbStore, id: string, comment: string, by: string, time: string): Promise<void> {
  const seq = Number((await store.sql(`SELECT coalesce(max(Seq), 0) + 1 FROM ${INCIDENT_COMMENTS_TABLE} WHERE IncidentId = $1`, [id]))[0]![0]);
  await store.sql(`INSERT INTO ${INCIDENT_COMMENTS_TABLE} VALUES ($1, $2, $3, $4, $5)`, [id, seq, comment, by, time]);
  await store.sql(`UPDATE ${INCIDENTS_TABLE} SET LastUpdateTime = greatest(LastUpdateTime, $1) WHERE IncidentId = $2`, [time, id]);
  await recordHistory(store, id, time, by, 'comment', null, comment);
}

export async function addIncidentComment(store: DuckDbStore, id: string, comment: string, options: ChangeOptions = {}): Promise<StoredIncident> {
  if (!comment.trim()) throw new IncidentError('the comment is empty');
  return updateIncident(store, id, { comment }, options);
}

/**
 * Adds tags chainhunt sets itself (system tags, e.g. "Attack Disruption"), stamped with `options.now`
 * (for automatic actions: the event time that triggered them).
 */
export async function addSystemTags(store: DuckDbStore, id: string, tags: readonly string[], options: ChangeOptions = {}): Promise<StoredIncident> {
  const before = await getIncident(store, id);
  if (!before) throw new IncidentError(`no incident ${id}`);
  const next = [...before.systemTags];
  for (const t of tags) if (t.trim() && !next.includes(t.trim())) next.push(t.trim());
  if (next.length === before.systemTags.length) return before;
  const now = normalizeTime((options.now ?? new Date()).toISOString());
  await store.sql(`UPDATE ${INCIDENTS_TABLE} SET SystemTags = CAST($1 AS JSON), LastUpdateTime = greatest(LastUpdateTime, $2) WHERE IncidentId = $3`, [JSON.stringify(next), now, id]);
  await recordHistory(store, id, now, options.by ?? 'chainhunt', 'systemTags', JSON.stringify(before.systemTags), JSON.stringify(next));
  return (await getIncident(store, id))!;
}

// ---- Response actions ------------------------------------------------------------------------
// Attack disruption owns the table (src/respond/store.ts) and records actions there; incidents read
// it when it exists. The reader adapts to the columns it finds: a column holding the whole action as
// JSON, or one column per field.

/**
 * Creates `_chainhunt_actions` with one column per ResponseAction field when it does not exist.
 * Attack disruption adds the columns it needs to whichever layout it finds.
 */
export async function ensureActionsTable(store: DuckDbStore): Promise<void> {
  await store.sql(`CREATE TABLE IF NOT EXISTS ${ACTIONS_TABLE} (
    ActionId VARCHAR, IncidentId VARCHAR, PolicyId VARCHAR, Action VARCHAR, TargetKind VARCHAR, TargetValue VARCHAR,
    Timestamp VARCHAR, Responder VARCHAR, Status VARCHAR, Detail VARCHAR)`);
}

async function actionColumns(store: DuckDbStore): Promise<string[]> {
  const rows = await store.sql(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 ORDER BY ordinal_position`, [ACTIONS_TABLE]);
  return rows.map(r => String(r[0]));
}

/** Every recorded response action (none when the table does not exist). */
export async function loadActions(store: DuckDbStore): Promise<ResponseAction[]> {
  if (!(await tableExists(store, ACTIONS_TABLE))) return [];
  const columns = await actionColumns(store);
  const rows = await store.sql(`SELECT ${columns.map(c => `CAST("${c.replace(/"/g, '""')}" AS VARCHAR)`).join(', ')} FROM ${ACTIONS_TABLE}`);
  const out: ResponseAction[] = [];
  for (const r of rows) {
    const rec: Record<string, string | null> = {};
    columns.forEach((c, i) => (rec[c.toLowerCase()] = r[i] === null || r[i] === undefined ? null : String(r[i])));
    // A column holding the whole action as JSON.
    const whole = Object.values(rec).find(v => v?.startsWith('{') && v.includes('"incidentId"'));
    if (whole) {
      try {
        out.push(JSON.parse(whole) as ResponseAction);
        continue;
      } catch { /* fall through to the columns */ }
    }
    let target: AlertEntity = { kind: (rec.targetkind ?? 'device') as AlertEntity['kind'], value: rec.targetvalue ?? '' };
    if (rec.target?.startsWith('{')) {
      try {
        target = JSON.parse(rec.target) as AlertEntity;
      } catch { /* keep the columns */ }
    }
    out.push({
      id: rec.actionid ?? rec.id ?? '',
      incidentId: rec.incidentid ?? '',
      policyId: rec.policyid ?? '',
      action: rec.action ?? rec.actiontype ?? '',
      target,
      timestamp: rec.timestamp ?? rec.time ?? '',
      responder: rec.responder ?? '',
      status: (rec.status ?? 'dryRun') as ResponseAction['status'],
      detail: rec.detail ?? '',
    });
  }
  return out.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.id < b.id ? -1 : 1));
}
