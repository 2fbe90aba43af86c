// Which files are already in the database, so that ingesting them again adds nothing. A file is
// recorded, in the same transaction as its rows, with the hash of its content: a file killed
// mid-ingest is rolled back with its rows, and one that grew since (a log still being written)
// is read from where it stopped.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DuckDbStore } from '../store/duckdb-store.js';

export const MANIFEST_TABLE = '_chainhunt_ingested_files';

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly lines: number;
}

export async function ensureManifest(store: DuckDbStore): Promise<void> {
  await store.sql(`CREATE TABLE IF NOT EXISTS ${MANIFEST_TABLE} (
    path VARCHAR, sha256 VARCHAR, bytes BIGINT, lines BIGINT, format VARCHAR,
    accepted BIGINT, rejected BIGINT, ingested_at TIMESTAMP)`);
}

export async function fileHash(path: string, length?: number): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, length === undefined ? {} : { start: 0, end: length - 1 });
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

export async function findByHash(store: DuckDbStore, sha256: string): Promise<ManifestEntry | undefined> {
  const rows = await store.sql(`SELECT path, sha256, bytes, lines FROM ${MANIFEST_TABLE} WHERE sha256 = $1 LIMIT 1`, [sha256]);
  return rows[0] ? toEntry(rows[0]) : undefined;
}

/** The largest earlier version of a file at this path, for resuming a file that has grown. */
export async function latestForPath(store: DuckDbStore, path: string): Promise<ManifestEntry | undefined> {
  const rows = await store.sql(`SELECT path, sha256, bytes, lines FROM ${MANIFEST_TABLE} WHERE path = $1 ORDER BY bytes DESC LIMIT 1`, [path]);
  return rows[0] ? toEntry(rows[0]) : undefined;
}

function toEntry(r: unknown[]): ManifestEntry {
  return { path: String(r[0]), sha256: String(r[1]), bytes: Number(r[2]), lines: Number(r[3]) };
}

export async function record(store: DuckDbStore, e: ManifestEntry & { format: string; accepted: number; rejected: number }): Promise<void> {
  await store.sql(`INSERT INTO ${MANIFEST_TABLE} VALUES ($1, $2, $3, $4, $5, $6, $7, now()::TIMESTAMP)`,
    [e.path, e.sha256, e.bytes, e.lines, e.format, e.accepted, e.rejected]);
}
