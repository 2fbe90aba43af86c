// Writes events as Defender XDR streaming API records, one JSON object per line:
//   {"time":..,"tenantId":..,"operationName":"Publish","category":"AdvancedHunting-<Table>","properties":{..}}
// into DIR/<Table>/<Table>-<NNNN>.json, a new part every `partRecords` records. Each event is turned
// into its line at once (ReportId assigned, label told) and copied into a chunk; full chunks go to
// streams whose backpressure the generator awaits, so memory stays bounded whatever the size.
import { createWriteStream, mkdirSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { type Clock, flat } from './format.js';
import type { RowSet } from './labels.js';

export const TABLES = [
  'DeviceProcessEvents',
  'DeviceNetworkEvents',
  'DeviceFileEvents',
  'DeviceRegistryEvents',
  'DeviceImageLoadEvents',
  'DeviceLogonEvents',
  'DeviceInfo',
  'DeviceNetworkInfo',
  'IdentityLogonEvents',
  'MessageEvents',
  'CloudAppEvents',
  'EmailEvents',
  'AlertInfo',
  'AlertEvidence',
] as const;
export type TableName = (typeof TABLES)[number];

/** Table indices, for the Ev.t field. */
export const T = {
  Process: 0,
  Network: 1,
  File: 2,
  Registry: 3,
  ImageLoad: 4,
  Logon: 5,
  DeviceInfo: 6,
  DeviceNetworkInfo: 7,
  IdentityLogon: 8,
  Message: 9,
  CloudApp: 10,
  Email: 11,
  AlertInfo: 12,
  AlertEvidence: 13,
} as const;

/** How each table's ReportId is written: a long, a string, or not at all (the alert tables have none). */
const ID_KIND: readonly ('long' | 'string' | 'none')[] = TABLES.map(t =>
  t === 'AlertInfo' || t === 'AlertEvidence' ? 'none' : t === 'IdentityLogonEvents' || t === 'MessageEvents' || t === 'CloudAppEvents' || t === 'EmailEvents' ? 'string' : 'long',
);

/**
 * One event: its time (ticks since the period's origin), table, the text of its properties after
 * "Timestamp" and without ReportId, the label it belongs to, and (alert tables) its AlertId.
 */
export interface Ev {
  k: number;
  t: number;
  b: string;
  g?: RowSet;
  alertId?: string;
}

interface TableState {
  readonly name: TableName;
  readonly dir: string;
  readonly head: string;
  readonly idKind: 'long' | 'string' | 'none';
  readonly idPrefix: string;
  part: number;
  inPart: number;
  count: number;
  stream: WriteStream | null;
  /** The chunk being filled for the stream, and how much of it is used. */
  out: Buffer;
  pos: number;
  /** A drain promise is pending for the current stream. */
  waiting: boolean;
}

const CHUNK = 1 << 20;
const CHUNK_SIZE = CHUNK + (64 << 10);

export interface WriterOptions {
  readonly outDir: string;
  readonly tenantId: string;
  readonly clock: Clock;
  readonly partRecords: number;
  /** Prefixes for string ReportIds, one per table (so ids differ between seeds). */
  readonly idPrefix: (table: TableName) => string;
  /** ReportIds are idStart, idStart + idStep, ... (partitions interleave their ids). */
  readonly idStart?: number;
  readonly idStep?: number;
  /** The file name of a table's part (default <Table>-<NNNN>.json). */
  readonly fileName?: (table: TableName, part: number) => string;
}

export class Writer {
  private readonly tables: TableState[];
  private readonly drains: Promise<void>[] = [];
  private readonly closing: Promise<void>[] = [];
  private readonly free: Buffer[] = [];
  private error: Error | null = null;
  written = 0;
  private readonly idStart: number;
  private readonly idStep: number;

  constructor(private readonly options: WriterOptions) {
    this.idStart = options.idStart ?? 1;
    this.idStep = options.idStep ?? 1;
    this.tables = TABLES.map((name, i) => ({
      name,
      dir: join(options.outDir, name),
      head: flat(`","tenantId":"${options.tenantId}","operationName":"Publish","category":"AdvancedHunting-${name}","properties":{"Timestamp":"`),
      idKind: ID_KIND[i]!,
      idPrefix: options.idPrefix(name),
      part: 0,
      inPart: 0,
      count: 0,
      stream: null,
      out: Buffer.allocUnsafe(CHUNK_SIZE),
      pos: 0,
      waiting: false,
    }));
  }

  /** Removes files an earlier run left in the output folder (only the simulator's own names). */
  static clean(outDir: string): void {
    for (const name of TABLES) {
      const dir = join(outDir, name);
      let files: string[];
      try {
        files = readdirSync(dir);
      } catch {
        continue;
      }
      for (const f of files) if (new RegExp(`^${name}-\\d{4,}\\.json$|^\\.${name}-p\\d+-\\d+\\.json\\.partial$`).test(f)) rmSync(join(dir, f));
    }
    rmSync(join(outDir, 'labels.json'), { force: true });
  }

  /**
   * Writes one event: its ReportId is the table's next number (the alert tables keep their AlertId),
   * and its label, if any, learns that id. Events are written in the order they come: the generator
   * hands them over an hour of simulated time at a time, so files are in time order by the hour.
   */
  push(ev: Ev): void {
    const t = this.tables[ev.t]!;
    const ts = this.options.clock.fmt(ev.k);
    const seq = this.idStart + t.count++ * this.idStep;
    let id: number | string;
    let line: string;
    if (t.idKind === 'long') {
      id = seq;
      line = '{"time":"' + ts + t.head + ts + '",' + ev.b + ',"ReportId":' + seq + '}}\n';
    } else if (t.idKind === 'string') {
      id = t.idPrefix + seq;
      line = '{"time":"' + ts + t.head + ts + '",' + ev.b + ',"ReportId":"' + id + '"}}\n';
    } else {
      id = ev.alertId ?? '';
      line = '{"time":"' + ts + t.head + ts + '",' + ev.b + '}}\n';
    }
    // Every line is ASCII (see format.ts): one byte per character, and latin1 is a plain copy.
    if (t.pos + line.length > t.out.length) {
      this.spill(t, false);
      if (line.length > t.out.length) t.out = Buffer.allocUnsafe(line.length + CHUNK);
    }
    t.pos += t.out.write(line, t.pos, 'latin1');
    if (ev.g) ev.g.add(t.name, id);
    this.written++;
    if (++t.inPart >= this.options.partRecords) {
      this.spill(t, true);
      t.inPart = 0;
    } else if (t.pos >= CHUNK) this.spill(t, false);
  }

  /** Hands full chunks to the streams and waits while any of them is over its high-water mark. */
  async drain(): Promise<void> {
    if (this.error) throw this.error;
    if (this.drains.length) {
      await Promise.all(this.drains.splice(0));
      if (this.error) throw this.error;
    }
  }

  private open(t: TableState): WriteStream {
    if (!t.stream) {
      mkdirSync(t.dir, { recursive: true });
      const file = join(t.dir, this.options.fileName ? this.options.fileName(t.name, t.part) : `${t.name}-${String(t.part).padStart(4, '0')}.json`);
      const stream = createWriteStream(file, { highWaterMark: 4 * CHUNK });
      stream.on('error', e => {
        this.error ??= e;
      });
      t.stream = stream;
    }
    return t.stream;
  }

  /** Hands the filled chunk to the part's stream (a new chunk takes its place); ends the part when `endPart`. */
  private spill(t: TableState, endPart: boolean): void {
    if (t.pos) {
      const stream = this.open(t);
      const full = t.out;
      const chunk = full.subarray(0, t.pos);
      // Chunks are reused once written (fresh memory for every chunk costs page faults).
      t.out = (full.length === CHUNK_SIZE ? this.free.pop() : undefined) ?? Buffer.allocUnsafe(CHUNK_SIZE);
      t.pos = 0;
      const recycle = full.length === CHUNK_SIZE ? () => this.free.length < 64 && this.free.push(full) : undefined;
      if (!stream.write(chunk, recycle) && !t.waiting) {
        t.waiting = true;
        this.drains.push(
          new Promise(resolve => {
            // A part may end before it drains: its close counts as drained too.
            const done = () => {
              stream.off('drain', done);
              stream.off('close', done);
              t.waiting = false;
              resolve();
            };
            stream.on('drain', done);
            stream.on('close', done);
          }),
        );
      }
    }
    if (endPart && t.stream) {
      const s = t.stream;
      this.closing.push(new Promise((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve()))));
      t.stream = null;
      t.waiting = false;
      t.part++;
    }
  }

  /** Writes everything still pending and closes every file. Returns the row count per table. */
  async close(): Promise<Record<string, number>> {
    await this.drain();
    for (const t of this.tables) {
      this.spill(t, false);
      if (t.stream) this.spill(t, true);
    }
    await Promise.all(this.closing);
    if (this.error) throw this.error;
    return Object.fromEntries(this.tables.filter(t => t.count > 0).map(t => [t.name, t.count]));
  }
}

