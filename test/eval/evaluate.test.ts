import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { formatDuration, formatReport } from '../../src/eval/report.js';
import type { Alert, Incident, ResponseAction } from '../../src/detect/model.js';
import type { IntrusionLabel, Labels, StageLabel } from '../../src/simulate/labels.js';

const stage = (ids: Record<string, (string | number)[]>, first: string | null = null): StageLabel => ({ present: Object.keys(ids).length > 0, reportIds: ids, first });
const none = stage({});

function intrusion(id: string, user: string, device: string, stages: Record<string, StageLabel>, dc: string | null): IntrusionLabel {
  const all: Record<string, StageLabel> = {};
  for (let s = 1; s <= 9; s++) all[String(s)] = stages[String(s)] ?? none;
  return {
    id, victim: { user: { oid: `${user}-oid`, upn: `${user}@contoso.com`, sid: `S-1-5-21-9-${user}`, name: user }, device: { id: `${device}-id`, name: `${device}.corp.contoso.com` } },
    variant: { kind: 'full', contact: 'teams', lure: null, sender: null, chatThreadId: null, mailbomb: false, tool: 'QuickAssist.exe', shell: 'cmd.exe', delivery: null, downloader: false, sideload: null, c2: null, lateralTargets: [], rmm: null, exfil: null, historyDeletion: false, skipped: [] },
    stages: all, extras: { mailbomb: none, historyDeletion: none }, devicesTouched: [], firstDomainControllerInteraction: dc,
  };
}

const labels: Labels = {
  seed: 5, options: {}, start: '2026-03-01T00:00:00.0000000Z', end: '2026-03-10T00:00:00.0000000Z', tenantId: 't', domain: 'corp.contoso.com', counts: {},
  intrusions: [
    intrusion('intrusion-1', 'jdoe', 'ws-0001', {
      '1': stage({ MessageEvents: ['msg-1', 'msg-2'] }), '2': stage({ DeviceProcessEvents: [11, 13] }), '3': stage({ DeviceProcessEvents: [15, 17] }),
      '4': stage({ DeviceImageLoadEvents: [21] }), '7': stage({ DeviceNetworkEvents: [31, 33], AlertInfo: ['da-7'] }),
    }, '2026-03-05T10:10:00.0000000Z'),
    intrusion('intrusion-2', 'kiosk01', 'kiosk-01', { '2': stage({ DeviceProcessEvents: [101] }), '3': stage({ DeviceProcessEvents: [103] }) }, null),
    intrusion('intrusion-3', 'bsmith', 'ws-0003', { '2': stage({ DeviceProcessEvents: [201] }), '7': stage({ DeviceNetworkEvents: [211] }) }, '2026-03-06T09:00:00.0000000Z'),
  ],
  benign: [
    { id: 'helpdesk-quick-assist-1', kind: 'helpdesk-quick-assist', description: '', entities: {}, first: null, reportIds: { DeviceProcessEvents: [501, 503] } },
    { id: 'admin-winrm-1', kind: 'admin-winrm', description: '', entities: {}, first: null, reportIds: { DeviceNetworkEvents: [601] } },
  ],
};

let n = 0;
function alert(stages: number[], events: [string, string | number][], at: string, severity: Alert['severity'] = 'medium'): Alert {
  const id = `a${++n}`;
  return {
    id, ruleId: `r-${stages.join('-')}`, title: `Stage ${stages.join(',')}`, description: '', severity, category: '', tactics: [], techniques: [], stages,
    firstActivity: at, lastActivity: at, createdTime: at, entities: [],
    sourceEvents: events.map(([table, reportId]) => ({ table, reportId: String(reportId), timestamp: at, deviceName: '' })), responseActions: [],
  };
}
const inc = (id: string, alerts: Alert[], severity: Incident['severity'] = 'high'): Incident => ({
  id, title: id, severity, status: 'active', classification: 'unknown', determination: '', assignedTo: '', tags: [], firstActivity: '', lastActivity: '',
  createdTime: '', lastUpdateTime: '', stages: [], tactics: [], alertIds: alerts.map(a => a.id), entities: [], comments: [],
});
const action = (incidentId: string, timestamp: string, kind: 'userUpn' | 'device', value: string): ResponseAction => ({
  id: `${incidentId}-${kind}-${timestamp}`, incidentId, policyId: 'p', action: kind === 'device' ? 'isolateDevice' : 'disableUser', target: { kind, value }, timestamp, responder: 'dry-run', status: 'dryRun', detail: '',
});

