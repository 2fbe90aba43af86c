// Telemetry formats chainhunt reads, detected from a file's name and first bytes (or forced):
//  - streaming-api: Defender XDR streaming API records {"time","tenantId","operationName","category":
//    "AdvancedHunting-<Table>","properties":{...}}, one per line, or batched in {"records":[...]} (a
//    line each, or one whole document) as Event Hubs and Storage deliver them;
//  - ah-json: an advanced hunting API response {"Schema":[...],"Results":[...]};
//  - csv: an advanced hunting CSV export with a header row;
//  - ndjson: rows of one table, one JSON object per line (or a JSON array of rows).
import { basename, dirname } from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import parserStream from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import type { Readable } from 'node:stream';
import { DEFENDER_TABLES } from '../schema/defender.js';
import { openDecoded, peek, readLines } from './source.js';

export const FORMATS = ['streaming-api', 'ah-json', 'csv', 'ndjson'] as const;
export type Format = (typeof FORMATS)[number];

export interface IncomingRecord {
  /** The Defender table the record belongs to, when known. */
  readonly table?: string;
  readonly values?: Record<string, unknown>;
  /** Where it is: a 1-based line, or (in whole JSON documents and CSV) a 1-based record number. */
  readonly line: number;
  readonly position: 'line' | 'record';
  /** The record as it came, for the quarantine file. */
  readonly raw: string;
  /** Why it cannot be ingested, when it cannot. */
  readonly error?: string;
}

export class FormatError extends Error {}

const TABLES_BY_LOWER = new Map([...DEFENDER_TABLES.keys()].map(t => [t.toLowerCase(), t]));
const TABLES_LONGEST_FIRST = [...DEFENDER_TABLES.keys()].sort((a, b) => b.length - a.length);

/** A Defender table named by a file (DeviceProcessEvents.jsonl, DeviceFileEvents-01.csv.gz) or its folder. */
export function tableFromPath(path: string): string | undefined {
  const name = basename(path).toLowerCase();
  const fromName = TABLES_LONGEST_FIRST.find(t => name.startsWith(t.toLowerCase()) && !/^[a-z]/i.test(name.slice(t.length, t.length + 1)));
  if (fromName) return fromName;
  const folder = basename(dirname(path)).toLowerCase().replace(/^advancedhunting-/, '');
  return TABLES_BY_LOWER.get(folder);
}

export function tableFromCategory(category: unknown): string | undefined {
  if (typeof category !== 'string') return undefined;
  const m = /^AdvancedHunting-(.+)$/i.exec(category.trim());
  return m ? TABLES_BY_LOWER.get(m[1]!.toLowerCase()) : undefined;
}

export async function detectFormat(path: string): Promise<Format | 'empty'> {
  if (/\.csv(\.gz)?$/i.test(path)) return 'csv';
  const head = await peek(path);
  const text = head.trimStart();
  if (text === '') return 'empty';
  if (text.startsWith('[')) return 'ndjson';
  if (!text.startsWith('{')) {
    if (/^[^\n]*,[^\n]*(\n|$)/.test(text)) return 'csv';
    throw new FormatError('not JSON, NDJSON or CSV: the file starts with ' + JSON.stringify(text.slice(0, 20)));
  }
  const firstLine = text.split('\n', 1)[0]!.trim();
  try {
    const obj = JSON.parse(firstLine) as Record<string, unknown>;
    if ('category' in obj || 'records' in obj) return 'streaming-api';
    if ('Schema' in obj || 'Results' in obj) return 'ah-json';
    return 'ndjson';
  } catch {
    // A pretty-printed document: look at its first key.
    const key = /^\{\s*"([^"]+)"/.exec(text)?.[1];
    if (key === 'records' || key === 'category' || key === 'time' || key === 'tenantId' || key === 'operationName') return 'streaming-api';
    if (key === 'Schema' || key === 'Results' || key === 'Tables') return 'ah-json';
    return 'ndjson';
  }
}

/** True when the file's first line is one streaming API record ({"category":...,"properties":...}). */
export async function startsWithStreamingRecord(path: string): Promise<boolean> {
  const text = await peek(path);
  const newline = text.indexOf('\n');
  if (newline < 0 || text.charCodeAt(0) === 0xfeff) return false;
  try {
    const first = JSON.parse(text.slice(0, newline)) as Record<string, unknown>;
    return typeof first === 'object' && first !== null && 'category' in first && 'properties' in first;
  } catch {
    return false;
  }
}

/**
 * True when the file is one JSON document spread over lines (pretty-printed), rather than one JSON
 * value per line. A first line longer than the peek is a (long) line of NDJSON.
 */
async function isWholeDocument(path: string): Promise<boolean> {
  const text = (await peek(path)).trimStart();
  if (text.startsWith('[')) return true;
  const newline = text.indexOf('\n');
  if (newline < 0) return false;
  try {
    JSON.parse(text.slice(0, newline));
    return false;
  } catch {
    return true;
  }
}

function streamingRecord(obj: unknown, line: number, position: 'line' | 'record', raw: string): IncomingRecord {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { line, position, raw, error: 'not a JSON object' };
  const rec = obj as { category?: unknown; properties?: unknown };
  const table = tableFromCategory(rec.category);
  if (!table) {
    return { line, position, raw, error: rec.category === undefined ? 'no "category" (expected AdvancedHunting-<Table>)' : `unknown category ${JSON.stringify(rec.category)}` };
  }
  if (!rec.properties || typeof rec.properties !== 'object' || Array.isArray(rec.properties)) {
    return { table, line, position, raw, error: 'no "properties" object' };
  }
  return { table, values: rec.properties as Record<string, unknown>, line, position, raw };
}

