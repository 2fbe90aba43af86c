// chainhunt demo: simulate an organisation's Defender telemetry with the helpdesk-impersonation
// intrusion in it, ingest it into the embedded database, and run the seed's hunting pack over it,
// saying which simulated intrusions and benign look-alikes each query found.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../engine.js';
import { ingest } from '../../ingest/ingest.js';
import { simulate } from '../../simulate/index.js';
import type { Labels } from '../../simulate/labels.js';
import { loadHuntingPack } from '../../content/hunting.js';
import { userMessage } from '../errors.js';
import { Progress } from '../progress.js';

export interface DemoOptions {
  readonly db?: string;
  readonly seed?: string;
  readonly devices?: string;
  readonly days?: string;
  readonly intrusions?: string;
}

const n = (x: number) => x.toLocaleString('en-US');

/** The devices a query's rows name, each marked with the simulated intrusion whose victim it is. */
function devicesOf(labels: Labels, rows: Record<string, unknown>[]): string[] {
  const victims = new Map(labels.intrusions.map(i => [i.victim.device.name, i.id]));
  const devices = new Set<string>();
  for (const row of rows) for (const [k, v] of Object.entries(row)) if (/DeviceName$/.test(k) && typeof v === 'string' && v) devices.add(v);
  return [...devices].sort().map(d => `${d.split('.')[0]}${victims.has(d) ? ` (${victims.get(d)})` : ''}`);
}

export async function runDemoCommand(options: DemoOptions): Promise<number> {
  // One demo folder, replaced on each run (unless --db names a database to keep adding to).
  const work = join(tmpdir(), 'chainhunt-demo');
  const telemetry = join(work, 'telemetry');
  const db = options.db ?? join(work, 'demo.duckdb');
  rmSync(telemetry, { recursive: true, force: true });
  if (!options.db) for (const f of ['demo.duckdb', 'demo.duckdb.wal', 'demo.duckdb.quarantine.jsonl']) rmSync(join(work, f), { force: true });
  mkdirSync(work, { recursive: true });
  const progress = new Progress();

  const t0 = performance.now();
  const sim = await simulate({
    out: telemetry,
    seed: Number(options.seed ?? 7),
    devices: Number(options.devices ?? 80),
    days: Number(options.days ?? 7),
    intrusions: Number(options.intrusions ?? 4),
    onProgress: ({ events }) => progress.update({ done: 0, total: 1, label: 'simulating', detail: `${n(events)} events` }),
  });
  progress.done();
  const labels = sim.labels;
  process.stdout.write(`1. Simulated ${n(sim.events)} Defender events (${Object.keys(sim.counts).length} tables) for ${labels.start.slice(0, 10)} .. ${labels.end.slice(0, 10)} `
    + `in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${labels.intrusions.length} intrusions and ${labels.benign.length} benign look-alikes (ground truth: ${join(telemetry, 'labels.json')}).\n`);

  const engine = await Engine.open({ path: db });
  try {
    const t1 = performance.now();
    const summary = await ingest(engine.store, [telemetry], {
      quarantinePath: `${db}.quarantine.jsonl`,
      onProgress: p => progress.update({ done: p.fileIndex, total: p.fileCount, label: 'ingesting', detail: `${n(p.records)} records` }),
    });
    progress.done();
    const stored = [...summary.tables.values()].reduce((a, c) => a + c.accepted, 0);
    const secs = (performance.now() - t1) / 1000;
    process.stdout.write(`2. Ingested ${n(stored)} records into ${db} in ${secs.toFixed(1)} s (${n(Math.round(stored / secs))}/s), ${summary.quarantined} rejected.\n`);

    const now = new Date(labels.end);
    process.stdout.write(`3. The seed's hunting queries A–K, as of ${labels.end} (devices in the hits; victims marked with their intrusion):\n\n`);
    for (const i of labels.intrusions) {
      const stages = Object.entries(i.stages).filter(([, st]) => st.present).map(([k]) => k).join(',');
      process.stdout.write(`   ${i.id}: ${i.variant.kind} via ${i.variant.contact}, ${i.variant.tool} on ${i.victim.device.name.split('.')[0]} (${i.victim.user.upn}), stages ${stages}\n`);
    }
    process.stdout.write('\n');
    let failures = 0;
    for (const q of loadHuntingPack()) {
      try {
        const r = await engine.query(q.query, { now });
        const rows = r.rows.map(row => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
        const devices = devicesOf(labels, rows);
        const shown = devices.length > 6 ? [...devices.slice(0, 6), `+${devices.length - 6} more`] : devices;
        process.stdout.write(`   ${q.section}  ${q.title.padEnd(64).slice(0, 64)} ${String(r.rows.length).padStart(5)} rows${shown.length ? `  ${shown.join(', ')}` : ''}\n`);
      } catch (e) {
        failures++;
        process.stdout.write(`   ${q.section}  ${userMessage(e, q.file)}\n`);
      }
    }
    process.stdout.write(`\nExplore: npx chainhunt hunt --db ${db} --now ${labels.end} A    (or: query --db ${db} '...')\n`);
    return failures ? 1 : 0;
  } finally {
    engine.close();
  }
}
