// What an incident says about its alerts: title (in Defender's style), description, severity,
// activity times, the seed's stages and the MITRE tactics it covers, its entities, devices and users,
// and the products whose data raised its alerts.
import type { Alert, AlertEntity, Severity } from '../detect/model.js';
import { SEVERITIES } from '../detect/model.js';
import { deviceKey } from '../correlate/entities.js';
import { timeMicros } from '../correlate/cluster.js';

/** The seed's nine stages of the helpdesk-impersonation intrusion chain. */
export const SEED_STAGES: Readonly<Record<number, string>> = {
  1: 'Initial contact via Teams',
  2: 'Remote assistance foothold',
  3: 'Interactive reconnaissance',
  4: 'Payload placement and DLL side-loading',
  5: 'Registry-backed loader state',
  6: 'Command and control',
  7: 'Lateral movement over WinRM',
  8: 'Remote deployment of RMM tooling',
  9: 'Data exfiltration',
};

/** MITRE ATT&CK enterprise tactics in kill-chain order, as Defender names them in incident titles. */
const TACTICS: readonly [string, string, string][] = [
  ['reconnaissance', 'TA0043', 'Reconnaissance'],
  ['resourcedevelopment', 'TA0042', 'Resource development'],
  ['initialaccess', 'TA0001', 'Initial access'],
  ['execution', 'TA0002', 'Execution'],
  ['persistence', 'TA0003', 'Persistence'],
  ['privilegeescalation', 'TA0004', 'Privilege escalation'],
  ['defenseevasion', 'TA0005', 'Defense evasion'],
  ['credentialaccess', 'TA0006', 'Credential access'],
  ['discovery', 'TA0007', 'Discovery'],
  ['lateralmovement', 'TA0008', 'Lateral movement'],
  ['collection', 'TA0009', 'Collection'],
  ['commandandcontrol', 'TA0011', 'Command and control'],
  ['exfiltration', 'TA0010', 'Exfiltration'],
  ['impact', 'TA0040', 'Impact'],
];
const TACTIC_BY_KEY = new Map<string, { name: string; rank: number }>();
TACTICS.forEach(([key, id, name], rank) => {
  TACTIC_BY_KEY.set(key, { name, rank });
  TACTIC_BY_KEY.set(id.toLowerCase(), { name, rank });
});

/** A tactic under Defender's display name ("InitialAccess", "initial-access", "TA0001" → "Initial access"). */
export function tacticName(t: string): string {
  const key = t.toLowerCase().replace(/[^a-z0-9]/g, '');
  return TACTIC_BY_KEY.get(key)?.name ?? t.trim();
}

function tacticRank(name: string): number {
  return TACTIC_BY_KEY.get(name.toLowerCase().replace(/[^a-z0-9]/g, ''))?.rank ?? TACTICS.length;
}

