// chainhunt demo: simulate an organisation's Defender telemetry with the helpdesk-impersonation
// intrusion in it, ingest it, run the detection rules, correlate the alerts into incidents, let
// attack disruption answer (dry run), score all that against the simulator's ground truth, run the
// seed's hunting pack, and serve the console on the result.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoDatabase, type DemoStep } from '../../demo/build.js';
import { Engine } from '../../engine.js';
import type { Labels } from '../../simulate/labels.js';
import { loadHuntingPack } from '../../content/hunting.js';
import { listIncidents } from '../../incidents/store.js';
import { userMessage } from '../errors.js';
import { Progress } from '../progress.js';
import { evaluateDatabase } from './eval.js';
import { formatDuration } from '../../eval/report.js';

export { buildDemoDatabase } from '../../demo/build.js';

export interface DemoOptions {
  readonly db?: string;
  readonly seed?: string;
  readonly devices?: string;
  readonly days?: string;
  readonly intrusions?: string;
  /** false (--no-serve): end after the report instead of serving the console. */
  readonly serve?: boolean;
  readonly port?: string;
}

const n = (x: number) => x.toLocaleString('en-US');
const out = (s: string) => process.stdout.write(s);

/** The devices a query's rows name, each marked with the simulated intrusion whose victim it is. */
function devicesOf(labels: Labels, rows: Record<string, unknown>[]): string[] {
  const victims = new Map(labels.intrusions.map(i => [i.victim.device.name, i.id]));
  const devices = new Set<string>();
  for (const row of rows) for (const [k, v] of Object.entries(row)) if (/DeviceName$/.test(k) && typeof v === 'string' && v) devices.add(v);
  return [...devices].sort().map(d => `${d.split('.')[0]}${victims.has(d) ? ` (${victims.get(d)})` : ''}`);
}

function reportStep(step: DemoStep): void {
  switch (step.step) {
    case 'simulated': {
      const labels = step.result.labels;
      out(`1. Simulated ${n(step.result.events)} Defender events (${Object.keys(step.result.counts).length} tables) for ${labels.start.slice(0, 10)} .. ${labels.end.slice(0, 10)} `
        + `in ${step.seconds.toFixed(1)} s: ${labels.intrusions.length} intrusions and ${labels.benign.length} benign look-alikes (ground truth: ${join(step.telemetry, 'labels.json')}).\n`);
      for (const i of labels.intrusions) {
        const stages = Object.entries(i.stages).filter(([, st]) => st.present).map(([k]) => k).join(',');
        out(`     ${i.id}: ${i.variant.kind} via ${i.variant.contact}, ${i.variant.tool} on ${i.victim.device.name.split('.')[0]} (${i.victim.user.upn}), stages ${stages}\n`);
      }
      return;
    }
    case 'ingested': {
      const stored = [...step.summary.tables.values()].reduce((a, c) => a + c.accepted, 0);
      out(`2. Ingested ${n(stored)} records in ${step.seconds.toFixed(1)} s (${n(Math.round(stored / Math.max(step.seconds, 0.001)))}/s), ${step.summary.quarantined} rejected.\n`);
      return;
    }
    case 'detected': {
      const fired = step.result.rules.filter(r => r.alerts > 0).length;
      out(`3. Ran ${step.result.rules.length} detection rules in ${step.seconds.toFixed(1)} s: ${n(step.result.alerts.length)} alerts from ${fired} rules`
        + `${step.result.failed ? `; ${step.result.failed} rules FAILED` : ''}.\n`);
      for (const r of step.result.rules.filter(x => x.error)) out(`     ${r.error}\n`);
      return;
    }
    case 'correlated':
      out(`4. Correlated the alerts into ${step.summary.incidents} incidents in ${step.seconds.toFixed(1)} s.\n`);
      return;
    case 'responded':
      out(`5. Attack disruption (dry run) recorded ${step.summary.recorded.length} containment actions in ${step.seconds.toFixed(1)} s.\n`);
      return;
  }
}

