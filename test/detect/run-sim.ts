// Development tool (not a test): runs the rule pack over ingested simulations and reports, per rule,
// the alerts that belong to intrusions, to benign look-alikes and to the background, and per intrusion
// the stages detected.   npx tsx test/detect/run-sim.ts DB:LABELS [DB:LABELS...] [--rule ID]
import { readFileSync } from 'node:fs';
import { Engine } from '../../src/engine.js';
import { detect } from '../../src/detect/detect.js';
import { loadRules } from '../../src/detect/rules.js';
import type { Labels } from '../../src/simulate/labels.js';
import { falsePositives, LabelIndex } from './sim-eval.js';

const args = process.argv.slice(2);
const only = args.includes('--rule') ? args[args.indexOf('--rule') + 1]!.split(',') : null;
const pairs = args.filter((a, i) => a.includes(':') && args[i - 1] !== '--rule');
let rules = loadRules();
if (only) rules = rules.filter(r => only.includes(r.id));
for (const pair of pairs) {
  const [db, labelsPath] = pair.split(':') as [string, string];
  const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as Labels;
  const engine = await Engine.open({ path: db });
  const t0 = performance.now();
  const res = await detect(engine, rules, { now: new Date(labels.end), save: false });
  const index = new LabelIndex(labels);
  console.log(`\n== ${db} (seed ${labels.seed}) ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const s of res.rules) {
    const mine = res.alerts.filter(a => a.ruleId === s.ruleId);
    const intr = mine.filter(a => index.intrusionsOf(a).size > 0);
    const benign = mine.filter(a => index.intrusionsOf(a).size === 0 && index.benignKindsOf(a).size > 0);
    const bg = mine.filter(a => index.intrusionsOf(a).size === 0 && index.benignKindsOf(a).size === 0);
    const kinds = [...new Set(benign.flatMap(a => [...index.benignKindsOf(a)]))].join(',');
    console.log(`${s.ruleId.padEnd(52)} ${s.severity.padEnd(7)} alerts ${String(mine.length).padStart(3)}  intrusion ${String(intr.length).padStart(3)} [${[...new Set(intr.flatMap(a => [...index.intrusionsOf(a)]))].map(x => x.replace('intrusion-', '')).sort().join('')}]  benign ${benign.length} ${kinds}  background ${bg.length}  ${Math.round(s.ms)} ms${s.error ? '  ERROR ' + s.error : ''}`);
  }
  for (const [id, c] of index.coverage(res.alerts)) {
    const i = labels.intrusions.find(x => x.id === id)!;
    const missed = c.present.filter(s => !c.detected.includes(s));
    console.log(`${id} ${i.variant.kind}/${i.variant.contact}/${i.variant.tool}: present ${c.present.join('')} detected ${c.detected.join('')}${missed.length ? '  MISSED ' + missed.join(',') : ''}`);
  }
  const fps = falsePositives(index, res.alerts);
  for (const a of fps) console.log(`FP ${a.ruleId} ${a.severity} ${a.firstActivity} ${[...index.benignKindsOf(a)].join(',') || 'background'} ${a.entities.map(e => e.value).join(' ').slice(0, 160)}`);
  engine.close();
}
