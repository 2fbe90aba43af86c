// Running KQL: POST /api/query answers with the CLI's JSON form; DELETE /api/query/{id} cancels.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MAX_QUERY_CHARS } from '../../engine.js';
import type { ServerContext } from '../context.js';
import { notFound } from '../errors.js';
import type { QueryRequest } from '../query-runner.js';

const QUERY_ID = '^[A-Za-z0-9_.:-]{1,100}$';

export function registerQueryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { limits } = ctx.runner;
  app.post<{ Body: QueryRequest }>('/api/query', {
    schema: {
      tags: ['hunting'],
      summary: 'Run a KQL query (advanced hunting)',
      description: `Runs the query on its own connection with a time limit (default ${limits.defaultTimeoutMs / 1000} s, at most ${limits.maxTimeoutMs / 1000} s) `
        + `and a row cap (default ${limits.defaultMaxRows}, at most ${limits.maxRows}; stats.truncated says whether rows were left out). `
        + 'Errors: 400 kql (with line and column) or execution, 408 timeout, 409 cancelled.',
      body: {
        type: 'object',
        required: ['query'],
        additionalProperties: false,
        properties: {
          query: { type: 'string', minLength: 1, maxLength: MAX_QUERY_CHARS },
          timeoutMs: { type: 'integer', minimum: 1 },
          maxRows: { type: 'integer', minimum: 0 },
          queryId: { type: 'string', pattern: QUERY_ID, description: 'Names the query so DELETE /api/query/{queryId} can cancel it' },
          now: { type: 'string', maxLength: 40, description: 'The instant now() and ago() refer to, ISO-8601 (default: serve --now, else the current time)' },
        },
      },
    },
  }, async (request, reply) => {
    const queryId = request.body.queryId ?? randomUUID();
    // A client that goes away cancels its query (as closing the hunting tab does).
    reply.raw.once('close', () => { if (!reply.raw.writableFinished) ctx.runner.cancel(queryId); });
    return ctx.runner.run({ ...request.body, queryId });
  });

  app.delete<{ Params: { queryId: string } }>('/api/query/:queryId', {
    schema: {
      tags: ['hunting'],
      summary: 'Cancel a running query',
      params: { type: 'object', properties: { queryId: { type: 'string', pattern: QUERY_ID } }, required: ['queryId'] },
    },
  }, async request => {
    if (!ctx.runner.cancel(request.params.queryId)) throw notFound(`running query ${request.params.queryId}`);
    return { cancelled: true };
  });
}
