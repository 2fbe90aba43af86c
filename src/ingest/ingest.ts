// Ingestion: files and folders of Defender telemetry into the store. Each file is one transaction
// (its rows and its manifest entry together; large clean streaming-API files are loaded several to
// a transaction, bulk-batch.ts), so a killed ingest leaves a database that opens and a re-run that
// ends with exactly one copy of every row. Every record is stored or quarantined.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFENDER_TABLES } from '../schema/defender.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { detectFormat, FormatError, readRecords, startsWithStreamingRecord, tableFromPath, type Format, type IncomingRecord } from './formats.js';
import { FastPathDeclined, ingestFast } from './fast-path.js';
import { batches, bulkCandidate, ingestBatch, type BulkCandidate } from './bulk-batch.js';
import { ensureManifest, fileDigest, fileHash, findCandidates, HEAD_BYTES, latestForPath, record } from './manifest.js';
import { Quarantine } from './quarantine.js';
import { isGzip } from './source.js';
import { TableWriter } from './table-writer.js';

export interface IngestOptions {
  /** Force a format instead of detecting it from each file. */
  readonly format?: Format;
  /** The table of files whose records do not name one (CSV, NDJSON rows, API JSON). */
  readonly table?: string;
  readonly quarantinePath: string;
  readonly onProgress?: (p: IngestProgress) => void;
  readonly onFile?: (f: FileResult) => void;
  /** Streaming API files at least this large load through DuckDB in bulk (default 4 MB; Infinity: never). */
  readonly bulkMinBytes?: number;
}

export interface IngestProgress {
  readonly file: string;
  readonly fileIndex: number;
  readonly fileCount: number;
  readonly records: number;
  readonly rejected: number;
}

export type FileStatus = 'ingested' | 'resumed' | 'skipped' | 'empty' | 'failed';

export interface FileResult {
  readonly path: string;
  readonly status: FileStatus;
  readonly format?: Format;
  readonly accepted: number;
  readonly rejected: number;
  readonly message?: string;
  readonly seconds: number;
  /** Loaded in one pass by DuckDB's JSON reader (the bulk path), not record by record. */
  readonly bulk?: boolean;
}

export interface TableCounts {
  accepted: number;
  rejected: number;
}

export interface IngestSummary {
  readonly files: FileResult[];
  readonly tables: Map<string, TableCounts>;
  /** Fields of incoming records that the schema does not know (kept, not dropped), by table. */
  readonly unknownFields: Map<string, Map<string, number>>;
  readonly quarantinePath: string;
  readonly quarantined: number;
  readonly seconds: number;
}

/** Files smaller than this go record by record: the bulk path's fixed costs would not pay off. */
const FAST_PATH_MIN_BYTES = 4 * 1024 * 1024;

const DATA_FILE = /\.(json|jsonl|ndjson|csv|txt|log)(\.gz)?$|\.gz$/i;

/** The files to read: named files as given, folders walked recursively (data files only), sorted. */
export function expandPaths(paths: readonly string[]): { path: string; explicit: boolean }[] {
  const out: { path: string; explicit: boolean }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && DATA_FILE.test(entry.name)) out.push({ path: full, explicit: false });
    }
  };
  for (const p of paths) {
    const st = statSync(p);
    if (st.isDirectory()) walk(p);
    else out.push({ path: p, explicit: true });
  }
  return out;
}

