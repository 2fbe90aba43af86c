// The HTTP API over a demo database: authentication, JSON errors, KQL with time limit, row cap and
// cancellation, incidents (and changes that persist), alerts with their raw rows, rules, uploads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildDemoDatabase } from '../../src/demo/build.js';
import { Engine } from '../../src/engine.js';
import { buildApp } from '../../src/server/app.js';
import type { Labels } from '../../src/simulate/labels.js';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };
let root: string;
let engine: Engine;
let app: FastifyInstance;
let labels: Labels;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'chainhunt-api-'));
  const demo = await buildDemoDatabase({ dir: root, seed: 3, devices: 30, days: 2, intrusions: 2 });
  labels = demo.labels;
  engine = await Engine.open({ path: demo.dbPath });
  app = await buildApp({ engine, dbPath: demo.dbPath, token: TOKEN, webRoot: join(root, 'no-web'), limits: { uploadBytes: 64 * 1024 } });
}, 240_000);

afterAll(async () => {
  await app?.close();
  engine?.close();
  rmSync(root, { recursive: true, force: true });
});

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: auth, payload: payload as object });

function multipart(files: { name: string; content: string | Buffer }[], fields: Record<string, string> = {}) {
  const boundary = '----chainhunt-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('authentication and errors', () => {
  it('answers health and the OpenAPI description without a token', async () => {
    expect((await app.inject('/api/health')).json()).toMatchObject({ status: 'ok' });
    const spec = (await app.inject('/api/openapi.json')).json() as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.0.3');
    for (const p of ['/api/query', '/api/query/{queryId}', '/api/incidents', '/api/incidents/{id}', '/api/incidents/{id}/comments', '/api/alerts', '/api/alerts/{id}',
      '/api/rules', '/api/rules/{id}', '/api/rules/{id}/run', '/api/ingest', '/api/actions', '/api/schema', '/api/data', '/api/hunting', '/api/saved-queries']) {
      expect(Object.keys(spec.paths)).toContain(p);
    }
  });

  it('refuses requests without a token or with a wrong one, as JSON', async () => {
    const none = await app.inject('/api/incidents');
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.json()).toEqual({ error: { code: 'unauthorized', message: 'missing bearer token: send "Authorization: Bearer <token>"' } });
    const wrong = await app.inject({ url: '/api/incidents', headers: { authorization: 'Bearer not-the-token' } });
    expect([wrong.statusCode, wrong.json().error.code, wrong.json().error.message]).toEqual([401, 'unauthorized', 'wrong bearer token']);
    const query = await app.inject({ method: 'POST', url: '/api/query', headers: { authorization: 'Basic abc' }, payload: { query: 'print 1' } });
    expect(query.statusCode).toBe(401);
  });

  it('answers bad JSON, unknown routes and invalid bodies with JSON errors', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/query', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"query":' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'bad_json']);
    const missing = await post('/api/query', { kql: 'print 1' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([400, 'invalid_request']);
    const unknown = await app.inject({ url: '/api/nothing', headers: auth });
    expect(unknown.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/nothing' } });
    const big = await app.inject({ method: 'POST', url: '/api/query', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ query: `print x = "${'a'.repeat(9 * 1024 * 1024)}"` }) });
    expect([big.statusCode, big.json().error.code]).toEqual([413, 'too_large']);
  });
});

