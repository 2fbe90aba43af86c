// `chainhunt incidents` and `chainhunt incident update`, run in-process through the CLI's commander
// program on a database file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { saveAlerts } from '../../src/detect/alert-store.js';
import { main } from '../../src/cli/main.js';
import { intrusion, victim, helpdesk } from '../correlate/scenario.js';

let dir: string;
let db: string;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await main(args);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chainhunt-incidents-'));
  db = join(dir, 'alerts.duckdb');
  const engine = await Engine.open({ path: db });
  await saveAlerts(engine.store, [...intrusion('a', victim(1), '2026-03-02T10:00:00Z'), ...helpdesk('h1', victim(9), victim(3), '2026-03-03T11:00:00Z')]);
  engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('chainhunt incidents', () => {
  it('correlates on request and lists the queue, most recent activity first', async () => {
    const r = await run(['incidents', '--db', db, '--correlate']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('correlated 13 alerts: 2 incidents (2 new, 0 updated, 0 merged)\n');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Id\s+Severity\s+Status\s+Title\s+Alerts\s+Stages\s+Devices\s+Users\s+First activity\s+Last activity\s+Assigned to\s+Tags$/);
    expect(lines[2]).toMatch(/^2\s+low\s+active\s+Multi-stage incident involving Execution & Discovery on one endpoint\s+2\s+2,3\s+1\s+2\s+2026-03-03T11:00:00Z\s+2026-03-03T11:03:00Z\s+Multi-stage$/);
    expect(lines[3]).toMatch(/^1\s+high\s+active\s+Multi-stage incident involving Initial access & Exfiltration on multiple endpoints reported by multiple sources\s+11\s+1,2,3,4,5,6,7,8,9\s+3\s+1\s+/);
    expect(lines[4]).toBe('(2 rows)');
  });

  it('writes the Graph form with --format json and filters by status and severity', async () => {
    const all = JSON.parse((await run(['incidents', '--db', db, '--format', 'json'])).stdout);
    expect(all['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#security/incidents(alerts())');
    expect(all.value.map((i: { id: string }) => i.id)).toEqual(['2', '1']);
    expect(all.value[1].alerts[0].sourceEvents).toEqual([{ table: 'MessageEvents', reportId: 'a-teams-1', timestamp: '2026-03-02T10:00:00.0000000Z', deviceName: '' }]);
    const high = JSON.parse((await run(['incidents', '--db', db, '--format', 'json', '--severity', 'high,medium'])).stdout);
    expect(high.value.map((i: { id: string }) => i.id)).toEqual(['1']);
    const none = JSON.parse((await run(['incidents', '--db', db, '--format', 'json', '--status', 'resolved'])).stdout);
    expect(none.value).toEqual([]);
  });

  it('shows one incident in detail with --id, or as one Graph object', async () => {
    const r = await run(['incidents', '--db', db, '--id', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Incident 1: Multi-stage incident involving Initial access & Exfiltration on multiple endpoints reported by multiple sources\n');
    expect(r.stdout).toContain('  Stages: 1. Initial contact via Teams; 2. Remote assistance foothold;');
    expect(r.stdout).toContain('Alerts (11):');
    expect(r.stdout).toMatch(/ {4}DeviceNetworkEvents\s+a-winrm-1\s+2026-03-02T10:25:00.0000000Z\s+ws-0001.corp.contoso.com/);
    expect(r.stdout).toMatch(/History \(1\):\n.*\n.*\n2026-03-02T10:01:00.0000000Z\s+chainhunt\s+created/);
    const j = JSON.parse((await run(['incidents', '--db', db, '--id', '1', '--format', 'json'])).stdout);
    expect(j['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#security/incidents(alerts())/$entity');
    expect(j.id).toBe('1');
    expect(j.alerts).toHaveLength(11);
  });

  it('reports a missing incident, a bad filter and a missing database', async () => {
    expect(await run(['incidents', '--db', db, '--id', '42'])).toMatchObject({ code: 1, stderr: 'error: no incident 42\n' });
    expect(await run(['incidents', '--db', db, '--status', 'open'])).toMatchObject({ code: 1, stderr: 'error: --status must be among active, inProgress, resolved, redirected (got "open")\n' });
    expect(await run(['incidents', '--db', join(dir, 'nope.duckdb')])).toMatchObject({ code: 1, stderr: `error: no database ${join(dir, 'nope.duckdb')}\n` });
  });
});

describe('chainhunt incident update', () => {
  it('changes status, classification, determination, assignment, tags and comments, and they persist', async () => {
    const r = await run(['incident', 'update', '1', '--db', db, '--status', 'inProgress', '--classification', 'truePositive', '--determination', 'multiStagedAttack',
      '--assign', 'kai@contoso.com', '--tag', 'Teams phishing', '--tag', 'VIP', '--comment', 'Contained the user', '--by', 'dana']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('incident 1: status inProgress, classification truePositive, determination multiStagedAttack, assigned to kai@contoso.com, tags Multi-stage, Teams phishing, VIP, 1 comment\n');
    const again = await run(['incident', 'update', '1', '--db', db, '--remove-tag', 'vip', '--format', 'json', '--by', 'dana']);
    expect(JSON.parse(again.stdout)).toEqual({ id: '1', status: 'inProgress', classification: 'truePositive', determination: 'multiStagedAttack', assignedTo: 'kai@contoso.com', tags: ['Multi-stage', 'Teams phishing'], comments: 1 });
    // Re-correlation keeps them.
    await run(['incidents', '--db', db, '--correlate']);
    const j = JSON.parse((await run(['incidents', '--db', db, '--id', '1', '--format', 'json'])).stdout);
    expect(j).toMatchObject({ status: 'inProgress', classification: 'truePositive', determination: 'multiStagedAttack', assignedTo: 'kai@contoso.com', customTags: ['Teams phishing'] });
    expect(j.comments.map((c: { comment: string; createdByDisplayName: string }) => [c.comment, c.createdByDisplayName])).toEqual([['Contained the user', 'dana']]);
    const detail = (await run(['incidents', '--db', db, '--id', '1'])).stdout;
    expect(detail).toMatch(/dana\s+status\s+active\s+inProgress/);
    expect(detail).toContain('dana: Contained the user');
  });

  it('refuses unknown values and empty changes', async () => {
    expect(await run(['incident', 'update', '1', '--db', db, '--status', 'done'])).toMatchObject({ code: 1, stderr: 'error: status must be one of active, inProgress, resolved (got "done")\n' });
    expect(await run(['incident', 'update', '1', '--db', db])).toMatchObject({ code: 1 });
    expect((await run(['incident', 'update', '1', '--db', db])).stderr).toContain('nothing to change');
    expect(await run(['incident', 'update', '7', '--db', db, '--comment', 'x'])).toMatchObject({ code: 1, stderr: 'error: no incident 7\n' });
    expect(await run(['incident', 'update', '1', '--db', db, '--assign', 'x', '--unassign'])).toMatchObject({ code: 1, stderr: 'error: give --assign or --unassign, not both\n' });
  });
});