export async function ingest(store: DuckDbStore, paths: readonly string[], options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  if (options.table && !DEFENDER_TABLES.has(options.table)) throw new Error(`--table ${options.table} is not a Defender table`);
  await ensureManifest(store);
  const quarantine = new Quarantine(options.quarantinePath);
  const quarantineFile = resolve(options.quarantinePath);
  const files = expandPaths(paths).filter(f => resolve(f.path) !== quarantineFile);
  const summary: IngestSummary = {
    files: [], tables: new Map(), unknownFields: new Map(), quarantinePath: options.quarantinePath, quarantined: 0, seconds: 0,
  };
  // Large clean streaming-API files first go in batches; what a batch declines goes file by file.
  const loaded = new Map<string, FileResult>();
  const minBytes = options.bulkMinBytes ?? FAST_PATH_MIN_BYTES;
  if (minBytes !== Infinity) {
    const candidates: BulkCandidate[] = [];
    for (const f of files) {
      const c = await bulkCandidate(store, f.path, options, minBytes).catch(() => undefined);
      if (c) candidates.push(c);
    }
    for (const batch of batches(candidates)) {
      if (batch.length < 2) continue;
      options.onProgress?.({ file: batch[0]!.path, fileIndex: files.findIndex(f => f.path === batch[0]!.path), fileCount: files.length, records: 0, rejected: 0 });
      const results = await ingestBatch(store, batch, summary);
      for (const [path, r] of results ?? []) loaded.set(path, r);
    }
  }
  for (let i = 0; i < files.length; i++) {
    const batched = loaded.get(files[i]!.path);
    if (batched) options.onProgress?.({ file: batched.path, fileIndex: i, fileCount: files.length, records: batched.accepted, rejected: 0 });
    const result = batched ?? (await ingestFile(store, files[i]!.path, files[i]!.explicit, i, files.length, options, quarantine, summary));
    summary.files.push(result);
    options.onFile?.(result);
  }
  quarantine.flush();
  return { ...summary, quarantined: quarantine.count, seconds: (performance.now() - started) / 1000 };
}

