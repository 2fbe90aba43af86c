// npm run bench:simulate [-- --devices N --days N --intrusions N --seed N --out DIR --keep --short]
// Runs the telemetry simulator at a given size and reports events/s (wall clock and per CPU second),
// bytes written and peak memory (resident set size). --short: 200 devices, 7 days. The output folder
// (a temporary one unless --out) is removed afterwards unless --keep.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../src/simulate/index.js';

const args = process.argv.slice(2);
const has = (name: string) => args.includes(name);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const short = has('--short');
const devices = arg('--devices', short ? 200 : 2000);
const days = arg('--days', short ? 7 : 14);
const intrusions = arg('--intrusions', 4);
const seed = arg('--seed', 1);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1]! : mkdtempSync(join(tmpdir(), 'chainhunt-bench-sim-'));
const keep = has('--keep') || outIndex >= 0;

function bytesUnder(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? bytesUnder(p) : statSync(p).size;
  }
  return total;
}

console.log(`simulating ${devices} devices, ${days} days, ${intrusions} intrusions (seed ${seed}) into ${out} ...`);
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let lastReport = t0;
const result = await simulate({
  out,
  seed,
  devices,
  days,
  intrusions,
  onProgress: ({ events }) => {
    peak = Math.max(peak, process.memoryUsage().rss);
    const now = performance.now();
    if (now - lastReport > 5000) {
      lastReport = now;
      console.log(`  ${events.toLocaleString('en-US')} events, ${Math.round(events / ((now - t0) / 1000)).toLocaleString('en-US')}/s`);
    }
  },
});
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const maxRss = Math.max(peak, process.resourceUsage().maxRSS * 1024);
const bytes = bytesUnder(out);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

console.log(`\nevents:        ${result.events.toLocaleString('en-US')}`);
for (const [t, n] of Object.entries(result.counts)) console.log(`  ${t.padEnd(24)} ${n.toLocaleString('en-US').padStart(12)}`);
console.log(`wall time:     ${wall.toFixed(1)} s`);
console.log(`events/s:      ${Math.round(result.events / wall).toLocaleString('en-US')} (wall clock)`);
console.log(`CPU time:      ${cpuSeconds.toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(1)}, system ${(cpu.system / 1e6).toFixed(1)})`);
console.log(`events/CPU-s:  ${Math.round(result.events / cpuSeconds).toLocaleString('en-US')}`);
console.log(`written:       ${mb(bytes)} (${Math.round(bytes / result.events)} bytes/event, ${mb(bytes / wall)}/s)`);
console.log(`peak RSS:      ${mb(maxRss)}`);
if (!keep) rmSync(out, { recursive: true, force: true });
