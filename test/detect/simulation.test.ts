// The rule pack on simulated telemetry (simulate → ingest → detect), seeds 1–3: for every intrusion,
// exactly the rules its variant calls for fire on its labelled rows (labels.json), every stage it
// shows is detected, and no alert of medium severity or above comes from a benign look-alike or the
// background. Re-running adds nothing; catch-up in other chunks finds the same alerts; query K finds
// the alerts through its object-id, UPN and chat-thread branches.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { detect, type DetectResult } from '../../src/detect/detect.js';
import { loadAlerts } from '../../src/detect/alert-store.js';
import { loadRules } from '../../src/detect/rules.js';
import type { Alert } from '../../src/detect/model.js';
import { ingest } from '../../src/ingest/ingest.js';
import { simulate } from '../../src/simulate/index.js';
import type { IntrusionLabel, Labels } from '../../src/simulate/labels.js';
import { loadHuntingPack } from '../../src/content/hunting.js';
import { falsePositives, LabelIndex } from './sim-eval.js';

const SEEDS = [1, 2, 3];
const SIZE = { devices: 40, days: 6, intrusions: 6 } as const;
const rules = loadRules();

const present = (i: IntrusionLabel, stage: number) => i.stages[String(stage)]?.present === true;
const has = (i: IntrusionLabel, part: string, table: string) => (i.stages[part]?.reportIds[table]?.length ?? 0) > 0;

/** The rules an intrusion's variant and labels call for. */
function expectedRules(i: IntrusionLabel): string[] {
  const v = i.variant;
  const out: string[] = [];
  if (present(i, 1)) out.push('teams-external-helpdesk-persona-contact', 'teams-helpdesk-contact-then-remote-assistance');
  if (i.extras.mailbomb?.present) out.push('mailbomb-then-remote-assistance');
  if (present(i, 2)) out.push('remote-assistance-elevation-shell');
  if (present(i, 2) && v.tool !== 'QuickAssist.exe') out.push('uncommon-remote-access-software');
  if (present(i, 3)) out.push('recon-burst-after-remote-assistance');
  if (i.extras.historyDeletion?.present) out.push('powershell-history-deletion');
  if (v.delivery === 'set-p-zip') out.push('zip-staging-set-p-pk');
  if (v.sideload && present(i, 4)) out.push('signed-binary-run-from-fresh-drop', 'sideload-signed-host-user-writable-dll');
  if (has(i, '5', 'DeviceRegistryEvents')) out.push('registry-encoded-blob-classes-local-settings');
  if (has(i, '5', 'DeviceProcessEvents')) out.push('scheduled-task-user-writable-binary');
  if (present(i, 6) || v.downloader) out.push('c2-api-gateway-or-risky-tld-non-browser');
  if (present(i, 6) && present(i, 7)) out.push('c2-then-internal-ad-protocols');
  if (present(i, 7)) out.push('winrm-lateral-from-user-session');
  if (present(i, 8)) out.push('rmm-agent-msiexec-from-shell-or-remote-session');
  if (present(i, 8) && v.lateralTargets.length > 0) out.push('rmm-agent-msiexec-multi-host');
  if (present(i, 9)) out.push('rclone-exfiltration');
  return out.sort();
}

