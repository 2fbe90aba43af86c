// Incidents in the store: created by correlation with stable ids, alerts joining, merges into the
// older incident, people's changes (status, classification, determination, assignment, tags,
// comments) persisting across re-correlation, reopening, history, response actions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../src/store/duckdb-store.js';
import { saveAlerts } from '../../src/detect/alert-store.js';
import { correlate } from '../../src/correlate/index.js';
import {
  addIncidentComment, addSystemTags, getIncident, incidentAlerts, incidentHistory, IncidentError, listIncidents, loadActions, updateIncident,
} from '../../src/incidents/index.js';
import type { Alert } from '../../src/detect/model.js';
import { alert, at } from '../correlate/alerts.js';
import { helpdesk, intrusion, victim } from '../correlate/scenario.js';

let store: DuckDbStore;
beforeEach(async () => {
  store = await DuckDbStore.open();
});
afterEach(() => store.close());

const NOW = new Date('2026-03-05T09:00:00Z');
const A = intrusion('a', victim(1), '2026-03-02T10:00:00Z', 300);
const B = intrusion('b', victim(2), '2026-03-03T10:30:00Z', 420);
const HD = helpdesk('h1', victim(9), victim(3), '2026-03-02T11:00:00Z');

async function add(alerts: Alert[]) {
  await saveAlerts(store, alerts);
  return correlate(store);
}

const membership = async () => (await listIncidents(store)).map(i => [i.id, [...i.alertIds].sort()] as const).sort(([a], [b]) => Number(a) - Number(b));

