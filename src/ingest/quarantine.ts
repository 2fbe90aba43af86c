// The quarantine file: every record that could not be stored, as a JSON line with the file, its line
// (or record number), the reason and the raw record, so nothing is lost silently.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface QuarantineEntry {
  readonly file: string;
  readonly line?: number;
  readonly record?: number;
  readonly table?: string;
  readonly reason: string;
  readonly raw: string;
}

export class Quarantine {
  count = 0;
  private buffer: string[] = [];

  constructor(readonly path: string) {}

  add(entry: QuarantineEntry): void {
    this.count++;
    this.buffer.push(JSON.stringify({ ...entry, quarantinedAt: new Date().toISOString() }));
    if (this.buffer.length >= 1000) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    mkdirSync(dirname(resolve(this.path)), { recursive: true });
    appendFileSync(this.path, this.buffer.join('\n') + '\n');
    this.buffer = [];
  }
}
