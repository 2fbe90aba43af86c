import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { loadPolicies } from '../../src/respond/policies.js';
import { respond, DISRUPTION_TAG } from '../../src/respond/respond.js';
import { loadActions } from '../../src/respond/store.js';
import { loadResponderConfig, WebhookResponder } from '../../src/respond/responders/index.js';
import type { IncidentSource } from '../../src/respond/incidents.js';
import { alert, incident, VICTIM } from './helpers.js';
import { TestServer } from './http-server.js';

const policies = loadPolicies();
const a2 = alert({ id: 'qa', stages: [2], at: '2026-03-09T10:00:00.0000000Z', user: { sid: VICTIM.sid, name: VICTIM.name }, devices: ['ws-0001.corp.contoso.com'] });
const a4 = alert({ id: 'sideload', stages: [4], at: '2026-03-09T10:06:30.5000000Z', devices: ['ws-0001.corp.contoso.com'] });
const a7 = alert({ id: 'winrm', stages: [7], at: '2026-03-09T10:20:00.0000000Z', user: { sid: VICTIM.sid }, devices: ['ws-0001.corp.contoso.com', 'dc01.corp.contoso.com'] });
const benign = alert({ id: 'helpdesk', stages: [2, 3], at: '2026-03-09T11:00:00.0000000Z', user: { sid: 'S-1-5-21-1111-2222-3333-1300' }, devices: ['ws-0042.corp.contoso.com'] });
const alerts = [a2, a4, a7, benign];
const incidents = [incident('inc-1', [a2, a4, a7]), incident('inc-2', [benign])];
const DEVICE_ID = '4bd3c3e4a9d2f7c1e0b8a6d5c4b3a2f1e0d9c8b7';

function source(): IncidentSource & { tags: [string, string][] } {
  const tags: [string, string][] = [];
  return { tags, load: async () => incidents, mark: async (_s, a, tag) => void tags.push([a.incidentId, tag]) };
}

let engine: Engine;
let server: TestServer;
let base: string;
beforeAll(async () => {
  server = new TestServer();
  base = await server.start();
});
afterAll(async () => server.stop());
beforeEach(async () => {
  engine?.close();
  engine = await Engine.open();
  server.requests.length = 0;
  server.routes.clear();
  // What the telemetry knows: the device's DeviceId, the user's object id and UPN.
  await engine.store.insertObjects('DeviceInfo', [{ Timestamp: '2026-03-09T09:00:00Z', DeviceId: DEVICE_ID, DeviceName: 'ws-0001.corp.contoso.com' }]);
  await engine.store.insertObjects('IdentityLogonEvents', [{ Timestamp: '2026-03-09T09:01:00Z', AccountName: VICTIM.name, AccountDomain: 'corp', AccountUpn: VICTIM.upn, AccountSid: VICTIM.sid, AccountObjectId: VICTIM.oid }]);
});

