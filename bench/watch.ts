// npm run bench:watch [-- --seed N --devices N --days N --batch-minutes N --pace-ms N --window-hours N --keep]
//
// The latency of `chainhunt watch`: from a telemetry file landing in the watched folder to the alert
// its events raise. A simulated organisation's history (everything before the live window) is
// ingested and detected first (catch-up); then the live window — from 15 minutes before intrusion-1's
// first contact, --window-hours long — is replayed as files landing in the folder: each batch holds
// --batch-minutes of event time (one file per table) and lands every --pace-ms (written aside, then
// renamed in); the defaults, 2 minutes of event time every 2 s, replay 60 times faster than real time.
// The watch loop runs in this process. For every alert first raised during the replay,
// latency = when the watch loop had saved it − when the file holding its latest source event landed.
// Reported: the latency distribution (and how many within 10 s), the time of each stage of a pass,
// and attack disruption against the first domain-controller contact (eval on the labels).
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../src/simulate/index.js';
import type { Labels } from '../src/simulate/labels.js';
import { Engine } from '../src/engine.js';
import { ingest } from '../src/ingest/ingest.js';
import { loadRules } from '../src/detect/rules.js';
import { detect } from '../src/detect/detect.js';
import { loadAlerts } from '../src/detect/alert-store.js';
import { correlate } from '../src/correlate/index.js';
import { respond } from '../src/respond/respond.js';
import { watchFolder, type TickReport } from '../src/cli/commands/watch.js';
import { evaluateDatabase } from '../src/cli/commands/eval.js';
import { formatDuration } from '../src/eval/report.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seed = arg('--seed', 3);
const devices = arg('--devices', 80);
const days = arg('--days', 2);
const batchMinutes = arg('--batch-minutes', 2);
const paceMs = arg('--pace-ms', 2000);
const windowHours = arg('--window-hours', 3);
const keep = args.includes('--keep');
const MIN = 60_000;

const root = mkdtempSync(join(tmpdir(), 'chainhunt-bench-watch-'));
const sim = join(root, 'sim');
const history = join(root, 'history');
const inbox = join(root, 'in');
const staging = join(root, 'staging');
const db = join(root, 'watch.duckdb');
const log = (s: string) => process.stdout.write(s + '\n');

const q = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'n/a');

