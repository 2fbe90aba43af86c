import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicies } from '../../src/respond/policies.js';
import { planIncident } from '../../src/respond/engine.js';
import { createResponders, DryRunResponder, GraphResponder, loadResponderConfig, MdeResponder, WebhookResponder, type ResolvedAction } from '../../src/respond/responders/index.js';
import { alert, incident, VICTIM } from './helpers.js';
import { TestServer } from './http-server.js';

const seed = loadPolicies().find(p => p.id === 'remote-assist-then-winrm')!;
const a2 = alert({ id: 'qa', stages: [2], at: '2026-03-09T10:00:00Z', user: VICTIM, devices: ['ws-0001.corp.contoso.com'] });
const a7 = alert({ id: 'winrm', stages: [7], at: '2026-03-09T10:20:00Z', user: { sid: VICTIM.sid }, devices: ['ws-0001.corp.contoso.com', 'dc01.corp.contoso.com'] });
const plan = planIncident(incident('inc-7', [a2, a7]), [a2, a7], [seed]);
const MACHINE = '9a1f0c6e4b2d7e8f9a0b1c2d3e4f5a6b7c8d9e0f';
const resolved = (type: string, over?: Partial<ResolvedAction>): ResolvedAction => {
  const p = plan.find(x => x.type === type)!;
  const target = p.target.kind === 'device' ? { kind: 'device' as const, device: { name: p.target.device.name, id: MACHINE } } : p.target;
  return { ...p, target, ...over };
};
const disable = resolved('disableUser');
const revoke = resolved('revokeSessions');
const isolate = resolved('isolateDevice');

let server: TestServer;
let base: string;
beforeAll(async () => {
  server = new TestServer();
  base = await server.start();
});
afterAll(async () => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  server.routes.clear();
});

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe('dry-run responder', () => {
  it('records what it would do and sends nothing', async () => {
    const r = new DryRunResponder();
    expect(await r.execute(disable)).toEqual({ status: 'dryRun', detail: `would disable the account of user ${VICTIM.upn} (object id ${VICTIM.oid}, SID ${VICTIM.sid})` });
    expect(await r.execute(isolate)).toEqual({ status: 'dryRun', detail: `would isolate device ws-0001.corp.contoso.com (machine id ${MACHINE})` });
    expect(server.requests).toEqual([]);
  });
});

describe('webhook responder', () => {
  const SECRET = 'whsec-test-4f1c9a';
  const config = () => loadResponderConfig(undefined, env({ CHAINHUNT_WEBHOOK_URL: `${base}/hooks/chainhunt`, CHAINHUNT_WEBHOOK_SECRET: SECRET }));

  it('POSTs the action as JSON signed with HMAC-SHA256 of the body', async () => {
    server.routes.set('POST /hooks/chainhunt', { status: 202 });
    const r = new WebhookResponder(config(), () => new Date('2026-03-09T10:20:05.000Z'));
    expect(await r.execute(disable)).toEqual({ status: 'succeeded', detail: `webhook POST ${base}/hooks/chainhunt: HTTP 202` });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/hooks/chainhunt');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-chainhunt-action-id']).toBe(disable.id);
    expect(req.headers['x-chainhunt-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(req.body).digest('hex')}`);
    expect(JSON.parse(req.body)).toEqual({
      type: 'chainhunt.responseAction',
      actionId: disable.id,
      action: 'disableUser',
      target: { kind: 'user', objectId: VICTIM.oid, upn: VICTIM.upn, sid: VICTIM.sid, name: VICTIM.name, domain: null },
      entity: { kind: 'userObjectId', value: VICTIM.oid },
      incidentId: 'inc-7',
      policy: { id: 'remote-assist-then-winrm', name: 'Remote assistance followed by WinRM lateral movement', version: '1', hash: seed.hash },
      timestamp: '2026-03-09T10:20:00Z',
      trigger: { alertIds: ['qa', 'winrm'], event: { table: 'DeviceProcessEvents', reportId: 'winrm-r1', timestamp: '2026-03-09T10:20:00Z', deviceName: 'ws-0001.corp.contoso.com' } },
      originDevice: 'ws-0001.corp.contoso.com',
      sentAt: '2026-03-09T10:20:05.000Z',
    });
  });

  it('records failures (HTTP errors, refused connections, timeouts, missing settings) as failed actions', async () => {
    server.routes.set('POST /hooks/chainhunt', { status: 500, body: { error: 'boom' } });
    expect(await new WebhookResponder(config()).execute(disable)).toEqual({ status: 'failed', detail: `webhook POST ${base}/hooks/chainhunt: HTTP 500 {"error":"boom"}` });

    const closed = new TestServer();
    const closedBase = await closed.start();
    await closed.stop();
    const refused = await new WebhookResponder(loadResponderConfig(undefined, env({ CHAINHUNT_WEBHOOK_URL: `${closedBase}/x`, CHAINHUNT_WEBHOOK_SECRET: SECRET }))).execute(disable);
    expect(refused).toEqual({ status: 'failed', detail: `webhook POST ${closedBase}/x: ECONNREFUSED` });

    server.routes.set('POST /slow', 'hang');
    const cfg = { ...loadResponderConfig(undefined, env({ CHAINHUNT_WEBHOOK_URL: `${base}/slow`, CHAINHUNT_WEBHOOK_SECRET: SECRET })), timeoutMs: 200 };
    expect(await new WebhookResponder(cfg).execute(disable)).toEqual({ status: 'failed', detail: `webhook POST ${base}/slow: no answer within 200 ms` });

    expect(await new WebhookResponder(loadResponderConfig(undefined, env({ CHAINHUNT_WEBHOOK_URL: `${base}/hooks/chainhunt` }))).execute(disable))
      .toEqual({ status: 'failed', detail: 'webhook: no signing secret configured (CHAINHUNT_WEBHOOK_SECRET or webhook.secret in a 0600 config file)' });
    expect(await new WebhookResponder(loadResponderConfig(undefined, env({}))).execute(disable))
      .toEqual({ status: 'failed', detail: 'webhook: no URL configured (CHAINHUNT_WEBHOOK_URL or webhook.url in the config file)' });
  });
});

