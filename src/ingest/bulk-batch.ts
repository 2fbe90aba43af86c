// Large clean streaming-API files loaded together: DuckDB reads a list of files much faster than
// the same files one statement each (bench:ingest, 5M records: 37 s for the lists, 58 s file by
// file). A batch is one transaction holding its files' rows and manifest entries; if anything about
// it is in doubt (a file the bulk reader declines, two files with the same content), it is rolled
// back and its files go the per-file way, which loads each in bulk or record by record.
import { statSync } from 'node:fs';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { FastPathDeclined, ingestFast } from './fast-path.js';
import { detectFormat, startsWithStreamingRecord } from './formats.js';
import type { FileResult, IngestOptions, IngestSummary } from './ingest.js';
import { fileDigest, fileHash, findCandidates, HEAD_BYTES, latestForPath, record } from './manifest.js';

/**
 * Most bytes one batch reads. The reader streams them, but a transaction's uncommitted rows take
 * memory: bench:ingest's peak RSS was 1.5 GB with 3 GB batches and 1.8 GB with 4 GB ones.
 */
const BATCH_BYTES = 3 * 1024 ** 3;

export interface BulkCandidate {
  readonly path: string;
  readonly size: number;
  readonly headSha256: string;
}

/**
 * A file the batch may take: a streaming-API file at least `minBytes` long, never seen before (a
 * file seen before, or with an earlier file's size and beginning, is left to the per-file path,
 * which resumes or skips it).
 */
export async function bulkCandidate(store: DuckDbStore, path: string, options: IngestOptions, minBytes: number): Promise<BulkCandidate | undefined> {
  const size = statSync(path).size;
  if (size === 0 || size < minBytes) return undefined;
  const format = options.format ?? (await detectFormat(path).catch(() => undefined));
  if (format !== 'streaming-api') return undefined;
  if (await latestForPath(store, path)) return undefined;
  const headSha256 = await fileHash(path, Math.min(size, HEAD_BYTES));
  if ((await findCandidates(store, size, headSha256)).length) return undefined;
  if (!(await startsWithStreamingRecord(path))) return undefined;
  return { path, size, headSha256 };
}

/** Candidates in batches of at most BATCH_BYTES (a larger file is a batch of its own). */
export function batches(candidates: readonly BulkCandidate[]): BulkCandidate[][] {
  const out: BulkCandidate[][] = [];
  let current: BulkCandidate[] = [];
  let bytes = 0;
  for (const c of candidates) {
    if (current.length && bytes + c.size > BATCH_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(c);
    bytes += c.size;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Loads a batch in one transaction and returns each file's result, or undefined (nothing stored)
 * when the batch must go file by file.
 */
export async function ingestBatch(store: DuckDbStore, batch: readonly BulkCandidate[], summary: IngestSummary): Promise<Map<string, FileResult> | undefined> {
  const started = performance.now();
  // The files' hashes are worked out while DuckDB reads them.
  const digests = batch.map(c => fileDigest(c.path));
  digests.forEach(d => d.catch(() => undefined));
  await store.sql('BEGIN TRANSACTION');
  let fast: Awaited<ReturnType<typeof ingestFast>>;
  try {
    fast = await ingestFast(store, batch.map(c => c.path));
    const sums = await Promise.all(digests);
    if (new Set(sums.map(s => s.sha256)).size !== sums.length) throw new FastPathDeclined('two files of the batch have the same content');
    for (let i = 0; i < batch.length; i++) {
      const c = batch[i]!;
      await record(store, { path: c.path, sha256: sums[i]!.sha256, headSha256: c.headSha256, bytes: c.size, lines: sums[i]!.lines,
        format: 'streaming-api', accepted: fast.perFile.get(c.path) ?? 0, rejected: 0 });
    }
    await store.sql('COMMIT');
  } catch (e) {
    await store.sql('ROLLBACK');
    if (!(e instanceof FastPathDeclined) && process.env.CHAINHUNT_DEBUG) process.stderr.write(`bulk batch declined: ${(e as Error).message}\n`);
    return undefined;
  }
  for (const [t, n] of fast.tables) {
    const counts = summary.tables.get(t) ?? { accepted: 0, rejected: 0 };
    counts.accepted += n;
    summary.tables.set(t, counts);
  }
  for (const [t, fields] of fast.unknownFields) {
    const known = summary.unknownFields.get(t) ?? new Map<string, number>();
    for (const [k, n] of fields) known.set(k, (known.get(k) ?? 0) + n);
    summary.unknownFields.set(t, known);
  }
  // The batch's time, shared among its files by size.
  const seconds = (performance.now() - started) / 1000;
  const bytes = batch.reduce((a, c) => a + c.size, 0);
  return new Map(batch.map(c => [c.path, {
    path: c.path, status: 'ingested', format: 'streaming-api', accepted: fast.perFile.get(c.path) ?? 0, rejected: 0,
    seconds: (seconds * c.size) / bytes, bulk: true,
  } satisfies FileResult]));
}