async function main(): Promise<void> {
  log(`simulating ${devices} devices, ${days} days (seed ${seed}) in ${root}`);
  await simulate({ out: sim, seed, devices, days, intrusions: 4, parallel: false });
  const labels = JSON.parse(readFileSync(join(sim, 'labels.json'), 'utf8')) as Labels;
  const i1 = labels.intrusions[0]!;
  const firsts = Object.values(i1.stages).map(s => s.first).filter((x): x is string => !!x).map(x => Date.parse(x));
  const liveFrom = Math.min(...firsts) - 15 * MIN;
  const liveTo = liveFrom + windowHours * 3_600_000;

  // Records by table: history (before the live window) and live (inside it, by batch).
  const batches = new Map<number, Map<string, string[]>>();
  const landedBatchOf = new Map<string, number>();
  let historyCount = 0;
  let liveCount = 0;
  for (const table of readdirSync(sim).filter(f => f !== 'labels.json').sort()) {
    mkdirSync(join(history, table), { recursive: true });
    const fd = openSync(join(history, table, `${table}-history.json`), 'w');
    for (const part of readdirSync(join(sim, table)).sort()) {
      for (const line of readFileSync(join(sim, table, part), 'utf8').split('\n')) {
        if (!line) continue;
        const rec = JSON.parse(line) as { time: string; properties: { ReportId?: unknown; AlertId?: unknown } };
        const t = Date.parse(rec.time);
        if (t < liveFrom) {
          writeSync(fd, line + '\n');
          historyCount++;
        } else if (t < liveTo) {
          const b = Math.floor((t - liveFrom) / (batchMinutes * MIN));
          const byTable = batches.get(b) ?? new Map<string, string[]>();
          batches.set(b, byTable);
          const list = byTable.get(table) ?? [];
          byTable.set(table, list);
          list.push(line);
          landedBatchOf.set(`${table}|${String(rec.properties.ReportId ?? rec.properties.AlertId)}`, b);
          liveCount++;
        }
      }
    }
    closeSync(fd);
  }
  log(`history: ${historyCount.toLocaleString('en-US')} records before ${new Date(liveFrom).toISOString()}; live: ${liveCount.toLocaleString('en-US')} records in ${batches.size} batches of ${batchMinutes} min, one every ${paceMs} ms`);

  const engine = await Engine.open({ path: db });
  const rules = loadRules();
  let t = performance.now();
  await ingest(engine.store, [history], { quarantinePath: join(root, 'quarantine.jsonl') });
  log(`history ingested in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await detect(engine, rules, { now: new Date(liveFrom) });
  await correlate(engine.store);
  await respond(engine.store);
  log(`catch-up detection, correlation and response in ${((performance.now() - t) / 1000).toFixed(1)} s (${rules.filter(r => r.enabled && r.frequency === 'continuous').length} continuous rules of ${rules.length})`);
  const before = new Set((await loadAlerts(engine.store)).map(a => a.id));

  // The watch loop, in this process.
  mkdirSync(inbox, { recursive: true });
  const landedAt = new Map<number, number>();
  const ticks: TickReport[] = [];
  const firstSeen = new Map<string, { at: number; latestBatch: number; ruleId: string; stages: readonly number[] }>();
  const stop = new AbortController();
  const loop = watchFolder(engine, {
    from: inbox, quarantinePath: join(root, 'watch-quarantine.jsonl'), intervalMs: 200, rules, signal: stop.signal,
    onTick: tick => {
      if (!tick.files.length && !tick.alerts.length) return;
      ticks.push(tick);
      for (const a of tick.alerts) {
        if (before.has(a.id) || firstSeen.has(a.id)) continue;
        let latest = -1;
        for (const e of a.sourceEvents) latest = Math.max(latest, landedBatchOf.get(`${e.table}|${e.reportId}`) ?? -1);
        firstSeen.set(a.id, { at: tick.detectedAt, latestBatch: latest, ruleId: a.ruleId, stages: a.stages });
      }
    },
  });

  const order = [...batches.keys()].sort((a, b) => a - b);
  const replayStart = Date.now();
  for (const b of order) {
    const due = replayStart + (b - order[0]!) * paceMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
    for (const [table, lines] of batches.get(b)!) {
      mkdirSync(join(staging, table), { recursive: true });
      mkdirSync(join(inbox, table), { recursive: true });
      const name = `${table}-live-${String(b).padStart(5, '0')}.json`;
      const fd = openSync(join(staging, table, name), 'w');
      writeSync(fd, lines.join('\n') + '\n');
      closeSync(fd);
      renameSync(join(staging, table, name), join(inbox, table, name));
    }
    landedAt.set(b, Date.now());
  }
  // Let the loop drain.
  const idleSince = () => (ticks.length ? ticks[ticks.length - 1]!.startedAt : 0);
  while (Date.now() - idleSince() < 2000) await new Promise(r => setTimeout(r, 250));
  stop.abort();
  await loop;
  engine.close();

  // Latencies.
  const lat: { ms: number; ruleId: string; stages: readonly number[] }[] = [];
  for (const s of firstSeen.values()) {
    const landed = landedAt.get(s.latestBatch);
    if (s.latestBatch < 0 || landed === undefined) continue;
    lat.push({ ms: s.at - landed, ruleId: s.ruleId, stages: s.stages });
  }
  const values = lat.map(l => l.ms);
  log('');
  log(`alerts raised during the replay: ${firstSeen.size} (${lat.length} with their latest evidence in a replayed file)`);
  log(`latency from file landing to alert: min ${ms(Math.min(...values))}, p50 ${ms(q(values, 50))}, p90 ${ms(q(values, 90))}, p99 ${ms(q(values, 99))}, max ${ms(Math.max(...values))}; within 10 s: ${values.filter(v => v <= 10_000).length}/${values.length}`);
  const byRule = new Map<string, number[]>();
  for (const l of lat) byRule.set(l.ruleId, [...(byRule.get(l.ruleId) ?? []), l.ms]);
  for (const [rule, xs] of [...byRule].sort()) log(`  ${rule.padEnd(56)} ${String(xs.length).padStart(4)} alert(s)  p50 ${ms(q(xs, 50)).padStart(8)}  max ${ms(Math.max(...xs)).padStart(8)}`);
  const stage = (k: keyof TickReport['ms']) => ticks.map(x => x.ms[k]);
  log(`passes with files: ${ticks.length}; per pass p50 / p90 / max: ingest ${ms(q(stage('ingest'), 50))} / ${ms(q(stage('ingest'), 90))} / ${ms(Math.max(...stage('ingest')))}, detect ${ms(q(stage('detect'), 50))} / ${ms(q(stage('detect'), 90))} / ${ms(Math.max(...stage('detect')))}, correlate ${ms(q(stage('correlate'), 50))} / ${ms(q(stage('correlate'), 90))} / ${ms(Math.max(...stage('correlate')))}, respond ${ms(q(stage('respond'), 50))} / ${ms(q(stage('respond'), 90))} / ${ms(Math.max(...stage('respond')))}`);
  const errors = ticks.flatMap(x => x.errors);
  if (errors.length) log(`errors: ${errors.slice(0, 5).join('; ')}${errors.length > 5 ? ` (+${errors.length - 5})` : ''}`);

  log(`machine: ${cpus().length} cores, load average ${loadavg().map(x => x.toFixed(1)).join(' / ')} (1 / 5 / 15 min)`);
  const report = await evaluateDatabase(db, labels);
  const r1 = report.intrusions[0]!;
  log(`intrusion-1: first DC contact ${r1.firstDomainControllerInteraction ?? 'none'}, disruption at ${r1.disruption.first ?? 'none'}${r1.disruption.leadMs !== null ? ` (${r1.disruption.leadMs > 0 ? 'before' : 'after'} it by ${formatDuration(Math.abs(r1.disruption.leadMs))})` : ''}, by ${r1.disruption.policyId ?? '-'}`);
  if (!keep) rmSync(root, { recursive: true, force: true });
  else log(`kept ${root}`);
}

main().catch(e => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
