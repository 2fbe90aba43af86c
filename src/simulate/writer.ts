// Writes events as Defender XDR streaming API records, one JSON object per line:
//   {"time":..,"tenantId":..,"operationName":"Publish","category":"AdvancedHunting-<Table>","properties":{..}}
// into DIR/<Table>/<Table>-<NNNN>.json, a new part every `partRecords` records. Events are buffered
// for one time slice, sorted by time, given their ReportIds in that order, and written through
// streams whose backpressure the generator awaits, so memory stays bounded whatever the size.
import { createWriteStream, mkdirSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from './format.js';
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
  buf: string;
  /** A drain promise is pending for the current stream. */
  waiting: boolean;
}

const CHUNK = 1 << 20;

export interface WriterOptions {
  readonly outDir: string;
  readonly tenantId: string;
  readonly clock: Clock;
  readonly partRecords: number;
  /** Prefixes for string ReportIds, one per table (so ids differ between seeds). */
  readonly idPrefix: (table: TableName) => string;
}

export class Writer {
  private pending: Ev[] = [];
  private readonly tables: TableState[];
  private readonly drains: Promise<void>[] = [];
  private readonly closing: Promise<void>[] = [];
  private error: Error | null = null;
  written = 0;

  constructor(private readonly options: WriterOptions) {
    this.tables = TABLES.map((name, i) => ({
      name,
      dir: join(options.outDir, name),
      head: `","tenantId":"${options.tenantId}","operationName":"Publish","category":"AdvancedHunting-${name}","properties":{"Timestamp":"`,
      idKind: ID_KIND[i]!,
      idPrefix: options.idPrefix(name),
      part: 0,
      inPart: 0,
      count: 0,
      stream: null,
      buf: '',
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
      for (const f of files) if (new RegExp(`^${name}-\\d{4,}\\.json$`).test(f)) rmSync(join(dir, f));
    }
    rmSync(join(outDir, 'labels.json'), { force: true });
  }

  push(ev: Ev): void {
    this.pending.push(ev);
  }

  pushAll(evs: readonly Ev[]): void {
    for (const ev of evs) this.pending.push(ev);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Writes (in time order) every pending event before `k`; later ones wait for the next call. */
  async flushUntil(k: number): Promise<void> {
    const pending = this.pending;
    pending.sort(byTime);
    let n = 0;
    while (n < pending.length && pending[n]!.k < k) n++;
    for (let i = 0; i < n; i++) this.write(pending[i]!);
    this.pending = n === pending.length ? [] : pending.slice(n);
    for (const t of this.tables) this.spill(t, false);
    if (this.error) throw this.error;
    if (this.drains.length) {
      await Promise.all(this.drains.splice(0));
      if (this.error) throw this.error;
    }
  }

  private write(ev: Ev): void {
    const t = this.tables[ev.t]!;
    const ts = this.options.clock.fmt(ev.k);
    const seq = ++t.count;
    let id: number | string;
    let idText: string;
    if (t.idKind === 'long') {
      id = seq;
      idText = `,"ReportId":${seq}}}\n`;
    } else if (t.idKind === 'string') {
      id = t.idPrefix + seq;
      idText = `,"ReportId":"${id}"}}\n`;
    } else {
      id = ev.alertId ?? '';
      idText = '}}\n';
    }
    t.buf += '{"time":"' + ts + t.head + ts + '",' + ev.b + idText;
    if (ev.g) ev.g.add(t.name, id);
    this.written++;
    if (++t.inPart >= this.options.partRecords) {
      this.spill(t, true);
      t.inPart = 0;
    } else if (t.buf.length >= CHUNK) this.spill(t, false);
  }

  private open(t: TableState): WriteStream {
    if (!t.stream) {
      mkdirSync(t.dir, { recursive: true });
      const file = join(t.dir, `${t.name}-${String(t.part).padStart(4, '0')}.json`);
      const stream = createWriteStream(file, { highWaterMark: 4 * CHUNK });
      stream.on('error', e => {
        this.error ??= e;
      });
      t.stream = stream;
    }
    return t.stream;
  }

  /** Hands the buffered text to the part's stream; ends the part when `endPart`. */
  private spill(t: TableState, endPart: boolean): void {
    if (t.buf.length) {
      const stream = this.open(t);
      if (!stream.write(t.buf) && !t.waiting) {
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
      t.buf = '';
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
    await this.flushUntil(Infinity);
    for (const t of this.tables) {
      this.spill(t, false);
      if (t.stream) this.spill(t, true);
    }
    await Promise.all(this.closing);
    if (this.error) throw this.error;
    return Object.fromEntries(this.tables.filter(t => t.count > 0).map(t => [t.name, t.count]));
  }
}

function byTime(a: Ev, b: Ev): number {
  return a.k - b.k;
}