const rowsOf = async (kql: string) => {
  const r = await engine.query(kql);
  return r.rows.map(row => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
};

describe('respond', () => {
  it('dry-run records each action once, in DisruptionAndResponseEvents and on the incident', async () => {
    const src = source();
    const s = await respond(engine.store, { policies, alerts, source: src, now: () => new Date('2026-03-12T08:00:00Z') });
    expect([s.incidents, s.planned, s.recorded.length, s.dryRun, s.alreadyDone]).toEqual([2, 6, 6, 6, 0]);
    expect(src.tags).toEqual(Array(6).fill(['inc-1', DISRUPTION_TAG]));
    const rows = await rowsOf(`DisruptionAndResponseEvents | order by PolicyId asc, ActionType asc
      | project Timestamp, ActionType, ReportType, IsPolicyOn, DeviceId, DeviceName, DomainName, SourceDeviceName, TargetDeviceName, SourceUserSid, SourceUserName, SourceUserDomainName, CompromisedAccountCount, PolicyId, PolicyVersion, DataSources`);
    const common = { DeviceId: DEVICE_ID, DeviceName: 'ws-0001.corp.contoso.com', DomainName: 'corp.contoso.com', SourceDeviceName: 'ws-0001.corp.contoso.com', SourceUserSid: VICTIM.sid, SourceUserName: VICTIM.name, SourceUserDomainName: 'corp', CompromisedAccountCount: 1, PolicyVersion: '1', DataSources: ['chainhunt', 'dry-run'], ReportType: 'DryRun', IsPolicyOn: false };
    const implantAt = '2026-03-09T10:06:30.5000000Z';
    const winrmAt = '2026-03-09T10:20:00.0000000Z';
    expect(rows).toEqual([
      { ...common, Timestamp: implantAt, ActionType: 'ContainedDeviceIsolated', TargetDeviceName: 'ws-0001.corp.contoso.com', PolicyId: 'remote-assist-then-implant' },
      { ...common, Timestamp: implantAt, ActionType: 'ContainedUserDisabled', TargetDeviceName: '', PolicyId: 'remote-assist-then-implant' },
      { ...common, Timestamp: implantAt, ActionType: 'ContainedUserSessionsRevoked', TargetDeviceName: '', PolicyId: 'remote-assist-then-implant' },
      { ...common, Timestamp: winrmAt, ActionType: 'ContainedDeviceIsolated', TargetDeviceName: 'ws-0001.corp.contoso.com', PolicyId: 'remote-assist-then-winrm' },
      { ...common, Timestamp: winrmAt, ActionType: 'ContainedUserDisabled', TargetDeviceName: '', PolicyId: 'remote-assist-then-winrm' },
      { ...common, Timestamp: winrmAt, ActionType: 'ContainedUserSessionsRevoked', TargetDeviceName: '', PolicyId: 'remote-assist-then-winrm' },
    ]);
    const actions = await loadActions(engine.store);
    const user = { kind: 'userObjectId', value: VICTIM.oid };
    const device = { kind: 'device', value: 'ws-0001.corp.contoso.com' };
    expect(actions.map(a => [a.policyId, a.action, a.target, a.timestamp, a.responder, a.status, a.attempts])).toEqual([
      ['remote-assist-then-implant', 'disableUser', user, implantAt, 'dry-run', 'dryRun', 1],
      ['remote-assist-then-implant', 'isolateDevice', device, implantAt, 'dry-run', 'dryRun', 1],
      ['remote-assist-then-implant', 'revokeSessions', user, implantAt, 'dry-run', 'dryRun', 1],
      ['remote-assist-then-winrm', 'disableUser', user, winrmAt, 'dry-run', 'dryRun', 1],
      ['remote-assist-then-winrm', 'isolateDevice', device, winrmAt, 'dry-run', 'dryRun', 1],
      ['remote-assist-then-winrm', 'revokeSessions', user, winrmAt, 'dry-run', 'dryRun', 1],
    ]);
    expect(new Set(actions.map(a => a.incidentId))).toEqual(new Set(['inc-1']));
    expect(actions[0]!.detail).toBe(`would disable the account of user ${VICTIM.upn} (object id ${VICTIM.oid}, SID ${VICTIM.sid})`);
    expect(actions[0]!.targetDetail).toEqual({ kind: 'user', objectId: VICTIM.oid, upn: VICTIM.upn, sid: VICTIM.sid, name: VICTIM.name, domain: 'corp' });
    expect(actions[0]!.trigger).toEqual({ alertIds: ['qa', 'sideload'], event: { table: 'DeviceProcessEvents', reportId: 'sideload-r1', timestamp: implantAt, deviceName: 'ws-0001.corp.contoso.com' }, user: null, device: 'ws-0001' });

    // Again: nothing new.
    const again = await respond(engine.store, { policies, alerts, source: src });
    expect([again.planned, again.recorded.length, again.alreadyDone]).toEqual([6, 0, 6]);
    expect((await rowsOf('DisruptionAndResponseEvents | count'))[0]).toEqual({ Count: 6n });
  });

  it('a real responder acts after a dry run, retries failures, and never repeats a success', async () => {
    const webhook = new WebhookResponder(loadResponderConfig(undefined, { CHAINHUNT_WEBHOOK_URL: `${base}/hook`, CHAINHUNT_WEBHOOK_SECRET: 'k' } as NodeJS.ProcessEnv));
    const only = policies.filter(p => p.id === 'remote-assist-then-winrm');
    await respond(engine.store, { policies: only, alerts, source: source() });
    server.routes.set('POST /hook', { status: 503 });
    const first = await respond(engine.store, { policies: only, alerts, source: source(), responders: [webhook] });
    expect([first.recorded.length, first.failed]).toEqual([3, 3]);
    expect(first.recorded.map(r => r.detail)).toEqual(Array(3).fill(`webhook POST ${base}/hook: HTTP 503`));
    server.routes.set('POST /hook', { status: 200 });
    const second = await respond(engine.store, { policies: only, alerts, source: source(), responders: [webhook] });
    expect([second.recorded.length, second.succeeded, second.recorded.map(r => r.attempts)]).toEqual([3, 3, [3, 3, 3]]); // dry run, failure, success
    const third = await respond(engine.store, { policies: only, alerts, source: source(), responders: [webhook] });
    expect([third.recorded.length, third.alreadyDone]).toEqual([0, 3]);
    expect(server.requests).toHaveLength(6);
    const rows = await rowsOf('DisruptionAndResponseEvents | summarize n = count() by ReportType, IsPolicyOn | order by ReportType asc');
    expect(rows).toEqual([{ ReportType: 'DryRun', IsPolicyOn: false, n: 3n }, { ReportType: 'Failed', IsPolicyOn: false, n: 3n }, { ReportType: 'PolicyUpdated', IsPolicyOn: true, n: 3n }]);
  });

  it('the incidents store reads the actions recorded on its incidents', async () => {
    const incidents = await import('../../src/incidents/store.js');
    const s = await respond(engine.store, { policies, alerts, source: source() });
    expect(s.recorded).toHaveLength(6);
    expect((await loadActions(engine.store)).map(a => a.id).sort()).toEqual(s.recorded.map(a => a.id).sort());
    const seen = await incidents.loadActions(engine.store);
    expect(seen.map(a => [a.id, a.incidentId, a.action, a.status]).sort()).toEqual(s.recorded.map(a => [a.id, a.incidentId, a.action, a.status]).sort());
  });

  it('records an action no responder can carry out as failed', async () => {
    const graph = (await import('../../src/respond/responders/graph.js')).GraphResponder;
    server.routes.set(`PATCH /v1.0/users/${VICTIM.oid}`, { status: 204 });
    server.routes.set(`POST /v1.0/users/${VICTIM.oid}/revokeSignInSessions`, { status: 200, body: { value: true } });
    const g = new graph(loadResponderConfig(undefined, { CHAINHUNT_GRAPH_URL: `${base}/v1.0`, CHAINHUNT_GRAPH_TOKEN: 't' } as NodeJS.ProcessEnv));
    const s = await respond(engine.store, { policies: policies.filter(p => p.id === 'remote-assist-then-winrm'), alerts, source: source(), responders: [g] });
    expect(s.recorded.map(r => [r.action, r.responder, r.status, r.detail])).toEqual([
      ['disableUser', 'graph', 'succeeded', `graph PATCH ${base}/v1.0/users/${VICTIM.oid} accountEnabled=false: HTTP 204`],
      ['revokeSessions', 'graph', 'succeeded', `graph POST ${base}/v1.0/users/${VICTIM.oid}/revokeSignInSessions: HTTP 200`],
      ['isolateDevice', 'none', 'failed', 'no responder configured can isolateDevice (responders: graph)'],
    ]);
    const again = await respond(engine.store, { policies: policies.filter(p => p.id === 'remote-assist-then-winrm'), alerts, source: source(), responders: [g] });
    expect([again.recorded.length, again.alreadyDone]).toEqual([0, 3]);
  });
});