// intrusion-1: stages 1, 2, 3, 4, 7 present; 1 (teams), 2 and 7 detected; 3 only as evidence of the stage-2 alert; 4 missed.
const i1teams = alert([1], [['MessageEvents', 'msg-2']], '2026-03-05T09:50:00.0000000Z');
const i1qa = alert([2], [['DeviceProcessEvents', 11], ['DeviceProcessEvents', 15]], '2026-03-05T10:00:00.0000000Z');
const i1winrm = alert([7], [['DeviceNetworkEvents', 31]], '2026-03-05T10:12:00.0000000Z', 'high');
const i1defender = alert([7], [['AlertInfo', 'da-7']], '2026-03-05T10:15:00.0000000Z', 'high');
// intrusion-2 (kiosk): both stages detected; never reaches a DC.
const i2qa = alert([2], [['DeviceProcessEvents', 101]], '2026-03-07T10:00:00.0000000Z');
const i2recon = alert([3], [['DeviceProcessEvents', 103]], '2026-03-07T10:01:00.0000000Z', 'low');
// intrusion-3: split over two incidents, one of them shared with a look-alike; disrupted after its DC contact.
const i3qa = alert([2], [['DeviceProcessEvents', 201]], '2026-03-06T08:40:00.0000000Z');
const i3winrm = alert([7], [['DeviceNetworkEvents', 211], ['DeviceNetworkEvents', 601]], '2026-03-06T09:05:00.0000000Z', 'high');
// False positives: a look-alike (medium) and background noise (low).
const lookalike = alert([2, 3], [['DeviceProcessEvents', 501]], '2026-03-04T11:00:00.0000000Z');
const noise = alert([3], [['DeviceProcessEvents', 999]], '2026-03-04T12:00:00.0000000Z', 'low');

const alerts = [i1teams, i1qa, i1winrm, i1defender, i2qa, i2recon, i3qa, i3winrm, lookalike, noise];
const incidents = [
  inc('inc-1', [i1teams, i1qa, i1winrm, i1defender]), inc('inc-2', [i2qa, i2recon], 'medium'), inc('inc-3a', [i3qa], 'medium'), inc('inc-3b', [i3winrm]),
  inc('inc-fp-1', [lookalike], 'medium'), inc('inc-fp-2', [noise], 'low'),
];
const actions = [
  action('inc-1', '2026-03-05T10:06:00.0000000Z', 'userUpn', 'jdoe@contoso.com'),
  action('inc-1', '2026-03-05T10:06:00.0000000Z', 'device', 'WS-0001.corp.contoso.com'),
  action('inc-3b', '2026-03-06T09:05:00.0000000Z', 'device', 'ws-0003'),
  action('inc-fp-1', '2026-03-04T11:00:00.0000000Z', 'userUpn', 'helpdesk@contoso.com'),
];

