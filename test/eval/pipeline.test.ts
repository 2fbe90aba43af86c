// The whole loop on simulated data: simulate → ingest → detect → correlate → respond (dry run) →
// eval against labels.json. Checks what attack disruption owns: every victim whose intrusion shows
// remote assistance followed by an implant is contained (user and device) — before the domain
// controller when the intrusion reaches one — and nobody else is. (Detection and correlation goals
// are measured by `chainhunt eval` and reported; their own tests hold them.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/index.js';
import type { Labels } from '../../src/simulate/labels.js';
import { Engine } from '../../src/engine.js';
import { ingest } from '../../src/ingest/ingest.js';
import { loadRules } from '../../src/detect/rules.js';
import { detect } from '../../src/detect/detect.js';
import { correlate } from '../../src/correlate/index.js';
import { respond } from '../../src/respond/respond.js';
import { evaluateDatabase } from '../../src/cli/commands/eval.js';

const SEEDS = [1, 4];
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

for (const seed of SEEDS) {
  describe(`simulated seed ${seed}`, () => {
    it('contains the victims before their first domain-controller contact, and nobody else', async () => {
      const root = mkdtempSync(join(tmpdir(), `chainhunt-eval-${seed}-`));
      roots.push(root);
      await simulate({ out: join(root, 'sim'), seed, devices: 40, days: 3, intrusions: 5, parallel: false });
      const labels = JSON.parse(readFileSync(join(root, 'sim', 'labels.json'), 'utf8')) as Labels;
      const db = join(root, 'db.duckdb');
      const engine = await Engine.open({ path: db });
      try {
        await ingest(engine.store, [join(root, 'sim')], { quarantinePath: join(root, 'quarantine.jsonl') });
        const d = await detect(engine, loadRules());
        expect(d.rules.filter(r => r.error)).toEqual([]);
        await correlate(engine.store);
        await respond(engine.store);
      } finally {
        engine.close();
      }
      const report = await evaluateDatabase(db, labels);
      expect(report.overall.goals.disruptionBeforeDc).toBe(true);
      expect([report.overall.disruption.falseActions, report.overall.disruption.falseIncidents]).toEqual([0, 0]);
      for (const i of report.intrusions) {
        const label = labels.intrusions.find(l => l.id === i.id)!;
        const implanted = i.stagesDetected.includes(2) && (i.stagesDetected.includes(4) || i.stagesDetected.includes(6));
        expect([i.id, i.disruption.actions > 0]).toEqual([i.id, implanted]);
        if (implanted) expect([i.id, i.disruption.policyId, i.disruption.userContained, i.disruption.deviceContained]).toEqual([i.id, 'remote-assist-then-implant', true, true]);
        if (label.firstDomainControllerInteraction) expect(i.disruption.leadMs).toBeGreaterThan(60_000);
      }
    });
  });
}