async function ingestFile(
  store: DuckDbStore, path: string, explicit: boolean, index: number, count: number,
  options: IngestOptions, quarantine: Quarantine, summary: IngestSummary,
): Promise<FileResult> {
  const started = performance.now();
  const done = (status: FileStatus, extra: Partial<FileResult> = {}): FileResult =>
    ({ path, status, accepted: 0, rejected: 0, seconds: (performance.now() - started) / 1000, ...extra });
  const size = statSync(path).size;
  if (size === 0) return done('empty', { message: 'empty file' });

  // The whole file's hash is worked out while it loads; only a file with an earlier one's size and
  // first megabyte is hashed first, to see whether it is that file again.
  const headSha256 = await fileHash(path, Math.min(size, HEAD_BYTES));
  const digest = fileDigest(path);
  digest.catch(() => undefined);
  const candidates = await findCandidates(store, size, headSha256);
  if (candidates.length) {
    const { sha256 } = await digest;
    const seen = candidates.find(c => c.sha256 === sha256);
    if (seen) return done('skipped', { message: seen.path === path ? 'already ingested' : `same content as ${seen.path}, already ingested` });
  }

  let format: Format | 'empty';
  try {
    format = options.format ?? (await detectFormat(path));
  } catch (e) {
    if (e instanceof FormatError && !explicit) return done('skipped', { message: `not telemetry: ${e.message}` });
    return done('failed', { message: (e as Error).message });
  }
  if (format === 'empty') return done('empty', { message: 'no records (only whitespace)' });
  const table = options.table ?? tableFromPath(path);
  if (format !== 'streaming-api' && !table) {
    const message = `no table for this ${format} file: name it <Table>.${format === 'csv' ? 'csv' : 'jsonl'} or pass --table`;
    return explicit ? done('failed', { message }) : done('skipped', { message: `not telemetry? ${message}` });
  }

  // A file that grew since it was ingested (same path, same beginning) is read from where it stopped.
  let offset = 0;
  let firstLine = 1;
  const previous = await latestForPath(store, path);
  if (previous && previous.bytes < size && !(await isGzip(path)) && (await fileHash(path, previous.bytes)) === previous.sha256) {
    offset = previous.bytes;
    firstLine = previous.lines + 1;
  }

  // Large clean files of streaming API records: loaded by DuckDB in bulk (any doubt, and they are not).
  if (format === 'streaming-api' && offset === 0 && size >= (options.bulkMinBytes ?? FAST_PATH_MIN_BYTES) && (await startsWithStreamingRecord(path))) {
    await store.sql('BEGIN TRANSACTION');
    try {
      const fast = await ingestFast(store, path);
      // (Line counts of gzip files are of their compressed bytes: they are never resumed by line.)
      const { sha256, lines: fileLines } = await digest;
      await record(store, { path, sha256, headSha256, bytes: size, lines: fileLines, format, accepted: fast.records, rejected: 0 });
      await store.sql('COMMIT');
      for (const [t, n] of fast.tables) counts(summary, t).accepted += n;
      for (const [t, fields] of fast.unknownFields) {
        const known = summary.unknownFields.get(t) ?? new Map<string, number>();
        for (const [k, n] of fields) known.set(k, (known.get(k) ?? 0) + n);
        summary.unknownFields.set(t, known);
      }
      options.onProgress?.({ file: path, fileIndex: index, fileCount: count, records: fast.records, rejected: 0 });
      return done('ingested', { format, accepted: fast.records, rejected: 0, bulk: true });
    } catch (e) {
      await store.sql('ROLLBACK');
      // Declining is normal (the record path says what is wrong with a record); anything else is worth a look.
      if (!(e instanceof FastPathDeclined) && process.env.CHAINHUNT_DEBUG) process.stderr.write(`bulk path declined ${path}: ${(e as Error).message}\n`);
    }
  }

  const writers = new Map<string, TableWriter>();
  let accepted = 0;
  let rejected = 0;
  let lastLine = firstLine - 1;
  const reject = (r: IncomingRecord, reason: string) => {
    rejected++;
    const t = r.table ?? table;
    if (t) counts(summary, t).rejected++;
    quarantine.add({ file: path, ...(r.position === 'line' ? { line: r.line } : { record: r.line }), table: t, reason, raw: r.raw });
  };
  await store.sql('BEGIN TRANSACTION');
  try {
    for await (const batch of readRecords(path, { format, table, offset, firstLine })) {
      for (const r of batch) {
        if (r.position === 'line' && r.line > lastLine) lastLine = r.line;
        if (r.error || !r.table || !r.values) {
          reject(r, r.error ?? 'no table');
          continue;
        }
        let writer = writers.get(r.table);
        if (!writer) {
          await store.ensureTables([r.table]);
          writer = new TableWriter(DEFENDER_TABLES.get(r.table)!, store);
          writers.set(r.table, writer);
        }
        const error = writer.write(r.values);
        if (error) reject(r, error);
        else {
          accepted++;
          counts(summary, r.table).accepted++;
        }
      }
      for (const w of writers.values()) if (w.pending) await w.flush();
      options.onProgress?.({ file: path, fileIndex: index, fileCount: count, records: accepted, rejected });
    }
    for (const w of writers.values()) {
      await w.flush();
      w.close();
      const known = summary.unknownFields.get(w.table.name) ?? new Map<string, number>();
      for (const [k, n] of w.unknownFields) known.set(k, (known.get(k) ?? 0) + n);
      if (known.size) summary.unknownFields.set(w.table.name, known);
    }
    const { sha256 } = await digest;
    await record(store, { path, sha256, headSha256, bytes: size, lines: lastLine, format, accepted, rejected });
    await store.sql('COMMIT');
  } catch (e) {
    for (const w of writers.values()) w.close();
    await store.sql('ROLLBACK');
    for (const w of writers.values()) counts(summary, w.table.name).accepted -= w.accepted;
    return done('failed', { format, message: `rolled back: ${(e as Error).message.split('\n')[0]}` });
  }
  quarantine.flush();
  return done(offset > 0 ? 'resumed' : 'ingested', { format, accepted, rejected, ...(offset > 0 ? { message: `resumed at line ${firstLine}` } : {}) });
}

function counts(summary: IngestSummary, table: string): TableCounts {
  let c = summary.tables.get(table);
  if (!c) summary.tables.set(table, (c = { accepted: 0, rejected: 0 }));
  return c;
}
