// Ingestion: every format, value coercion, nothing lost (stored or quarantined with a reason),
// bad input handled file by file, no duplicates on re-ingest.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { ingest, type IngestSummary } from '../../src/ingest/ingest.js';

let dir: string;
let engine: Engine;
let quarantine: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chainhunt-ingest-'));
  engine = await Engine.open({ path: join(dir, 'db.duckdb') });
  quarantine = join(dir, 'quarantine.jsonl');
});
afterEach(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
};
const stream = (table: string, properties: Record<string, unknown>) =>
  JSON.stringify({ time: '2026-03-08T10:00:00Z', tenantId: 't1', operationName: 'Publish', category: `AdvancedHunting-${table}`, properties });
const run = (paths: string[], extra: Partial<Parameters<typeof ingest>[2]> = {}): Promise<IngestSummary> =>
  ingest(engine.store, paths, { quarantinePath: quarantine, ...extra });
const q = async (kql: string) => (await engine.query(kql)).rows.map(r => [...r]);
const quarantined = () => (existsSync(quarantine) ? readFileSync(quarantine, 'utf8').trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>) : []);

describe('formats', () => {
  it('reads streaming API records, one per line, with Kusto value forms coerced', async () => {
    const f = write('events.json', [
      stream('DeviceProcessEvents', { Timestamp: '2026-03-08T10:12:00.1234567Z', DeviceName: 'ws1', FileName: 'cmd.exe', ProcessId: '4242', ReportId: 1, IsProcessRemoteSession: 'true' }),
      stream('DeviceNetworkEvents', { Timestamp: '2026-03-08T12:12:00+02:00', DeviceName: 'ws1', RemotePort: 443, ReportId: 2 }),
    ].join('\n') + '\n');
    const s = await run([f]);
    expect(s.files.map(x => [x.status, x.format, x.accepted, x.rejected])).toEqual([['ingested', 'streaming-api', 2, 0]]);
    expect(await q('DeviceProcessEvents | project Timestamp, DeviceName, FileName, ProcessId, IsProcessRemoteSession')).toEqual([
      ['2026-03-08T10:12:00.1234560Z', 'ws1', 'cmd.exe', 4242n, true],
    ]);
    expect(await q('DeviceNetworkEvents | project Timestamp, RemotePort')).toEqual([['2026-03-08T10:12:00.0000000Z', 443]]);
  });

  it('reads {"records":[...]} batches, a line each or as one pretty-printed document', async () => {
    const batch = (ids: number[]) => ({ records: ids.map(id => JSON.parse(stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: id, ActionType: 'X' }))) });
    const a = write('hub/a.json', JSON.stringify(batch([1, 2])) + '\n' + JSON.stringify(batch([3])) + '\n');
    const b = write('hub/b.json', JSON.stringify(batch([4, 5]), null, 2));
    const s = await run([a, b]);
    expect(s.files.map(x => [x.format, x.accepted])).toEqual([['streaming-api', 3], ['streaming-api', 2]]);
    expect(await q('DeviceEvents | summarize make_set(ReportId) | project n = array_length(set_ReportId)')).toEqual([[5n]]);
  });

  it('reads advanced hunting API JSON and CSV exports, taking the table from the file name', async () => {
    const api = write('DeviceRegistryEvents.json', JSON.stringify({
      Schema: [{ Name: 'Timestamp', Type: 'DateTime' }, { Name: 'RegistryValueName', Type: 'String' }],
      Results: [{ Timestamp: '2026-03-08T10:00:00Z', RegistryValueName: 'UCID', ReportId: 7 }],
    }));
    const csv = write('DeviceFileEvents.csv', 'Timestamp,DeviceName,FileName,FileSize,ReportId\n2026-03-08T10:00:00.0000000Z,ws1,"a,b.txt",1024,8\r\n2026-03-08T11:00:00Z,ws2,c.exe,,9\r\n');
    const s = await run([api, csv]);
    expect(s.files.map(x => [x.format, x.accepted, x.rejected])).toEqual([['ah-json', 1, 0], ['csv', 2, 0]]);
    expect(await q('DeviceRegistryEvents | project RegistryValueName, ReportId')).toEqual([['UCID', 7n]]);
    expect(await q('DeviceFileEvents | order by ReportId asc | project DeviceName, FileName, FileSize')).toEqual([['ws1', 'a,b.txt', 1024n], ['ws2', 'c.exe', null]]);
  });

  it('reads Log Analytics / Sentinel CSV exports: "[UTC]" column names and US-style datetimes', async () => {
    const csv = write('DeviceLogonEvents.csv', 'Timestamp [UTC],DeviceName,ActionType,ReportId\n"5/1/2024, 10:00:00.123 AM",ws1,LogonSuccess,1\n"5/1/2024, 1:05:09.000 PM",ws2,LogonFailed,2\n');
    const s = await run([csv]);
    expect(s.files.map(x => [x.format, x.accepted, x.rejected])).toEqual([['csv', 2, 0]]);
    expect(s.unknownFields.size).toBe(0);
    expect(await q('DeviceLogonEvents | order by ReportId asc | project tostring(Timestamp), DeviceName, ActionType'))
      .toEqual([['2024-05-01T10:00:00.1230000Z', 'ws1', 'LogonSuccess'], ['2024-05-01T13:05:09.0000000Z', 'ws2', 'LogonFailed']]);
  });

  it('reads NDJSON rows of a table named by the file, --table, gzip, and folders recursively', async () => {
    write('tel/MessageEvents.jsonl', JSON.stringify({ Timestamp: '2026-03-08T10:00:00Z', ReportId: 'm1', RecipientDetails: '[{"RecipientObjectId":"x"}]' }) + '\n');
    write('tel/deep/DeviceInfo.jsonl.gz', gzipSync(JSON.stringify({ Timestamp: '2026-03-08T10:00:00Z', DeviceName: 'ws9', ReportId: 3 }) + '\n'));
    write('tel/deep/README.md', '# not data');
    const other = write('other.ndjson', JSON.stringify({ Timestamp: '2026-03-08T10:00:00Z', AlertId: 'a1', Title: 't' }) + '\n');
    const s = await run([join(dir, 'tel')]);
    expect(s.files.map(x => [x.path.slice(dir.length + 1), x.status])).toEqual([['tel/MessageEvents.jsonl', 'ingested'], ['tel/deep/DeviceInfo.jsonl.gz', 'ingested']]);
    expect(await q('MessageEvents | project tostring(RecipientDetails[0].RecipientObjectId)')).toEqual([['x']]);
    expect(await q('DeviceInfo | project DeviceName')).toEqual([['ws9']]);
    const forced = await run([other], { table: 'AlertInfo' });
    expect(forced.files[0]!.accepted).toBe(1);
  });
});