describe('POST /api/query', () => {
  it('answers in the CLI JSON form, with render and stats', async () => {
    const r = await post('/api/query', { query: 'range i from 1 to 3 step 1 | extend t = datetime(2026-03-01) + i * 1h, s = strcat("x", i) | render timechart' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.columns).toEqual([{ name: 'i', type: 'long' }, { name: 't', type: 'datetime' }, { name: 's', type: 'string' }]);
    expect(body.rows).toEqual([[1, '2026-03-01T01:00:00.0000000Z', 'x1'], [2, '2026-03-01T02:00:00.0000000Z', 'x2'], [3, '2026-03-01T03:00:00.0000000Z', 'x3']]);
    expect(body.render).toEqual({ visualization: 'timechart', properties: {} });
    expect(body.stats).toMatchObject({ rowCount: 3, truncated: false });
  });

  it('caps the rows and says so', async () => {
    const body = (await post('/api/query', { query: 'range i from 1 to 50 step 1', maxRows: 7 })).json();
    expect([body.rows.length, body.stats.truncated, body.rows.at(-1)]).toEqual([7, true, [7]]);
  });

  it('refuses a query with errors with its line and column', async () => {
    const r = await post('/api/query', { query: 'DeviceEvents\n| where NoSuchColumn == 1' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'kql', line: 2, column: 9 });
    expect(r.json().error.message).toMatch(/NoSuchColumn/);
  });

  const slow = 'range i from 1 to 40000 step 1 | extend k = 1 | join kind=inner (range j from 1 to 40000 step 1 | extend k = 1) on k | summarize count()';

  it('stops a query that runs longer than its time limit', async () => {
    const t0 = Date.now();
    const r = await post('/api/query', { query: slow, timeoutMs: 300 });
    expect(r.statusCode).toBe(408);
    expect(r.json().error).toEqual({ code: 'timeout', message: 'the query ran longer than its time limit of 0.3 s and was stopped' });
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('cancels a running query by id', async () => {
    const running = post('/api/query', { query: slow, queryId: 'q-cancel-me' });
    await new Promise(r => setTimeout(r, 400));
    const cancel = await app.inject({ method: 'DELETE', url: '/api/query/q-cancel-me', headers: auth });
    expect(cancel.json()).toEqual({ cancelled: true });
    const r = await running;
    expect([r.statusCode, r.json().error.code]).toEqual([409, 'cancelled']);
    expect((await app.inject({ method: 'DELETE', url: '/api/query/q-cancel-me', headers: auth })).statusCode).toBe(404);
  });

  it('hunts the demo data', async () => {
    const body = (await post('/api/query', { query: 'DeviceProcessEvents | summarize n = count()' })).json();
    expect(body.rows[0][0]).toBeGreaterThan(0);
  });
});

describe('incidents', () => {
  it('lists the multi-stage incidents and tells the attack story of each intrusion', async () => {
    const list = (await app.inject({ url: '/api/incidents?sort=severity&order=desc', headers: auth })).json().incidents as { id: string; stages: number[]; users: string[]; alertCount: number }[];
    expect(list.length).toBeGreaterThan(0);
    for (const intrusion of labels.intrusions) {
      const upn = intrusion.victim.user.upn.toLowerCase();
      const mine = list.filter(i => i.users.some(u => u.toLowerCase() === upn));
      expect([intrusion.id, mine.length]).toEqual([intrusion.id, 1]);
      const story = (await app.inject({ url: `/api/incidents/${mine[0]!.id}`, headers: auth })).json();
      expect(story.stages.map((s: { stage: number }) => s.stage)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const covered = story.stages.filter((s: { covered: boolean }) => s.covered).map((s: { stage: number }) => s.stage);
      expect(covered).toEqual(story.incident.stages);
      expect(story.timeline.length).toBe(story.alerts.length);
      expect(story.graph.nodes.filter((n: { kind: string }) => n.kind === 'alert').length).toBe(story.alerts.length);
      expect(story.graph.edges.length).toBeGreaterThan(0);
    }
  });

  it('filters the queue', async () => {
    const high = (await app.inject({ url: '/api/incidents?severity=high', headers: auth })).json().incidents as { severity: string }[];
    expect(high.every(i => i.severity === 'high')).toBe(true);
    const bad = await app.inject({ url: '/api/incidents?status=open', headers: auth });
    expect([bad.statusCode, bad.json().error.message]).toEqual([400, 'status must be among active, inProgress, resolved, redirected (got "open")']);
  });

  it('keeps status, classification, assignment, tags and comments', async () => {
    const [first] = (await app.inject({ url: '/api/incidents', headers: auth })).json().incidents as { id: string }[];
    const id = first!.id;
    const patched = await app.inject({ method: 'PATCH', url: `/api/incidents/${id}`, headers: auth, payload: { status: 'inProgress', classification: 'truePositive', assignedTo: 'analyst@contoso.com', tags: ['helpdesk-lure'] } });
    expect(patched.statusCode).toBe(200);
    const comment = await post(`/api/incidents/${id}/comments`, { comment: 'Contained the user; checking the DCs.' });
    expect(comment.statusCode).toBe(201);
    const again = (await app.inject({ url: `/api/incidents/${id}`, headers: auth })).json();
    expect([again.incident.status, again.incident.classification, again.incident.assignedTo, again.incident.customTags])
      .toEqual(['inProgress', 'truePositive', 'analyst@contoso.com', ['helpdesk-lure']]);
    expect(again.incident.comments.map((c: { comment: string; createdBy: string }) => [c.comment, c.createdBy])).toEqual([['Contained the user; checking the DCs.', 'console']]);
    expect(again.history.map((h: { change: string }) => h.change)).toEqual(expect.arrayContaining(['status', 'classification', 'assignedTo', 'customTags', 'comment']));
    const bad = await app.inject({ method: 'PATCH', url: `/api/incidents/${id}`, headers: auth, payload: { status: 'closed' } });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'invalid_request']);
    expect((await app.inject({ url: '/api/incidents/no-such-id', headers: auth })).statusCode).toBe(404);
  });
});

describe('alerts, actions and rules', () => {
  it('gets from an alert to the raw rows that raised it', async () => {
    const alerts = (await app.inject({ url: '/api/alerts', headers: auth })).json().alerts as { id: string; incidentId: string | null; sourceEvents: { table: string; reportId: string }[] }[];
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every(a => a.incidentId !== null)).toBe(true);
    for (const a of alerts.slice(0, 5)) {
      const body = (await app.inject({ url: `/api/alerts/${a.id}`, headers: auth })).json();
      const rows = body.evidence.flatMap((t: { table: string; columns: { name: string }[]; rows: unknown[][] }) => {
        const rid = t.columns.findIndex(c => c.name === 'ReportId');
        return t.rows.map(r => `${t.table}:${String(r[rid])}`);
      });
      for (const s of a.sourceEvents) expect(rows).toContain(`${s.table}:${s.reportId}`);
    }
  });

  it('lists the response actions', async () => {
    const actions = (await app.inject({ url: '/api/actions', headers: auth })).json().actions as { incidentId: string; status: string }[];
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions.map(a => a.status))).toEqual(new Set(['dryRun']));
  });

  it('switches a rule off and on, persistently, and runs one now', async () => {
    const rules = (await app.inject({ url: '/api/rules', headers: auth })).json().rules as { id: string; enabled: boolean; alertCount: number }[];
    const withAlerts = rules.find(r => r.alertCount > 0)!;
    const off = await app.inject({ method: 'PATCH', url: `/api/rules/${withAlerts.id}`, headers: auth, payload: { enabled: false } });
    expect(off.json().rule.enabled).toBe(false);
    const listed = (await app.inject({ url: '/api/rules', headers: auth })).json().rules as { id: string; enabled: boolean }[];
    expect(listed.find(r => r.id === withAlerts.id)!.enabled).toBe(false);
    await app.inject({ method: 'PATCH', url: `/api/rules/${withAlerts.id}`, headers: auth, payload: { enabled: true } });
    const run = (await post(`/api/rules/${withAlerts.id}/run`, {})).json();
    expect(run).toMatchObject({ ruleId: withAlerts.id, alerts: withAlerts.alertCount, newAlerts: 0 });
    expect((await post('/api/rules/no-such-rule/run', {})).statusCode).toBe(404);
  });
});

