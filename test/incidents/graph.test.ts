// The JSON of `chainhunt incidents --format json` against Microsoft Graph's security API reference:
// every object has exactly the properties the docs list for its type (plus chainhunt's documented
// additions), and enumerations take only the documented values.
// Field lists from learn.microsoft.com/graph/api/resources/: security-incident, security-alert,
// security-alertcomment, security-alertevidence, security-deviceevidence, security-userevidence,
// security-useraccount, security-loggedonuser, security-processevidence, security-fileevidence,
// security-filedetails, security-ipevidence, security-urlevidence, security-registryvalueevidence,
// security-mailboxevidence (v1.0) and security-teamsmessageevidence (beta).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../src/store/duckdb-store.js';
import { saveAlerts } from '../../src/detect/alert-store.js';
import { correlate } from '../../src/correlate/index.js';
import { exportIncidentsGraph, updateIncident, imageOf, techniqueIds, type GraphObject } from '../../src/incidents/index.js';
import { alert } from '../correlate/alerts.js';
import { intrusion, victim } from '../correlate/scenario.js';

const INCIDENT = ['@odata.type', 'id', 'incidentWebUrl', 'tenantId', 'redirectIncidentId', 'displayName', 'createdDateTime', 'lastUpdateDateTime',
  'assignedTo', 'classification', 'determination', 'status', 'severity', 'customTags', 'comments', 'systemTags', 'description'];
const INCIDENT_RELATIONSHIPS = ['alerts'];
const INCIDENT_ADDITIONS = ['firstActivityDateTime', 'lastActivityDateTime', 'mitreTactics', 'seedStages', 'responseActions'];
const ALERT = ['@odata.type', 'id', 'providerAlertId', 'incidentId', 'status', 'severity', 'classification', 'determination', 'serviceSource',
  'detectionSource', 'detectorId', 'tenantId', 'title', 'description', 'recommendedActions', 'category', 'assignedTo', 'alertWebUrl',
  'incidentWebUrl', 'actorDisplayName', 'threatDisplayName', 'threatFamilyName', 'mitreTechniques', 'createdDateTime', 'lastUpdateDateTime',
  'resolvedDateTime', 'firstActivityDateTime', 'lastActivityDateTime', 'comments', 'evidence', 'systemTags'];
const ALERT_ADDITIONS = ['sourceEvents'];
const COMMENT = ['@odata.type', 'comment', 'createdByDisplayName', 'createdDateTime'];
const EVIDENCE_BASE = ['@odata.type', 'createdDateTime', 'verdict', 'remediationStatus', 'remediationStatusDetails', 'roles', 'detailedRoles', 'tags'];
const EVIDENCE: Record<string, string[]> = {
  deviceEvidence: ['azureAdDeviceId', 'defenderAvStatus', 'deviceDnsName', 'firstSeenDateTime', 'healthStatus', 'ipInterfaces', 'loggedOnUsers',
    'mdeDeviceId', 'onboardingStatus', 'osBuild', 'osPlatform', 'rbacGroupId', 'rbacGroupName', 'riskScore', 'version', 'vmMetadata'],
  userEvidence: ['userAccount'],
  processEvidence: ['detectionStatus', 'imageFile', 'mdeDeviceId', 'parentProcessCreationDateTime', 'parentProcessId', 'parentProcessImageFile',
    'processCommandLine', 'processCreationDateTime', 'processId', 'userAccount'],
  fileEvidence: ['detectionStatus', 'fileDetails', 'mdeDeviceId'],
  ipEvidence: ['countryLetterCode', 'ipAddress'],
  urlEvidence: ['url'],
  registryValueEvidence: ['mdeDeviceId', 'registryHive', 'registryKey', 'registryValue', 'registryValueName', 'registryValueType'],
  mailboxEvidence: ['displayName', 'primaryAddress', 'upn', 'userAccount'],
  teamsMessageEvidence: ['campaignId', 'channelId', 'deliveryAction', 'deliveryLocation', 'files', 'groupId', 'isExternal', 'isOwned',
    'lastModifiedDateTime', 'messageDirection', 'messageId', 'owningTenantId', 'parentMessageId', 'receivedDateTime', 'recipients',
    'senderFromAddress', 'senderIP', 'sourceAppName', 'sourceId', 'subject', 'suspiciousRecipients', 'threadId', 'threadType', 'urls'],
};
const USER_ACCOUNT = ['accountName', 'azureAdUserId', 'displayName', 'domainName', 'userPrincipalName', 'userSid'];
const LOGGED_ON_USER = ['accountName', 'domainName'];
const FILE_DETAILS = ['fileName', 'filePath', 'filePublisher', 'fileSize', 'issuer', 'md5', 'sha1', 'sha256', 'signer'];
const SOURCE_EVENT = ['table', 'reportId', 'timestamp', 'deviceName'];