describe('nothing is lost', () => {
  it('keeps fields the schema does not know: in AdditionalFields, or in the extra-fields column', async () => {
    const f = write('x.json', [
      stream('DeviceProcessEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 1, NewField: 'kept', AdditionalFields: '{"a":1}' }),
      stream('DeviceRegistryEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 2, Surprise: 42 }),
    ].join('\n'));
    const s = await run([f]);
    expect(s.files[0]!.accepted).toBe(2);
    expect([...s.unknownFields.entries()].map(([t, m]) => [t, [...m]])).toEqual([['DeviceProcessEvents', [['NewField', 1]]], ['DeviceRegistryEvents', [['Surprise', 1]]]]);
    expect(await q('DeviceProcessEvents | project a = AdditionalFields')).toEqual([['{"a":1,"NewField":"kept"}']]);
    expect(await engine.store.sql('SELECT CAST("__extra" AS VARCHAR) FROM DeviceRegistryEvents')).toEqual([['{"Surprise":42}']]);
  });

  it('quarantines bad records with file, line and reason, and ingests the rest', async () => {
    const lines = [
      stream('DeviceProcessEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 1 }),
      '{"time": "2026-03-08", not json',
      stream('DeviceProcessEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 'not-a-number' }),
      stream('NoSuchTable', { Timestamp: '2026-03-08T10:00:00Z' }),
      '',
      stream('DeviceProcessEvents', { Timestamp: 'yesterday', ReportId: 5 }),
      stream('DeviceProcessEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 6 }),
    ];
    const f = write('mixed.json', lines.join('\n') + '\n');
    const s = await run([f]);
    expect(s.files[0]).toMatchObject({ status: 'ingested', accepted: 2, rejected: 4 });
    expect(s.quarantined).toBe(4);
    const bad = quarantined();
    expect(bad.map(b => [b.file, b.line])).toEqual([[f, 2], [f, 3], [f, 4], [f, 6]]);
    expect(bad[0]!.reason).toMatch(/^invalid JSON/);
    expect(bad[1]!.reason).toBe('column ReportId (long): "not-a-number" is not a valid long');
    expect(bad[2]!.reason).toBe('unknown category "AdvancedHunting-NoSuchTable"');
    expect(bad[3]!.reason).toBe('column Timestamp (datetime): "yesterday" is not a valid datetime');
    expect(bad[1]!.raw).toBe(lines[2]);
    expect(await q('DeviceProcessEvents | order by ReportId asc | project ReportId')).toEqual([[1n], [6n]]);
  });

  it('handles a truncated file, a BOM, CRLF line ends, a 10 MB line and an empty file', async () => {
    const rec = (id: number, extra: Record<string, unknown> = {}) => stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: id, ...extra });
    const truncated = write('truncated.json', rec(1) + '\n' + rec(2).slice(0, 60));
    const bom = write('bom.json', '\uFEFF' + rec(3) + '\r\n' + rec(4) + '\r\n');
    const big = write('big.json', rec(5, { ProcessCommandLine: 'x'.repeat(10 * 1024 * 1024) }) + '\n' + rec(6) + '\n');
    const empty = write('empty.json', '');
    const s = await run([truncated, bom, big, empty]);
    expect(s.files.map(x => [x.path.slice(dir.length + 1), x.status, x.accepted, x.rejected])).toEqual([
      ['truncated.json', 'ingested', 1, 1], ['bom.json', 'ingested', 2, 0], ['big.json', 'ingested', 2, 0], ['empty.json', 'empty', 0, 0],
    ]);
    expect(quarantined()[0]).toMatchObject({ file: truncated, line: 2 });
    expect(quarantined()[0]!.reason).toMatch(/truncated/);
    expect(await q('DeviceEvents | summarize n = count(), longest = max(strlen(ProcessCommandLine))')).toEqual([[5n, 10n * 1024n * 1024n]]);
  });
});

describe('idempotence', () => {
  it('adds nothing when the same files are ingested again (also under another name)', async () => {
    const body = [1, 2, 3].map(id => stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: id })).join('\n') + '\n';
    const a = write('a.json', body);
    await run([a]);
    const again = await run([a]);
    const copy = await run([write('copy-of-a.json', body)]);
    expect(again.files[0]).toMatchObject({ status: 'skipped', message: 'already ingested' });
    expect(copy.files[0]!.status).toBe('skipped');
    expect(await q('DeviceEvents | count')).toEqual([[3n]]);
  });

  it('reads only the new lines of a file that grew since it was ingested', async () => {
    const rec = (id: number) => stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: id }) + '\n';
    const f = write('growing.json', rec(1) + rec(2));
    await run([f]);
    appendFileSync(f, rec(3) + '{"bad json\n');
    const s = await run([f]);
    expect(s.files[0]).toMatchObject({ status: 'resumed', accepted: 1, rejected: 1 });
    expect(quarantined()[0]).toMatchObject({ line: 4 });
    expect(await q('DeviceEvents | order by ReportId asc | project ReportId')).toEqual([[1n], [2n], [3n]]);
  });
});

