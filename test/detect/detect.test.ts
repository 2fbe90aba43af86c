// Running rules over stored rows: result rows → alerts (deterministic ids, entities, source events
// from each of the three sources, activity times, rule fields), windows and lookbacks, merging of an
// alert seen again with more evidence, idempotent saving into AlertInfo / AlertEvidence.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { alertId, detect, detectWindow, evaluateRule, normalizeTimestamp } from '../../src/detect/detect.js';
import { loadAlerts } from '../../src/detect/alert-store.js';
import { parseRule, type LoadedRule } from '../../src/detect/rules.js';
import type { Alert } from '../../src/detect/model.js';

let engine: Engine;

beforeEach(async () => {
  engine = await Engine.open();
});
afterEach(() => engine.close());

function rule(id: string, meta: string, query: string): LoadedRule {
  return parseRule(`/virtual/${id}.kql`, `---\nid: ${id}\ntitle: "Title of ${id}"\ndescription: "What ${id} finds."\n${meta}\n---\n${query}\n`);
}

const COMMON = 'severity: high\ntactics: [Defense Evasion, Execution]\ntechniques: [T1059.003]\nstages: [4]\nfrequency: continuous';

async function rows(table: string, list: Record<string, unknown>[]): Promise<void> {
  await engine.store.insertObjects(table, list);
}

const proc = (ReportId: number, Timestamp: string, DeviceName: string, ProcessCommandLine: string, extra: Record<string, unknown> = {}) => ({
  ReportId, Timestamp, DeviceName, DeviceId: `id-${DeviceName}`, ActionType: 'ProcessCreated', FileName: 'cmd.exe', ProcessCommandLine, ...extra,
});

async function count(sql: string): Promise<number> {
  const [r] = await engine.store.sql(sql);
  return Number(r![0]);
}

