// End to end on simulated data: simulate → ingest → detect (the rule pack) → correlate. Each
// simulated intrusion must land in exactly one incident, holding every stage detected for it and no
// other intrusion; benign look-alikes and background must make no incident of medium severity or
// above; and every alert's source events must lead back to their rows.
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
import { loadAlerts } from '../../src/detect/alert-store.js';
import type { Alert } from '../../src/detect/model.js';
import { correlate } from '../../src/correlate/index.js';
import { exportIncidentsGraph, listIncidents, type GraphObject } from '../../src/incidents/index.js';

const SEEDS = [1, 2];
const SIZE = { devices: 60, days: 7, intrusions: 5 } as const;
const RANK = { informational: 0, low: 1, medium: 2, high: 3 } as const;
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** Who each labelled row belongs to: "intrusion-N/stage" or "benign". */
function owners(labels: Labels): Map<string, { id: string; stage: number | null }[]> {
  const out = new Map<string, { id: string; stage: number | null }[]>();
  const add = (table: string, rid: string | number, o: { id: string; stage: number | null }) => {
    const k = `${table}|${rid}`;
    out.set(k, [...(out.get(k) ?? []), o]);
  };
  for (const i of labels.intrusions) {
    for (const [stage, s] of Object.entries(i.stages)) for (const [t, ids] of Object.entries(s.reportIds)) for (const r of ids) add(t, r, { id: i.id, stage: Number(stage) });
    for (const s of Object.values(i.extras)) for (const [t, ids] of Object.entries(s.reportIds)) for (const r of ids) add(t, r, { id: i.id, stage: null });
  }
  for (const b of labels.benign) for (const [t, ids] of Object.entries(b.reportIds)) for (const r of ids) add(t, r, { id: 'benign', stage: null });
  return out;
}

for (const seed of SEEDS) {
  describe(`simulated seed ${seed}`, () => {
    it('one incident per intrusion with all its detected stages; no medium incident of benign activity; source events lead to rows', async () => {
      const root = mkdtempSync(join(tmpdir(), `chainhunt-incidents-${seed}-`));
      roots.push(root);
      await simulate({ out: join(root, 'sim'), seed, ...SIZE, parallel: false });
      const labels = JSON.parse(readFileSync(join(root, 'sim', 'labels.json'), 'utf8')) as Labels;
      const engine = await Engine.open({ path: join(root, 'db.duckdb') });
      try {
        await ingest(engine.store, [join(root, 'sim')], { quarantinePath: join(root, 'quarantine.jsonl') });
        const d = await detect(engine, loadRules(), { now: new Date(labels.end) });
        expect(d.rules.filter(r => r.error)).toEqual([]);
        const summary = await correlate(engine.store);
        expect(summary.created.length).toBe(summary.incidents);
        // Correlating again changes nothing.
        expect(await correlate(engine.store)).toMatchObject({ created: [], updated: [], merged: [], unchanged: summary.incidents });

        const own = owners(labels);
        const alerts = new Map((await loadAlerts(engine.store)).map(a => [a.id, a]));
        const belongs = (a: Alert) => a.sourceEvents.flatMap(e => own.get(`${e.table}|${e.reportId}`) ?? []);
        const incidents = await listIncidents(engine.store);
        const incidentsOf = new Map<string, Set<string>>();
        const report: string[] = [];
        for (const inc of incidents) {
          const intrusions = new Set(inc.alertIds.flatMap(id => belongs(alerts.get(id)!)).filter(o => o.id !== 'benign').map(o => o.id));
          for (const i of intrusions) incidentsOf.set(i, new Set([...(incidentsOf.get(i) ?? []), inc.id]));
          // No incident mixes two intrusions; benign-only incidents stay below medium.
          expect([inc.id, intrusions.size <= 1]).toEqual([inc.id, true]);
          if (intrusions.size === 0) expect([inc.id, inc.title, RANK[inc.severity] < RANK.medium]).toEqual([inc.id, inc.title, true]);
        }
        for (const i of labels.intrusions) {
          const detected = new Set<number>();
          for (const a of alerts.values()) {
            const mine = belongs(a).filter(o => o.id === i.id);
            if (!mine.length) continue;
            for (const o of mine) if (o.stage !== null && a.stages.includes(o.stage)) detected.add(o.stage);
          }
          const incs = [...(incidentsOf.get(i.id) ?? [])];
          const inc = incidents.find(x => x.id === incs[0]);
          report.push(`${i.id} ${i.variant.kind}: stages detected ${[...detected].sort().join('')}, incidents ${incs.join(',')}`);
          expect([i.id, incs.length]).toEqual([i.id, detected.size ? 1 : 0]);
          if (inc) expect([i.id, [...detected].every(s => inc.stages.includes(s))]).toEqual([i.id, true]);
        }
        console.log(`seed ${seed}: ${incidents.length} incidents from ${alerts.size} alerts\n  ${report.join('\n  ')}`);

        // From an alert to its raw rows: each source event of each incident's first alert is one row.
        const graph = await exportIncidentsGraph(engine.store);
        for (const inc of graph.value as GraphObject[]) {
          const first = (inc.alerts as GraphObject[])[0]!;
          expect((first.evidence as GraphObject[]).length).toBeGreaterThan(0);
          for (const e of (first.sourceEvents as { table: string; reportId: string; deviceName: string }[]).slice(0, 5)) {
            const rid = /^\d+$/.test(e.reportId) ? e.reportId : JSON.stringify(e.reportId);
            const r = await engine.query(`${e.table} | where ReportId == ${rid}${e.deviceName ? ` and DeviceName == ${JSON.stringify(e.deviceName)}` : ''} | count`);
            expect([e.table, e.reportId, Number(r.rows[0]![0])]).toEqual([e.table, e.reportId, 1]);
          }
        }
      } finally {
        engine.close();
      }
    });
  });
}