describe('evaluation against labels.json', () => {
  const r = evaluate(labels, alerts, incidents, actions);

  it('scores each intrusion: stages, alerts, incidents, disruption', () => {
    const [i1, i2, i3] = r.intrusions;
    expect(i1).toMatchObject({
      id: 'intrusion-1', stagesPresent: [1, 2, 3, 4, 7], stagesDetected: [1, 2, 7], stagesMissed: [3, 4], stagesEvidenced: [1, 2, 3, 7],
      incidents: ['inc-1'], landsWhole: true, sharedWith: [], firstDomainControllerInteraction: '2026-03-05T10:10:00.0000000Z',
      disruption: { first: '2026-03-05T10:06:00.0000000Z', policyId: 'p', leadMs: 240_000, beforeDc: true, userContained: true, deviceContained: true, actions: 2 },
    });
    expect(i1!.alerts.map(a => a.id)).toEqual([i1teams.id, i1qa.id, i1winrm.id, i1defender.id]);
    expect(i2).toMatchObject({ stagesPresent: [2, 3], stagesDetected: [2, 3], incidents: ['inc-2'], landsWhole: true, disruption: { first: null, leadMs: null, beforeDc: null, actions: 0 } });
    expect(i3).toMatchObject({
      stagesDetected: [2, 7], incidents: ['inc-3a', 'inc-3b'], landsWhole: false, sharedWith: ['admin-winrm-1'],
      disruption: { first: '2026-03-06T09:05:00.0000000Z', leadMs: -300_000, beforeDc: false, userContained: false, deviceContained: true, actions: 1 },
    });
  });

  it('classifies incidents', () => {
    expect(r.incidents.map(i => [i.id, i.class, i.intrusions, i.lookalikes, i.disrupted])).toEqual([
      ['inc-1', 'intrusion', ['intrusion-1'], [], true],
      ['inc-2', 'intrusion', ['intrusion-2'], [], false],
      ['inc-3a', 'intrusion', ['intrusion-3'], [], false],
      ['inc-3b', 'intrusion', ['intrusion-3'], ['admin-winrm-1'], true],
      ['inc-fp-1', 'lookalike', [], ['helpdesk-quick-assist-1'], true],
      ['inc-fp-2', 'background', [], [], false],
    ]);
  });

  it('sums up recall, incidents, false positives, disruption and the goals', () => {
    const o = r.overall;
    expect(o.alerts).toEqual({ total: 10, intrusion: 8, lookalike: 1, background: 1 });
    expect(o.recallByStage['2']).toEqual({ present: 3, detected: 3, recall: 1 });
    expect(o.recallByStage['3']).toEqual({ present: 2, detected: 1, recall: 0.5 });
    expect(o.recallByStage['4']).toEqual({ present: 1, detected: 0, recall: 0 });
    expect(o.recallByStage['5']).toEqual({ present: 0, detected: 0, recall: null });
    expect(o.recall).toEqual({ present: 9, detected: 7, recall: 7 / 9 });
    expect(o.incidentsPerIntrusion).toEqual({ mean: 4 / 3, distribution: { '1': 2, '2': 1 } });
    expect(o.incidents).toEqual({ total: 6, intrusion: 4, merged: 0, lookalike: 1, background: 1 });
    expect(o.falsePositiveIncidents).toEqual({ total: 2, mediumOrAbove: 1, lookalikeMediumOrAbove: 1, bySeverity: { medium: 1, low: 1 } });
    expect(o.alertsPerIncident).toEqual({ mean: 10 / 6, median: 1, max: 4 });
    expect(o.disruption).toEqual({ reachingDc: 2, disruptedBeforeDc: 1, disruptedAfterDc: 1, notDisrupted: 0, leadMs: { min: -300_000, median: -30_000 }, falseActions: 1, falseIncidents: 1 });
    expect(o.goals).toEqual({ oneIncidentPerIntrusion: false, fullRecall: false, noMediumFalsePositive: false, disruptionBeforeDc: false });
  });

  it('counts an incident holding two intrusions as merged, and that lands neither whole', () => {
    const merged = evaluate(labels, alerts, [inc('m', [i1qa, i1winrm, i3qa, i3winrm])], []);
    expect(merged.incidents[0]!.class).toBe('merged');
    expect(merged.intrusions.map(i => [i.id, i.incidents, i.landsWhole, i.sharedWith])).toEqual([
      ['intrusion-1', ['m'], false, ['admin-winrm-1', 'intrusion-3']],
      ['intrusion-2', [], false, []],
      ['intrusion-3', ['m'], false, ['admin-winrm-1', 'intrusion-1']],
    ]);
    expect(merged.overall.disruption.notDisrupted).toBe(2);
  });

  it('prints a table', () => {
    const text = formatReport(r);
    expect(text.split('\n').slice(0, 5)).toEqual([
      'Intrusions (simulator seed 5)',
      'intrusion    variant     present    detected  missed  alerts  incidents      whole  first DC contact              disrupted at                  before DC  contained',
      '-----------  ----------  ---------  --------  ------  ------  -------------  -----  ----------------------------  ----------------------------  ---------  -----------',
      'intrusion-1  full/teams  1,2,3,4,7  1,2,7     3,4     4       inc-1          yes    2026-03-05T10:10:00.0000000Z  2026-03-05T10:06:00.0000000Z  4m00s      user+device',
      'intrusion-2  full/teams  2,3        2,3       -       2       inc-2          yes    -                             -                             n/a        -',
    ]);
    expect(text).toContain('intrusion-3  full/teams  2,7        2,7       -       2       inc-3a inc-3b  NO     2026-03-06T09:00:00.0000000Z  2026-03-06T09:05:00.0000000Z  NO -5m00s  device');
    expect(text).toContain('Disruption: 1/2 intrusions reaching a domain controller contained before it (1 after, 0 not); lead min -5m00s, median -30s; 1 action(s) on 1 false-positive incident(s)');
    expect(text).toContain('  recall 100% for stages present: NOT MET (77.8%)');
    expect([formatDuration(850), formatDuration(61_000), formatDuration(-3_725_000)]).toEqual(['850ms', '1m01s', '-1h02m']);
  });
});
