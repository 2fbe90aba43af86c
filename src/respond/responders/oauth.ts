// Bearer tokens for the Microsoft APIs: a token given as is, or one obtained with the OAuth 2.0
// client credentials grant from the Microsoft identity platform
// (POST {authority}/{tenant}/oauth2/v2.0/token, form: client_id, client_secret, scope, grant_type),
// kept until shortly before it expires.
import type { Credentials } from './config.js';
import { failure, joinUrl, send } from './http.js';

export type TokenResult = { readonly token: string } | { readonly error: string };

export class TokenSource {
  private cached: { token: string; until: number } | null = null;

  constructor(private readonly creds: Credentials, private readonly what: string, private readonly timeoutMs: number) {}

  /** Whether any credential is configured. */
  get configured(): boolean {
    return !!this.creds.token || !!(this.creds.tenantId && this.creds.clientId && this.creds.clientSecret);
  }

  async get(): Promise<TokenResult> {
    const c = this.creds;
    if (c.token) return { token: c.token };
    if (!c.tenantId || !c.clientId || !c.clientSecret) {
      return { error: `no credentials for ${this.what}: set a bearer token or tenantId, clientId and clientSecret (environment or a 0600 config file)` };
    }
    if (this.cached && Date.now() < this.cached.until) return { token: this.cached.token };
    const res = await send({
      method: 'POST',
      url: joinUrl(c.authorityUrl, `${encodeURIComponent(c.tenantId)}/oauth2/v2.0/token`),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ client_id: c.clientId, client_secret: c.clientSecret, scope: c.scope, grant_type: 'client_credentials' }).toString(),
      timeoutMs: this.timeoutMs,
    });
    if (!res.ok) return { error: failure(`token request for ${this.what}`, res) };
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      return { error: `token request for ${this.what}: the answer is not JSON` };
    }
    if (typeof body.access_token !== 'string' || !body.access_token) return { error: `token request for ${this.what}: no access_token in the answer` };
    const life = Number(body.expires_in) > 0 ? Number(body.expires_in) : 3600;
    this.cached = { token: body.access_token, until: Date.now() + Math.max(0, life - 120) * 1000 };
    return { token: body.access_token };
  }
}
