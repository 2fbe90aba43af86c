// The Defender schema (for the editor's completion) and what the database holds (for the data page).
import type { FastifyInstance } from 'fastify';
import { DEFENDER_TABLES } from '../../schema/defender.js';
import { quoteDuckDbIdentifier as q } from '../../sql/duckdb/dialect.js';
import type { ServerContext } from '../context.js';

export function registerSchemaRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/schema', {
    schema: { tags: ['hunting'], summary: 'The Defender advanced hunting tables and their columns (Kusto types)' },
  }, async () => ({
    database: 'chainhunt',
    tables: [...DEFENDER_TABLES.values()].map(t => ({ name: t.name, columns: t.columns.map(c => ({ name: c.name, type: c.type })) })),
  }));

  app.get('/api/data', {
    schema: { tags: ['data'], summary: 'Tables that hold rows: row counts and the time range of their events' },
  }, async () => ctx.withSession(async session => {
    const present = new Set((await session.store.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")).map(r => String(r[0])));
    const tables = [];
    for (const t of DEFENDER_TABLES.values()) {
      if (!present.has(t.name)) continue;
      const hasTime = t.columns.some(c => c.name === 'Timestamp' && c.type === 'datetime');
      const [row] = await session.store.sql(hasTime
        ? `SELECT count(*), strftime(min(${q('Timestamp')}), '%Y-%m-%dT%H:%M:%S.%fZ'), strftime(max(${q('Timestamp')}), '%Y-%m-%dT%H:%M:%S.%fZ') FROM ${q(t.name)}`
        : `SELECT count(*), NULL, NULL FROM ${q(t.name)}`);
      const rowCount = Number(row![0]);
      if (rowCount === 0) continue;
      tables.push({ name: t.name, rowCount, firstTimestamp: row![1] === null ? null : String(row![1]), lastTimestamp: row![2] === null ? null : String(row![2]) });
    }
    return { tables };
  }));
}
