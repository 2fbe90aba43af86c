// Incidents and alerts in the shape of the Microsoft Graph security API (v1.0 `security/incidents`
// with `$expand=alerts`): microsoft.graph.security.incident, alert, alertComment, and the alertEvidence
// types (deviceEvidence, userEvidence, processEvidence, fileEvidence, ipEvidence, urlEvidence,
// registryValueEvidence, mailboxEvidence, and the beta teamsMessageEvidence for chat threads), with
// Graph's property names, so SOAR tools read it as they read Graph.
//
// chainhunt's additions (documented in README): on each alert `sourceEvents` (the telemetry rows that
// raised it: table, reportId, timestamp, deviceName); on each incident `firstActivityDateTime`,
// `lastActivityDateTime`, `mitreTactics`, `seedStages` and `responseActions`.
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { Alert, AlertEntity, ResponseAction } from '../detect/model.js';
import { deviceKey, resolvePersons, userIdKey, isUserKind } from '../correlate/entities.js';
import { alertServiceSource, normalizeTime, SEED_STAGES } from './summary.js';
import type { StoredIncident } from './store.js';

export const GRAPH_INCIDENTS_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#security/incidents(alerts())';

/** What the store knows about a device (DeviceInfo, DeviceNetworkInfo), for deviceEvidence. */
export interface DeviceFacts {
  readonly deviceName: string;
  readonly deviceId: string | null;
  readonly aadDeviceId: string | null;
  readonly osPlatform: string | null;
  readonly osBuild: number | null;
  readonly osVersion: string | null;
  readonly machineGroup: string | null;
  readonly onboardingStatus: string | null;
  readonly firstSeen: string | null;
  readonly ipInterfaces: readonly string[];
  readonly loggedOnUsers: readonly { accountName: string; domainName: string | null }[];
}