const ENUMS = {
  incidentStatus: ['active', 'resolved', 'inProgress', 'redirected', 'unknownFutureValue', 'awaitingAction'],
  severity: ['unknown', 'informational', 'low', 'medium', 'high', 'unknownFutureValue'],
  classification: ['unknown', 'falsePositive', 'truePositive', 'informationalExpectedActivity', 'unknownFutureValue'],
  determination: ['unknown', 'apt', 'malware', 'securityPersonnel', 'securityTesting', 'unwantedSoftware', 'other', 'multiStagedAttack',
    'compromisedUser', 'compromisedAccount', 'phishing', 'maliciousUserActivity', 'clean', 'insufficientData', 'confirmedUserActivity',
    'lineOfBusinessApplication', 'notMalicious', 'notEnoughDataToValidate', 'confirmedActivity', 'unknownFutureValue'],
  alertStatus: ['unknown', 'new', 'inProgress', 'resolved', 'unknownFutureValue'],
  serviceSource: ['unknown', 'microsoftDefenderForEndpoint', 'microsoftDefenderForIdentity', 'microsoftDefenderForCloudApps', 'microsoftDefenderForOffice365',
    'microsoft365Defender', 'azureAdIdentityProtection', 'microsoftAppGovernance', 'dataLossPrevention', 'unknownFutureValue', 'microsoftDefenderForCloud'],
  detectionSource: ['unknown', 'microsoftDefenderForEndpoint', 'antivirus', 'smartScreen', 'customTi', 'microsoftDefenderForOffice365', 'automatedInvestigation',
    'microsoftThreatExperts', 'customDetection', 'microsoftDefenderForIdentity', 'cloudAppSecurity', 'microsoft365Defender', 'azureAdIdentityProtection', 'manual'],
  verdict: ['unknown', 'suspicious', 'malicious', 'noThreatsFound', 'unknownFutureValue'],
  remediationStatus: ['none', 'remediated', 'prevented', 'blocked', 'notFound', 'unknownFutureValue'],
  detectionStatus: ['detected', 'blocked', 'prevented', 'unknownFutureValue'],
  defenderAvStatus: ['notReporting', 'disabled', 'notUpdated', 'updated', 'unknown', 'notSupported', 'unknownFutureValue'],
  healthStatus: ['active', 'inactive', 'impairedCommunication', 'noSensorData', 'noSensorDataImpairedCommunication', 'unknown', 'unknownFutureValue'],
  onboardingStatus: ['insufficientInfo', 'onboarded', 'canBeOnboarded', 'unsupported', 'unknownFutureValue'],
  riskScore: ['none', 'informational', 'low', 'medium', 'high', 'unknownFutureValue'],
  evidenceRole: ['unknown', 'contextual', 'scanned', 'source', 'destination', 'created', 'added', 'compromised', 'edited', 'attacked', 'attacker',
    'commandAndControl', 'loaded', 'suspicious', 'policyViolator', 'unknownFutureValue'],
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
const keys = (o: unknown) => Object.keys(o as object).sort();
const sorted = (l: string[]) => [...l].sort();

let store: DuckDbStore;
let graph: GraphObject;
const v = victim(1);

beforeAll(async () => {
  store = await DuckDbStore.open();
  await store.insertObjects('DeviceInfo', [{
    Timestamp: '2026-03-01T00:00:00Z', DeviceId: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2', DeviceName: 'ws-0001.corp.contoso.com', OSPlatform: 'Windows11', OSBuild: 22631,
    OSVersion: '10.0', AadDeviceId: '11111111-2222-3333-4444-555555555555', MachineGroup: 'Workstations', OnboardingStatus: 'Onboarded',
    LoggedOnUsers: JSON.stringify([{ UserName: 'user1', DomainName: 'CORP', Sid: v.sid }]),
  }]);
  await store.insertObjects('DeviceNetworkInfo', [{ Timestamp: '2026-03-01T00:00:00Z', DeviceId: 'a1b2', DeviceName: 'ws-0001.corp.contoso.com', IPAddresses: JSON.stringify([{ IPAddress: '10.0.1.15', SubnetPrefix: 24, AddressType: 'Private' }]) }]);
  const alerts = [
    ...intrusion('a', v, '2026-03-02T10:00:00Z', 300),
    alert({ id: 'a-mail', at: '2026-03-02T09:30:00Z', stages: [], tactics: ['InitialAccess'], title: 'Mail bombing', e: { mailbox: v.upn }, table: 'EmailEvents' }),
  ];
  await saveAlerts(store, alerts);
  await correlate(store);
  await updateIncident(store, '1', { status: 'inProgress', classification: 'truePositive', determination: 'multiStagedAttack', assignedTo: 'kai@contoso.com', addTags: ['Demo'], comment: 'Working on it' },
    { by: 'dana@contoso.com', now: new Date('2026-03-03T08:00:00Z') });
  await store.sql(`CREATE TABLE _chainhunt_actions (ActionId VARCHAR, IncidentId VARCHAR, Action JSON)`);
  await store.sql(`INSERT INTO _chainhunt_actions VALUES ('x1', '1', CAST($1 AS JSON))`, [JSON.stringify({
    id: 'x1', incidentId: '1', policyId: 'p', action: 'disableUser', target: { kind: 'userSid', value: v.sid }, timestamp: '2026-03-02T10:26:00Z', responder: 'dry-run', status: 'dryRun', detail: '',
  })]);
  graph = await exportIncidentsGraph(store, { tenantId: '74df9f8b-0000-4000-8000-000000000001' });
});
afterAll(() => store.close());

describe('Microsoft Graph security API shape', () => {
  it('is a collection with its OData context', () => {
    expect(keys(graph)).toEqual(['@odata.context', 'value']);
    expect(graph['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#security/incidents(alerts())');
    expect((graph.value as GraphObject[]).length).toBe(1);
  });

  it('incidents have the documented properties and values', () => {
    const inc = (graph.value as GraphObject[])[0]!;
    expect(keys(inc)).toEqual(sorted([...INCIDENT, ...INCIDENT_RELATIONSHIPS, ...INCIDENT_ADDITIONS]));
    expect(inc).toMatchObject({
      '@odata.type': '#microsoft.graph.security.incident', id: '1', tenantId: '74df9f8b-0000-4000-8000-000000000001', redirectIncidentId: null,
      displayName: 'Multi-stage incident involving Initial access & Exfiltration on multiple endpoints reported by multiple sources',
      status: 'inProgress', severity: 'high', classification: 'truePositive', determination: 'multiStagedAttack', assignedTo: 'kai@contoso.com',
      customTags: ['Demo'], systemTags: ['Multi-stage'], createdDateTime: '2026-03-02T09:31:00.0000000Z', lastUpdateDateTime: '2026-03-03T08:00:00.0000000Z',
      firstActivityDateTime: '2026-03-02T09:30:00.0000000Z', lastActivityDateTime: '2026-03-02T15:20:00.0000000Z',
      mitreTactics: ['Initial access', 'Execution', 'Persistence', 'Defense evasion', 'Discovery', 'Lateral movement', 'Command and control', 'Exfiltration'],
      seedStages: [{ stage: 1, name: 'Initial contact via Teams' }, { stage: 2, name: 'Remote assistance foothold' }, { stage: 3, name: 'Interactive reconnaissance' },
        { stage: 4, name: 'Payload placement and DLL side-loading' }, { stage: 5, name: 'Registry-backed loader state' }, { stage: 6, name: 'Command and control' },
        { stage: 7, name: 'Lateral movement over WinRM' }, { stage: 8, name: 'Remote deployment of RMM tooling' }, { stage: 9, name: 'Data exfiltration' }],
      responseActions: [{ id: 'x1', policyId: 'p', action: 'disableUser', target: { kind: 'userSid', value: v.sid }, timestamp: '2026-03-02T10:26:00.0000000Z', responder: 'dry-run', status: 'dryRun', detail: '' }],
    });
    expect(ENUMS.incidentStatus).toContain(inc.status);
    expect(ENUMS.severity).toContain(inc.severity);
    expect(ENUMS.classification).toContain(inc.classification);
    expect(ENUMS.determination).toContain(inc.determination);
    for (const t of ['createdDateTime', 'lastUpdateDateTime']) expect(inc[t]).toMatch(ISO);
    const comments = inc.comments as GraphObject[];
    expect(comments.map(keys)).toEqual([sorted(COMMENT)]);
    expect(comments[0]).toEqual({ '@odata.type': '#microsoft.graph.security.alertComment', comment: 'Working on it', createdByDisplayName: 'dana@contoso.com', createdDateTime: '2026-03-03T08:00:00.0000000Z' });
  });

  it('alerts have the documented properties, values and their source events', () => {
    const alerts = (graph.value as GraphObject[])[0]!.alerts as GraphObject[];
    expect(alerts.map(a => a.id)).toEqual(['a-mail', 'a-teams', 'a-qa', 'a-recon', 'a-sideload', 'a-registry', 'a-c2', 'a-winrm', 'a-rmm0', 'a-rmm1', 'a-rmm2', 'a-exfil']);
    for (const a of alerts) {
      expect(keys(a)).toEqual(sorted([...ALERT, ...ALERT_ADDITIONS]));
      expect(a['@odata.type']).toBe('#microsoft.graph.security.alert');
      expect(ENUMS.alertStatus).toContain(a.status);
      expect(ENUMS.severity).toContain(a.severity);
      expect(ENUMS.classification).toContain(a.classification);
      expect(ENUMS.determination).toContain(a.determination);
      expect(ENUMS.serviceSource).toContain(a.serviceSource);
      expect(ENUMS.detectionSource).toContain(a.detectionSource);
      for (const t of ['createdDateTime', 'lastUpdateDateTime', 'firstActivityDateTime', 'lastActivityDateTime']) expect(a[t]).toMatch(ISO);
      for (const s of a.sourceEvents as GraphObject[]) expect(keys(s)).toEqual(sorted(SOURCE_EVENT));
      expect((a.sourceEvents as GraphObject[]).length).toBeGreaterThan(0);
    }
    const winrm = alerts.find(a => a.id === 'a-winrm')!;
    expect(winrm).toMatchObject({
      providerAlertId: 'a-winrm', incidentId: '1', status: 'inProgress', severity: 'high', classification: 'truePositive', serviceSource: 'microsoftDefenderForEndpoint',
      detectionSource: 'customDetection', detectorId: 'rule-a-winrm', assignedTo: 'kai@contoso.com', mitreTechniques: ['T1059'], resolvedDateTime: null,
      sourceEvents: [{ table: 'DeviceNetworkEvents', reportId: 'a-winrm-1', timestamp: '2026-03-02T10:25:00.0000000Z', deviceName: 'ws-0001.corp.contoso.com' }],
    });
    expect(alerts.find(a => a.id === 'a-teams')!.serviceSource).toBe('microsoftDefenderForOffice365');
  });

  it('evidence is typed, with the documented properties of each type', () => {
    const alerts = (graph.value as GraphObject[])[0]!.alerts as GraphObject[];
    const types = new Set<string>();
    for (const a of alerts) {
      for (const e of a.evidence as GraphObject[]) {
        const type = String(e['@odata.type']).replace('#microsoft.graph.security.', '');
        types.add(type);
        expect(EVIDENCE[type], type).toBeDefined();
        expect(keys(e)).toEqual(sorted([...EVIDENCE_BASE, ...EVIDENCE[type]!]));
        expect(e.createdDateTime).toMatch(ISO);
        expect(ENUMS.verdict).toContain(e.verdict);
        expect(ENUMS.remediationStatus).toContain(e.remediationStatus);
        for (const r of e.roles as string[]) expect(ENUMS.evidenceRole).toContain(r);
        if ('detectionStatus' in e) expect(ENUMS.detectionStatus).toContain(e.detectionStatus);
        if ('userAccount' in e && e.userAccount !== null) expect(keys(e.userAccount)).toEqual(sorted(USER_ACCOUNT));
        if (type === 'fileEvidence') expect(keys(e.fileDetails)).toEqual(sorted(FILE_DETAILS));
        if (type === 'processEvidence') expect(keys(e.imageFile)).toEqual(sorted(FILE_DETAILS));
        if (type === 'deviceEvidence') {
          for (const k of ['defenderAvStatus', 'healthStatus', 'onboardingStatus', 'riskScore'] as const) expect(ENUMS[k]).toContain(e[k]);
          for (const u of e.loggedOnUsers as GraphObject[]) expect(keys(u)).toEqual(sorted(LOGGED_ON_USER));
        }
      }
    }
    expect([...types].sort()).toEqual(['deviceEvidence', 'fileEvidence', 'ipEvidence', 'mailboxEvidence', 'processEvidence', 'registryValueEvidence',
      'teamsMessageEvidence', 'urlEvidence', 'userEvidence']);
  });

  it('fills evidence from the alert entities and the store', () => {
    const alerts = (graph.value as GraphObject[])[0]!.alerts as GraphObject[];
    const ev = (id: string, type: string) => (alerts.find(a => a.id === id)!.evidence as GraphObject[]).filter(e => e['@odata.type'] === `#microsoft.graph.security.${type}`);
    expect(ev('a-qa', 'deviceEvidence')).toEqual([{
      '@odata.type': '#microsoft.graph.security.deviceEvidence', createdDateTime: '2026-03-02T10:09:00.0000000Z', verdict: 'unknown', remediationStatus: 'none',
      remediationStatusDetails: null, roles: [], detailedRoles: ['Device where the activity was observed'], tags: [],
      azureAdDeviceId: '11111111-2222-3333-4444-555555555555', defenderAvStatus: 'unknown', deviceDnsName: 'ws-0001.corp.contoso.com',
      firstSeenDateTime: '2026-03-01T00:00:00.0000000Z', healthStatus: 'unknown', ipInterfaces: ['10.0.1.15'], loggedOnUsers: [{ accountName: 'user1', domainName: 'CORP' }],
      mdeDeviceId: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2', onboardingStatus: 'onboarded', osBuild: 22631, osPlatform: 'Windows11', rbacGroupId: null,
      rbacGroupName: 'Workstations', riskScore: 'medium', version: '10.0', vmMetadata: null,
    }]);
    expect(ev('a-qa', 'userEvidence').map(e => e.userAccount)).toEqual([{
      accountName: 'user1', azureAdUserId: v.oid, displayName: null, domainName: null, userPrincipalName: v.upn, userSid: v.sid,
    }]);
    expect(ev('a-qa', 'fileEvidence').map(e => e.fileDetails)).toEqual([{
      fileName: null, filePath: null, filePublisher: null, fileSize: null, issuer: null, md5: null, sha1: null, sha256: 'dd'.repeat(32), signer: null,
    }]);
    expect(ev('a-sideload', 'fileEvidence').map(e => [e.mdeDeviceId, (e.fileDetails as GraphObject).fileName, (e.fileDetails as GraphObject).filePath, (e.fileDetails as GraphObject).sha256]))
      .toEqual([['a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2', 'msi.dll', 'C:\\ProgramData\\Adobe\\ARM', 'aa'.repeat(32)]]);
    expect(ev('a-rmm1', 'processEvidence').map(e => [e.processCommandLine, (e.imageFile as GraphObject).fileName, (e.userAccount as GraphObject).userSid]))
      .toEqual([['msiexec.exe /i C:\\Windows\\Temp\\level.msi LEVEL_API_KEY=aKEYa /qn', 'msiexec.exe', 'S-1-5-18']]);
    expect(ev('a-registry', 'registryValueEvidence').map(e => [e.registryHive, e.registryKey, e.registryValueName])).toEqual([[
      'HKEY_CURRENT_USER', `HKEY_CURRENT_USER\\${v.sid}\\SOFTWARE\\Classes\\Local Settings\\Software\\Microsoft`, 'UCID',
    ]]);
    expect(ev('a-c2', 'ipEvidence').map(e => e.ipAddress)).toEqual(['203.0.113.50']);
    expect(ev('a-c2', 'urlEvidence').map(e => e.url)).toEqual(['https://aabc.execute-api.us-east-1.amazonaws.com/']);
    expect(ev('a-teams', 'teamsMessageEvidence').map(e => [e.threadId, e.threadType])).toEqual([['19:athread@unq.gbl.spaces', 'Chat']]);
    expect(ev('a-mail', 'mailboxEvidence').map(e => [e.primaryAddress, e.upn, (e.userAccount as GraphObject).userPrincipalName])).toEqual([[v.upn, v.upn, v.upn]]);
    // The WinRM targets are named by the alert, not where its events happened.
    expect(ev('a-winrm', 'deviceEvidence').map(e => [e.deviceDnsName, e.detailedRoles])).toEqual([
      ['dc01.corp.contoso.com', ['Device named by the alert']], ['fs01.corp.contoso.com', ['Device named by the alert']],
      ['ws-0001.corp.contoso.com', ['Device where the activity was observed']],
    ]);
  });

  it('filters by status and id', async () => {
    expect(((await exportIncidentsGraph(store, { status: ['active'] })).value as GraphObject[]).length).toBe(0);
    expect(((await exportIncidentsGraph(store, { ids: ['1'] })).value as GraphObject[]).map(i => i.id)).toEqual(['1']);
  });
});

describe('merged incidents', () => {
  it('are listed as Graph lists them: status redirected, redirectIncidentId, no alerts of their own', async () => {
    const s = await DuckDbStore.open();
    try {
      await saveAlerts(s, [alert({ id: 'shell', at: '2026-03-02T10:20:00Z', e: { userSid: v.sid, device: 'ws-1' } })]);
      await correlate(s);
      await saveAlerts(s, [alert({ id: 'teams', at: '2026-03-02T10:00:00Z', e: { userUpn: v.upn }, table: 'MessageEvents' })]);
      await correlate(s);
      await saveAlerts(s, [alert({ id: 'bridge', at: '2026-03-02T10:30:00Z', e: { userUpn: v.upn, userSid: v.sid, device: 'ws-1' } })]);
      await correlate(s);
      const g = await exportIncidentsGraph(s);
      expect((g.value as GraphObject[]).map(i => [i.id, i.status, i.redirectIncidentId, (i.alerts as GraphObject[]).map(a => a.id)])).toEqual([
        ['1', 'active', null, ['teams', 'shell', 'bridge']],
        ['2', 'redirected', '1', []],
      ]);
      expect(((await exportIncidentsGraph(s, { status: ['active'] })).value as GraphObject[]).map(i => i.id)).toEqual(['1']);
    } finally {
      s.close();
    }
  });
});

describe('helpers', () => {
  it('finds the image of a command line', () => {
    expect(imageOf('"C:\\Program Files\\Level\\level.exe" service')).toEqual({ fileName: 'level.exe', filePath: 'C:\\Program Files\\Level' });
    expect(imageOf('C:\\Windows\\system32\\cmd.exe /c whoami')).toEqual({ fileName: 'cmd.exe', filePath: 'C:\\Windows\\system32' });
    expect(imageOf('whoami /all')).toEqual({ fileName: 'whoami', filePath: null });
  });
  it('extracts MITRE technique ids', () => {
    expect(techniqueIds(['DLL Side-Loading (T1574.002)', 't1059.001', 'T1566.003', 'T1574.002', 'Valid Accounts'])).toEqual(['T1574.002', 'T1059.001', 'T1566.003']);
  });
});
