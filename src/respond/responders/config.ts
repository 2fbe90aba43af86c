// Responder settings and secrets. Secrets (the webhook's signing secret, bearer tokens, client
// credentials) come from environment variables or from a config file that only its owner can read
// (mode 0600 or stricter): chainhunt refuses any other file. Nothing secret is ever taken from the
// command line, where other users of the machine can see it (ps, shell history).
import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../policies.js';

export class ResponderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponderConfigError';
  }
}

export interface Credentials {
  /** A bearer token to send as is. */
  readonly token?: string;
  /** Or client credentials, exchanged for a token at the authority. */
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly authorityUrl: string;
  readonly scope: string;
}

export interface WebhookConfig {
  readonly url?: string;
  readonly secret?: string;
  /** Header carrying `sha256=<hex HMAC-SHA256 of the body>`. */
  readonly signatureHeader: string;
}

export interface ResponderConfig {
  readonly timeoutMs: number;
  readonly webhook: WebhookConfig;
  readonly graph: Credentials & { readonly baseUrl: string };
  readonly mde: Credentials & { readonly baseUrl: string; readonly isolationType: 'Full' | 'Selective' };
  /** Where the settings came from, for messages. */
  readonly source: string;
}

export const DEFAULTS = {
  graphBaseUrl: 'https://graph.microsoft.com/v1.0',
  graphScope: 'https://graph.microsoft.com/.default',
  mdeBaseUrl: 'https://api.security.microsoft.com',
  mdeScope: 'https://api.securitycenter.microsoft.com/.default',
  authorityUrl: 'https://login.microsoftonline.com',
  signatureHeader: 'X-Chainhunt-Signature',
  timeoutMs: 10_000,
} as const;

