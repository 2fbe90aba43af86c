// Typed client for chainhunt's HTTP API. The bearer token comes from `#token=...` in the address
// (as `chainhunt serve` prints it), is kept in sessionStorage and removed from the address bar.
import type {
  Alert, DataTable, EvidenceTable, HuntingQuery, IncidentDetail, IncidentFilter, IncidentPatch,
  IncidentSummary, IngestAnswer, QueryAnswer, ResponseAction, Rule, RuleRun, SavedQuery, SchemaTable,
} from './types';

const TOKEN_KEY = 'chainhunt.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  get line(): number | undefined {
    return typeof this.details.line === 'number' ? this.details.line : undefined;
  }
  get column(): number | undefined {
    return typeof this.details.column === 'number' ? this.details.column : undefined;
  }
}

/** Take a token from `#token=...` into sessionStorage and clear it from the address bar. */
export function adoptTokenFromHash(): void {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!m) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]!));
  history.replaceState(history.state, '', location.pathname + location.search);
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

type AuthListener = () => void;
const authListeners = new Set<AuthListener>();
/** Called when the API answers 401: the console then asks for a token. */
export function onUnauthorized(fn: AuthListener): () => void {
  authListeners.add(fn);
  return () => authListeners.delete(fn);
}

async function toError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const err = (body as { error?: Record<string, unknown> } | null)?.error;
  if (err && typeof err === 'object') {
    const { code, message, ...rest } = err;
    return new ApiError(res.status, String(code ?? res.status), String(message ?? code ?? res.statusText), rest);
  }
  return new ApiError(res.status, String(res.status), res.statusText || `HTTP ${res.status}`);
}

function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  if (!res.ok) {
    const e = await toError(res);
    if (res.status === 401) authListeners.forEach(fn => fn());
    throw e;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

const enc = encodeURIComponent;

function incidentQuery(f: IncidentFilter): string {
  const p = new URLSearchParams();
  if (f.status?.length) p.set('status', f.status.join(','));
  if (f.severity?.length) p.set('severity', f.severity.join(','));
  if (f.q) p.set('q', f.q);
  if (f.sort) p.set('sort', f.sort);
  if (f.order) p.set('order', f.order);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const api = {
  health: () => request<{ status: string; version: string }>('GET', '/api/health'),
  schema: () => request<{ tables: SchemaTable[] }>('GET', '/api/schema'),
  data: () => request<{ tables: DataTable[] }>('GET', '/api/data'),

  query: (query: string, queryId: string, signal?: AbortSignal) =>
    request<QueryAnswer>('POST', '/api/query', { query, queryId }, signal),
  cancelQuery: (queryId: string) => request<{ cancelled: boolean }>('DELETE', `/api/query/${enc(queryId)}`),

  hunting: () => request<{ queries: HuntingQuery[] }>('GET', '/api/hunting'),
  savedQueries: () => request<{ queries: SavedQuery[] }>('GET', '/api/saved-queries'),
  saveQuery: (name: string, query: string) => request<{ query: SavedQuery }>('POST', '/api/saved-queries', { name, query }),
  deleteSavedQuery: (id: string) => request<unknown>('DELETE', `/api/saved-queries/${enc(id)}`),

  incidents: (f: IncidentFilter = {}) => request<{ incidents: IncidentSummary[] }>('GET', `/api/incidents${incidentQuery(f)}`),
  incident: (id: string) => request<IncidentDetail>('GET', `/api/incidents/${enc(id)}`),
  updateIncident: (id: string, patch: IncidentPatch) => request<IncidentDetail>('PATCH', `/api/incidents/${enc(id)}`, patch),
  comment: (id: string, comment: string) => request<IncidentDetail>('POST', `/api/incidents/${enc(id)}/comments`, { comment }),

  alerts: (f: { incidentId?: string; severity?: string; ruleId?: string } = {}) => {
    const p = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]).toString();
    return request<{ alerts: Alert[] }>('GET', `/api/alerts${p ? `?${p}` : ''}`);
  },
  alert: (id: string) => request<{ alert: Alert; evidence: EvidenceTable[] }>('GET', `/api/alerts/${enc(id)}`),

  rules: () => request<{ rules: Rule[] }>('GET', '/api/rules'),
  setRuleEnabled: (id: string, enabled: boolean) => request<{ rule: Rule }>('PATCH', `/api/rules/${enc(id)}`, { enabled }),
  runRule: (id: string) => request<RuleRun>('POST', `/api/rules/${enc(id)}/run`),

  actions: (incidentId?: string) =>
    request<{ actions: ResponseAction[] }>('GET', `/api/actions${incidentId ? `?incidentId=${enc(incidentId)}` : ''}`),
};

export interface UploadHandle {
  promise: Promise<IngestAnswer>;
  abort(): void;
}

/** POST /api/ingest with XMLHttpRequest, for its upload progress events. */
export function uploadFiles(files: File[], table: string | null, onProgress: (loaded: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<IngestAnswer>((resolve, reject) => {
    const form = new FormData();
    if (table) form.append('table', table);
    for (const f of files) form.append('file', f, f.name);
    xhr.open('POST', '/api/ingest');
    const token = getToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = e => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload failed (network error).'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as IngestAnswer);
      if (xhr.status === 401) authListeners.forEach(fn => fn());
      const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
      reject(new ApiError(xhr.status, String(err?.code ?? xhr.status), String(err?.message ?? (xhr.statusText || `HTTP ${xhr.status}`))));
    };
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