describe('correlation into stored incidents', () => {
  it('creates numbered incidents, oldest first, with what their alerts say', async () => {
    const s = await add([...A, ...B, ...HD]);
    expect(s).toEqual({ alerts: 24, incidents: 3, created: ['1', '2', '3'], updated: [], merged: [], unchanged: 0 });
    expect(await membership()).toEqual([['1', A.map(a => a.id).sort()], ['2', HD.map(a => a.id).sort()], ['3', B.map(a => a.id).sort()]]);
    const one = (await getIncident(store, '1'))!;
    expect(one).toMatchObject({
      id: '1',
      title: 'Multi-stage incident involving Initial access & Exfiltration on multiple endpoints reported by multiple sources',
      severity: 'high',
      status: 'active',
      classification: 'unknown',
      determination: 'unknown',
      assignedTo: '',
      tags: ['Multi-stage'],
      systemTags: ['Multi-stage'],
      customTags: [],
      firstActivity: '2026-03-02T10:00:00.0000000Z',
      lastActivity: '2026-03-02T15:20:00.0000000Z',
      createdTime: '2026-03-02T10:01:00.0000000Z',
      lastUpdateTime: '2026-03-02T15:20:00.0000000Z',
      stages: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      tactics: ['Initial access', 'Execution', 'Persistence', 'Defense evasion', 'Discovery', 'Lateral movement', 'Command and control', 'Exfiltration'],
      devices: ['dc01.corp.contoso.com', 'fs01.corp.contoso.com', 'ws-0001.corp.contoso.com'],
      users: ['user1@contoso.com'],
      serviceSources: ['microsoftDefenderForEndpoint', 'microsoftDefenderForOffice365'],
      redirectIncidentId: null,
      comments: [],
    });
    expect(one.description).toBe('11 alerts from 2026-03-02T10:00:00.0000000Z to 2026-03-02T15:20:00.0000000Z. Stages of the intrusion chain: '
      + '1. Initial contact via Teams; 2. Remote assistance foothold; 3. Interactive reconnaissance; 4. Payload placement and DLL side-loading; '
      + '5. Registry-backed loader state; 6. Command and control; 7. Lateral movement over WinRM; 8. Remote deployment of RMM tooling; 9. Data exfiltration. '
      + 'MITRE ATT&CK tactics: Initial access, Execution, Persistence, Defense evasion, Discovery, Lateral movement, Command and control, Exfiltration. '
      + 'Devices: dc01.corp.contoso.com, fs01.corp.contoso.com, ws-0001.corp.contoso.com. Users: user1@contoso.com.');
    expect(one.entities).toContainEqual({ kind: 'teamsThread', value: '19:athread@unq.gbl.spaces' });
    expect(one.entities).toContainEqual({ kind: 'registryValue', value: `HKEY_CURRENT_USER\\${victim(1).sid}\\SOFTWARE\\Classes\\Local Settings\\Software\\Microsoft\\UCID` });
    expect((await getIncident(store, '2'))!.title).toBe('Multi-stage incident involving Execution & Discovery on one endpoint');
    expect((await incidentAlerts(store, '1')).map(a => a.id)).toEqual(A.map(a => a.id));
    expect(one.alertIds).toEqual(A.map(a => a.id));
    expect(await incidentHistory(store, '1')).toEqual([
      { incidentId: '1', seq: 1, time: '2026-03-02T10:01:00.0000000Z', actor: 'chainhunt', change: 'created', oldValue: null, newValue: `11 alerts: ${one.title}` },
    ]);
  });

  it('names a single kind of alert after it, as Defender does', async () => {
    await add([alert({ id: 'x', at: '2026-03-02T10:00:00Z', title: 'Possible data exfiltration', e: { device: 'fs01', userSid: 'S-1-5-21-1-2-3-4' } })]);
    expect((await getIncident(store, '1'))!).toMatchObject({ title: 'Possible data exfiltration on one endpoint', tags: [], severity: 'medium' });
    await add([alert({ id: 'y', at: '2026-03-04T10:00:00Z', title: 'Teams chat', e: { userUpn: 'ann@contoso.com' }, table: 'MessageEvents' })]);
    expect((await getIncident(store, '2'))!.title).toBe('Teams chat involving one user');
  });

  it('changes nothing when run again on the same alerts', async () => {
    await add([...A, ...B, ...HD]);
    const before = await listIncidents(store);
    const again = await correlate(store);
    expect(again).toEqual({ alerts: 24, incidents: 3, created: [], updated: [], merged: [], unchanged: 3 });
    expect(await listIncidents(store)).toEqual(before);
    expect((await incidentHistory(store, '1')).length).toBe(1);
  });

  it('gives the same incidents and ids whether alerts arrive one by one or all at once', async () => {
    const all = [...A, ...B, ...HD].sort((x, y) => (x.createdTime < y.createdTime ? -1 : x.createdTime > y.createdTime ? 1 : 0));
    for (const a of all) await add([a]);
    const incremental = await membership();
    const fresh = await DuckDbStore.open();
    try {
      await saveAlerts(fresh, all);
      await correlate(fresh);
      const batch = (await listIncidents(fresh)).map(i => [i.id, [...i.alertIds].sort()] as const).sort(([a], [b]) => Number(a) - Number(b));
      expect(incremental).toEqual(batch);
    } finally {
      fresh.close();
    }
  });

  it('adds new alerts to the incident they link to, keeping its id', async () => {
    await add([...A.slice(0, 6), ...HD]);
    expect(await membership()).toEqual([['1', A.slice(0, 6).map(a => a.id).sort()], ['2', HD.map(a => a.id).sort()]]);
    const s = await add(A.slice(6));
    expect(s).toEqual({ alerts: 13, incidents: 2, created: [], updated: ['1'], merged: [], unchanged: 1 });
    expect(await membership()).toEqual([['1', A.map(a => a.id).sort()], ['2', HD.map(a => a.id).sort()]]);
    const h = await incidentHistory(store, '1');
    expect(h.map(x => [x.change, x.time, x.newValue])).toEqual([
      ['created', '2026-03-02T10:01:00.0000000Z', '6 alerts: Multi-stage incident involving Initial access & Command and control on one endpoint reported by multiple sources'],
      ['alertsAdded', '2026-03-02T15:20:00.0000000Z', 'a-winrm, a-rmm0, a-rmm1, a-rmm2, a-exfil'],
      ['title', '2026-03-02T15:20:00.0000000Z', 'Multi-stage incident involving Initial access & Exfiltration on multiple endpoints reported by multiple sources'],
    ]);
  });

  it('merges two incidents into the older one when an alert shows they are one story', async () => {
    const byUpn = alert({ id: 'teams', at: '2026-03-02T10:00:00Z', e: { userUpn: 'ann@contoso.com' }, table: 'MessageEvents', severity: 'low' });
    const bySid = alert({ id: 'shell', at: '2026-03-02T10:20:00Z', e: { userSid: 'S-1-5-21-1-2-3-1001', device: 'ws-1' }, severity: 'medium' });
    await add([bySid]);
    await add([byUpn]);
    expect(await membership()).toEqual([['1', ['shell']], ['2', ['teams']]]);
    await updateIncident(store, '2', { comment: 'looks like phishing', addTags: ['vip'], assignedTo: 'kai' }, { by: 'dana', now: NOW });
    const bridge = alert({ id: 'bridge', at: '2026-03-02T10:30:00Z', e: { userUpn: 'ann@contoso.com', userSid: 'S-1-5-21-1-2-3-1001', device: 'ws-1' }, severity: 'high' });
    const s = await add([bridge]);
    expect(s.merged).toEqual([{ from: '2', into: '1' }]);
    expect(s.updated).toEqual(['1']);
    expect(await membership()).toEqual([['1', ['bridge', 'shell', 'teams']]]);
    const merged = (await getIncident(store, '2'))!;
    expect(merged).toMatchObject({ status: 'redirected', redirectIncidentId: '1' });
    const kept = (await getIncident(store, '1'))!;
    // The kept incident existed since its own creation; the merged one since earlier (in event time).
    expect(kept).toMatchObject({ severity: 'high', assignedTo: 'kai', customTags: ['vip'], createdTime: '2026-03-02T10:01:00.0000000Z' });
    expect(kept.comments).toEqual([{ comment: '[from incident 2] looks like phishing', createdBy: 'dana', createdTime: '2026-03-05T09:00:00.0000000Z' }]);
    expect((await incidentHistory(store, '1')).map(h => [h.change, h.newValue])).toContainEqual(['merged', '2']);
    expect((await incidentHistory(store, '2')).map(h => [h.change, h.newValue])).toContainEqual(['mergedInto', '1']);
    // A redirected incident is listed only when asked for, and refuses changes of state.
    expect((await listIncidents(store)).map(i => i.id)).toEqual(['1']);
    expect((await listIncidents(store, { status: ['redirected'] })).map(i => i.id)).toEqual(['2']);
    await expect(updateIncident(store, '2', { status: 'resolved' })).rejects.toThrow('incident 2 was merged into incident 1; change that one');
    // And the merge is stable.
    expect((await correlate(store)).merged).toEqual([]);
  });
});

