// The chainhunt command as users run it (the built CLI: `npm run build` first; `npm test` does).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { loadFixture, NOW } from '../fixtures/seed-fixture.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'chainhunt.cjs');
let dir: string;
let db: string;

function chainhunt(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd: dir, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chainhunt-cli-'));
  db = join(dir, 'fixture.duckdb');
  const engine = await Engine.open({ path: db });
  await loadFixture(engine.store);
  engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('chainhunt query', () => {
  it('prints JSON with Kusto type names and value forms', () => {
    const r = chainhunt(['query', 'print n = 1, s = "a", t = datetime(2024-05-01 10:00), d = 1.5h, j = dynamic([1, {"a": "b"}]), r = 2.5, b = true', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      columns: [
        { name: 'n', type: 'long' }, { name: 's', type: 'string' }, { name: 't', type: 'datetime' }, { name: 'd', type: 'timespan' },
        { name: 'j', type: 'dynamic' }, { name: 'r', type: 'real' }, { name: 'b', type: 'bool' },
      ],
      rows: [[1, 'a', '2024-05-01T10:00:00.0000000Z', '01:30:00', [1, { a: 'b' }], 2.5, true]],
    });
  });

  it('reads the query from a file (-f) and from stdin, and writes CSV', () => {
    writeFileSync(join(dir, 'q.kql'), 'print a = "x,y", b = 2');
    const fromFile = chainhunt(['query', '-f', 'q.kql', '--format', 'csv']);
    expect(fromFile.stdout).toBe('a,b\n"x,y",2\n');
    const fromStdin = chainhunt(['query', '--format', 'csv'], 'print a = "x,y", b = 2');
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  it('runs on a database file with --db', () => {
    const r = chainhunt(['query', '--db', db, 'DeviceRegistryEvents | where RegistryValueName == "XJ01" | project ReportId, DeviceName', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows).toEqual([[4002, 'ws-dave']]);
  });

  it('--explain prints the SQL and its parameters without running anything', () => {
    const r = chainhunt(['query', '--explain', 'DeviceProcessEvents | where FileName =~ "Rclone.exe" | take 5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^WITH /);
    expect(r.stdout).toContain('FROM "DeviceProcessEvents"');
    expect(r.stdout).toContain('-- parameters:');
    expect(r.stdout).toContain('"rclone.exe"');
    expect(r.stdout).not.toMatch(/'rclone\.exe'/);
  });

  it('refuses a bad query with its position on stderr and exit code 1', () => {
    const r = chainhunt(['query', 'print x = ']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^query:1:\d+: error KS\d+: /);
  });

  it('--jsonl answers each line in order, errors included, in one process', () => {
    const input = [
      JSON.stringify({ id: 'a', query: 'print x = 1' }),
      'not json',
      JSON.stringify({ id: 'b', query: 'NoSuchTable | take 1' }),
      JSON.stringify({ id: 7, query: 'range i from 1 to 3 step 1 | summarize s = sum(i)' }),
    ].join('\n') + '\n';
    const r = chainhunt(['query', '--jsonl'], input);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map(l => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({ id: 'a', columns: [{ name: 'x', type: 'long' }], rows: [[1]] });
    expect(lines[1].id).toBeNull();
    expect(lines[1].error).toMatch(/bad JSON/);
    expect(lines[2].id).toBe('b');
    expect(lines[2].error).toContain("'NoSuchTable'");
    expect(lines[3]).toEqual({ id: 7, columns: [{ name: 's', type: 'long' }], rows: [[6]] });
  });
});

describe('chainhunt ingest', () => {
  it('reads datetimes without an offset as UTC on a machine in another time zone, in bulk and record by record', () => {
    const record = (i: number, ts: string) => JSON.stringify({ time: ts, tenantId: 't', operationName: 'Publish', category: 'AdvancedHunting-DeviceProcessEvents',
      properties: { Timestamp: ts, DeviceName: `ws-${i}`, ReportId: i, ProcessCommandLine: 'x'.repeat(200) } });
    // Over 4 MB of clean records: the bulk reader; one small NDJSON file: the record-by-record path.
    const lines = Array.from({ length: 20_000 }, (_, i) => record(i, i === 0 ? '2026-03-01 10:00:00' : '2026-03-01T11:00:00.123456Z'));
    writeFileSync(join(dir, 'bulk.json'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 'DeviceLogonEvents.jsonl'), JSON.stringify({ Timestamp: '2026-03-01T10:00:00', DeviceName: 'ws-x', ReportId: 1 }) + '\n');
    writeFileSync(join(dir, 'DeviceEvents.csv'), 'Timestamp,DeviceName,ReportId\n2026-03-01 10:00:00,ws-y,1\n');
    const tzDb = join(dir, 'tz.duckdb');
    const env = { TZ: 'America/New_York' };
    const ingest = chainhunt(['ingest', '--db', tzDb, join(dir, 'bulk.json'), join(dir, 'DeviceLogonEvents.jsonl'), join(dir, 'DeviceEvents.csv')], undefined, env);
    expect(ingest.code, ingest.stderr).toBe(0);
    const out = chainhunt(['query', '--db', tzDb, '--format', 'csv',
      'union (DeviceProcessEvents | where ReportId < 2), DeviceLogonEvents, DeviceEvents | project Timestamp | order by Timestamp asc'], undefined, env);
    expect(out.stdout.trim().split('\n')).toEqual(['Timestamp', ...Array(3).fill('2026-03-01T10:00:00.0000000Z'), '2026-03-01T11:00:00.1234560Z']);
  });
});

describe('chainhunt ingest killed', () => {
  it('leaves a database that opens after SIGKILL, and a re-run ends with exactly one copy of every row', async () => {
    const sim = join(dir, 'kill-sim');
    expect(chainhunt(['simulate', '--out', sim, '--devices', '40', '--days', '2', '--intrusions', '1', '--quiet']).code).toBe(0);
    const killed = join(dir, 'killed.duckdb');
    const reference = join(dir, 'reference.duckdb');
    // Killed as soon as the first file is in: the rest are being loaded (in bulk or record by record).
    // (No startup snapshot: the launcher then runs the CLI in its own process, which is the one killed.)
    const child = spawn(process.execPath, [bin, 'ingest', '--db', killed, sim], { cwd: dir, env: { ...process.env, CHAINHUNT_NO_SNAPSHOT: '1' } });
    await new Promise<void>(resolve => {
      const watch = (d: Buffer) => { if (d.toString().includes('ingested ')) child.kill('SIGKILL'); };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      child.on('exit', () => resolve());
    });
    expect(child.signalCode).toBe('SIGKILL');
    const opened = chainhunt(['query', '--db', killed, '--format', 'csv', 'print n = toscalar(DeviceNetworkEvents | count)']);
    expect(opened.code, opened.stderr).toBe(0);
    expect(chainhunt(['ingest', '--db', killed, sim]).code).toBe(0);
    expect(chainhunt(['ingest', '--db', reference, sim]).code).toBe(0);
    const engine = await Engine.open({ path: killed, readOnly: true });
    try {
      await engine.store.sql(`ATTACH '${reference.replace(/'/g, "''")}' AS ref (READ_ONLY)`);
      const tables = ['DeviceProcessEvents', 'DeviceNetworkEvents', 'DeviceFileEvents', 'DeviceRegistryEvents', 'DeviceImageLoadEvents', 'MessageEvents', 'CloudAppEvents', 'EmailEvents'];
      for (const t of tables) {
        const [[mine, theirs, extra, missing]] = await engine.store.sql(`SELECT (SELECT count(*) FROM "${t}"), (SELECT count(*) FROM ref."${t}"),
          (SELECT count(*) FROM (SELECT * EXCLUDE (__extra) FROM "${t}" EXCEPT ALL SELECT * EXCLUDE (__extra) FROM ref."${t}")),
          (SELECT count(*) FROM (SELECT * EXCLUDE (__extra) FROM ref."${t}" EXCEPT ALL SELECT * EXCLUDE (__extra) FROM "${t}"))`) as bigint[][];
        expect([t, mine, extra, missing]).toEqual([t, theirs, 0n, 0n]);
        expect(Number(theirs)).toBeGreaterThan(0);
      }
    } finally {
      engine.close();
    }
  }, 180_000);
});

describe('chainhunt hunt', () => {
  it('runs named queries of the pack and prints their hits', () => {
    const r = chainhunt(['hunt', '--db', db, '--now', NOW.toISOString(), 'G', 'E', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { section: string; rows: unknown[] }[];
    expect(out.map(q => [q.section, q.rows.length])).toEqual([['G', 1], ['E', 2]]);
  });

  it('says which names exist when one is unknown', () => {
    const r = chainhunt(['hunt', 'Z']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no hunting query named 'Z'");
  });
});

describe('chainhunt demo', () => {
  it('simulates, ingests, detects, correlates, disrupts and hunts, then serves the console on the result', async () => {
    const child = spawn(process.execPath, [bin, 'demo', '--devices', '30', '--days', '3', '--intrusions', '2', '--db', join(dir, 'demo.duckdb'), '--port', '0'],
      { cwd: dir, env: { ...process.env, CHAINHUNT_TOKEN: '' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', d => (stderr += d));
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', d => {
        stdout += d;
        const m = /^chainhunt console: (http:\/\/127\.0\.0\.1:\d+\/)#token=(\S+)$/m.exec(stdout);
        if (m) resolve(`${m[1]}|${m[2]}`);
      });
      void exited.then(code => reject(new Error(`demo exited (${code}) before serving: ${stderr}`)));
    });
    try {
      expect(stdout).toMatch(/^1\. Simulated [\d,]+ Defender events/m);
      expect(stdout).toMatch(/^2\. Ingested [\d,]+ records .* 0 rejected\.$/m);
      expect(stdout).toMatch(/^3\. Ran \d+ detection rules in [\d.]+ s: [\d,]+ alerts from \d+ rules\.$/m);
      expect(stdout).toMatch(/^4\. Correlated the alerts into \d+ incidents/m);
      expect(stdout).toMatch(/^5\. Attack disruption \(dry run\) recorded [1-9]\d* containment actions/m);
      // Each simulated intrusion: all its stages detected, in one incident.
      const intrusions = stdout.match(/^   intrusion-\d+: stages detected .*$/gm) ?? [];
      expect(intrusions.length).toBe(2);
      for (const line of intrusions) expect(line).toMatch(/stages detected (\d+)\/\1, one incident/);
      for (const section of 'ABCDEFGHIJK') expect(stdout).toMatch(new RegExp(`^   ${section}  .* \\d+ rows`, 'm'));
      // The console's API answers with the demo's incidents, with the printed token only.
      const [base, token] = url.split('|') as [string, string];
      const incidents = await fetch(`${base}api/incidents`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await incidents.json()) as { incidents: unknown[] }).incidents.length).toBeGreaterThanOrEqual(2);
      expect((await fetch(`${base}api/incidents`)).status).toBe(401);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 300_000);
});