/** The environment variables read (each overrides the config file's value). */
export const ENV = {
  webhookUrl: 'CHAINHUNT_WEBHOOK_URL',
  webhookSecret: 'CHAINHUNT_WEBHOOK_SECRET',
  graphUrl: 'CHAINHUNT_GRAPH_URL',
  graphToken: 'CHAINHUNT_GRAPH_TOKEN',
  mdeUrl: 'CHAINHUNT_MDE_URL',
  mdeToken: 'CHAINHUNT_MDE_TOKEN',
  tenantId: 'CHAINHUNT_TENANT_ID',
  clientId: 'CHAINHUNT_CLIENT_ID',
  clientSecret: 'CHAINHUNT_CLIENT_SECRET',
  authorityUrl: 'CHAINHUNT_AUTHORITY_URL',
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

const SECTION_KEYS: Record<string, Set<string>> = {
  '': new Set(['webhook', 'graph', 'mde', 'tenantId', 'clientId', 'clientSecret', 'authorityUrl', 'timeout']),
  webhook: new Set(['url', 'secret', 'signatureHeader']),
  graph: new Set(['baseUrl', 'token', 'tenantId', 'clientId', 'clientSecret', 'authorityUrl', 'scope']),
  mde: new Set(['baseUrl', 'token', 'tenantId', 'clientId', 'clientSecret', 'authorityUrl', 'scope', 'isolationType']),
};

/** Reads a config file, refusing one that users other than its owner can read or write. */
export function readConfigFile(path: string): Obj {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new ResponderConfigError(`cannot read the responder config ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!st.isFile()) throw new ResponderConfigError(`the responder config ${path} is not a file`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new ResponderConfigError(`the responder config ${path} has permissions ${mode}: it holds secrets, so only its owner may read it (run: chmod 600 ${path})`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ResponderConfigError(`${path}: not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (raw === null || raw === undefined) return {};
  if (!isObj(raw)) throw new ResponderConfigError(`${path}: the responder config must be a mapping (webhook, graph, mde, ...)`);
  for (const [section, keys] of Object.entries(SECTION_KEYS)) {
    const obj = section ? raw[section] : raw;
    if (obj === undefined || obj === null) continue;
    if (!isObj(obj)) throw new ResponderConfigError(`${path}: ${section} must be a mapping`);
    for (const k of Object.keys(obj)) {
      if (!keys.has(k)) throw new ResponderConfigError(`${path}: unknown setting ${section ? `${section}.` : ''}${k} (known: ${[...keys].join(', ')})`);
      const v = obj[k];
      const nested = section === '' && ['webhook', 'graph', 'mde'].includes(k);
      if (!nested && v !== null && typeof v !== 'string' && typeof v !== 'number') {
        throw new ResponderConfigError(`${path}: ${section ? `${section}.` : ''}${k} must be a string`);
      }
    }
  }
  return raw;
}

/** An http(s) URL; plain http only to this machine (a token must not cross the network in clear). */
function checkUrl(what: string, url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ResponderConfigError(`${what} '${url}' is not a URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new ResponderConfigError(`${what} '${url}' must use https (plain http is allowed only to localhost)`);
  }
  return url.replace(/\/+$/, '');
}

/**
 * The responder settings from a config file (optional) and the environment. Environment variables
 * win over the file. Missing secrets are not an error here: a responder that needs one says so.
 */
export function loadResponderConfig(file?: string, env: NodeJS.ProcessEnv = process.env): ResponderConfig {
  const raw = file ? readConfigFile(file) : {};
  const sec = (name: string): Obj => (isObj(raw[name]) ? (raw[name] as Obj) : {});
  const s = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
  const e = (name: string): string | undefined => s(env[name]);
  const authority = e(ENV.authorityUrl) ?? s(raw.authorityUrl);
  const creds = (o: Obj, tokenEnv: string, scope: string, what: string): Credentials => ({
    token: e(tokenEnv) ?? s(o.token),
    tenantId: e(ENV.tenantId) ?? s(o.tenantId) ?? s(raw.tenantId),
    clientId: e(ENV.clientId) ?? s(o.clientId) ?? s(raw.clientId),
    clientSecret: e(ENV.clientSecret) ?? s(o.clientSecret) ?? s(raw.clientSecret),
    authorityUrl: checkUrl(`${what} authority URL`, authority ?? s(o.authorityUrl)) ?? DEFAULTS.authorityUrl,
    scope: s(o.scope) ?? scope,
  });
  let timeoutMs: number = DEFAULTS.timeoutMs;
  if (raw.timeout !== undefined && raw.timeout !== null) {
    const t = parseDuration(String(raw.timeout));
    if (t === null || t <= 0) throw new ResponderConfigError(`${file}: timeout '${String(raw.timeout)}' is not a duration such as 10s`);
    timeoutMs = t;
  }
  const w = sec('webhook');
  const g = sec('graph');
  const m = sec('mde');
  const isolationType = s(m.isolationType) ?? 'Full';
  if (isolationType !== 'Full' && isolationType !== 'Selective') throw new ResponderConfigError(`${file}: mde.isolationType must be Full or Selective`);
  return {
    timeoutMs,
    webhook: {
      url: checkUrl('the webhook URL', e(ENV.webhookUrl) ?? s(w.url)),
      secret: e(ENV.webhookSecret) ?? s(w.secret),
      signatureHeader: s(w.signatureHeader) ?? DEFAULTS.signatureHeader,
    },
    graph: { ...creds(g, ENV.graphToken, DEFAULTS.graphScope, 'the Graph'), baseUrl: checkUrl('the Graph base URL', e(ENV.graphUrl) ?? s(g.baseUrl)) ?? DEFAULTS.graphBaseUrl },
    mde: { ...creds(m, ENV.mdeToken, DEFAULTS.mdeScope, 'the Defender for Endpoint'), baseUrl: checkUrl('the Defender for Endpoint base URL', e(ENV.mdeUrl) ?? s(m.baseUrl)) ?? DEFAULTS.mdeBaseUrl, isolationType },
    source: file ?? 'environment',
  };
}
