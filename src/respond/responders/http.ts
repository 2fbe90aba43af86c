// One HTTP request with a time limit; every outcome (network error, timeout, non-2xx) is a value.
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly text: string;
  /** Set when no response came (network error, timeout). */
  readonly error?: string;
}

export async function send(req: HttpRequest): Promise<HttpResponse> {
  try {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(req.timeoutMs), redirect: 'manual' });
    const text = await res.text();
    return { ok: res.status >= 200 && res.status < 300, status: res.status, text };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${req.timeoutMs} ms` : err.cause?.code ?? err.cause?.message ?? err.message;
    return { ok: false, status: 0, text: '', error: why };
  }
}

/** A short account of a failed response for the action's record. */
export function failure(what: string, res: HttpResponse): string {
  if (res.error) return `${what}: ${res.error}`;
  const body = res.text.replace(/\s+/g, ' ').trim();
  return `${what}: HTTP ${res.status}${body ? ` ${body.length > 300 ? body.slice(0, 300) + '…' : body}` : ''}`;
}

/** Joins a base URL and a path without doubling or dropping slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
