// npm run bench:query [-- --events N --runs R]
// For each of the seed's hunting queries A–J on a synthetic Defender dataset: the compile time
// (first and warm), the run time of chainhunt's SQL and of hand-written DuckDB SQL doing the same
// job in the same process, and their ratio. Then the CLI's cold start.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Engine, compileKql, type CompiledKql } from '../src/engine.js';
import { loadHuntingPack } from '../src/content/hunting.js';
import { DATASET_NOW, generateDataset, sizeFor } from './dataset.js';
import { handWrittenSql } from './hand-written.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const EVENTS = arg('--events', 5_000_000);
const RUNS = arg('--runs', 3);
const root = join(import.meta.dirname, '..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function time<T>(f: () => Promise<T> | T): Promise<[number, T]> {
  const t = performance.now();
  const r = await f();
  return [performance.now() - t, r];
}

const engine = await Engine.open();
// The first parse in a process pays for loading Kusto.Language (the CLI starts from a snapshot instead).
const [loadMs] = await time(() => compileKql('print 1'));
console.log(`Kusto.Language load and first parse: ${ms(loadMs)} (not counted below)`);
console.log(`generating ${EVENTS.toLocaleString()} events...`);
const [genMs] = await time(() => generateDataset(engine.store, sizeFor(EVENTS)));
const counts = await engine.store.sql(`SELECT 'DeviceProcessEvents', count(*) FROM DeviceProcessEvents UNION ALL SELECT 'DeviceFileEvents', count(*) FROM DeviceFileEvents
  UNION ALL SELECT 'DeviceNetworkEvents', count(*) FROM DeviceNetworkEvents UNION ALL SELECT 'DeviceRegistryEvents', count(*) FROM DeviceRegistryEvents
  UNION ALL SELECT 'MessageEvents', count(*) FROM MessageEvents`);
const total = counts.reduce((a, r) => a + Number(r[1]), 0);
console.log(`dataset: ${total.toLocaleString()} events in ${(genMs / 1000).toFixed(1)} s (${counts.map(r => `${r[0]} ${Number(r[1]).toLocaleString()}`).join(', ')})\n`);

const nowSql = `TIMESTAMP '${DATASET_NOW.toISOString().slice(0, 23).replace('T', ' ')}'`;
const hand = handWrittenSql(nowSql);
const pack = loadHuntingPack().filter(q => q.section !== 'K');

interface Row { q: string; first: number; warm: number; ours: number; theirs: number; total: number; rows: number; same: boolean }
const rows: Row[] = [];
for (const q of pack) {
  const [first] = await time(() => compileKql(q.query, { now: DATASET_NOW }));
  const warmTimes: number[] = [];
  let compiled!: CompiledKql;
  for (let i = 0; i < 5; i++) {
    const [t, c] = await time(() => compileKql(q.query, { now: DATASET_NOW }));
    warmTimes.push(t);
    compiled = c;
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  const totals: number[] = [];
  let oursRows = 0;
  let theirRows = 0;
  // SQL against SQL, both read back as DuckDB rows; interleaved, after one unmeasured run of each.
  await engine.store.execute(compiled);
  await engine.store.sql(hand[q.section]!);
  for (let i = 0; i < RUNS; i++) {
    const [t1, r1] = await time(() => engine.store.execute(compiled));
    ours.push(t1);
    oursRows = r1.length;
    const [t2, r2] = await time(() => engine.store.sql(hand[q.section]!));
    theirs.push(t2);
    theirRows = r2.length;
    // What a user waits for: compile (warm), run, and the rows in Kusto value forms.
    const [t3] = await time(() => engine.query(q.query, { now: DATASET_NOW }));
    totals.push(t3);
  }
  const row = { q: q.section, first, warm: median(warmTimes), ours: median(ours), theirs: median(theirs), total: median(totals), rows: oursRows, same: oursRows === theirRows };
  rows.push(row);
  console.log(`${row.q}  compile first ${ms(row.first).padStart(9)}  warm ${ms(row.warm).padStart(9)}  | our SQL ${ms(row.ours).padStart(10)}  hand-written ${ms(row.theirs).padStart(10)}  ratio ${(row.ours / row.theirs).toFixed(2)}  | query() end to end ${ms(row.total).padStart(10)}  | ${row.rows} rows${row.same ? '' : ` (hand-written: ${theirRows} rows: MISMATCH)`}`);
}
engine.close();

const worst = rows.reduce((a, r) => (r.ours / r.theirs > a.ours / a.theirs ? r : a));
const maxWarm = Math.max(...rows.map(r => r.warm));
console.log(`\nworst ratio: ${worst.q} ${(worst.ours / worst.theirs).toFixed(2)} (goal <= 1.5); slowest warm compile: ${ms(maxWarm)} (goal < 20 ms)`);
if (rows.some(r => !r.same)) console.log('WARNING: some hand-written queries returned a different number of rows');

// Cold start of the CLI, as users run it.
function cold(cmd: string, argv: string[], env: NodeJS.ProcessEnv = {}): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
    times.push(performance.now() - t);
  }
  return median(times);
}
const viaNpx = cold('npx', ['chainhunt', 'query', 'print 1']);
const viaNode = cold(process.execPath, [join(root, 'bin/chainhunt.cjs'), 'query', 'print 1']);
const noSnapshot = cold(process.execPath, [join(root, 'bin/chainhunt.cjs'), 'query', 'print 1'], { CHAINHUNT_NO_SNAPSHOT: '1' });
console.log(`\ncold start, median of 5 (query 'print 1'):`);
console.log(`  npx chainhunt:               ${ms(viaNpx)}`);
console.log(`  node bin/chainhunt.cjs:      ${ms(viaNode)}  (startup snapshot)`);
console.log(`  without the startup snapshot: ${ms(noSnapshot)}  (ratio ${(noSnapshot / viaNode).toFixed(2)}x)`);