function describeJsonError(e: unknown, text: string): string {
  const message = e instanceof Error ? e.message : String(e);
  const truncated = /Unexpected end of JSON input|Unterminated string|Expected .* after/.test(message);
  return `invalid JSON${truncated ? ' (truncated?)' : ''}: ${message.replace(/^.*?JSON: /, '')}${text.length > 200 ? '' : ''}`;
}

async function* ndjsonLines(path: string, offset: number, firstLine: number, each: (obj: unknown, line: number, raw: string) => IncomingRecord[]): AsyncGenerator<IncomingRecord[]> {
  for await (const lines of readLines(await openDecoded(path, offset), firstLine)) {
    const out: IncomingRecord[] = [];
    for (const { text, line } of lines) {
      if (text.trim() === '') continue;
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch (e) {
        out.push({ line, position: 'line', raw: text, error: describeJsonError(e, text) });
        continue;
      }
      out.push(...each(obj, line, text));
    }
    if (out.length) yield out;
  }
}

/** The elements of the array at `key` (or of the top-level array when key is undefined) of a JSON document. */
async function* documentArray(path: string, key: string | undefined, each: (obj: unknown, index: number, raw: string) => IncomingRecord[]): AsyncGenerator<IncomingRecord[]> {
  // Errors of any stage end the iteration (pipe() alone would not forward them).
  const stages: Readable[] = [await openDecoded(path), parserStream()];
  if (key) stages.push(pick.asStream({ filter: key }));
  stages.push(streamArray.asStream());
  const items = stages.reduce((a, b) => a.pipe(b as unknown as NodeJS.WritableStream) as unknown as Readable);
  for (const stage of stages.slice(0, -1)) stage.on('error', e => items.destroy(e));
  let batch: IncomingRecord[] = [];
  let index = 0;
  try {
    for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
      index = item.key + 1;
      batch.push(...each(item.value, index, JSON.stringify(item.value)));
      if (batch.length >= 2048) {
        yield batch;
        batch = [];
      }
    }
  } catch (e) {
    batch.push({ line: index + 1, position: 'record', raw: '', error: `invalid JSON document after record ${index}: ${(e as Error).message}` });
  }
  if (batch.length) yield batch;
}

/**
 * The columns of a CSV header. Log Analytics and Sentinel exports name datetime columns with their
 * zone, `Timestamp [UTC]`: that is the Timestamp column (its values are UTC, as ours are).
 */
function csvColumnNames(header: string[]): string[] {
  return header.map(h => h.trim().replace(/\s*\[UTC\]$/i, ''));
}

export interface ReadOptions {
  readonly format: Format;
  /** The table of a file whose rows carry none (ah-json, csv, ndjson). */
  readonly table?: string;
  /** Resume a plain-text file at this byte offset (the first byte of line `firstLine`). */
  readonly offset?: number;
  readonly firstLine?: number;
}

export async function* readRecords(path: string, options: ReadOptions): AsyncGenerator<IncomingRecord[]> {
  const offset = options.offset ?? 0;
  const firstLine = options.firstLine ?? 1;
  const table = options.table;
  const row = (obj: unknown, line: number, position: 'line' | 'record', raw: string): IncomingRecord => {
    if (!table) return { line, position, raw, error: 'no table: name the file <Table>.jsonl or pass --table' };
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { table, line, position, raw, error: 'not a JSON object' };
    return { table, values: obj as Record<string, unknown>, line, position, raw };
  };
  switch (options.format) {
    case 'streaming-api': {
      const expand = (obj: unknown, n: number, raw: string, position: 'line' | 'record'): IncomingRecord[] => {
        const records = (obj as { records?: unknown } | null)?.records;
        if (Array.isArray(records)) return records.map(r => streamingRecord(r, n, position, JSON.stringify(r)));
        return [streamingRecord(obj, n, position, raw)];
      };
      if (offset === 0 && (await isWholeDocument(path))) {
        yield* documentArray(path, (await peek(path)).trimStart().startsWith('[') ? undefined : 'records', (obj, i, raw) => expand(obj, i, raw, 'record'));
      } else {
        yield* ndjsonLines(path, offset, firstLine, (obj, line, raw) => expand(obj, line, raw, 'line'));
      }
      return;
    }
    case 'ah-json':
      yield* documentArray(path, 'Results', (obj, i, raw) => [row(obj, i, 'record', raw)]);
      return;
    case 'ndjson':
      if (offset === 0 && (await isWholeDocument(path))) yield* documentArray(path, undefined, (obj, i, raw) => [row(obj, i, 'record', raw)]);
      else yield* ndjsonLines(path, offset, firstLine, (obj, line, raw) => [row(obj, line, 'line', raw)]);
      return;
    case 'csv': {
      const csv = (await openDecoded(path)).pipe(parseCsv({ columns: csvColumnNames, bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
      let batch: IncomingRecord[] = [];
      try {
        for await (const item of csv as AsyncIterable<{ record: Record<string, string>; info: { lines: number; records: number } }>) {
          const values: Record<string, unknown> = {};
          // Advanced hunting CSV exports write an empty cell for null.
          for (const [k, v] of Object.entries(item.record)) values[k] = v === '' ? undefined : v;
          batch.push(row(values, item.info.lines, 'line', JSON.stringify(item.record)));
          if (batch.length >= 2048) {
            yield batch;
            batch = [];
          }
        }
      } catch (e) {
        const lines = (e as { lines?: number }).lines ?? 0;
        batch.push({ line: lines, position: 'line', raw: '', error: `invalid CSV: ${(e as Error).message}` });
      }
      if (batch.length) yield batch;
      return;
    }
  }
}