export interface GraphContext {
  readonly tenantId: string | null;
  readonly devices: ReadonlyMap<string, DeviceFacts>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type GraphObject = { [k: string]: Json };

const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** Device facts for the named devices, from the store's DeviceInfo and DeviceNetworkInfo (when it has them). */
export async function graphContext(store: DuckDbStore, deviceNames: Iterable<string>, tenantId: string | null = null): Promise<GraphContext> {
  const wanted = new Set([...deviceNames].map(deviceKey).filter(Boolean));
  const devices = new Map<string, DeviceFacts>();
  if (wanted.size === 0) return { tenantId, devices };
  const has = async (t: string) => Number((await store.sql(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1`, [t]))[0]![0]) > 0;
  try {
    if (await has('DeviceInfo')) {
      const rows = await store.sql(`SELECT DeviceName, arg_max(DeviceId, Timestamp), arg_max(AadDeviceId, Timestamp), arg_max(OSPlatform, Timestamp),
          arg_max(OSBuild, Timestamp), arg_max(OSVersion, Timestamp), arg_max(MachineGroup, Timestamp), arg_max(OnboardingStatus, Timestamp),
          strftime(min(Timestamp), '%Y-%m-%dT%H:%M:%S.%fZ'), arg_max(LoggedOnUsers, Timestamp)
        FROM DeviceInfo GROUP BY DeviceName`);
      for (const r of rows) {
        const key = deviceKey(String(r[0] ?? ''));
        if (!wanted.has(key)) continue;
        let logged: { accountName: string; domainName: string | null }[] = [];
        try {
          const list = JSON.parse(String(r[9] ?? '[]')) as { UserName?: string; DomainName?: string }[];
          if (Array.isArray(list)) logged = list.filter(u => u?.UserName).map(u => ({ accountName: String(u.UserName), domainName: str(u.DomainName) }));
        } catch { /* not JSON */ }
        devices.set(key, {
          deviceName: String(r[0]), deviceId: str(r[1]), aadDeviceId: str(r[2]), osPlatform: str(r[3]),
          osBuild: r[4] === null || r[4] === undefined ? null : Number(r[4]), osVersion: str(r[5]), machineGroup: str(r[6]),
          onboardingStatus: str(r[7]), firstSeen: r[8] ? normalizeTime(String(r[8])) : null, ipInterfaces: [], loggedOnUsers: logged,
        });
      }
    }
    if (devices.size && (await has('DeviceNetworkInfo'))) {
      const ips = new Map<string, Set<string>>();
      for (const r of await store.sql(`SELECT DISTINCT DeviceName, IPAddresses FROM DeviceNetworkInfo WHERE IPAddresses <> ''`)) {
        const key = deviceKey(String(r[0] ?? ''));
        if (!devices.has(key)) continue;
        try {
          const list = JSON.parse(String(r[1])) as { IPAddress?: string }[];
          if (!Array.isArray(list)) continue;
          if (!ips.has(key)) ips.set(key, new Set());
          for (const x of list) if (x?.IPAddress) ips.get(key)!.add(String(x.IPAddress));
        } catch { /* not JSON */ }
      }
      for (const [key, set] of ips) devices.set(key, { ...devices.get(key)!, ipInterfaces: [...set].sort() });
    }
  } catch {
    // Facts are optional: evidence is complete without them, with nulls.
  }
  return { tenantId, devices };
}

/** The evidence properties every alertEvidence type has. */
function base(type: string, alert: Alert, extra: { roles?: string[]; detailedRoles?: string[] } = {}): GraphObject {
  return {
    '@odata.type': `#microsoft.graph.security.${type}`,
    createdDateTime: normalizeTime(alert.createdTime),
    verdict: 'unknown',
    remediationStatus: 'none',
    remediationStatusDetails: null,
    roles: extra.roles ?? [],
    detailedRoles: extra.detailedRoles ?? [],
    tags: [],
  };
}

function userAccount(ids: readonly AlertEntity[]): GraphObject {
  const first = (k: AlertEntity['kind']) => ids.find(e => e.kind === k)?.value ?? null;
  const name = first('userName');
  const slash = name?.lastIndexOf('\\') ?? -1;
  const upn = first('userUpn') ?? first('mailbox');
  return {
    accountName: name ? name.slice(slash + 1) : upn ? upn.split('@')[0]! : null,
    azureAdUserId: first('userObjectId'),
    displayName: null,
    domainName: name && slash > 0 ? name.slice(0, slash) : null,
    userPrincipalName: upn,
    userSid: first('userSid'),
  };
}

/** The executable a command line starts: `"C:\x\y.exe" args` or `y.exe args`. */
export function imageOf(commandLine: string): { fileName: string | null; filePath: string | null } {
  const cl = commandLine.trim();
  let exe: string;
  if (cl.startsWith('"')) exe = cl.slice(1, cl.indexOf('"', 1) > 0 ? cl.indexOf('"', 1) : undefined);
  else {
    const m = /^(.+?\.(?:exe|com|bat|cmd|ps1|msi|dll|scr))(?=\s|$)/i.exec(cl);
    exe = m ? m[1]! : cl.split(/\s+/)[0] ?? '';
  }
  if (!exe) return { fileName: null, filePath: null };
  const cut = Math.max(exe.lastIndexOf('\\'), exe.lastIndexOf('/'));
  return cut >= 0 ? { fileName: exe.slice(cut + 1), filePath: exe.slice(0, cut) } : { fileName: exe, filePath: null };
}

function fileDetails(path: string | null, hash: string | null): GraphObject {
  let fileName: string | null = null;
  let filePath: string | null = null;
  if (path) {
    const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
    fileName = cut >= 0 ? path.slice(cut + 1) : path;
    filePath = cut >= 0 ? path.slice(0, cut) : null;
  }
  const h = hash?.trim().toLowerCase() ?? null;
  return {
    fileName,
    filePath,
    filePublisher: null,
    fileSize: null,
    issuer: null,
    md5: h && h.length === 32 ? h : null,
    sha1: h && h.length === 40 ? h : null,
    sha256: h && h.length === 64 ? h : null,
    signer: null,
  };
}

/** The Graph evidence of an alert's entities. */
export function alertEvidence(alert: Alert, ctx: GraphContext): GraphObject[] {
  const out: GraphObject[] = [];
  const eventDevices = new Set(alert.sourceEvents.map(s => deviceKey(s.deviceName)).filter(Boolean));
  const deviceNames = new Map<string, string>();
  for (const e of alert.entities) if (e.kind === 'device' && e.value.trim()) if (!deviceNames.has(deviceKey(e.value))) deviceNames.set(deviceKey(e.value), e.value.trim());
  for (const s of alert.sourceEvents) if (s.deviceName && !deviceNames.has(deviceKey(s.deviceName))) deviceNames.set(deviceKey(s.deviceName), s.deviceName);
  const onlyDevice = deviceNames.size === 1 ? ctx.devices.get([...deviceNames.keys()][0]!)?.deviceId ?? null : null;

  // Users: the identifiers the alert shows together are one person.
  const userEntities = alert.entities.filter(e => isUserKind(e.kind) && e.value.trim());
  const persons = resolvePersons([alert]);
  const byPerson = new Map<string, AlertEntity[]>();
  for (const e of userEntities) {
    const root = persons.find(userIdKey(e)!);
    if (!byPerson.has(root)) byPerson.set(root, []);
    if (!byPerson.get(root)!.some(x => x.kind === e.kind && x.value === e.value)) byPerson.get(root)!.push(e);
  }
  const accounts = [...byPerson.values()];
  const onlyAccount = accounts.length === 1 ? userAccount(accounts[0]!) : null;

  for (const [key, name] of [...deviceNames].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const f = ctx.devices.get(key);
    out.push({
      ...base('deviceEvidence', alert, { detailedRoles: eventDevices.has(key) ? ['Device where the activity was observed'] : ['Device named by the alert'] }),
      azureAdDeviceId: f?.aadDeviceId ?? null,
      defenderAvStatus: 'unknown',
      deviceDnsName: f?.deviceName ?? name,
      firstSeenDateTime: f?.firstSeen ?? null,
      healthStatus: 'unknown',
      ipInterfaces: [...(f?.ipInterfaces ?? [])],
      loggedOnUsers: (f?.loggedOnUsers ?? []).map(u => ({ accountName: u.accountName, domainName: u.domainName })),
      mdeDeviceId: f?.deviceId ?? null,
      onboardingStatus: f?.onboardingStatus === 'Onboarded' ? 'onboarded' : f ? 'insufficientInfo' : 'insufficientInfo',
      osBuild: f?.osBuild ?? null,
      osPlatform: f?.osPlatform ?? null,
      rbacGroupId: null,
      rbacGroupName: f?.machineGroup ?? null,
      riskScore: alert.severity === 'high' || alert.severity === 'medium' || alert.severity === 'low' || alert.severity === 'informational' ? alert.severity : 'none',
      version: f?.osVersion ?? null,
      vmMetadata: null,
    });
  }
  for (const ids of accounts) {
    const mailbox = ids.find(e => e.kind === 'mailbox');
    if (mailbox) {
      out.push({
        ...base('mailboxEvidence', alert),
        displayName: null,
        primaryAddress: mailbox.value,
        upn: ids.find(e => e.kind === 'userUpn')?.value ?? mailbox.value,
        userAccount: userAccount(ids),
      });
    } else {
      out.push({ ...base('userEvidence', alert), userAccount: userAccount(ids) });
    }
  }
  for (const e of alert.entities.filter(x => x.kind === 'process' && x.value.trim())) {
    const img = imageOf(e.value);
    out.push({
      ...base('processEvidence', alert),
      detectionStatus: 'detected',
      imageFile: fileDetails(img.filePath ? `${img.filePath}\\${img.fileName}` : img.fileName, null),
      mdeDeviceId: onlyDevice,
      parentProcessCreationDateTime: null,
      parentProcessId: null,
      parentProcessImageFile: null,
      processCommandLine: e.value,
      processCreationDateTime: null,
      processId: null,
      userAccount: onlyAccount,
    });
  }
  const files = alert.entities.filter(x => x.kind === 'file' && x.value.trim()).map(x => x.value);
  const hashes = alert.entities.filter(x => x.kind === 'fileHash' && x.value.trim()).map(x => x.value);
  const pairs: [string | null, string | null][] = files.length === 1 && hashes.length === 1
    ? [[files[0]!, hashes[0]!]]
    : [...files.map(f => [f, null] as [string, null]), ...hashes.map(h => [null, h] as [null, string])];
  for (const [path, hash] of pairs) {
    out.push({ ...base('fileEvidence', alert), detectionStatus: 'detected', fileDetails: fileDetails(path, hash), mdeDeviceId: onlyDevice });
  }
  for (const e of alert.entities.filter(x => x.kind === 'ip' && x.value.trim())) {
    out.push({ ...base('ipEvidence', alert), countryLetterCode: null, ipAddress: e.value.trim() });
  }
  for (const e of alert.entities.filter(x => x.kind === 'url' && x.value.trim())) {
    out.push({ ...base('urlEvidence', alert), url: e.value.trim() });
  }
  for (const e of alert.entities.filter(x => x.kind === 'registryValue' && x.value.trim())) {
    const v = e.value.trim();
    const cut = v.lastIndexOf('\\');
    const key = cut > 0 ? v.slice(0, cut) : v;
    out.push({
      ...base('registryValueEvidence', alert),
      mdeDeviceId: onlyDevice,
      registryHive: key.split('\\')[0]!.toUpperCase().startsWith('HK') ? key.split('\\')[0]!.toUpperCase() : null,
      registryKey: key,
      registryValue: null,
      registryValueName: cut > 0 ? v.slice(cut + 1) : null,
      registryValueType: null,
    });
  }
  for (const e of alert.entities.filter(x => x.kind === 'teamsThread' && x.value.trim())) {
    out.push({
      ...base('teamsMessageEvidence', alert),
      campaignId: null, channelId: null, deliveryAction: 'unknown', deliveryLocation: 'unknown', files: [], groupId: null,
      isExternal: null, isOwned: null, lastModifiedDateTime: null, messageDirection: null, messageId: null, owningTenantId: null,
      parentMessageId: null, receivedDateTime: null, recipients: [], senderFromAddress: null, senderIP: null, sourceAppName: null,
      sourceId: null, subject: null, suspiciousRecipients: [], threadId: e.value.trim(), threadType: 'Chat', urls: [],
    });
  }
  return out;
}

/** MITRE technique ids in an alert's techniques ("DLL Side-Loading (T1574.002)" → T1574.002). */
export function techniqueIds(techniques: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of techniques) {
    const m = t.toUpperCase().match(/\bT\d{4}(?:\.\d{3})?\b/g);
    for (const id of m ?? []) if (!out.includes(id)) out.push(id);
  }
  return out;
}

const ALERT_STATUS: Record<string, string> = { active: 'new', inProgress: 'inProgress', resolved: 'resolved', redirected: 'new' };

export function alertToGraph(alert: Alert, incident: StoredIncident, ctx: GraphContext): GraphObject {
  const created = normalizeTime(alert.createdTime);
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id: alert.id,
    providerAlertId: alert.id,
    incidentId: incident.redirectIncidentId ?? incident.id,
    status: ALERT_STATUS[incident.status] ?? 'new',
    severity: alert.severity,
    classification: incident.classification,
    determination: incident.determination,
    serviceSource: alertServiceSource(alert),
    detectionSource: 'customDetection',
    detectorId: alert.ruleId,
    tenantId: ctx.tenantId,
    title: alert.title,
    description: alert.description,
    recommendedActions: alert.responseActions.length ? alert.responseActions.join('\n') : null,
    category: alert.category,
    assignedTo: incident.assignedTo || null,
    alertWebUrl: null,
    incidentWebUrl: null,
    actorDisplayName: null,
    threatDisplayName: null,
    threatFamilyName: null,
    mitreTechniques: techniqueIds(alert.techniques),
    createdDateTime: created,
    lastUpdateDateTime: incident.lastUpdateTime > created ? incident.lastUpdateTime : created,
    resolvedDateTime: incident.status === 'resolved' ? incident.resolvedTime : null,
    firstActivityDateTime: normalizeTime(alert.firstActivity),
    lastActivityDateTime: normalizeTime(alert.lastActivity),
    comments: [],
    evidence: alertEvidence(alert, ctx),
    systemTags: [],
    sourceEvents: alert.sourceEvents.map(s => ({ table: s.table, reportId: s.reportId, timestamp: normalizeTime(s.timestamp), deviceName: s.deviceName })),
  };
}

function actionToGraph(a: ResponseAction): GraphObject {
  return {
    id: a.id, policyId: a.policyId, action: a.action, target: { kind: a.target.kind, value: a.target.value },
    timestamp: normalizeTime(a.timestamp), responder: a.responder, status: a.status, detail: a.detail,
  };
}

export function incidentToGraph(incident: StoredIncident, alerts: readonly Alert[] | null, ctx: GraphContext): GraphObject {
  const out: GraphObject = {
    '@odata.type': '#microsoft.graph.security.incident',
    id: incident.id,
    incidentWebUrl: null,
    tenantId: ctx.tenantId,
    redirectIncidentId: incident.redirectIncidentId,
    displayName: incident.title,
    createdDateTime: incident.createdTime,
    lastUpdateDateTime: incident.lastUpdateTime,
    assignedTo: incident.assignedTo || null,
    classification: incident.classification,
    determination: incident.determination,
    status: incident.status,
    severity: incident.severity,
    customTags: [...incident.customTags],
    comments: incident.comments.map(c => ({
      '@odata.type': '#microsoft.graph.security.alertComment',
      comment: c.comment,
      createdByDisplayName: c.createdBy,
      createdDateTime: c.createdTime,
    })),
    systemTags: [...incident.systemTags],
    description: incident.description,
    firstActivityDateTime: incident.firstActivity,
    lastActivityDateTime: incident.lastActivity,
    mitreTactics: [...incident.tactics],
    seedStages: incident.stages.map(s => ({ stage: s, name: SEED_STAGES[s] ?? `stage ${s}` })),
    responseActions: (incident.actions ?? []).map(actionToGraph),
  };
  if (alerts) out.alerts = alerts.map(a => alertToGraph(a, incident, ctx));
  return out;
}

/** `GET /security/incidents?$expand=alerts`: the collection with its context. */
export function incidentsToGraph(items: readonly { incident: StoredIncident; alerts: readonly Alert[] }[], ctx: GraphContext): GraphObject {
  return {
    '@odata.context': GRAPH_INCIDENTS_CONTEXT,
    value: items.map(x => incidentToGraph(x.incident, x.alerts, ctx)),
  };
}