describe('re-correlation moves an alert when new alerts change the picture', () => {
  it('an alert without a user leaves the incident of the first story on a server when a more severe one shows up there', async () => {
    const a1 = alert({ id: 'a1', at: '2026-03-02T10:00:00Z', severity: 'medium', e: { userSid: 'S-1-5-21-1-2-3-1001', device: ['ws-1', 'srv-x'] }, on: ['ws-1'] });
    const u = alert({ id: 'u', at: '2026-03-02T10:30:00Z', severity: 'medium', e: { device: 'srv-x', userSid: 'S-1-5-18' } });
    await add([a1, u]);
    expect(await membership()).toEqual([['1', ['a1', 'u']]]);
    const b1 = alert({ id: 'b1', at: '2026-03-02T10:20:00Z', severity: 'high', e: { userSid: 'S-1-5-21-1-2-3-1002', device: ['ws-2', 'srv-x'] }, on: ['ws-2'] });
    const s = await add([b1]);
    expect(s).toMatchObject({ created: ['2'], updated: ['1'], merged: [] });
    expect(await membership()).toEqual([['1', ['a1']], ['2', ['b1', 'u']]]);
    expect((await incidentHistory(store, '1')).map(h => [h.change, h.oldValue])).toContainEqual(['alertsRemoved', 'u']);
  });
});