describe('the bulk path for large streaming API files', () => {
  const tables = ['DeviceProcessEvents', 'DeviceNetworkEvents', 'CloudAppEvents'];
  const file = () => write('bulk.json', [
    stream('DeviceProcessEvents', { Timestamp: '2026-03-08T10:12:00.1234567Z', DeviceName: 'ws1', FileName: 'cmd.exe', ProcessId: 4242, ReportId: 1, IsProcessRemoteSession: true,
      AdditionalFields: '{"a":1}', NewField: 'kept', ProcessCommandLine: 'naïve "quoted", comma\nnewline' }),
    stream('DeviceProcessEvents', { Timestamp: '2026-03-08T12:12:00+02:00', DeviceName: '', ReportId: 2, AdditionalFields: 'not json', NewField: 'x', Other: [1, 2] }),
    stream('DeviceProcessEvents', { Timestamp: '2026-03-08T10:12:00Z', ReportId: 3, FileSize: null }),
    stream('DeviceNetworkEvents', { Timestamp: '2026-03-08T10:00:00.5Z', DeviceName: 'ws2', RemotePort: 443, RemoteIP: '10.0.0.1', ReportId: 4 }),
  ].join('\n') + '\n');
  // (CloudAppEvents' ReportId is a string, the device tables' a long: a file mixing them goes record by record.)
  const cloudFile = () => write('bulk-cloud.json', [
    stream('CloudAppEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 'c1', RawEventData: '{"ChatThreadId":"19:x"}', ActivityObjects: [{ Type: 'a' }], AdditionalFields: { k: 'v' }, Extra: 1 }),
  ].join('\n') + '\n');

  async function contents(): Promise<string[]> {
    const out: string[] = [];
    for (const t of tables) {
      const rows = await engine.store.sql(`SELECT * FROM "${t}" ORDER BY ReportId`);
      out.push(`${t}: ${JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v && typeof v === 'object' && 'micros' in v ? String(v.micros) : v))}`);
    }
    return out;
  }

  it('stores exactly what the record-by-record path stores', async () => {
    const f = [file(), cloudFile()];
    const bulk = await run(f, { bulkMinBytes: 0 });
    expect(bulk.files[0]).toMatchObject({ status: 'ingested', accepted: 4, rejected: 0, bulk: true });
    expect(bulk.files[1]).toMatchObject({ status: 'ingested', accepted: 1, rejected: 0, bulk: true });
    expect([...bulk.unknownFields.keys()].sort()).toEqual(['CloudAppEvents', 'DeviceProcessEvents']);
    const viaBulk = await contents();
    engine.close();
    rmSync(join(dir, 'db.duckdb'), { force: true });
    rmSync(join(dir, 'db.duckdb.wal'), { force: true });
    engine = await Engine.open({ path: join(dir, 'db.duckdb') });
    const slow = await run(f, { bulkMinBytes: Infinity });
    expect(slow.files.map(x => [x.accepted, x.bulk])).toEqual([[4, undefined], [1, undefined]]);
    expect(viaBulk).toEqual(await contents());
  });

  it('loads large files in batches; a batch with a doubtful file goes file by file, and copies are skipped', async () => {
    const a = write('batch/a.json', [1, 2].map(i => stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: i, DeviceName: 'a' })).join('\n') + '\n');
    const b = write('batch/b.json', [3].map(i => stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: i, DeviceName: 'b' })).join('\n') + '\n');
    const first = await run([a, b], { bulkMinBytes: 0 });
    expect(first.files.map(f => [f.status, f.accepted, f.bulk])).toEqual([['ingested', 2, true], ['ingested', 1, true]]);
    // Again, plus a copy of a under another name, and a file with a bad record: the batch of the
    // copy and the bad file is declined, each then goes its own way.
    const copy = write('batch/c.json', readFileSync(a));
    const bad = write('batch/d.json', [stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 4 }), '{oops'].join('\n') + '\n');
    const copy2 = write('batch/e.json', readFileSync(b));
    const good = write('batch/f.json', stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 5, DeviceName: 'f' }) + '\n');
    const second = await run([a, b, copy, bad, copy2, good], { bulkMinBytes: 0 });
    expect(second.files.map(f => [f.path.slice(dir.length + 1), f.status, f.accepted, f.rejected, f.bulk])).toEqual([
      ['batch/a.json', 'skipped', 0, 0, undefined], ['batch/b.json', 'skipped', 0, 0, undefined], ['batch/c.json', 'skipped', 0, 0, undefined],
      ['batch/d.json', 'ingested', 1, 1, undefined], ['batch/e.json', 'skipped', 0, 0, undefined], ['batch/f.json', 'ingested', 1, 0, true],
    ]);
    // Two new files with the same content in one batch: the batch is declined, the second is a copy.
    const g = write('batch/g.json', stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 6, DeviceName: 'g' }) + '\n');
    const h = write('batch/h.json', readFileSync(g));
    const third = await run([g, h], { bulkMinBytes: 0 });
    expect(third.files.map(f => [f.status, f.accepted, f.bulk])).toEqual([['ingested', 1, true], ['skipped', 0, undefined]]);
    expect(await q('DeviceEvents | summarize count() by DeviceName | order by DeviceName asc')).toEqual([['', 1n], ['a', 2n], ['b', 1n], ['f', 1n], ['g', 1n]]);
  });

  it('leaves files with bad records to the record-by-record path, which quarantines them', async () => {
    const f = write('bulk-bad.json', [
      stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 1 }),
      stream('DeviceEvents', { Timestamp: '2026-03-08T10:00:00Z', ReportId: 'twelve' }),
      '{oops',
    ].join('\n') + '\n');
    const s = await run([f], { bulkMinBytes: 0 });
    expect(s.files[0]).toMatchObject({ status: 'ingested', accepted: 1, rejected: 2 });
    expect(s.files[0]!.bulk).toBeUndefined();
    expect(quarantined().map(b => b.line)).toEqual([2, 3]);
  });
});
