// The hunting pack (the seed's A–K) and the analyst's saved queries, for the editor's side panel.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadHuntingPack } from '../../content/hunting.js';
import type { ServerContext } from '../context.js';
import { notFound } from '../errors.js';
import { MAX_QUERY_CHARS } from '../../engine.js';

export const SAVED_QUERIES_TABLE = '_chainhunt_saved_queries';

async function ensureSavedQueries(store: { sql: (s: string, p?: readonly (string | number | null)[]) => Promise<unknown[][]> }): Promise<void> {
  await store.sql(`CREATE TABLE IF NOT EXISTS ${SAVED_QUERIES_TABLE} (Id VARCHAR PRIMARY KEY, Name VARCHAR NOT NULL, Query VARCHAR NOT NULL, CreatedTime VARCHAR NOT NULL)`);
}

export function registerHuntingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/hunting', {
    schema: { tags: ['hunting'], summary: "The hunting pack: the seed's queries A–K with their metadata" },
  }, async () => ({
    queries: loadHuntingPack().map(q => ({
      name: q.name, title: q.title, letter: q.section, stages: q.stages, techniques: q.techniques, tables: q.tables,
      ...(q.added ? { added: q.added } : {}), query: q.query,
    })),
  }));

  app.get('/api/saved-queries', {
    schema: { tags: ['hunting'], summary: 'Saved queries, newest first' },
  }, async () => ctx.withSession(async s => {
    await ensureSavedQueries(s.store);
    const rows = await s.store.sql(`SELECT Id, Name, Query, CreatedTime FROM ${SAVED_QUERIES_TABLE} ORDER BY CreatedTime DESC, Id`);
    return { queries: rows.map(r => ({ id: String(r[0]), name: String(r[1]), query: String(r[2]), createdTime: String(r[3]) })) };
  }));

  app.post<{ Body: { name: string; query: string } }>('/api/saved-queries', {
    schema: {
      tags: ['hunting'],
      summary: 'Save a query',
      body: {
        type: 'object', required: ['name', 'query'], additionalProperties: false,
        properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, query: { type: 'string', minLength: 1, maxLength: MAX_QUERY_CHARS } },
      },
    },
  }, async (request, reply) => ctx.exclusive(async s => {
    await ensureSavedQueries(s.store);
    const saved = { id: randomUUID(), name: request.body.name.trim(), query: request.body.query, createdTime: new Date().toISOString() };
    await s.store.sql(`INSERT INTO ${SAVED_QUERIES_TABLE} VALUES ($1, $2, $3, $4)`, [saved.id, saved.name, saved.query, saved.createdTime]);
    void reply.status(201);
    return { query: saved };
  }));

  app.delete<{ Params: { id: string } }>('/api/saved-queries/:id', {
    schema: { tags: ['hunting'], summary: 'Delete a saved query', params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
  }, async request => ctx.exclusive(async s => {
    await ensureSavedQueries(s.store);
    const rows = await s.store.sql(`DELETE FROM ${SAVED_QUERIES_TABLE} WHERE Id = $1 RETURNING Id`, [request.params.id]);
    if (rows.length === 0) throw notFound(`saved query ${request.params.id}`);
    return { deleted: true };
  }));
}