describe('Microsoft Graph responder', () => {
  it('disables the account (PATCH accountEnabled=false) and revokes sessions with a bearer token', async () => {
    server.routes.set(`PATCH /v1.0/users/${VICTIM.oid}`, { status: 204 });
    server.routes.set(`POST /v1.0/users/${VICTIM.oid}/revokeSignInSessions`, { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean', value: true } });
    const r = new GraphResponder(loadResponderConfig(undefined, env({ CHAINHUNT_GRAPH_URL: `${base}/v1.0`, CHAINHUNT_GRAPH_TOKEN: 'graph-token-1' })));
    expect(r.supports('disableUser') && r.supports('revokeSessions') && !r.supports('isolateDevice')).toBe(true);
    expect(await r.execute(disable)).toEqual({ status: 'succeeded', detail: `graph PATCH ${base}/v1.0/users/${VICTIM.oid} accountEnabled=false: HTTP 204` });
    expect(await r.execute(revoke)).toEqual({ status: 'succeeded', detail: `graph POST ${base}/v1.0/users/${VICTIM.oid}/revokeSignInSessions: HTTP 200` });
    const [patch, post] = server.requests;
    expect([patch!.method, patch!.path, patch!.headers.authorization, patch!.headers['content-type'], JSON.parse(patch!.body)])
      .toEqual(['PATCH', `/v1.0/users/${VICTIM.oid}`, 'Bearer graph-token-1', 'application/json', { accountEnabled: false }]);
    expect([post!.method, post!.path, post!.headers.authorization, post!.body]).toEqual(['POST', `/v1.0/users/${VICTIM.oid}/revokeSignInSessions`, 'Bearer graph-token-1', '']);
  });

  it('falls back to the UPN, and fails without an object id or UPN', async () => {
    server.routes.set(`PATCH /v1.0/users/${encodeURIComponent(VICTIM.upn)}`, { status: 204 });
    const r = new GraphResponder(loadResponderConfig(undefined, env({ CHAINHUNT_GRAPH_URL: `${base}/v1.0`, CHAINHUNT_GRAPH_TOKEN: 't' })));
    const byUpn = { ...disable, target: { kind: 'user' as const, user: { upn: VICTIM.upn, sid: VICTIM.sid } } };
    expect((await r.execute(byUpn)).status).toBe('succeeded');
    expect(server.requests[0]!.path).toBe('/v1.0/users/jdoe%40contoso.com');
    const bySid = { ...disable, target: { kind: 'user' as const, user: { sid: VICTIM.sid } } };
    expect(await r.execute(bySid)).toEqual({ status: 'failed', detail: `graph: no Entra object id or UPN known for ${VICTIM.sid}` });
    server.routes.set(`POST /v1.0/users/${VICTIM.oid}/revokeSignInSessions`, { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } });
    expect(await r.execute(revoke)).toEqual({
      status: 'failed',
      detail: `graph POST ${base}/v1.0/users/${VICTIM.oid}/revokeSignInSessions: HTTP 403 {"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`,
    });
  });

  it('gets a token with client credentials once and reuses it', async () => {
    server.routes.set('POST /tenant-1/oauth2/v2.0/token', { status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: 'cc-token' } });
    server.routes.set(`PATCH /v1.0/users/${VICTIM.oid}`, { status: 204 });
    server.routes.set(`POST /v1.0/users/${VICTIM.oid}/revokeSignInSessions`, { status: 200, body: { value: true } });
    const r = new GraphResponder(loadResponderConfig(undefined, env({
      CHAINHUNT_GRAPH_URL: `${base}/v1.0`, CHAINHUNT_AUTHORITY_URL: base, CHAINHUNT_TENANT_ID: 'tenant-1', CHAINHUNT_CLIENT_ID: 'app-1', CHAINHUNT_CLIENT_SECRET: 's3cr3t',
    })));
    expect((await r.execute(disable)).status).toBe('succeeded');
    expect((await r.execute(revoke)).status).toBe('succeeded');
    expect(server.requests.map(q => `${q.method} ${q.path}`)).toEqual(['POST /tenant-1/oauth2/v2.0/token', `PATCH /v1.0/users/${VICTIM.oid}`, `POST /v1.0/users/${VICTIM.oid}/revokeSignInSessions`]);
    const tok = server.requests[0]!;
    expect(tok.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tok.body))).toEqual({ client_id: 'app-1', client_secret: 's3cr3t', scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' });
    expect(server.requests[1]!.headers.authorization).toBe('Bearer cc-token');
    expect(server.requests[2]!.headers.authorization).toBe('Bearer cc-token');
  });

  it('fails without credentials, and when the token request fails', async () => {
    const none = new GraphResponder(loadResponderConfig(undefined, env({ CHAINHUNT_GRAPH_URL: `${base}/v1.0` })));
    expect(await none.execute(disable)).toEqual({ status: 'failed', detail: 'graph: no credentials for Microsoft Graph: set a bearer token or tenantId, clientId and clientSecret (environment or a 0600 config file)' });
    server.routes.set('POST /tenant-1/oauth2/v2.0/token', { status: 401, body: { error: 'invalid_client' } });
    const bad = new GraphResponder(loadResponderConfig(undefined, env({ CHAINHUNT_GRAPH_URL: `${base}/v1.0`, CHAINHUNT_AUTHORITY_URL: base, CHAINHUNT_TENANT_ID: 'tenant-1', CHAINHUNT_CLIENT_ID: 'a', CHAINHUNT_CLIENT_SECRET: 'wrong' })));
    expect(await bad.execute(disable)).toEqual({ status: 'failed', detail: `graph: token request for Microsoft Graph: HTTP 401 {"error":"invalid_client"}` });
    expect(server.requests.map(q => q.path)).toEqual(['/tenant-1/oauth2/v2.0/token']);
  });
});

