// The respond and eval commands end to end on a database file: alerts saved, correlated into an
// incident, disruption in dry-run, the incident tagged, eval against labels.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../src/engine.js';
import { saveAlerts } from '../../src/detect/alert-store.js';
import { correlate } from '../../src/correlate/index.js';
import { getIncident, incidentHistory, listIncidents } from '../../src/incidents/store.js';
import { runRespondCommand } from '../../src/cli/commands/respond.js';
import { runEvalCommand } from '../../src/cli/commands/eval.js';
import { buildProgram } from '../../src/cli/main.js';
import { alert, VICTIM } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'chainhunt-respond-cli-'));

function capture() {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  return { text: () => out, restore: () => spy.mockRestore() };
}

afterEach(() => vi.restoreAllMocks());

const user = { oid: VICTIM.oid, upn: VICTIM.upn };
const a2 = alert({ id: 'qa', stages: [2], at: '2026-03-09T10:00:00.0000000Z', user, devices: ['ws-0001.corp.contoso.com'] });
const a4 = alert({ id: 'sideload', stages: [4], at: '2026-03-09T10:06:30.0000000Z', user, devices: ['ws-0001.corp.contoso.com'] });
const a7 = alert({ id: 'winrm', stages: [7], at: '2026-03-09T10:20:00.0000000Z', user, devices: ['ws-0001.corp.contoso.com', 'dc01.corp.contoso.com'] });

async function database(name: string): Promise<string> {
  const db = join(dir, name);
  const engine = await Engine.open({ path: db });
  try {
    await saveAlerts(engine.store, [a2, a4, a7]);
    await correlate(engine.store);
  } finally {
    engine.close();
  }
  return db;
}

describe('chainhunt respond / eval', () => {
  it('respond: dry run over the stored incidents, recorded on the incident', async () => {
    const db = await database('respond.duckdb');
    const out = capture();
    const code = await runRespondCommand({ db, format: 'table' });
    out.restore();
    expect(code).toBe(0);
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^dryRun {4}disableUser {4}user jdoe@contoso\.com {2}incident \S+ {2}policy remote-assist-then-implant {2}evidence at 2026-03-09T10:06:30\.0000000Z {2}\[dry-run\] would disable the account of user jdoe@contoso\.com \(object id 6f1c2a9e-0b1d-4c7e-9a51-1a2b3c4d5e6f\)$/);
    expect(lines[6]).toBe('1 incident(s), 6 action(s) planned: 6 recorded now (0 succeeded, 0 failed, 6 dry run), 0 already done');

    const engine = await Engine.open({ path: db });
    try {
      const [inc] = await listIncidents(engine.store);
      expect(inc!.tags).toContain('Attack Disruption');
      const full = await getIncident(engine.store, inc!.id, { includeActions: true });
      expect(full!.actions!.map(a => [a.policyId, a.action, a.status])).toHaveLength(6);
      const history = (await incidentHistory(engine.store, inc!.id)).filter(h => h.change === 'responseAction' || h.change === 'systemTags');
      expect(history[0]).toMatchObject({ time: '2026-03-09T10:06:30.0000000Z', change: 'responseAction' });
      expect(history.filter(h => h.change === 'systemTags')).toHaveLength(1);
      const rows = await engine.query('DisruptionAndResponseEvents | summarize n = count(), earliest = min(Timestamp) by PolicyId | order by PolicyId asc');
      expect(rows.rows).toEqual([['remote-assist-then-implant', 3n, '2026-03-09T10:06:30.0000000Z'], ['remote-assist-then-winrm', 3n, '2026-03-09T10:20:00.0000000Z']]);
    } finally {
      engine.close();
    }
    // Again: nothing new.
    const again = capture();
    await runRespondCommand({ db, format: 'table' });
    again.restore();
    expect(again.text()).toBe('1 incident(s), 6 action(s) planned: 0 recorded now (0 succeeded, 0 failed, 0 dry run), 6 already done\n');
  });

  it('respond: refuses a config file others can read; secrets are not options', async () => {
    const db = await database('refuse.duckdb');
    const cfg = join(dir, 'responder.yaml');
    writeFileSync(cfg, 'webhook:\n  url: https://soar.example.com/hook\n  secret: s\n');
    chmodSync(cfg, 0o644);
    await expect(runRespondCommand({ db, responder: 'webhook', config: cfg })).rejects.toThrow(`the responder config ${cfg} has permissions 0644`);
    const program = buildProgram().exitOverride().configureOutput({ writeErr: () => undefined });
    program.commands.forEach(c => c.exitOverride().configureOutput({ writeErr: () => undefined }));
    await expect(program.parseAsync(['respond', '--db', db, '--webhook-secret', 's'], { from: 'user' })).rejects.toThrow("unknown option '--webhook-secret'");
    const names = program.commands.find(c => c.name() === 'respond')!.options.map(o => o.long);
    expect(names).toEqual(['--db', '--responder', '--config', '--policies', '--format']);
  });

  it('eval: scores the database against labels', async () => {
    const db = await database('eval.duckdb');
    const out0 = capture();
    await runRespondCommand({ db, format: 'json' });
    out0.restore();
    const labels = join(dir, 'labels.json');
    const stage = (ids: Record<string, string[]>) => ({ present: true, reportIds: ids, first: null });
    const empty = { present: false, reportIds: {}, first: null };
    writeFileSync(labels, JSON.stringify({
      seed: 9, options: {}, start: '', end: '', tenantId: '', domain: '', counts: {},
      intrusions: [{
        id: 'intrusion-1', victim: { user: { oid: VICTIM.oid, upn: VICTIM.upn, sid: VICTIM.sid, name: 'jdoe' }, device: { id: 'd', name: 'ws-0001.corp.contoso.com' } },
        variant: { kind: 'full', contact: 'vishing' },
        stages: { '1': empty, '2': stage({ DeviceProcessEvents: ['qa-r1'] }), '3': empty, '4': stage({ DeviceProcessEvents: ['sideload-r1'] }), '5': empty, '6': empty, '7': stage({ DeviceProcessEvents: ['winrm-r1'] }), '8': empty, '9': empty },
        extras: {}, devicesTouched: [], firstDomainControllerInteraction: '2026-03-09T10:15:00.0000000Z',
      }],
      benign: [],
    }));
    const out = capture();
    expect(await runEvalCommand({ db, labels, format: 'json' })).toBe(0);
    out.restore();
    const report = JSON.parse(out.text());
    expect(report.intrusions[0]).toMatchObject({ stagesPresent: [2, 4, 7], stagesDetected: [2, 4, 7], landsWhole: true, disruption: { first: '2026-03-09T10:06:30.0000000Z', leadMs: 510_000, beforeDc: true, userContained: true, deviceContained: true, actions: 6 } });
    expect(report.overall.goals).toEqual({ oneIncidentPerIntrusion: true, fullRecall: true, noMediumFalsePositive: true, disruptionBeforeDc: true });
    await expect(runEvalCommand({ db, labels: join(dir, 'missing.json') })).rejects.toThrow(`cannot read the labels ${join(dir, 'missing.json')}: ENOENT`);
  });
});
