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
    accepted BIGINT, rejected BIGINT, ingested_at TIMESTAMP, head_sha256 VARCHAR)`);
  await store.sql(`ALTER TABLE ${MANIFEST_TABLE} ADD COLUMN IF NOT EXISTS head_sha256 VARCHAR`);
}

export async function fileHash(path: string, length?: number): Promise<string> {
  return (await fileDigest(path, length)).sha256;
}

/** The SHA-256 of a file's bytes (or of its first `length` bytes) and how many lines they hold. */
export async function fileDigest(path: string, length?: number): Promise<{ sha256: string; lines: number }> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: 1 << 20, ...(length === undefined ? {} : { start: 0, end: length - 1 }) });
  let lines = 0;
  let last = 10;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  return { sha256: hash.digest('hex'), lines: last === 10 ? lines : lines + 1 };
}

/** Bytes at the start of a file whose hash, with the size, finds earlier copies without reading it all. */
export const HEAD_BYTES = 1 << 20;

/** Earlier files of this size and beginning: only these can have the same content. */
export async function findCandidates(store: DuckDbStore, bytes: number, headSha256: string): Promise<ManifestEntry[]> {
  const rows = await store.sql(`SELECT path, sha256, bytes, lines FROM ${MANIFEST_TABLE} WHERE bytes = $1 AND head_sha256 = $2`, [bytes, headSha256]);
  return rows.map(toEntry);
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

export async function record(store: DuckDbStore, e: ManifestEntry & { headSha256: string; format: string; accepted: number; rejected: number }): Promise<void> {
  await store.sql(`INSERT INTO ${MANIFEST_TABLE} (path, sha256, bytes, lines, format, accepted, rejected, ingested_at, head_sha256)
    VALUES ($1, $2, $3, $4, $5, $6, $7, now()::TIMESTAMP, $8)`,
    [e.path, e.sha256, e.bytes, e.lines, e.format, e.accepted, e.rejected, e.headSha256]);
}
