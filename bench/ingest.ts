// npm run bench:ingest [-- --records N --dir DIR]
// Writes N records in Defender streaming-API form (several tables, several files), then loads them
// twice in this process: with chainhunt's ingestion (coercion, quarantine, manifest) and with
// DuckDB's own JSON reader into the same tables. Prints records/s for both, their ratio, and the
// peak memory of the process.
import { createWriteStream, mkdirSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/engine.js';
import { ingest } from '../src/ingest/ingest.js';
import { DEFENDER_TABLES } from '../src/schema/defender.js';
import { DUCKDB_TYPES } from '../src/sql/duckdb/dialect.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : dflt;
};
const RECORDS = Number(arg('--records', '5000000'));
const DIR = arg('--dir', join(tmpdir(), 'chainhunt-bench-ingest'));
const PER_FILE = 500_000;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (ms: number, sub: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}${pad(sub, 4)}Z`;
};

type Gen = (i: number, ts: string) => Record<string, unknown>;
const PROCS = ['chrome.exe', 'svchost.exe', 'explorer.exe', 'cmd.exe', 'powershell.exe', 'teams.exe', 'outlook.exe', 'msiexec.exe'];
const GENERATORS: Record<string, Gen> = {
  DeviceProcessEvents: (i, ts) => ({
    Timestamp: ts, DeviceId: `d${i % 2000}`, DeviceName: `ws-${i % 2000}.contoso.local`, ActionType: 'ProcessCreated', FileName: PROCS[i % 8],
    FolderPath: `C:\\Windows\\System32\\${PROCS[i % 8]}`, SHA256: `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}${'a'.repeat(56)}`, FileSize: 100000 + (i % 5000),
    ProcessVersionInfoCompanyName: 'Microsoft Corporation', ProcessVersionInfoOriginalFileName: PROCS[i % 8], ProcessId: 1000 + (i % 60000),
    ProcessCommandLine: `${PROCS[i % 8]} /c task-${i % 977} --flag ${i % 13}`, ProcessIntegrityLevel: 'Medium', ProcessCreationTime: ts,
    AccountDomain: 'contoso', AccountName: `user${i % 3000}`, AccountSid: `S-1-5-21-1-2-3-${1000 + (i % 3000)}`, AccountUpn: `user${i % 3000}@contoso.com`,
    AccountObjectId: `00000000-0000-4000-8000-${pad(i % 3000, 12)}`, LogonId: 1000 + (i % 999), InitiatingProcessFileName: PROCS[(i + 3) % 8],
    InitiatingProcessId: 500 + (i % 9000), InitiatingProcessCommandLine: PROCS[(i + 3) % 8], InitiatingProcessAccountName: `user${i % 3000}`,
    InitiatingProcessAccountObjectId: `00000000-0000-4000-8000-${pad(i % 3000, 12)}`, ReportId: i, AdditionalFields: null, IsProcessRemoteSession: i % 50 === 0,
  }),
  DeviceNetworkEvents: (i, ts) => ({
    Timestamp: ts, DeviceId: `d${i % 2000}`, DeviceName: `ws-${i % 2000}.contoso.local`, ActionType: 'ConnectionSuccess', RemoteIP: `10.${i % 200}.${i % 250}.${i % 199}`,
    RemotePort: [443, 80, 445, 389, 5985][i % 5], RemoteUrl: ['www.microsoft.com', 'login.microsoftonline.com', 'github.com', ''][i % 4], LocalIP: '10.0.0.5', LocalPort: 49152 + (i % 10000),
    Protocol: 'Tcp', InitiatingProcessFileName: PROCS[i % 8], InitiatingProcessId: 500 + (i % 9000), InitiatingProcessAccountName: `user${i % 3000}`, ReportId: i,
  }),
  DeviceFileEvents: (i, ts) => ({
    Timestamp: ts, DeviceId: `d${i % 2000}`, DeviceName: `ws-${i % 2000}.contoso.local`, ActionType: ['FileCreated', 'FileModified', 'FileDeleted'][i % 3],
    FileName: `doc-${i % 10007}.docx`, FolderPath: `C:\\Users\\user${i % 3000}\\Documents\\doc-${i % 10007}.docx`, SHA256: 'b'.repeat(64), FileSize: i % 1000000,
    InitiatingProcessFileName: 'winword.exe', InitiatingProcessId: 700 + (i % 9000), ReportId: i,
  }),
  DeviceRegistryEvents: (i, ts) => ({
    Timestamp: ts, DeviceId: `d${i % 2000}`, DeviceName: `ws-${i % 2000}.contoso.local`, ActionType: 'RegistryValueSet',
    RegistryKey: `HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor${i % 50}\\App`, RegistryValueName: `Value${i % 20}`, RegistryValueData: `${i}`, RegistryValueType: 'String',
    InitiatingProcessFileName: 'msiexec.exe', ReportId: i,
  }),
};
const SHARE: [string, number][] = [['DeviceProcessEvents', 0.45], ['DeviceNetworkEvents', 0.3], ['DeviceFileEvents', 0.2], ['DeviceRegistryEvents', 0.05]];

async function generate(): Promise<void> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const start = Date.UTC(2026, 2, 1);
  for (const [table, share] of SHARE) {
    const count = Math.round(RECORDS * share);
    mkdirSync(join(DIR, table));
    for (let part = 0; part * PER_FILE < count; part++) {
      const out = createWriteStream(join(DIR, table, `${table}-${pad(part, 4)}.json`));
      const end = Math.min(count, (part + 1) * PER_FILE);
      for (let i = part * PER_FILE; i < end; i++) {
        const ms = start + Math.floor((i * 86_400_000 * 14) / count);
        const line = JSON.stringify({ time: iso(ms, i % 10000), tenantId: 'b1c2d3e4-0000-4000-8000-000000000001', operationName: 'Publish',
          category: `AdvancedHunting-${table}`, properties: GENERATORS[table]!(i, iso(ms, i % 10000)) }) + '\n';
        if (!out.write(line)) await new Promise<void>(r => out.once("drain", () => r()));
      }
      await new Promise<void>(r => out.end(() => r()));
    }
  }
}

function filesOf(table: string): string[] {
  return readdirSync(join(DIR, table)).map(f => join(DIR, table, f)).sort();
}

const t0 = performance.now();
await generate();
const bytes = SHARE.flatMap(([t]) => filesOf(t)).reduce((a, f) => a + statSync(f).size, 0);
console.log(`wrote ${RECORDS.toLocaleString('en-US')} streaming-API records (${(bytes / 1e9).toFixed(2)} GB) in ${((performance.now() - t0) / 1000).toFixed(1)} s to ${DIR}`);

// chainhunt
const dbA = join(DIR, 'chainhunt.duckdb');
const a = await Engine.open({ path: dbA });
const rssBefore = process.memoryUsage().rss;
peakRss = rssBefore;
let t = performance.now();
const summary = await ingest(a.store, [DIR], { quarantinePath: join(DIR, 'quarantine.jsonl') });
const ours = (performance.now() - t) / 1000;
const stored = [...summary.tables.values()].reduce((s, c) => s + c.accepted, 0);
a.close();
const oursPeak = peakRss;

// DuckDB's own JSON reader, same files, same tables
const dbB = join(DIR, 'duckdb-reader.duckdb');
const b = await Engine.open({ path: dbB });
peakRss = process.memoryUsage().rss;
t = performance.now();
await b.store.sql('BEGIN TRANSACTION');
for (const [table] of SHARE) {
  const cols = DEFENDER_TABLES.get(table)!.columns;
  const struct = `STRUCT(${cols.map(c => `"${c.name}" ${DUCKDB_TYPES[c.type]}`).join(', ')})`;
  const list = filesOf(table).map(f => `'${f.replace(/'/g, "''")}'`).join(', ');
  await b.store.sql(`INSERT INTO "${table}" SELECT UNNEST(properties), NULL FROM read_json([${list}], format='newline_delimited',
    columns={time: 'VARCHAR', tenantId: 'VARCHAR', operationName: 'VARCHAR', category: 'VARCHAR', properties: '${struct}'})`);
}
await b.store.sql('COMMIT');
const theirs = (performance.now() - t) / 1000;
const theirCount = Number((await b.store.sql(SHARE.map(([tb]) => `SELECT count(*) AS n FROM "${tb}"`).join(' UNION ALL ')))
  .reduce((s, r) => s + Number(r[0]), 0));
b.close();
clearInterval(sampler);

console.log(`chainhunt ingest:   ${stored.toLocaleString('en-US')} records in ${ours.toFixed(1)} s = ${Math.round(stored / ours).toLocaleString('en-US')} records/s (rejected ${summary.quarantined})`);
console.log(`DuckDB read_json:   ${theirCount.toLocaleString('en-US')} records in ${theirs.toFixed(1)} s = ${Math.round(theirCount / theirs).toLocaleString('en-US')} records/s`);
console.log(`ratio chainhunt/DuckDB: ${((stored / ours) / (theirCount / theirs)).toFixed(2)} (goal >= 0.5)`);
console.log(`peak RSS during chainhunt ingest: ${(oursPeak / 1e6).toFixed(0)} MB (goal < 2000 MB); process maxRSS ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)} MB`);
if (!args.includes('--keep')) rmSync(DIR, { recursive: true, force: true });