function byTactic(a: string, b: string): number {
  return tacticRank(a) - tacticRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The product whose data a table holds (Microsoft Graph's serviceSource values). */
export function serviceSourceOfTable(table: string): string {
  if (/^Device/.test(table)) return 'microsoftDefenderForEndpoint';
  if (/^(Email|Message|UrlClick)/.test(table)) return 'microsoftDefenderForOffice365';
  if (/^CloudApp/.test(table)) return 'microsoftDefenderForCloudApps';
  if (/^Identity/.test(table)) return 'microsoftDefenderForIdentity';
  if (/^(AAD|EntraId)/.test(table)) return 'azureAdIdentityProtection';
  return 'microsoft365Defender';
}

/** The product an alert's evidence comes from: one product, or Microsoft 365 Defender when several. */
export function alertServiceSource(alert: Alert): string {
  const s = new Set(alert.sourceEvents.map(e => serviceSourceOfTable(e.table)));
  return s.size === 1 ? [...s][0]! : 'microsoft365Defender';
}

/** ISO-8601 UTC with seven fractional digits (Defender's form) from microseconds since the epoch. */
export function isoFromMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  const base = new Date(ms).toISOString(); // …:SS.mmmZ
  return `${base.slice(0, 23)}${String(rest).padStart(3, '0')}0Z`;
}

/** An ISO time in Defender's form (seven fractional digits, Z). */
export function normalizeTime(iso: string): string {
  return isoFromMicros(timeMicros(iso));
}

export function maxSeverity(severities: Iterable<Severity>): Severity {
  let best = 0;
  for (const s of severities) best = Math.max(best, SEVERITIES.indexOf(s));
  return SEVERITIES[best]!;
}

export interface IncidentSummary {
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly firstActivity: string;
  readonly lastActivity: string;
  /** The earliest alert creation (event time): when the incident came to be. */
  readonly createdTime: string;
  /** The latest alert creation (event time). */
  readonly lastAlertTime: string;
  readonly stages: readonly number[];
  readonly tactics: readonly string[];
  readonly entities: readonly AlertEntity[];
  readonly devices: readonly string[];
  readonly users: readonly string[];
  readonly serviceSources: readonly string[];
  readonly systemTags: readonly string[];
}

const USER_KINDS = new Set(['userUpn', 'userName', 'userObjectId', 'userSid', 'mailbox']);

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

export function summarize(alerts: readonly Alert[]): IncidentSummary {
  if (alerts.length === 0) throw new Error('an incident needs at least one alert');
  const sorted = [...alerts].sort((a, b) => timeMicros(a.firstActivity) - timeMicros(b.firstActivity) || (a.id < b.id ? -1 : 1));
  const first = Math.min(...alerts.map(a => timeMicros(a.firstActivity)));
  const last = Math.max(...alerts.map(a => timeMicros(a.lastActivity)));
  const created = Math.min(...alerts.map(a => timeMicros(a.createdTime)));
  const lastCreated = Math.max(...alerts.map(a => timeMicros(a.createdTime)));
  const stages = [...new Set(alerts.flatMap(a => a.stages))].filter(s => Number.isInteger(s)).sort((a, b) => a - b);
  const tactics = [...new Set(alerts.flatMap(a => a.tactics.map(tacticName)))].filter(Boolean).sort(byTactic);

  const entityKeys = new Set<string>();
  const entities: AlertEntity[] = [];
  for (const a of sorted) {
    for (const e of a.entities) {
      const k = `${e.kind}\u0000${e.kind === 'device' ? deviceKey(e.value) : e.value.toLowerCase()}`;
      if (e.value.trim() === '' || entityKeys.has(k)) continue;
      entityKeys.add(k);
      entities.push({ kind: e.kind, value: e.value });
    }
  }
  const deviceNames = new Map<string, string>();
  for (const e of entities) if (e.kind === 'device') deviceNames.set(deviceKey(e.value), e.value);
  for (const a of sorted) for (const s of a.sourceEvents) if (s.deviceName && !deviceNames.has(deviceKey(s.deviceName))) deviceNames.set(deviceKey(s.deviceName), s.deviceName);
  const devices = [...deviceNames.values()].sort();
  const upns = entities.filter(e => e.kind === 'userUpn' || e.kind === 'mailbox').map(e => e.value.toLowerCase());
  const users = [...new Set(upns.length ? upns : entities.filter(e => USER_KINDS.has(e.kind)).map(e => e.value.toLowerCase()))].sort();
  const serviceSources = [...new Set(alerts.map(alertServiceSource))].sort();
  const severity = maxSeverity(alerts.map(a => a.severity));

  // Title: a single kind of alert is named after it; several make a multi-stage incident named after
  // the tactics of its earliest and its most advanced stage of the chain.
  const titles = [...new Set(sorted.map(a => a.title))];
  const where = devices.length
    ? ` on ${plural(devices.length, 'one endpoint', 'multiple endpoints')}`
    : users.length ? ` involving ${plural(users.length, 'one user', 'multiple users')}` : '';
  const sources = serviceSources.length > 1 ? ' reported by multiple sources' : '';
  let title: string;
  const systemTags: string[] = [];
  if (titles.length === 1) {
    title = `${titles[0]}${where}`;
  } else {
    const named = titleTactics(sorted, tactics);
    title = named.length ? `Multi-stage incident involving ${named.join(' & ')}${where}${sources}` : `Multi-stage incident${where}${sources}`;
    systemTags.push('Multi-stage');
  }

  const lines = [
    `${alerts.length} ${plural(alerts.length, 'alert', 'alerts')} from ${isoFromMicros(first)} to ${isoFromMicros(last)}.`,
  ];
  if (stages.length) lines.push(`Stages of the intrusion chain: ${stages.map(s => `${s}. ${SEED_STAGES[s] ?? `stage ${s}`}`).join('; ')}.`);
  if (tactics.length) lines.push(`MITRE ATT&CK tactics: ${tactics.join(', ')}.`);
  if (devices.length) lines.push(`Devices: ${devices.join(', ')}.`);
  if (users.length) lines.push(`Users: ${users.join(', ')}.`);

  return {
    title,
    description: lines.join(' '),
    severity,
    firstActivity: isoFromMicros(first),
    lastActivity: isoFromMicros(last),
    createdTime: isoFromMicros(created),
    lastAlertTime: isoFromMicros(lastCreated),
    stages,
    tactics,
    entities,
    devices,
    users,
    serviceSources,
    systemTags,
  };
}

/** The tactics of the earliest and the most advanced seed stage (or, without stages, the first and last tactic). */
function titleTactics(sorted: readonly Alert[], tactics: readonly string[]): string[] {
  const staged = sorted.filter(a => a.stages.length && a.tactics.length);
  let pair: string[];
  if (staged.length) {
    const minStage = Math.min(...staged.flatMap(a => a.stages));
    const maxStage = Math.max(...staged.flatMap(a => a.stages));
    const tacticsAt = (s: number) => staged.filter(a => a.stages.includes(s)).flatMap(a => a.tactics.map(tacticName)).sort(byTactic);
    const early = tacticsAt(minStage);
    const late = tacticsAt(maxStage);
    pair = [early[0]!, late[late.length - 1]!];
  } else {
    pair = tactics.length ? [tactics[0]!, tactics[tactics.length - 1]!] : [];
  }
  return [...new Set(pair)];
}