describe('telemetry', () => {
  it('attributes SYSTEM activity on a shared server by the process tree the telemetry shows', async () => {
    const Bsame = intrusion('b', victim(2), '2026-03-02T10:30:00Z', 420);
    // The rows behind each exfiltration alert: rclone started by cmd.exe, itself started by the agent
    // that came up 12 s after each intrusion's install on fs01.
    const rows = [['a-exfil-1', '2026-03-02T15:00:00Z', '2026-03-02T14:59:55Z', '2026-03-02T10:42:12Z'], ['b-exfil-1', '2026-03-02T17:30:00Z', '2026-03-02T17:29:55Z', '2026-03-02T11:12:12Z']];
    await store.insertObjects('DeviceProcessEvents', rows.map(([id, t, cmd, agent], i) => ({
      Timestamp: t, ReportId: 100 + i, DeviceName: 'fs01.corp.contoso.com', FileName: 'rclone.exe', InitiatingProcessFileName: 'cmd.exe',
      InitiatingProcessCreationTime: cmd, InitiatingProcessParentFileName: 'level.exe', InitiatingProcessParentCreationTime: agent, __id: id,
    })).map(({ __id, ...r }) => r));
    const withRows = [...A, ...Bsame].map(a => (a.id.endsWith('-exfil') ? { ...a, sourceEvents: [{ ...a.sourceEvents[0]!, reportId: a.id === 'a-exfil' ? '100' : '101' }] } : a));
    await add(withRows);
    expect(await membership()).toEqual([['1', A.map(a => a.id).sort()], ['2', Bsame.map(a => a.id).sort()]]);
  });
});

describe("people's changes", () => {
  it('persist, go into the history and survive re-correlation with new alerts', async () => {
    await add(A.slice(0, 6));
    const after = await updateIncident(store, '1', {
      status: 'inProgress', classification: 'truePositive', determination: 'multiStagedAttack', assignedTo: 'kai@contoso.com', addTags: ['Teams phishing'], comment: 'contained the user',
    }, { by: 'dana', now: NOW });
    expect(after).toMatchObject({
      status: 'inProgress', classification: 'truePositive', determination: 'multiStagedAttack', assignedTo: 'kai@contoso.com',
      tags: ['Multi-stage', 'Teams phishing'], customTags: ['Teams phishing'], lastUpdateTime: '2026-03-05T09:00:00.0000000Z',
      comments: [{ comment: 'contained the user', createdBy: 'dana', createdTime: '2026-03-05T09:00:00.0000000Z' }],
    });
    await add(A.slice(6));
    const later = (await getIncident(store, '1'))!;
    expect(later).toMatchObject({
      status: 'inProgress', classification: 'truePositive', determination: 'multiStagedAttack', assignedTo: 'kai@contoso.com',
      tags: ['Multi-stage', 'Teams phishing'], alertIds: A.map(a => a.id),
      lastUpdateTime: '2026-03-05T09:00:00.0000000Z',
    });
    expect(later.comments).toHaveLength(1);
    const h = (await incidentHistory(store, '1')).map(x => [x.actor, x.change, x.oldValue, x.newValue]);
    expect(h.slice(1, 7)).toEqual([
      ['dana', 'status', 'active', 'inProgress'],
      ['dana', 'classification', 'unknown', 'truePositive'],
      ['dana', 'determination', 'unknown', 'multiStagedAttack'],
      ['dana', 'assignedTo', '', 'kai@contoso.com'],
      ['dana', 'customTags', '[]', '["Teams phishing"]'],
      ['dana', 'comment', null, 'contained the user'],
    ]);
  });

  it('removes tags, unassigns, and records resolution time; a resolved incident that gains alerts reopens', async () => {
    await add(A.slice(0, 3));
    await updateIncident(store, '1', { addTags: ['x', 'y'], assignedTo: 'kai' }, { now: NOW });
    const resolved = await updateIncident(store, '1', { status: 'resolved', removeTags: ['X'], assignedTo: '' }, { now: new Date('2026-03-05T10:00:00Z') });
    expect(resolved).toMatchObject({ status: 'resolved', customTags: ['y'], assignedTo: '', resolvedTime: '2026-03-05T10:00:00.0000000Z' });
    await add(A.slice(3, 5));
    const reopened = (await getIncident(store, '1'))!;
    expect(reopened).toMatchObject({ status: 'active', resolvedTime: null });
    expect((await incidentHistory(store, '1')).slice(-3).map(h => [h.actor, h.change, h.oldValue, h.newValue])).toEqual([
      ['chainhunt', 'alertsAdded', null, 'a-sideload, a-registry'],
      ['chainhunt', 'status', 'resolved', 'active'],
      ['chainhunt', 'title', 'Multi-stage incident involving Initial access & Discovery on one endpoint reported by multiple sources', 'Multi-stage incident involving Initial access & Persistence on one endpoint reported by multiple sources'],
    ]);
  });

  it('rejects values Graph does not know, naming the allowed ones', async () => {
    await add(A.slice(0, 2));
    await expect(updateIncident(store, '1', { status: 'closed' as never })).rejects.toThrow(IncidentError);
    await expect(updateIncident(store, '1', { status: 'closed' as never })).rejects.toThrow('status must be one of active, inProgress, resolved (got "closed")');
    await expect(updateIncident(store, '1', { classification: 'bad' as never })).rejects.toThrow('classification must be one of unknown, falsePositive, truePositive, informationalExpectedActivity');
    await expect(updateIncident(store, '1', { determination: 'nope' })).rejects.toThrow('determination must be one of unknown, apt, malware');
    await expect(updateIncident(store, '9', { status: 'resolved' })).rejects.toThrow('no incident 9');
    await expect(addIncidentComment(store, '1', '  ')).rejects.toThrow('the comment is empty');
    // Case does not matter on the way in.
    expect((await updateIncident(store, '1', { status: 'INPROGRESS' as never, classification: 'TruePositive' as never }, { now: NOW })).status).toBe('inProgress');
  });

  it('system tags (attack disruption) are kept apart from people\'s tags and survive re-correlation', async () => {
    await add(A.slice(0, 6));
    await addSystemTags(store, '1', ['Attack Disruption'], { now: new Date('2026-03-02T10:30:00Z'), by: 'attack disruption' });
    await add(A.slice(6));
    expect((await getIncident(store, '1'))!).toMatchObject({ systemTags: ['Multi-stage', 'Attack Disruption'], customTags: [], tags: ['Multi-stage', 'Attack Disruption'] });
  });
});

