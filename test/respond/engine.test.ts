import { describe, expect, it } from 'vitest';
import { loadPolicies, parsePolicy } from '../../src/respond/policies.js';
import { Identities, isSystemAccount, matchPolicy, planIncident, planResponses } from '../../src/respond/engine.js';
import { alert, incident, VICTIM } from './helpers.js';

const policies = loadPolicies();
const seed = policies.find(p => p.id === 'remote-assist-then-winrm')!;
const implant = policies.find(p => p.id === 'remote-assist-then-implant')!;
const OTHER = { upn: 'asmith@contoso.com', sid: 'S-1-5-21-1111-2222-3333-1200', name: 'asmith' };

const summary = (plan: ReturnType<typeof planIncident>) => plan.map(p => [p.policy.id, p.type, p.target.kind === 'user' ? p.target.user.upn ?? p.target.user.sid : p.target.device.name, p.timestamp]);

describe('policy engine', () => {
  it("contains the user and the originating device when WinRM follows remote assistance (the seed's policy)", () => {
    const a2 = alert({ id: 'qa', stages: [2], at: '2026-03-09T10:00:00.0000000Z', user: { upn: VICTIM.upn, sid: VICTIM.sid }, devices: ['ws-0001.corp.contoso.com'] });
    const a3 = alert({ id: 'recon', stages: [3], at: '2026-03-09T10:01:00.0000000Z', user: { sid: VICTIM.sid }, devices: ['ws-0001.corp.contoso.com'] });
    const a7 = alert({ id: 'winrm', stages: [7], at: '2026-03-09T10:20:00.1234560Z', end: '2026-03-09T10:31:00.0000000Z', user: { sid: VICTIM.sid }, devices: ['ws-0001.corp.contoso.com', 'dc01.corp.contoso.com', 'fs01.corp.contoso.com'] });
    const inc = incident('inc-1', [a2, a3, a7]);
    const plan = planIncident(inc, [a2, a3, a7], [seed]);
    expect(summary(plan)).toEqual([
      ['remote-assist-then-winrm', 'disableUser', VICTIM.upn, '2026-03-09T10:20:00.1234560Z'],
      ['remote-assist-then-winrm', 'revokeSessions', VICTIM.upn, '2026-03-09T10:20:00.1234560Z'],
      ['remote-assist-then-winrm', 'isolateDevice', 'ws-0001.corp.contoso.com', '2026-03-09T10:20:00.1234560Z'],
    ]);
    expect(plan[0]!.match).toEqual({
      incidentId: 'inc-1', policyId: 'remote-assist-then-winrm', alertIds: ['qa', 'winrm'], timestamp: '2026-03-09T10:20:00.1234560Z',
      event: { table: 'DeviceProcessEvents', reportId: 'winrm-r1', timestamp: '2026-03-09T10:20:00.1234560Z', deviceName: 'ws-0001.corp.contoso.com' },
      user: { upn: VICTIM.upn, sid: VICTIM.sid }, device: null,
    });
    expect(plan[0]!.target).toEqual({ kind: 'user', user: { upn: VICTIM.upn, sid: VICTIM.sid } });
    expect(plan[0]!.originDevice).toBe('ws-0001.corp.contoso.com');
    expect(plan[0]!.compromisedAccountCount).toBe(1);
    expect(new Set(plan.map(p => p.id)).size).toBe(3);
    // Deterministic: planning again gives the same ids.
    expect(planIncident(inc, [a7, a3, a2], [seed]).map(p => p.id)).toEqual(plan.map(p => p.id));
  });

  it('stamps actions with the time the completing alert could be raised, not its earliest evidence', () => {
    // A burst rule: its evidence starts at 10:01 but its condition holds at the fifth command, 10:03.
    const a2 = alert({ id: 'qa', stages: [2], at: '2026-03-09T10:00:00.0000000Z', user: { sid: VICTIM.sid }, devices: ['ws-0001'] });
    const burst = alert({ id: 'burst', stages: [7], at: '2026-03-09T10:01:00.0000000Z', created: '2026-03-09T10:03:00.0000000Z', end: '2026-03-09T10:05:00.0000000Z', user: { sid: VICTIM.sid }, devices: ['ws-0001'] });
    const m = matchPolicy(seed, incident('i', [a2, burst]), [a2, burst])!;
    expect(m.timestamp).toBe('2026-03-09T10:03:00.0000000Z');
    expect(m.event).toEqual({ table: 'DeviceProcessEvents', reportId: 'burst-r1', timestamp: '2026-03-09T10:01:00.0000000Z', deviceName: 'ws-0001' });
    // Ordering uses the same times: a stage-7 alert raised before the stage-2 one does not follow it.
    const early = alert({ id: 'early', stages: [7], at: '2026-03-09T09:50:00.0000000Z', created: '2026-03-09T09:59:00.0000000Z', user: { sid: VICTIM.sid }, devices: ['ws-0001'] });
    expect(matchPolicy(seed, incident('i', [a2, early]), [a2, early])).toBeNull();
  });

  it('needs the order, the same user and the time bound', () => {
    const a2 = alert({ stages: [2], at: '2026-03-09T10:00:00Z', user: { sid: VICTIM.sid }, devices: ['ws-0001'] });
    const before = alert({ stages: [7], at: '2026-03-09T09:59:00Z', user: { sid: VICTIM.sid }, devices: ['ws-0001'] });
    const otherUser = alert({ stages: [7], at: '2026-03-09T10:10:00Z', user: { sid: OTHER.sid }, devices: ['ws-0001'] });
    const tooLate = alert({ stages: [7], at: '2026-03-10T10:00:01Z', user: { sid: VICTIM.sid }, devices: ['ws-0001'] });
    for (const a7 of [before, otherUser, tooLate]) expect(planIncident(incident('i', [a2, a7]), [a2, a7], [seed])).toEqual([]);
    const inTime = alert({ stages: [7], at: '2026-03-10T10:00:00Z', user: { sid: VICTIM.sid }, devices: ['ws-0001'] });
    expect(planIncident(incident('i', [a2, inTime]), [a2, inTime], [seed])).toHaveLength(3);
  });

  it('takes the earliest completion', () => {
    const early2 = alert({ id: 'e2', stages: [2], at: '2026-03-09T08:00:00Z', user: { sid: VICTIM.sid }, devices: ['ws-0001'] });
    const late2 = alert({ id: 'l2', stages: [2], at: '2026-03-09T10:00:00Z', user: { sid: VICTIM.sid }, devices: ['ws-0001'] });
    const a7a = alert({ id: '7a', stages: [7], at: '2026-03-09T10:05:00Z', user: { sid: VICTIM.sid }, devices: ['ws-0001', 'dc01'] });
    const a7b = alert({ id: '7b', stages: [7], at: '2026-03-09T11:00:00Z', user: { sid: VICTIM.sid }, devices: ['ws-0001', 'dc02'] });
    const alerts = [a7b, late2, a7a, early2];
    const m = matchPolicy(seed, incident('i', alerts), alerts)!;
    expect(m.alertIds).toEqual(['l2', '7a']);
    expect(m.timestamp).toBe('2026-03-09T10:05:00Z');
  });

  it('links user names across alerts that name one person', () => {
    // The stage 2 alert names the user by UPN and SID, the WinRM alert by object id and SID, a third by object id only.
    const a2 = alert({ stages: [2], at: '2026-03-09T10:00:00Z', user: { upn: VICTIM.upn, sid: VICTIM.sid }, devices: ['ws-0001'] });
    const a7 = alert({ stages: [7], at: '2026-03-09T10:10:00Z', user: { oid: VICTIM.oid }, devices: ['ws-0001', 'dc01'] });
    const a5 = alert({ stages: [5], at: '2026-03-09T10:05:00Z', user: { oid: VICTIM.oid, sid: VICTIM.sid }, devices: ['ws-0001'] });
    const plan = planIncident(incident('i', [a2, a5, a7]), [a2, a5, a7], [seed]);
    expect(plan.filter(p => p.target.kind === 'user').map(p => p.target)).toEqual([
      { kind: 'user', user: { objectId: VICTIM.oid, upn: VICTIM.upn, sid: VICTIM.sid } },
      { kind: 'user', user: { objectId: VICTIM.oid, upn: VICTIM.upn, sid: VICTIM.sid } },
    ]);
    // An alert naming two people links nobody.
    const two = alert({ stages: [2], at: '2026-03-09T10:00:00Z', extra: [{ kind: 'userSid', value: VICTIM.sid }, { kind: 'userSid', value: OTHER.sid }, { kind: 'userUpn', value: OTHER.upn }] });
    const ids = new Identities([two]);
    expect([...ids.of(two)].sort()).toEqual([`sid:${VICTIM.sid}`, `sid:${OTHER.sid}`, `upn:${OTHER.upn}`]);
  });

  it('never treats system and machine accounts as the user', () => {
    expect([
      isSystemAccount({ kind: 'userSid', value: 'S-1-5-18' }), isSystemAccount({ kind: 'userName', value: 'NT AUTHORITY\\SYSTEM' }),
      isSystemAccount({ kind: 'userName', value: 'network service' }), isSystemAccount({ kind: 'userName', value: 'CORP\\WS-0001$' }),
      isSystemAccount({ kind: 'userName', value: 'DWM-3' }), isSystemAccount({ kind: 'userSid', value: 'S-1-5-90-0-3' }),
      isSystemAccount({ kind: 'userName', value: 'jdoe' }), isSystemAccount({ kind: 'userSid', value: VICTIM.sid }),
    ]).toEqual([true, true, true, true, true, true, false, false]);
    const sys = { sid: 'S-1-5-18', name: 'SYSTEM' };
    const a2 = alert({ stages: [2], at: '2026-03-09T10:00:00Z', user: sys, devices: ['ws-0001'] });
    const a7 = alert({ stages: [7], at: '2026-03-09T10:10:00Z', user: sys, devices: ['ws-0001'] });
    expect(planIncident(incident('i', [a2, a7]), [a2, a7], [seed])).toEqual([]);
  });

  it('acts on the implant on the same device before any lateral movement', () => {
    const a2 = alert({ stages: [2], at: '2026-03-09T10:00:00Z', user: VICTIM, devices: ['ws-0001.corp.contoso.com'] });
    const a4 = alert({ stages: [4], at: '2026-03-09T10:06:30Z', devices: ['WS-0001'] });
    const a4other = alert({ stages: [4], at: '2026-03-09T10:03:00Z', devices: ['ws-0002'] });
    const plan = planIncident(incident('i', [a2, a4, a4other]), [a2, a4, a4other], [implant]);
    expect(summary(plan)).toEqual([
      ['remote-assist-then-implant', 'disableUser', VICTIM.upn, '2026-03-09T10:06:30Z'],
      ['remote-assist-then-implant', 'revokeSessions', VICTIM.upn, '2026-03-09T10:06:30Z'],
      ['remote-assist-then-implant', 'isolateDevice', 'ws-0001.corp.contoso.com', '2026-03-09T10:06:30Z'],
    ]);
    expect(plan[0]!.match.device).toBe('ws-0001');
    // More than two hours later: no.
    const late = alert({ stages: [6], at: '2026-03-09T12:00:01Z', devices: ['ws-0001'] });
    expect(planIncident(incident('i', [a2, late]), [a2, late], [implant])).toEqual([]);
  });

  it('honours enabled, exclusions, any order and the other step fields', () => {
    const text = (extra: string) => `
id: t
name: T
enabled: ${extra.includes('off') ? 'false' : 'true'}
trigger:
  order: any
  steps:
    - tactics: [lateral movement]
      rules: ["winrm-*"]
      minSeverity: high
    - titles: ["*quick assist*"]
actions:
  - type: disableUser
  - type: isolateDevice
    from: all
exclude:
  users: ["asmith*"]
  devices: ["dc*"]
`;
    const a7 = alert({ stages: [7], at: '2026-03-09T10:00:00Z', rule: 'winrm-lateral', tactics: ['LateralMovement'], severity: 'high', user: OTHER, devices: ['ws-0009', 'dc01'] });
    const qa = alert({ stages: [2], at: '2026-03-09T10:30:00Z', title: 'Suspicious Quick Assist session', user: VICTIM, devices: ['ws-0009'] });
    const inc = incident('i', [a7, qa]);
    const on = parsePolicy('t.yaml', text(''));
    expect(summary(planIncident(inc, [a7, qa], [on]))).toEqual([
      ['t', 'disableUser', VICTIM.upn, '2026-03-09T10:30:00Z'],
      ['t', 'isolateDevice', 'ws-0009', '2026-03-09T10:30:00Z'],
    ]);
    expect(planIncident(inc, [a7, qa], [parsePolicy('t.yaml', text('off'))])).toEqual([]);
    const medium = { ...a7, severity: 'medium' as const };
    expect(planIncident(inc, [medium, qa], [on])).toEqual([]);
  });

  it('contains every victim of an incident that holds two intrusions', () => {
    const qa1 = alert({ stages: [2], at: '2026-03-09T10:00:00Z', user: VICTIM, devices: ['ws-0001'] });
    const side1 = alert({ stages: [4], at: '2026-03-09T10:07:00Z', devices: ['ws-0001'] });
    const qa2 = alert({ stages: [2], at: '2026-03-09T13:00:00Z', user: OTHER, devices: ['ws-0002'] });
    const side2 = alert({ stages: [4], at: '2026-03-09T13:05:00Z', devices: ['ws-0002'] });
    const exfil = alert({ stages: [9], at: '2026-03-09T18:00:00Z', devices: ['fs01'] });
    const all = [qa1, side1, qa2, side2, exfil];
    const plan = planIncident(incident('merged', all), all, [implant]);
    expect(summary(plan)).toEqual([
      ['remote-assist-then-implant', 'disableUser', VICTIM.upn, '2026-03-09T10:07:00Z'],
      ['remote-assist-then-implant', 'revokeSessions', VICTIM.upn, '2026-03-09T10:07:00Z'],
      ['remote-assist-then-implant', 'isolateDevice', 'ws-0001', '2026-03-09T10:07:00Z'],
      ['remote-assist-then-implant', 'disableUser', OTHER.upn, '2026-03-09T13:05:00Z'],
      ['remote-assist-then-implant', 'revokeSessions', OTHER.upn, '2026-03-09T13:05:00Z'],
      ['remote-assist-then-implant', 'isolateDevice', 'ws-0002', '2026-03-09T13:05:00Z'],
    ]);
    expect(plan.map(p => p.compromisedAccountCount)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(plan.map(p => p.originDevice)).toEqual(['ws-0001', 'ws-0001', 'ws-0001', 'ws-0002', 'ws-0002', 'ws-0002']);
  });

  it('plans over many incidents with their own alerts', () => {
    const a2 = alert({ stages: [2], at: '2026-03-09T10:00:00Z', user: VICTIM, devices: ['ws-0001'] });
    const a7 = alert({ stages: [7], at: '2026-03-09T10:10:00Z', user: VICTIM, devices: ['ws-0001', 'dc01'] });
    const plan = planResponses([incident('split-a', [a2]), incident('split-b', [a7]), incident('whole', [a2, a7])], [a2, a7], policies);
    expect([...new Set(plan.map(p => `${p.incidentId}/${p.policy.id}`))]).toEqual(['whole/remote-assist-then-winrm']);
  });
});