export async function runDemoCommand(options: DemoOptions): Promise<number> {
  // One demo folder, replaced on each run (unless --db names a database to keep adding to).
  const work = join(tmpdir(), 'chainhunt-demo');
  const progress = new Progress();
  const demo = await buildDemoDatabase({
    dir: work,
    dbPath: options.db,
    seed: Number(options.seed ?? 7),
    devices: Number(options.devices ?? 80),
    days: Number(options.days ?? 7),
    intrusions: Number(options.intrusions ?? 4),
    onSimulateProgress: events => progress.update({ done: 0, total: 1, label: 'simulating', detail: `${n(events)} events` }),
    onIngestProgress: p => progress.update({ done: p.fileIndex, total: p.fileCount, label: 'ingesting', detail: `${n(p.records)} records` }),
    onRule: s => progress.update({ done: 0, total: 1, label: 'detecting', detail: s.ruleId }),
    onStep: step => {
      progress.done();
      reportStep(step);
    },
  });
  const { labels, dbPath } = demo;
  let failures = 0;

  // Incidents and how they score against the ground truth.
  const report = await evaluateDatabase(dbPath, labels);
  const engine = await Engine.open({ path: dbPath });
  try {
    const incidents = await listIncidents(engine.store);
    out('\n   Incidents (most recent activity first):\n');
    for (const i of incidents.slice(0, 12)) {
      out(`   ${i.id.padEnd(10)} ${i.severity.padEnd(13)} ${String(i.alertIds.length).padStart(3)} alerts  stages ${i.stages.join(',').padEnd(18)} ${i.title}\n`);
    }
    if (incidents.length > 12) out(`   ... and ${incidents.length - 12} more\n`);
    out('\n   Against the ground truth:\n');
    for (const i of report.intrusions) {
      const d = i.disruption;
      const disruption = d.first === null ? 'not disrupted'
        : d.leadMs === null ? `contained at ${d.first}`
        : d.leadMs >= 0 ? `contained ${formatDuration(d.leadMs)} before its first domain-controller contact` : `contained ${formatDuration(-d.leadMs)} AFTER its first domain-controller contact`;
      out(`   ${i.id}: stages detected ${i.stagesDetected.length}/${i.stagesPresent.length}${i.stagesMissed.length ? ` (missed ${i.stagesMissed.join(',')})` : ''}, `
        + `${i.incidents.length === 1 ? `one incident (${i.incidents[0]})` : `${i.incidents.length} incidents`}, ${disruption}\n`);
    }
    const fp = report.overall.falsePositiveIncidents;
    out(`   Benign look-alikes: ${fp.lookalikeMediumOrAbove} incidents of medium severity or above (${fp.total} false-positive incidents in all).\n`);

    const now = new Date(labels.end);
    out(`\n6. The seed's hunting queries A–K, as of ${labels.end} (devices in the hits; victims marked with their intrusion):\n\n`);
    for (const q of loadHuntingPack()) {
      try {
        const r = await engine.query(q.query, { now });
        const rows = r.rows.map(row => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
        const devices = devicesOf(labels, rows);
        const shown = devices.length > 6 ? [...devices.slice(0, 6), `+${devices.length - 6} more`] : devices;
        out(`   ${q.section}  ${q.title.padEnd(64).slice(0, 64)} ${String(r.rows.length).padStart(5)} rows${shown.length ? `  ${shown.join(', ')}` : ''}\n`);
      } catch (e) {
        failures++;
        out(`   ${q.section}  ${userMessage(e, q.file)}\n`);
      }
    }
  } finally {
    engine.close();
  }
  out(`\nExplore: npx chainhunt incidents --db ${dbPath}    npx chainhunt hunt --db ${dbPath} --now ${labels.end} A\n`);
  out(`         npx chainhunt eval --db ${dbPath} --labels ${join(demo.telemetry, 'labels.json')}\n`);
  if (options.serve === false) return failures ? 1 : 0;

  // The console on the demo data, with a token for this run only (printed once, here).
  const { startServer } = await import('../../server/index.js');
  const { announce, serveUntilStopped } = await import('./serve.js');
  const { generateToken } = await import('../../server/auth.js');
  // Queries in the console see the demo's period as the present (its now() is the simulation's end).
  const serverOptions = { dbPath, token: process.env.CHAINHUNT_TOKEN || generateToken(), now: new Date(labels.end) };
  const port = options.port === undefined ? 8080 : Number(options.port);
  let server;
  try {
    server = await startServer({ ...serverOptions, port });
  } catch (e) {
    // The demo's port is taken (another demo, another server): any free port will do.
    if (!/is in use/.test((e as Error).message)) throw e;
    out(`\nPort ${port} is in use; serving on a free port instead.\n`);
    server = await startServer({ ...serverOptions, port: 0 });
  }
  out('\n');
  announce(server, out);
  await serveUntilStopped(server);
  return failures ? 1 : 0;
}