describe('hunting pack, saved queries, schema and data', () => {
  it("serves the seed's queries A–K and saved queries", async () => {
    const pack = (await app.inject({ url: '/api/hunting', headers: auth })).json().queries as { letter: string }[];
    expect(pack.map(q => q.letter)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K']);
    const saved = await post('/api/saved-queries', { name: 'rclone', query: 'DeviceProcessEvents | where FileName =~ "rclone.exe"' });
    expect(saved.statusCode).toBe(201);
    const id = saved.json().query.id;
    expect((await app.inject({ url: '/api/saved-queries', headers: auth })).json().queries.map((q: { name: string }) => q.name)).toEqual(['rclone']);
    expect((await app.inject({ method: 'DELETE', url: `/api/saved-queries/${id}`, headers: auth })).json()).toEqual({ deleted: true });
    expect((await app.inject({ method: 'DELETE', url: `/api/saved-queries/${id}`, headers: auth })).statusCode).toBe(404);
  });

  it('describes the schema and the stored data', async () => {
    const schema = (await app.inject({ url: '/api/schema', headers: auth })).json();
    const dpe = schema.tables.find((t: { name: string }) => t.name === 'DeviceProcessEvents');
    expect(dpe.columns[0]).toEqual({ name: 'Timestamp', type: 'datetime' });
    const data = (await app.inject({ url: '/api/data', headers: auth })).json().tables as { name: string; rowCount: number; firstTimestamp: string }[];
    expect(data.find(t => t.name === 'DeviceProcessEvents')!.rowCount).toBeGreaterThan(0);
    expect(data.find(t => t.name === 'DeviceProcessEvents')!.firstTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('POST /api/ingest', () => {
  const row = (i: number) => JSON.stringify({ Timestamp: `2026-03-09T10:00:0${i}Z`, DeviceId: 'd1', DeviceName: 'upload-test.contoso.com', ActionType: 'ConnectionSuccess', RemoteIP: '10.0.0.1', RemotePort: 443, ReportId: 900 + i });
  const count = async () => (await post('/api/query', { query: 'DeviceNetworkEvents | where DeviceName == "upload-test.contoso.com" | count' })).json().rows[0][0];

  it('ingests uploaded files and reports bad records', async () => {
    const form = multipart([{ name: 'DeviceNetworkEvents.jsonl', content: `${row(1)}\n${row(2)}\nnot json\n` }]);
    const r = await app.inject({ method: 'POST', url: '/api/ingest', ...form });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.files).toEqual([expect.objectContaining({ name: 'DeviceNetworkEvents.jsonl', accepted: 2, rejected: 1 })]);
    expect(body.tables).toEqual({ DeviceNetworkEvents: { accepted: 2, rejected: 1 } });
    expect(body.quarantined).toBe(1);
    expect(await count()).toBe(2);
  });

  it('refuses an oversize upload and stores nothing of it', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => row(i % 10)).join('\n');
    const form = multipart([{ name: 'DeviceNetworkEvents.jsonl', content: lines }]);
    const r = await app.inject({ method: 'POST', url: '/api/ingest', ...form });
    expect([r.statusCode, r.json().error.code]).toEqual([413, 'too_large']);
    expect(await count()).toBe(2);
  });

  it('asks for multipart', async () => {
    const r = await post('/api/ingest', { file: 'x' });
    expect([r.statusCode, r.json().error.code]).toEqual([415, 'unsupported_media_type']);
  });
});
