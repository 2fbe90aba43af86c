// The simulator: deterministic output, streaming API records whose properties fit the Defender schema,
// labels that point at rows that exist (in the right table, on the right device), part files, and
// the intrusion variants the seed describes appearing over a few seeds.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coerce } from '../../src/ingest/coerce.js';
import { DEFENDER_TABLES } from '../../src/schema/defender.js';
import { simulate, SimulateOptionError } from '../../src/simulate/index.js';
import type { IntrusionLabel } from '../../src/simulate/labels.js';
import { readOutput, type Output } from './load.js';

const SMALL = { devices: 16, days: 3, intrusions: 4 } as const;
const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'chainhunt-sim-test-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** SHA-256 of every file under a folder, by relative path. */
function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out[p] = createHash('sha256').update(readFileSync(join(dir, p))).digest('hex');
    }
  };
  walk('');
  return out;
}

describe('determinism', () => {
  it('writes the same bytes for the same seed and options, and different bytes for another seed', async () => {
    const a = tmp();
    const b = tmp();
    const c = tmp();
    await simulate({ out: a, seed: 7, ...SMALL, parallel: false });
    await simulate({ out: b, seed: 7, ...SMALL, parallel: false });
    await simulate({ out: c, seed: 8, ...SMALL, parallel: false });
    const da = digests(a);
    expect(Object.keys(da).length).toBeGreaterThan(10);
    expect(digests(b)).toEqual(da);
    const dc = digests(c);
    expect(dc['labels.json']).not.toEqual(da['labels.json']);
    expect(dc['DeviceProcessEvents/DeviceProcessEvents-0000.json']).not.toEqual(da['DeviceProcessEvents/DeviceProcessEvents-0000.json']);
  });

  it('a second run into the same folder replaces the first (no leftover parts)', async () => {
    const d = tmp();
    await simulate({ out: d, seed: 3, ...SMALL, partRecords: 500, parallel: false });
    const many = readdirSync(join(d, 'DeviceNetworkEvents')).length;
    await simulate({ out: d, seed: 3, ...SMALL, parallel: false });
    expect(many).toBeGreaterThan(4);
    // One part per partition now.
    expect(readdirSync(join(d, 'DeviceNetworkEvents')).sort()).toEqual(['DeviceNetworkEvents-0000.json', 'DeviceNetworkEvents-0001.json']);
  });

  it('refuses bad options with a clear message', async () => {
    await expect(simulate({ out: tmp(), devices: 3 })).rejects.toThrow(/--devices must be at least 8/);
    await expect(simulate({ out: tmp(), end: 'yesterday' })).rejects.toBeInstanceOf(SimulateOptionError);
    await expect(simulate({ out: tmp(), days: 0 })).rejects.toThrow(/--days/);
  });
});