describe('Defender for Endpoint responder', () => {
  it('isolates the machine by its DeviceId', async () => {
    server.routes.set(`POST /api/machines/${MACHINE}/isolate`, { status: 201, body: { id: 'b89eb834-4578-496c-8be0-03f004061435', type: 'Isolate', status: 'Pending', machineId: MACHINE } });
    const r = new MdeResponder(loadResponderConfig(undefined, env({ CHAINHUNT_MDE_URL: base, CHAINHUNT_MDE_TOKEN: 'mde-token' })));
    expect(r.supports('isolateDevice') && !r.supports('disableUser')).toBe(true);
    expect(await r.execute(isolate)).toEqual({ status: 'succeeded', detail: `mde POST ${base}/api/machines/${MACHINE}/isolate: HTTP 201, machine action b89eb834-4578-496c-8be0-03f004061435 (Pending)` });
    const req = server.requests[0]!;
    expect([req.method, req.path, req.headers.authorization, req.headers['content-type']]).toEqual(['POST', `/api/machines/${MACHINE}/isolate`, 'Bearer mde-token', 'application/json']);
    expect(JSON.parse(req.body)).toEqual({
      Comment: 'chainhunt attack disruption: policy remote-assist-then-winrm (Remote assistance followed by WinRM lateral movement) on incident inc-7, triggered by evidence at 2026-03-09T10:20:00Z',
      IsolationType: 'Full',
    });
  });

  it('fails without a machine id or on an API error', async () => {
    const r = new MdeResponder(loadResponderConfig(undefined, env({ CHAINHUNT_MDE_URL: base, CHAINHUNT_MDE_TOKEN: 'mde-token' })));
    const noId = { ...isolate, target: { kind: 'device' as const, device: { name: 'ws-0001.corp.contoso.com' } } };
    expect(await r.execute(noId)).toEqual({ status: 'failed', detail: 'mde: no Defender machine id (DeviceId) known for ws-0001.corp.contoso.com' });
    server.routes.set(`POST /api/machines/${MACHINE}/isolate`, { status: 400, body: { error: { code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress' } } });
    expect((await r.execute(isolate)).detail).toBe(`mde POST ${base}/api/machines/${MACHINE}/isolate: HTTP 400 {"error":{"code":"ActiveRequestAlreadyExists","message":"Action is already in progress"}}`);
  });
});

describe('responder settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chainhunt-responder-config-'));
  const file = (name: string, text: string, mode: number) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    chmodSync(p, mode);
    return p;
  };

  it('refuses a config file others can read', () => {
    const p = file('open.yaml', 'webhook:\n  secret: x\n', 0o644);
    expect(() => loadResponderConfig(p, env({}))).toThrow(`the responder config ${p} has permissions 0644: it holds secrets, so only its owner may read it (run: chmod 600 ${p})`);
    const g = file('group.yaml', 'webhook:\n  secret: x\n', 0o640);
    expect(() => loadResponderConfig(g, env({}))).toThrow('has permissions 0640');
  });

  it('reads a 0600 file; the environment wins over it', () => {
    const p = file('ok.yaml', `timeout: 5s\nwebhook:\n  url: ${base}/from-file\n  secret: file-secret\ngraph:\n  baseUrl: ${base}/graph\n  token: file-token\nmde:\n  isolationType: Selective\ntenantId: t1\nclientId: c1\nclientSecret: s1\n`, 0o600);
    const c = loadResponderConfig(p, env({ CHAINHUNT_WEBHOOK_SECRET: 'env-secret' }));
    expect(c.timeoutMs).toBe(5000);
    expect(c.webhook).toEqual({ url: `${base}/from-file`, secret: 'env-secret', signatureHeader: 'X-Chainhunt-Signature' });
    expect(c.graph).toEqual({ baseUrl: `${base}/graph`, token: 'file-token', tenantId: 't1', clientId: 'c1', clientSecret: 's1', authorityUrl: 'https://login.microsoftonline.com', scope: 'https://graph.microsoft.com/.default' });
    expect(c.mde).toEqual({ baseUrl: 'https://api.security.microsoft.com', token: undefined, tenantId: 't1', clientId: 'c1', clientSecret: 's1', authorityUrl: 'https://login.microsoftonline.com', scope: 'https://api.securitycenter.microsoft.com/.default', isolationType: 'Selective' });
  });

  it('refuses unknown settings, plain http to other hosts, and unknown responders', () => {
    const p = file('typo.yaml', 'webhook:\n  secrett: x\n', 0o600);
    expect(() => loadResponderConfig(p, env({}))).toThrow(`${p}: unknown setting webhook.secrett (known: url, secret, signatureHeader)`);
    expect(() => loadResponderConfig(undefined, env({ CHAINHUNT_WEBHOOK_URL: 'http://soar.example.com/hook' }))).toThrow("the webhook URL 'http://soar.example.com/hook' must use https (plain http is allowed only to localhost)");
    expect(() => createResponders('dry-run,teams', undefined, env({}))).toThrow("unknown responder 'teams'");
    expect(createResponders('graph,mde', undefined, env({})).map(r => r.name)).toEqual(['graph', 'mde']);
  });
});