describe('rows to alerts', () => {
  it('one event per row: the table the query reads, entity columns, rule fields, deterministic ids', async () => {
    await rows('DeviceProcessEvents', [
      proc(11, '2026-03-09T10:00:00.1234567Z', 'ws-1', 'cmd /c set /p="PK" <nul 1>a.zip', { AccountSid: 'S-1-5-21-1', AccountName: 'ann' }),
      proc(12, '2026-03-09T10:05:00Z', 'ws-2', 'cmd /c dir'),
      proc(13, '2026-03-09T11:00:00Z', 'ws-2', 'cmd /c set /p="PK" <nul 1>b.zip', { AccountSid: 'S-1-5-21-2', AccountName: 'bob' }),
    ]);
    const r = rule('pk', `${COMMON}\nlookback: 1h\nentities:\n  device: DeviceName\n  userSid: AccountSid\n  userName: AccountName\nresponseActions: [isolateDevice]`,
      'DeviceProcessEvents | where ProcessCommandLine has "PK" | project Timestamp, ReportId, DeviceName, AccountSid, AccountName');
    const res = await detect(engine, [r], { now: new Date('2026-03-10T00:00:00Z') });
    expect(res.rules).toEqual([{ ruleId: 'pk', title: 'Title of pk', severity: 'high', rows: 2, alerts: 2, added: 2, updated: 0, queries: 1, ms: res.rules[0]!.ms }]);
    const alerts = await loadAlerts(engine.store);
    const first: Alert = {
      id: alertId('pk', { table: 'DeviceProcessEvents', reportId: '11', timestamp: '2026-03-09T10:00:00.1234560Z', deviceName: 'ws-1' }),
      ruleId: 'pk',
      title: 'Title of pk',
      description: 'What pk finds.',
      severity: 'high',
      category: 'DefenseEvasion',
      tactics: ['Defense Evasion', 'Execution'],
      techniques: ['T1059.003'],
      stages: [4],
      firstActivity: '2026-03-09T10:00:00.1234560Z',
      lastActivity: '2026-03-09T10:00:00.1234560Z',
      createdTime: '2026-03-09T10:00:00.1234560Z',
      entities: [{ kind: 'device', value: 'ws-1' }, { kind: 'userSid', value: 'S-1-5-21-1' }, { kind: 'userName', value: 'ann' }],
      sourceEvents: [{ table: 'DeviceProcessEvents', reportId: '11', timestamp: '2026-03-09T10:00:00.1234560Z', deviceName: 'ws-1' }],
      responseActions: ['isolateDevice'],
    };
    expect(alerts[0]).toEqual(first);
    expect(alerts[0]!.id).toMatch(/^ch[0-9a-f]{30}$/);
    expect(alerts[1]!.sourceEvents).toEqual([{ table: 'DeviceProcessEvents', reportId: '13', timestamp: '2026-03-09T11:00:00.0000000Z', deviceName: 'ws-2' }]);
    // Defender's alert tables: one AlertInfo row per alert, one AlertEvidence row per entity.
    const info = await engine.query('AlertInfo | order by Timestamp asc | project Timestamp, AlertId, Title, Category, Severity, ServiceSource, DetectionSource, AttackTechniques');
    expect(info.rows).toEqual([
      ['2026-03-09T10:00:00.1234560Z', first.id, 'Title of pk', 'DefenseEvasion', 'High', 'chainhunt', 'Custom detection', '["T1059.003"]'],
      ['2026-03-09T11:00:00.0000000Z', alerts[1]!.id, 'Title of pk', 'DefenseEvasion', 'High', 'chainhunt', 'Custom detection', '["T1059.003"]'],
    ]);
    const ev = await engine.query(`AlertEvidence | where AlertId == "${first.id}" | project EntityType, DeviceName, AccountSid, AccountName, EvidenceRole, Categories`);
    expect(ev.rows).toEqual([
      ['Machine', 'ws-1', '', '', 'Impacted', '["DefenseEvasion"]'],
      ['User', '', 'S-1-5-21-1', '', 'Impacted', '["DefenseEvasion"]'],
      ['User', '', '', 'ann', 'Impacted', '["DefenseEvasion"]'],
    ]);
    // Again: nothing new, nothing rewritten.
    const again = await detect(engine, [r], { now: new Date('2026-03-10T00:00:00Z') });
    expect([again.added, again.updated, again.alerts.length]).toEqual([0, 0, 2]);
    expect(await count('SELECT count(*) FROM AlertInfo')).toBe(2);
    expect(await count('SELECT count(*) FROM AlertEvidence')).toBe(6);
    expect(await loadAlerts(engine.store)).toEqual(alerts);
  });

  it('SourceEvents from several tables, entity columns holding arrays', async () => {
    await rows('DeviceProcessEvents', [proc(21, '2026-03-09T10:00:00Z', 'ws-1', 'QuickAssist.exe', { FileName: 'QuickAssist.exe' })]);
    await rows('DeviceFileEvents', [{ ReportId: 7, Timestamp: '2026-03-09T10:02:00Z', DeviceName: 'ws-1', ActionType: 'FileCreated', FileName: 'a.dll', FolderPath: 'C:\\ProgramData\\x\\a.dll' }]);
    const r = rule('multi', `${COMMON}\nlookback: 1h\nentities:\n  device: Devices\n  file: Files`, `
      union (DeviceProcessEvents | where FileName =~ "QuickAssist.exe" | extend T = "DeviceProcessEvents", F = ""),
            (DeviceFileEvents | where FileName endswith ".dll" | extend T = "DeviceFileEvents", F = FolderPath)
      | summarize Timestamp = max(Timestamp), ReportId = make_list(ReportId), Devices = make_set(DeviceName), Files = make_set_if(F, isnotempty(F)),
                  SourceEvents = make_list(bag_pack("Table", T, "ReportId", ReportId, "Timestamp", Timestamp, "DeviceName", DeviceName))`);
    const res = await detect(engine, [r], { now: new Date('2026-03-10T00:00:00Z') });
    expect(res.alerts).toHaveLength(1);
    const a = res.alerts[0]!;
    expect(a.sourceEvents).toEqual([
      { table: 'DeviceProcessEvents', reportId: '21', timestamp: '2026-03-09T10:00:00.0000000Z', deviceName: 'ws-1' },
      { table: 'DeviceFileEvents', reportId: '7', timestamp: '2026-03-09T10:02:00.0000000Z', deviceName: 'ws-1' },
    ]);
    expect(a.id).toBe(alertId('multi', a.sourceEvents[0]!));
    expect([a.firstActivity, a.lastActivity]).toEqual(['2026-03-09T10:00:00.0000000Z', '2026-03-09T10:02:00.0000000Z']);
    expect(a.entities).toEqual([{ kind: 'device', value: 'ws-1' }, { kind: 'file', value: 'C:\\ProgramData\\x\\a.dll' }]);
    const ev = await engine.query(`AlertEvidence | where EntityType == "File" | project FileName, FolderPath`);
    expect(ev.rows).toEqual([['a.dll', 'C:\\ProgramData\\x\\a.dll']]);
  });

  it('a ReportId array without SourceEvents: ids looked up in the table; SourceTable column', async () => {
    await rows('DeviceProcessEvents', [
      proc(31, '2026-03-09T10:00:00Z', 'ws-1', 'whoami'),
      proc(32, '2026-03-09T10:00:30Z', 'ws-1', 'hostname'),
      proc(33, '2026-03-09T10:01:00Z', 'ws-2', 'hostname'),
    ]);
    const burst = rule('burst', `${COMMON}\nlookback: 1h\nentities:\n  device: DeviceName`,
      'DeviceProcessEvents | summarize Timestamp = max(Timestamp), ReportId = make_list(ReportId) by DeviceName | where array_length(ReportId) > 1');
    const a = (await detect(engine, [burst], { save: false })).alerts;
    expect(a.map(x => x.sourceEvents)).toEqual([[
      { table: 'DeviceProcessEvents', reportId: '31', timestamp: '2026-03-09T10:00:00.0000000Z', deviceName: 'ws-1' },
      { table: 'DeviceProcessEvents', reportId: '32', timestamp: '2026-03-09T10:00:30.0000000Z', deviceName: 'ws-1' },
    ]]);
    const named = rule('named', `${COMMON}\nlookback: 1h\nentities:\n  device: DeviceName`,
      'union DeviceProcessEvents, DeviceFileEvents | where ReportId == 33 | project Timestamp, ReportId, DeviceName, SourceTable = "DeviceProcessEvents"');
    expect((await detect(engine, [named], { save: false })).alerts.map(x => x.sourceEvents)).toEqual([
      [{ table: 'DeviceProcessEvents', reportId: '33', timestamp: '2026-03-09T10:01:00.0000000Z', deviceName: 'ws-2' }],
    ]);
  });

  it('normalizes datetimes to seven fractional digits', () => {
    expect(normalizeTimestamp('2026-03-09T10:00:00Z')).toBe('2026-03-09T10:00:00.0000000Z');
    expect(normalizeTimestamp('2026-03-09T10:00:00.123456')).toBe('2026-03-09T10:00:00.1234560Z');
    expect(normalizeTimestamp('2026-03-09 10:00:00.5')).toBe('2026-03-09T10:00:00.5000000Z');
  });
});

