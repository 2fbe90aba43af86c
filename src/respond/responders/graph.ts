// Microsoft Graph (Entra ID) for user containment:
//   disableUser:    PATCH {base}/users/{id | userPrincipalName}   {"accountEnabled": false}   → 204
//   revokeSessions: POST  {base}/users/{id | userPrincipalName}/revokeSignInSessions           → 200 {"value": true}
// (base: https://graph.microsoft.com/v1.0 by default). Needs User.EnableDisableAccount.All and
// User.RevokeSessions.All (or User.ReadWrite.All) as application permissions.
import type { ActionType } from '../policies.js';
import type { ResponderConfig } from './config.js';
import { failure, joinUrl, send } from './http.js';
import { TokenSource } from './oauth.js';
import type { Responder, ResolvedAction, ResponderResult } from './types.js';

export class GraphResponder implements Responder {
  readonly name = 'graph';
  private readonly tokens: TokenSource;

  constructor(private readonly config: ResponderConfig) {
    this.tokens = new TokenSource(config.graph, 'Microsoft Graph', config.timeoutMs);
  }

  supports(type: ActionType): boolean {
    return type === 'disableUser' || type === 'revokeSessions';
  }

  async execute(a: ResolvedAction): Promise<ResponderResult> {
    if (a.target.kind !== 'user') return { status: 'failed', detail: `graph: ${a.type} needs a user` };
    const u = a.target.user;
    const id = u.objectId ?? u.upn;
    if (!id) return { status: 'failed', detail: `graph: no Entra object id or UPN known for ${u.sid ?? u.name ?? 'the user'}` };
    const token = await this.tokens.get();
    if ('error' in token) return { status: 'failed', detail: `graph: ${token.error}` };
    const base = this.config.graph.baseUrl;
    const auth = { Authorization: `Bearer ${token.token}`, Accept: 'application/json' };
    if (a.type === 'disableUser') {
      const url = joinUrl(base, `users/${encodeURIComponent(id)}`);
      const res = await send({ method: 'PATCH', url, headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ accountEnabled: false }), timeoutMs: this.config.timeoutMs });
      if (!res.ok) return { status: 'failed', detail: failure(`graph PATCH ${url}`, res) };
      return { status: 'succeeded', detail: `graph PATCH ${url} accountEnabled=false: HTTP ${res.status}` };
    }
    const url = joinUrl(base, `users/${encodeURIComponent(id)}/revokeSignInSessions`);
    const res = await send({ method: 'POST', url, headers: auth, timeoutMs: this.config.timeoutMs });
    if (!res.ok) return { status: 'failed', detail: failure(`graph POST ${url}`, res) };
    try {
      const body = JSON.parse(res.text || '{}') as { value?: unknown };
      if (body.value === false) return { status: 'failed', detail: `graph POST ${url}: HTTP ${res.status}, value false (sessions not revoked)` };
    } catch {
      // a 2xx without JSON still means the request was accepted
    }
    return { status: 'succeeded', detail: `graph POST ${url}: HTTP ${res.status}` };
  }
}
