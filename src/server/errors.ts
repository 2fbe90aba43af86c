// Every API error is JSON: {"error": {"code", "message", ...details}} with an HTTP status.
import type { FastifyError, FastifyInstance } from 'fastify';
import { KqlError } from '../kql/diagnostics.js';
import { QueryExecutionError } from '../engine.js';
import { IncidentError } from '../incidents/store.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const badRequest = (message: string) => new ApiError(400, 'bad_request', message);

/** The JSON body and status for any error a route throws. */
export function errorBody(e: unknown): { status: number; body: { error: Record<string, unknown> } } {
  if (e instanceof ApiError) return { status: e.status, body: { error: { code: e.code, message: e.message, ...e.details } } };
  if (e instanceof KqlError) {
    const first = e.diagnostics[0];
    return {
      status: 400,
      body: {
        error: {
          code: 'kql', message: first ? `${first.line}:${first.column}: ${first.message}` : e.message,
          line: first?.line ?? null, column: first?.column ?? null, kqlCode: first?.code ?? null,
          diagnostics: e.diagnostics.map(d => ({ code: d.code, message: d.message, line: d.line, column: d.column })),
        },
      },
    };
  }
  if (e instanceof QueryExecutionError) return { status: 400, body: { error: { code: 'execution', message: e.message } } };
  if (e instanceof IncidentError) return { status: /^no incident/.test(e.message) ? 404 : 400, body: { error: { code: 'incident', message: e.message } } };
  const fe = e as Partial<FastifyError> & { statusCode?: number };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own: body too large, bad JSON, schema validation, unsupported media type.
    const code = fe.statusCode === 413 ? 'too_large' : fe.validation ? 'invalid_request' : fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(fe.message ?? '') ? 'bad_json' : 'bad_request';
    return { status: fe.statusCode, body: { error: { code, message: fe.message ?? 'bad request' } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } } };
}

/** JSON errors; with `spaIndex`, GETs of unknown non-API paths answer the console's index page. */
export function installErrorHandlers(app: FastifyInstance, spaIndex: boolean): void {
  app.setErrorHandler((e, request, reply) => {
    const { status, body } = errorBody(e);
    if (status >= 500) request.log.error(e);
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    if (spaIndex && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