for (const seed of SEEDS) {
  describe(`detection on simulated telemetry, seed ${seed}`, () => {
    let dir: string;
    let engine: Engine;
    let labels: Labels;
    let index: LabelIndex;
    let result: DetectResult;
    let alerts: Alert[];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `chainhunt-detect-${seed}-`));
      await simulate({ out: dir, seed, ...SIZE, parallel: false });
      labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Labels;
      index = new LabelIndex(labels);
      engine = await Engine.open();
      const summary = await ingest(engine.store, [dir], { quarantinePath: join(dir, 'quarantine.jsonl') });
      if (summary.quarantined !== 0) throw new Error('ingest rejected records');
      result = await detect(engine, rules, { now: new Date(labels.end) });
      alerts = await loadAlerts(engine.store);
    }, 600_000);
    afterAll(() => {
      engine?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('runs every rule without error', () => {
      expect(result.failed).toBe(0);
      expect(result.rules.map(r => r.ruleId)).toEqual(rules.map(r => r.id));
      expect(alerts.length).toBe(result.alerts.length);
    });

    it('fires, for each intrusion, exactly the rules its variant calls for', () => {
      // recon-burst (low) counts kinds per 15-minute bin: whether a burst of four kinds falls in one bin is up to the clock.
      const firedFor = (id: string) => [...new Set(alerts.filter(a => a.ruleId !== 'recon-burst' && index.intrusionsOf(a).has(id)).map(a => a.ruleId))].sort();
      for (const i of labels.intrusions) expect(firedFor(i.id), `${i.id} (${JSON.stringify(i.variant)})`).toEqual(expectedRules(i));
    });

    it('detects every stage each intrusion shows', () => {
      for (const [id, c] of index.coverage(alerts)) expect(c.detected, id).toEqual(c.present);
    });

    it('raises no alert of medium severity or above on benign look-alikes or the background', () => {
      const kinds = new Set(labels.benign.map(b => b.kind));
      for (const k of ['helpdesk-quick-assist', 'admin-winrm', 'rclone-backup', 'vendor-updater', 'partner-chat', 'admin-shell']) expect(kinds.has(k), k).toBe(true);
      expect(falsePositives(index, alerts, 'medium').map(a => `${a.ruleId} ${a.firstActivity}`)).toEqual([]);
    });

    it('names the lateral targets, the exfiltration host and the renamed binary', () => {
      for (const i of labels.intrusions) {
        const mine = (rule: string) => alerts.filter(a => a.ruleId === rule && index.intrusionsOf(a).has(i.id));
        if (present(i, 7)) {
          const devices = new Set(mine('winrm-lateral-from-user-session').flatMap(a => a.entities.filter(e => e.kind === 'device').map(e => e.value)));
          for (const t of [i.victim.device.name, ...i.variant.lateralTargets]) expect(devices.has(t), `${i.id} ${t}`).toBe(true);
        }
        if (present(i, 9)) {
          const ex = mine('rclone-exfiltration');
          const files = ex.flatMap(a => a.entities.filter(e => e.kind === 'file').map(e => e.value));
          expect(files.some(f => f.endsWith(`\\${i.variant.exfil!.fileName}`)), i.id).toBe(true);
        }
        if (present(i, 1)) {
          const threads = mine('teams-external-helpdesk-persona-contact').flatMap(a => a.entities.filter(e => e.kind === 'teamsThread').map(e => e.value));
          expect(threads, i.id).toEqual([i.variant.chatThreadId]);
        }
      }
    });

    it('adds nothing when run again, and finds the same alerts in other chunks', async () => {
      const again = await detect(engine, rules, { now: new Date(labels.end) });
      expect([again.added, again.updated, again.alerts.length]).toEqual([0, 0, alerts.length]);
      const chunked = await detect(engine, rules, { now: new Date(labels.end), chunkMs: 6 * 3_600_000, save: false });
      const sig = (list: readonly Alert[]) => list.map(a => `${a.id} ${a.sourceEvents.length} ${a.lastActivity}`).sort();
      expect(sig(chunked.alerts)).toEqual(sig(alerts));
    }, 600_000);

    it("is found by query K's alert branches (object id, UPN, chat thread)", async () => {
      const k = loadHuntingPack().find(q => q.section === 'K')!;
      const res = await engine.query(k.query, { now: new Date(labels.end) });
      const col = (name: string) => res.columns.findIndex(c => c.name === name);
      const first = labels.intrusions[0]!;
      expect(first.variant.contact).toBe('teams');
      const ours = new Set(alerts.filter(a => index.intrusionsOf(a).has(first.id)).map(a => a.id));
      const rows = res.rows.filter(r => r[col('VictimAccountObjectId')] === first.victim.user.oid && r[col('ChatThreadId')] === first.variant.chatThreadId);
      const found = rows.filter(r => (r[col('AlertIds')] as string[]).some(id => ours.has(id)));
      expect(found.length).toBeGreaterThan(0);
      const types = new Set(found.flatMap(r => r[col('MatchTypes')] as string[]));
      expect([...types].sort()).toEqual(['ChatThreadId', 'ObjectId', 'VictimUPN']);
    }, 300_000);
  });
}