describe('response actions', () => {
  const action = {
    id: 'act-1', incidentId: '1', policyId: 'remote-assistance-then-winrm', action: 'disableUser',
    target: { kind: 'userSid' as const, value: victim(1).sid }, timestamp: '2026-03-02T10:26:00.0000000Z', responder: 'dry-run', status: 'dryRun' as const, detail: 'would disable',
  };

  it('are read from attack disruption\'s table when it holds each action as JSON', async () => {
    await add(A);
    expect(await loadActions(store)).toEqual([]);
    await store.sql(`CREATE TABLE _chainhunt_actions (ActionId VARCHAR, IncidentId VARCHAR, ActionType VARCHAR, Timestamp TIMESTAMP, Action JSON)`);
    await store.sql(`INSERT INTO _chainhunt_actions VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP), CAST($5 AS JSON))`, ['act-1', '1', 'disableUser', '2026-03-02T10:26:00Z', JSON.stringify(action)]);
    expect((await getIncident(store, '1', { includeActions: true }))!.actions).toEqual([action]);
    expect((await getIncident(store, '1'))!.actions).toBeUndefined();
  });

  it('are read from a table with one column per field', async () => {
    await add(A);
    await store.sql(`CREATE TABLE _chainhunt_actions (ActionId VARCHAR, IncidentId VARCHAR, PolicyId VARCHAR, Action VARCHAR, TargetKind VARCHAR, TargetValue VARCHAR,
      Timestamp VARCHAR, Responder VARCHAR, Status VARCHAR, Detail VARCHAR)`);
    await store.sql(`INSERT INTO _chainhunt_actions VALUES ('act-1', '1', 'remote-assistance-then-winrm', 'disableUser', 'userSid', $1, '2026-03-02T10:26:00.0000000Z', 'dry-run', 'dryRun', 'would disable')`, [victim(1).sid]);
    expect((await listIncidents(store, { includeActions: true }))[0]!.actions).toEqual([action]);
  });
});

it('keeps incidents of an unrelated second day apart from the first even for the same server', async () => {
  // Sanity: two days of the same alert on fs01 by SYSTEM with nothing else: two incidents.
  await add([
    alert({ id: 'd1', at: '2026-03-02T03:00:00Z', e: { device: 'fs01', userSid: 'S-1-5-18' } }),
    alert({ id: 'd2', at: at('2026-03-02T03:00:00Z', 48 * 60), e: { device: 'fs01', userSid: 'S-1-5-18' } }),
  ]);
  expect(await membership()).toEqual([['1', ['d1']], ['2', ['d2']]]);
});