describe('output format and schema', () => {
  let out: Output;
  let dir: string;
  beforeAll(async () => {
    dir = tmp();
    await simulate({ out: dir, seed: 11, ...SMALL, intrusions: 5, partRecords: 2000, parallel: false });
    out = readOutput(dir);
  });

  it('writes Defender streaming API records, in <Table>/<Table>-NNNN.json parts of at most the part size', () => {
    expect([...out.files.keys()].sort()).toEqual(
      ['AlertEvidence', 'AlertInfo', 'CloudAppEvents', 'DeviceFileEvents', 'DeviceImageLoadEvents', 'DeviceInfo', 'DeviceLogonEvents', 'DeviceNetworkEvents', 'DeviceNetworkInfo', 'DeviceProcessEvents', 'DeviceRegistryEvents', 'EmailEvents', 'IdentityLogonEvents', 'MessageEvents'],
    );
    for (const [table, parts] of out.files) {
      parts.forEach((f, i) => expect(f).toBe(`${table}-${String(i).padStart(4, '0')}.json`));
      for (const f of parts) {
        const lines = readFileSync(join(dir, table, f), 'utf8').split('\n').filter(Boolean);
        expect(lines.length).toBeLessThanOrEqual(2000);
      }
    }
    expect(out.files.get('DeviceNetworkEvents')!.length).toBeGreaterThan(1);
    for (const [table, recs] of out.records) {
      for (const r of recs) {
        expect(Object.keys(r)).toEqual(['time', 'tenantId', 'operationName', 'category', 'properties']);
        expect(r.category).toBe(`AdvancedHunting-${table}`);
        expect(r.operationName).toBe('Publish');
        expect(r.tenantId).toBe(out.labels.tenantId);
        expect(r.time).toBe(r.properties.Timestamp);
      }
    }
  });

  it('fills only known columns, each value of its column type (checked with coerce)', () => {
    const DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;
    const seen = new Map<string, Set<string>>();
    const problems: string[] = [];
    const check = (ok: boolean, where: string) => {
      if (!ok && problems.length < 20) problems.push(where);
    };
    for (const [table, rows] of out.rows) {
      const def = DEFENDER_TABLES.get(table)!;
      const types = new Map(def.columns.map(c => [c.name, c.type]));
      const cols = new Set<string>();
      seen.set(table, cols);
      for (const row of rows) {
        for (const [col, value] of Object.entries(row)) {
          const type = types.get(col);
          if (!type) throw new Error(`${table} has no column ${col}`);
          cols.add(col);
          const where = `${table}.${col} = ${JSON.stringify(value)}`;
          switch (type) {
            case 'string':
              check(typeof value === 'string', where);
              break;
            case 'long':
            case 'int':
              check(Number.isInteger(value), where);
              break;
            case 'bool':
              check(typeof value === 'boolean', where);
              break;
            case 'datetime':
              check(typeof value === 'string' && DATETIME.test(value), where);
              break;
            case 'dynamic':
              check(typeof value === 'object' || typeof value === 'string', where);
              if (typeof value === 'string') JSON.parse(value);
              break;
          }
          try {
            coerce(value, type);
          } catch (e) {
            check(false, `${where}: ${(e as Error).message}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // The columns a hunter reaches for are filled.
    for (const c of ['DeviceId', 'DeviceName', 'FileName', 'FolderPath', 'SHA256', 'ProcessCommandLine', 'ProcessVersionInfoOriginalFileName', 'InitiatingProcessFileName', 'InitiatingProcessCommandLine', 'InitiatingProcessParentFileName', 'InitiatingProcessAccountObjectId', 'InitiatingProcessAccountUpn', 'InitiatingProcessAccountSid', 'AccountObjectId']) {
      expect(seen.get('DeviceProcessEvents')!.has(c), c).toBe(true);
    }
    for (const c of ['RemoteIP', 'RemotePort', 'RemoteUrl', 'Protocol', 'InitiatingProcessFileName', 'InitiatingProcessSHA1', 'InitiatingProcessCommandLine']) expect(seen.get('DeviceNetworkEvents')!.has(c), c).toBe(true);
    for (const c of ['RegistryKey', 'RegistryValueName', 'RegistryValueData']) expect(seen.get('DeviceRegistryEvents')!.has(c), c).toBe(true);
    for (const c of ['ThreadId', 'RecipientDetails', 'SenderEmailAddress', 'SenderDisplayName', 'IsExternalThread']) expect(seen.get('MessageEvents')!.has(c), c).toBe(true);
    expect(seen.get('CloudAppEvents')!.has('RawEventData')).toBe(true);
  });

  it('gives every row a unique ReportId (AlertId for the alert tables), longs or strings as the schema says', () => {
    for (const [table, rows] of out.rows) {
      const def = DEFENDER_TABLES.get(table)!;
      const idType = def.columns.find(c => c.name === 'ReportId')?.type;
      if (!idType) {
        expect(rows.every(r => typeof r.AlertId === 'string' && r.AlertId !== '')).toBe(true);
        continue;
      }
      const ids = rows.map(r => r.ReportId);
      expect(new Set(ids).size, table).toBe(ids.length);
      for (const id of ids) expect(typeof id, table).toBe(idType === 'long' ? 'number' : 'string');
    }
  });

  it('writes one DeviceInfo and one DeviceNetworkInfo row per device per day', () => {
    const perDay = new Map<string, number>();
    for (const r of out.rows.get('DeviceInfo')!) {
      const key = `${r.DeviceName}|${(r.Timestamp as string).slice(0, 10)}`;
      perDay.set(key, (perDay.get(key) ?? 0) + 1);
    }
    expect([...perDay.values()].every(n => n === 1)).toBe(true);
    expect(new Set(out.rows.get('DeviceInfo')!.map(r => r.DeviceName)).size).toBe(SMALL.devices);
  });

  it('has labels whose ReportIds all exist in the right table, on the devices the label names', () => {
    const { labels } = out;
    const byId = new Map<string, Record<string, unknown>>();
    for (const [table, rows] of out.rows) for (const r of rows) byId.set(`${table}|${String(r.ReportId ?? r.AlertId)}`, r);
    const check = (where: string, ids: Record<string, (string | number)[]>, devices: Set<string> | null) => {
      for (const [table, list] of Object.entries(ids)) {
        for (const id of list) {
          const row = byId.get(`${table}|${id}`);
          expect(row, `${where}: ${table} ${id}`).toBeDefined();
          if (devices && typeof row!.DeviceName === 'string' && table.startsWith('Device')) expect(devices.has(row!.DeviceName as string), `${where}: ${table} ${id} on ${row!.DeviceName}`).toBe(true);
        }
      }
    };
    expect(labels.intrusions.length).toBe(5);
    expect(labels.end).toBe('2026-03-10T12:00:00.0000000Z');
    for (const i of labels.intrusions) {
      const touched = new Set(i.devicesTouched);
      expect(touched.has(i.victim.device.name)).toBe(true);
      for (const [n, s] of Object.entries(i.stages)) {
        expect(s.present, `${i.id} stage ${n}`).toBe(Object.keys(s.reportIds).length > 0);
        expect(s.present, `${i.id} stage ${n} vs skipped`).toBe(!i.variant.skipped.includes(Number(n)));
        // Stages 2–6 happen on the victim's device; 7–9 reach further.
        check(`${i.id} stage ${n}`, s.reportIds, Number(n) >= 2 && Number(n) <= 6 ? new Set([i.victim.device.name]) : touched);
        if (s.present) expect(s.first! >= labels.start && s.first! < labels.end).toBe(true);
      }
      for (const [n, s] of Object.entries(i.extras)) check(`${i.id} ${n}`, s.reportIds, touched);
      // Stage order follows the seed's timing.
      for (const [a, b] of [[1, 2], [2, 3], [3, 4], [4, 5], [4, 6], [6, 7], [7, 8], [3, 8]] as const) {
        const sa = i.stages[String(a)]!;
        const sb = i.stages[String(b)]!;
        if (sa.present && sb.present) expect(sa.first! <= sb.first!, `${i.id}: stage ${a} before stage ${b}`).toBe(true);
      }
      if (i.stages['7']!.present) {
        expect(i.firstDomainControllerInteraction).not.toBeNull();
        expect(i.firstDomainControllerInteraction! >= i.stages['7']!.first!).toBe(true);
      } else expect(i.firstDomainControllerInteraction).toBeNull();
    }
    for (const b of labels.benign) {
      const e = b.entities as Record<string, { name?: string } | string[] | unknown>;
      const devices = new Set<string>();
      for (const k of ['device', 'helperDevice']) if (e[k] && typeof (e[k] as { name?: string }).name === 'string') devices.add((e[k] as { name: string }).name);
      if (Array.isArray(e.targets)) for (const t of e.targets as string[]) devices.add(t);
      check(b.id, b.reportIds, devices.size ? devices : null);
      expect(Object.keys(b.reportIds).length, b.id).toBeGreaterThan(0);
    }
    // (admin-shell, a developer's occasional dir/whoami, may not happen in three days of a small org.)
    for (const kind of ['helpdesk-quick-assist', 'admin-winrm', 'rclone-backup', 'vendor-updater', 'partner-chat']) expect(labels.benign.some(b => b.kind === kind), kind).toBe(true);
  });
});

describe('variants over several seeds', () => {
  it('covers the seed\'s tools, side-load pairs, lures, the kiosk, vishing, skipped stages and a renamed rclone', async () => {
    const all: IntrusionLabel[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const d = tmp();
      const { labels } = await simulate({ out: d, seed, devices: 24, users: 16, days: 3, intrusions: 6, parallel: false });
      all.push(...labels.intrusions);
      // Different intrusions hit different users and devices.
      expect(new Set(labels.intrusions.map(i => i.victim.user.upn)).size).toBe(labels.intrusions.length);
      expect(new Set(labels.intrusions.map(i => i.victim.device.name)).size).toBe(labels.intrusions.length);
      rmSync(d, { recursive: true, force: true });
    }
    const v = all.map(i => i.variant);
    expect(new Set(v.map(x => x.tool))).toEqual(new Set(['QuickAssist.exe', 'AnyDesk.exe', 'TeamViewer.exe']));
    expect(new Set(v.flatMap(x => (x.sideload ? [`${x.sideload.host}+${x.sideload.dll}`] : [])))).toEqual(
      new Set(['AcroServicesUpdater2_x64.exe+msi.dll', 'ADNotificationManager.exe+vcruntime140_1.dll', 'DlpUserAgent.exe+mpclient.dll', 'WerFault.exe+Faultrep.dll']),
    );
    const lures = new Set(v.flatMap(x => (x.lure ? [x.lure] : [])));
    for (const l of ['Microsoft Security Update', 'Spam Filter Update', 'Account Verification']) expect(lures.has(l), l).toBe(true);
    expect(v.some(x => x.kind === 'kiosk' && x.skipped.join() === '4,5,6,7,8,9')).toBe(true);
    expect(v.some(x => x.contact === 'vishing' && x.skipped.includes(1))).toBe(true);
    expect(v.some(x => x.kind === 'partial')).toBe(true);
    expect(v.some(x => x.exfil && x.exfil.fileName !== 'rclone.exe' && x.exfil.originalFileName === 'rclone.exe')).toBe(true);
    expect(v.some(x => x.exfil?.flags === 'partial')).toBe(true);
    expect(v.some(x => x.c2?.kind === 'api-gateway') && v.some(x => x.c2?.kind === 'high-risk-tld')).toBe(true);
    expect(v.some(x => x.delivery === 'set-p-zip') && v.some(x => x.delivery === 'powershell-zip')).toBe(true);
    expect(v.some(x => x.mailbomb) && v.some(x => x.historyDeletion) && v.some(x => x.downloader)).toBe(true);
    // A kiosk intrusion stops after reconnaissance.
    for (const i of all.filter(x => x.variant.kind === 'kiosk')) {
      expect(i.victim.device.name.startsWith('kiosk-')).toBe(true);
      expect(Object.entries(i.stages).filter(([, s]) => s.present).map(([n]) => n)).toEqual(i.variant.contact === 'teams' ? ['1', '2', '3'] : ['2', '3']);
    }
  });
});
