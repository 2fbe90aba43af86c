// Golden tests: the seed's hunting queries A–K, verbatim from content/hunting/, over the hand-built
// fixture. Each asserts the exact rows: hits present, near misses absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type KqlResult } from '../../src/engine.js';
import { loadHuntingPack, type HuntingQuery } from '../../src/content/hunting.js';
import { DEFENDER_TABLES } from '../../src/schema/defender.js';
import { coerce } from '../../src/ingest/coerce.js';
import { formatDatetime } from '../../src/util/kusto-format.js';
import { FIXTURE, NOW, SENDERS, THREADS, USERS, loadFixture } from '../fixtures/seed-fixture.js';

let engine: Engine;
const pack = loadHuntingPack();

function query(section: string): HuntingQuery {
  const q = pack.find(p => p.section === section);
  if (!q) throw new Error(`no query ${section}`);
  return q;
}

async function run(section: string, text = query(section).query): Promise<KqlResult> {
  return engine.query(text, { now: NOW });
}

/** Rows as objects keyed by column name, for readable assertions. */
function objects(r: KqlResult): Record<string, unknown>[] {
  return r.rows.map(row => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}

/** A fixture row as the engine returns it: every column of its table, in Kusto value forms. */
function stored(table: string, reportId: number | string): unknown[] {
  const def = DEFENDER_TABLES.get(table)!;
  const row = FIXTURE[table]!.find(r => r.ReportId === reportId)!;
  return def.columns.map(c => {
    const v = coerce(row[c.name], c.type);
    if (v === null) return null;
    if (c.type === 'datetime') return formatDatetime(v as bigint);
    if (c.type === 'dynamic') return JSON.parse(v as string);
    return v;
  });
}

const ts = (iso: string) => formatDatetime(BigInt(Date.parse(iso)) * 10_000n);
const sorted = (v: unknown) => [...(v as string[])].sort();

beforeAll(async () => {
  engine = await Engine.open();
  await loadFixture(engine.store);
});
afterAll(() => engine.close());

describe('the hunting pack', () => {
  it('has the eleven seed queries A–K with their front matter', () => {
    expect(pack.map(q => q.section)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K']);
    for (const q of pack) {
      expect(q.stages.length).toBeGreaterThan(0);
      expect(q.techniques.length).toBeGreaterThan(0);
      expect(q.tables.length).toBeGreaterThan(0);
    }
    expect(query('K').added).toMatch(/FirstContact/);
  });

  it.each(pack.map(q => [q.section, q] as const))('%s binds against the Defender schema and compiles', (_s, q) => {
    expect(() => engine.compile(q.query, { now: NOW })).not.toThrow();
  });
});

describe('seed hunting queries over the fixture', () => {
  it('A: Teams message followed by a remote tool within 30 minutes; 31 minutes is a miss', async () => {
    const r = await run('A');
    expect(objects(r)).toEqual([
      { DeviceName: 'ws-dave', SenderEmailAddress: SENDERS.spam.email, SenderDisplayName: SENDERS.spam.name, VictimRecipientDisplayName: USERS.dave.name,
        VictimAccountObjectId: USERS.dave.oid, TTime: ts('2026-03-09T09:00:00Z'), QTime: ts('2026-03-09T09:05:00Z'), RmmTool: 'AnyDesk.exe' },
      { DeviceName: 'ws-alice', SenderEmailAddress: SENDERS.helpdesk.email, SenderDisplayName: SENDERS.helpdesk.name, VictimRecipientDisplayName: USERS.alice.name,
        VictimAccountObjectId: USERS.alice.oid, TTime: ts('2026-03-08T10:00:00Z'), QTime: ts('2026-03-08T10:12:00Z'), RmmTool: 'QuickAssist.exe' },
    ]);
  });

  it('B: cmd writing "PK" with a redirection; no redirection, a PowerShell parent or an old event is a miss', async () => {
    const r = await run('B');
    expect(r.rows).toEqual([stored('DeviceProcessEvents', 1041)]);
  });

  it('C: signed host within 10 minutes of a ProgramData write; 11 minutes is a miss', async () => {
    const r = await run('C');
    const rows = objects(r).map(o => ({ ...o, Files: sorted(o.Files) }));
    expect(rows).toEqual([
      { DeviceName: 'ws-dave', Host: 'AcroServicesUpdater2_x64.exe', First: ts('2026-03-09T09:12:00Z'), Run: ts('2026-03-09T09:15:00Z'),
        Files: ['AcroServicesUpdater2_x64.exe', 'msi.dll'] },
    ]);
  });

  it('D: PowerShell to a .top domain, then an EXE in AppData\\Roaming within 5 minutes', async () => {
    const r = await run('D');
    expect(objects(r)).toEqual([
      { DeviceName: 'ws-dave', NetTime: ts('2026-03-09T09:20:00Z'), RemoteUrl: 'cdn.update-check.top', RemoteIP: '203.0.113.10',
        WTime: ts('2026-03-09T09:23:00Z'), FileName: 'svc.exe', FolderPath: 'C:\\Users\\dave\\AppData\\Roaming\\Updater\\svc.exe',
        SHA256: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90' },
    ]);
  });

  it('E: loader value names under HKCU Classes\\Local Settings; other keys, other names and old events are misses', async () => {
    const r = await run('E');
    const key = 'HKEY_CURRENT_USER\\S-1-5-21-1004336348-1177238915-682003330-1104\\SOFTWARE\\Classes\\Local Settings\\Software\\Microsoft';
    expect(objects(r)).toEqual([
      { Timestamp: ts('2026-03-09T09:25:01Z'), DeviceName: 'ws-dave', ActionType: 'RegistryValueSet', RegistryKey: key, RegistryValueName: 'XJ01',
        PreviousRegistryValueData: 'old', InitiatingProcessFileName: 'AcroServicesUpdater2_x64.exe' },
      { Timestamp: ts('2026-03-09T09:25:00Z'), DeviceName: 'ws-dave', ActionType: 'RegistryValueSet', RegistryKey: key, RegistryValueName: 'UCID',
        PreviousRegistryValueData: '', InitiatingProcessFileName: 'AcroServicesUpdater2_x64.exe' },
    ]);
  });

  it('F: non-browser process to an API gateway, then AD protocols within 10 minutes', async () => {
    const r = await run('F');
    expect(objects(r)).toEqual([
      { DeviceName: 'ws-dave', Proc: 'AcroServicesUpdater2_x64.exe', OutTime: ts('2026-03-09T09:30:00Z'),
        RemoteUrl: 'k3j9x1.execute-api.us-east-1.amazonaws.com', InTime: ts('2026-03-09T09:34:00Z'), RemotePort: 389 },
    ]);
  });

  it('G: PowerShell history deleted', async () => {
    const r = await run('G');
    expect(objects(r)).toEqual([
      { Timestamp: ts('2026-03-09T09:40:00Z'), DeviceName: 'ws-dave', InitiatingProcessFileName: 'powershell.exe',
        InitiatingProcessCommandLine: 'powershell.exe -c Remove-Item (Get-PSReadlineOption).HistorySavePath',
        FolderPath: 'C:\\Users\\dave\\AppData\\Roaming\\Microsoft\\Windows\\PowerShell\\PSReadLine\\ConsoleHost_history.txt' },
    ]);
  });

  it('H: more than two recon commands on a device; two is a miss, and terms must match whole ("directory" is not "dir")', async () => {
    const r = await run('H');
    const rows = objects(r).map(o => ({ ...o, ProcessCommandLines: sorted(o.ProcessCommandLines) }));
    expect(rows).toEqual([
      { DeviceName: 'ws-dave', eventCount: 3n, FileNames: ['cmd.exe'], InitiatingProcessFileNames: ['AnyDesk.exe'],
        ProcessCommandLines: ['cmd.exe /c hostname', 'cmd.exe /c systeminfo', 'cmd.exe /c whoami /all'] },
    ]);
  });

  it('I: rclone with every flag, renamed or not; a missing flag, an old run and a backup job are misses', async () => {
    const r = await run('I');
    const byId = (a: readonly unknown[], b: readonly unknown[]) => String(a[r.columns.findIndex(c => c.name === 'ReportId')]).localeCompare(String(b[r.columns.findIndex(c => c.name === 'ReportId')]));
    expect([...r.rows].sort(byId)).toEqual([stored('DeviceProcessEvents', 1061), stored('DeviceProcessEvents', 1062)]);
  });

  it('J as the seed writes it: its regex @"...\\\\.(zip|exe|dll)$" needs a backslash in the file name, so no staging write ever excludes a device', async () => {
    const r = await run('J');
    const rows = objects(r).map(o => `${o.DeviceName} ${o.ReconProc} ${o.ReconCmd}`).sort();
    expect(rows).toEqual([
      'kiosk-01 cmd.exe cmd.exe /c whoami',
      'kiosk-01 powershell.exe powershell.exe -c ipconfig /all',
      'ws-alice cmd.exe cmd.exe /c whoami',
      'ws-dave cmd.exe cmd.exe /c hostname',
      'ws-dave cmd.exe cmd.exe /c systeminfo',
      'ws-dave cmd.exe cmd.exe /c whoami /all',
    ]);
  });

  it('J as intended (regex with one backslash): a device with staging writes within 15 minutes is excluded, one without is reported', async () => {
    const text = query('J').query.replace('@"(?i).*\\\\.(zip|exe|dll)$"', '@"(?i).*\\.(zip|exe|dll)$"');
    expect(text).not.toEqual(query('J').query);
    const r = await run('J', text);
    expect(objects(r).sort((a, b) => String(a.ReconTime).localeCompare(String(b.ReconTime)))).toEqual([
      { DeviceName: 'kiosk-01', RMMTime: ts('2026-03-09T15:00:00Z'), ReconTime: ts('2026-03-09T15:01:00Z'), ReconProc: 'cmd.exe', ReconCmd: 'cmd.exe /c whoami' },
      { DeviceName: 'kiosk-01', RMMTime: ts('2026-03-09T15:00:00Z'), ReconTime: ts('2026-03-09T15:02:00Z'), ReconProc: 'powershell.exe', ReconCmd: 'powershell.exe -c ipconfig /all' },
    ]);
  });

  it('K: Teams events with first contact and alerts matched by object id, UPN or chat thread within 30 minutes', async () => {
    const r = await run('K');
    const rows = objects(r)
      .map(o => ({ ...o, AlertTitles: sorted(o.AlertTitles), AlertIds: sorted(o.AlertIds), MatchTypes: sorted(o.MatchTypes) }) as Record<string, unknown>)
      .sort((a, b) => String(a.VictimUPN).localeCompare(String(b.VictimUPN)));
    const base = (u: { oid: string; upn: string }, sender: { email: string; name: string }, time: string, thread: string) =>
      ({ TTime: ts(time), SenderUPN: sender.email, SenderDisplayName: sender.name, VictimUPN: u.upn, VictimAccountObjectId: u.oid, ChatThreadId: thread });
    expect(r.columns.map(c => c.name)).toEqual(['TTime', 'SenderUPN', 'SenderDisplayName', 'VictimUPN', 'VictimAccountObjectId', 'ChatThreadId',
      'FirstContact', 'FCTime', 'AlertTitles', 'AlertIds', 'MatchTypes', 'FirstAlertTime']);
    expect(rows).toEqual([
      { ...base(USERS.alice, SENDERS.helpdesk, '2026-03-08T10:00:00Z', THREADS.alice), FirstContact: true, FCTime: ts('2026-03-08T09:58:00Z'),
        AlertTitles: ['', 'Suspicious activity using Quick Assist'], AlertIds: ['', 'da001'], MatchTypes: ['ChatThreadId', 'ObjectId', 'VictimUPN'],
        FirstAlertTime: ts('2026-03-08T10:20:00Z') },
      { ...base(USERS.bob, SENDERS.security, '2026-03-08T11:00:00Z', THREADS.bob), FirstContact: false, FCTime: null,
        AlertTitles: [''], AlertIds: [''], MatchTypes: ['ChatThreadId'], FirstAlertTime: null },
      { ...base(USERS.carol, SENDERS.spam, '2026-03-09T09:00:00Z', THREADS.carolDave), FirstContact: true, FCTime: ts('2026-03-09T08:59:00Z'),
        AlertTitles: ['', 'Microsoft Teams chat initiated by a suspicious external user'], AlertIds: ['', 'da003'],
        MatchTypes: ['ChatThreadId', 'ObjectId', 'VictimUPN'], FirstAlertTime: ts('2026-03-09T09:25:00Z') },
      { ...base(USERS.dave, SENDERS.spam, '2026-03-09T09:00:00Z', THREADS.carolDave), FirstContact: true, FCTime: ts('2026-03-09T08:59:00Z'),
        AlertTitles: ['', 'Microsoft Teams chat initiated by a suspicious external user', 'Remote monitoring and management software suspicious activity'],
        AlertIds: ['', 'da002', 'da003'], MatchTypes: ['ChatThreadId', 'ObjectId', 'VictimUPN'], FirstAlertTime: ts('2026-03-09T09:10:00Z') },
    ]);
  });
});