describe('windows, lookback and merging', () => {
  // A burst rule anchored on its first event: every later event within 30 minutes.
  const burstRule = () => rule('anchored', `${COMMON}\nlookback: 40m\nentities:\n  device: DeviceName`, `
    let events = DeviceProcessEvents | where ProcessCommandLine startswith "recon";
    let starts = events | join kind=leftanti (events | join kind=inner (events | project DeviceName, Earlier = Timestamp) on DeviceName
                                               | where Earlier >= Timestamp - 30m and Earlier < Timestamp | distinct DeviceName, ReportId) on DeviceName, ReportId
                 | project DeviceName, Start = Timestamp, StartId = ReportId;
    starts | join kind=inner events on DeviceName | where Timestamp between (Start .. (Start + 30m))
    | summarize Timestamp = max(Timestamp), ReportId = make_list(ReportId),
                SourceEvents = make_list(bag_pack("Table", "DeviceProcessEvents", "ReportId", ReportId, "Timestamp", Timestamp, "DeviceName", DeviceName)) by DeviceName, StartId`);

  beforeEach(async () => {
    await rows('DeviceProcessEvents', [
      proc(41, '2026-03-09T09:50:00Z', 'ws-1', 'recon 1'),
      proc(42, '2026-03-09T09:58:00Z', 'ws-1', 'recon 2'),
      proc(43, '2026-03-09T10:03:00Z', 'ws-1', 'recon 3'),
      proc(44, '2026-03-09T10:12:00Z', 'ws-1', 'recon 4'),
    ]);
  });

  it('a span keeps the rows stamped inside it; the lookback lets it see earlier evidence', async () => {
    const r = burstRule();
    const inside = await evaluateRule(engine, r, { from: new Date('2026-03-09T10:00:00Z'), to: new Date('2026-03-09T10:05:00Z') });
    // The row (Timestamp 10:03, the latest event so far) with the 09:50 and 09:58 events from the lookback.
    expect(inside.rows).toBe(1);
    expect(inside.alerts.map(a => a.sourceEvents.map(e => e.reportId))).toEqual([['41', '42', '43']]);
    const before = await evaluateRule(engine, r, { from: new Date('2026-03-09T09:00:00Z'), to: new Date('2026-03-09T09:55:00Z') });
    expect(before.alerts.map(a => a.sourceEvents.map(e => e.reportId))).toEqual([['41']]);
    const after = await evaluateRule(engine, r, { from: new Date('2026-03-09T10:30:00Z'), to: new Date('2026-03-09T11:00:00Z') });
    expect(after.rows).toBe(0);
  });

  it('continuous spans, one after the other, grow one alert; catch-up in any chunks finds the same', async () => {
    const r = burstRule();
    const spans = ['09:45', '09:55', '10:00', '10:10', '10:20'].map(t => new Date(`2026-03-09T${t}:00Z`));
    const growth: number[][] = [];
    for (let i = 0; i + 1 < spans.length; i++) {
      const res = await detectWindow(engine, [r], { from: spans[i]!, to: spans[i + 1]! });
      growth.push([res.added, res.updated]);
    }
    expect(growth).toEqual([[1, 0], [0, 1], [0, 1], [0, 1]]);
    const stored = await loadAlerts(engine.store);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.sourceEvents.map(e => e.reportId)).toEqual(['41', '42', '43', '44']);
    expect([stored[0]!.firstActivity, stored[0]!.lastActivity, stored[0]!.createdTime]).toEqual([
      '2026-03-09T09:50:00.0000000Z', '2026-03-09T10:12:00.0000000Z', '2026-03-09T09:50:00.0000000Z',
    ]);
    // AlertInfo / AlertEvidence were rewritten, not duplicated.
    expect(await count('SELECT count(*) FROM AlertInfo')).toBe(1);
    expect((await engine.query('AlertInfo | project Timestamp')).rows).toEqual([['2026-03-09T10:12:00.0000000Z']]);
    for (const chunkMs of [60_000 * 7, 3_600_000, 86_400_000]) {
      const c = await detect(engine, [r], { chunkMs, save: false });
      expect(c.alerts.map(a => [a.id, a.sourceEvents.map(e => e.reportId)])).toEqual([[stored[0]!.id, ['41', '42', '43', '44']]]);
    }
    const again = await detect(engine, [r]);
    expect([again.added, again.updated]).toEqual([0, 0]);
  });

  it('only continuous rules run in a window unless asked; a failing rule is reported, the others run', async () => {
    const hourly = rule('hourly', `severity: low\ntactics: [Discovery]\ntechniques: [T1082]\nstages: [3]\nfrequency: 1h\nlookback: 1h\nentities:\n  device: DeviceName`,
      'DeviceProcessEvents | project Timestamp, ReportId, DeviceName');
    const span = { from: new Date('2026-03-09T09:00:00Z'), to: new Date('2026-03-09T11:00:00Z') };
    expect((await detectWindow(engine, [hourly], span, { save: false })).rules).toEqual([]);
    expect((await detectWindow(engine, [hourly], span, { save: false, continuousOnly: false })).alerts).toHaveLength(4);
    const broken = rule('broken', `${COMMON}\nlookback: 1h\nentities:\n  device: DeviceName`,
      'DeviceProcessEvents | project Timestamp, ReportId = dynamic([1]), DeviceName, SourceEvents = dynamic([{"Table": "NoTable", "ReportId": 1}])');
    const res = await detect(engine, [broken, hourly], { save: false });
    expect(res.failed).toBe(1);
    expect(res.rules[0]!.error).toBe("/virtual/broken.kql: SourceEvents names table 'NoTable', which is not a Defender table");
    expect(res.rules[1]!.alerts).toBe(4);
  });

  it('an empty store: no span, no alerts', async () => {
    await engine.store.sql('DELETE FROM DeviceProcessEvents');
    const res = await detect(engine, [burstRule()]);
    expect([res.span, res.alerts.length, res.rules[0]!.rows]).toEqual([null, 0, 0]);
  });
});
