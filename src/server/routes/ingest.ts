// Upload telemetry files (any format `chainhunt ingest` reads, gzip too) into the database.
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { DEFENDER_TABLES } from '../../schema/defender.js';
import { ingest } from '../../ingest/ingest.js';
import type { ServerContext } from '../context.js';
import { ApiError, badRequest } from '../errors.js';

/** A file name safe to write in our own temporary folder (the table may be read off it). */
function safeName(name: string): string {
  const base = basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return base || `upload-${randomUUID()}`;
}

export function registerIngestRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/api/ingest', {
    schema: {
      tags: ['data'],
      summary: 'Upload telemetry files and ingest them',
      description: 'multipart/form-data with one or more `file` parts (streaming API records, advanced hunting JSON or CSV exports, NDJSON rows; .gz too) '
        + `and an optional \`table\` field naming the table of CSV/NDJSON files whose names do not. Each file is at most ${Math.round(ctx.limits.uploadBytes / 1024 / 1024)} MB (413 beyond). `
        + 'Rejected records go to the quarantine file, as with `chainhunt ingest`.',
      consumes: ['multipart/form-data'],
    },
  }, async request => {
    if (!request.isMultipart()) throw new ApiError(415, 'unsupported_media_type', 'send the files as multipart/form-data');
    const dir = mkdtempSync(join(tmpdir(), 'chainhunt-upload-'));
    try {
      const files: { path: string; name: string }[] = [];
      let table: string | undefined;
      const used = new Set<string>();
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          if (part.fieldname === 'table' && typeof part.value === 'string' && part.value.trim()) {
            table = DEFENDER_TABLES.has(part.value.trim()) ? part.value.trim() : undefined;
            if (!table) throw badRequest(`table: "${part.value}" is not a Defender table`);
          }
          continue;
        }
        let name = safeName(part.filename || 'upload');
        while (used.has(name)) name = `${randomUUID().slice(0, 8)}-${name}`;
        used.add(name);
        const path = join(dir, name);
        // @fastify/multipart stops a part at the size limit and throws 413 (RequestFileTooLargeError).
        await pipeline(part.file, createWriteStream(path));
        files.push({ path, name: part.filename || name });
      }
      if (files.length === 0) throw badRequest('no file in the upload (send multipart/form-data with a "file" part)');
      return await ctx.exclusive(async s => {
        const quarantinePath = ctx.dbPath ? `${ctx.dbPath}.quarantine.jsonl` : join(tmpdir(), `chainhunt-quarantine-${process.pid}.jsonl`);
        const summary = await ingest(s.store, files.map(f => f.path), { quarantinePath, table });
        const names = new Map(files.map(f => [f.path, f.name]));
        return {
          files: summary.files.map(f => ({
            name: names.get(f.path) ?? basename(f.path), status: f.status, format: f.format ?? null,
            accepted: f.accepted, rejected: f.rejected, message: f.message ?? null,
          })),
          tables: Object.fromEntries([...summary.tables].map(([t, c]) => [t, c])),
          quarantined: summary.quarantined,
          quarantine: summary.quarantined ? summary.quarantinePath : null,
        };
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
