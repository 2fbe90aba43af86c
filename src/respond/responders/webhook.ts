// The webhook responder: POSTs each action as JSON to a URL, signed so the receiver can check it
// came from chainhunt: header `X-Chainhunt-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed
// with the shared secret>` (the header name is configurable). `X-Chainhunt-Action-Id` carries the
// action's id, the same on every retry, so a receiver can drop duplicates.
import { createHmac } from 'node:crypto';
import { targetEntity } from '../engine.js';
import type { ResponderConfig } from './config.js';
import { failure, send } from './http.js';
import type { Responder, ResolvedAction, ResponderResult } from './types.js';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The JSON a webhook receives for an action. */
export function webhookPayload(a: ResolvedAction, sentAt: string): Record<string, unknown> {
  const target = a.target.kind === 'user'
    ? { kind: 'user', objectId: a.target.user.objectId ?? null, upn: a.target.user.upn ?? null, sid: a.target.user.sid ?? null, name: a.target.user.name ?? null, domain: a.target.user.domain ?? null }
    : { kind: 'device', name: a.target.device.name, deviceId: a.target.device.id ?? null };
  return {
    type: 'chainhunt.responseAction',
    actionId: a.id,
    action: a.type,
    target,
    entity: targetEntity(a.target),
    incidentId: a.incidentId,
    policy: { id: a.policy.id, name: a.policy.name, version: a.policy.version, hash: a.policy.hash },
    timestamp: a.timestamp,
    trigger: { alertIds: a.match.alertIds, event: a.match.event },
    originDevice: a.originDevice,
    sentAt,
  };
}

export class WebhookResponder implements Responder {
  readonly name = 'webhook';

  constructor(private readonly config: ResponderConfig, private readonly clock: () => Date = () => new Date()) {}

  supports(): boolean {
    return true;
  }

  async execute(a: ResolvedAction): Promise<ResponderResult> {
    const { url, secret, signatureHeader } = this.config.webhook;
    if (!url) return { status: 'failed', detail: 'webhook: no URL configured (CHAINHUNT_WEBHOOK_URL or webhook.url in the config file)' };
    if (!secret) return { status: 'failed', detail: 'webhook: no signing secret configured (CHAINHUNT_WEBHOOK_SECRET or webhook.secret in a 0600 config file)' };
    const body = JSON.stringify(webhookPayload(a, this.clock().toISOString()));
    const res = await send({
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'chainhunt', 'X-Chainhunt-Action-Id': a.id, [signatureHeader]: signBody(secret, body) },
      body,
      timeoutMs: this.config.timeoutMs,
    });
    if (!res.ok) return { status: 'failed', detail: failure(`webhook POST ${url}`, res) };
    return { status: 'succeeded', detail: `webhook POST ${url}: HTTP ${res.status}` };
  }
}
