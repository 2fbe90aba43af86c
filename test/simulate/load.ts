// Test helper: read a simulator output folder back (records per table).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from '../../src/simulate/labels.js';

export interface StreamingRecord {
  time: string;
  tenantId: string;
  operationName: string;
  category: string;
  properties: Record<string, unknown>;
}

export interface Output {
  readonly labels: Labels;
  /** Rows (the records' properties) by table. */
  readonly rows: Map<string, Record<string, unknown>[]>;
  readonly records: Map<string, StreamingRecord[]>;
  /** The files, by table, in part order. */
  readonly files: Map<string, string[]>;
}

export function readOutput(dir: string): Output {
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Labels;
  const rows = new Map<string, Record<string, unknown>[]>();
  const records = new Map<string, StreamingRecord[]>();
  const files = new Map<string, string[]>();
  for (const table of readdirSync(dir).filter(f => f !== 'labels.json').sort()) {
    const parts = readdirSync(join(dir, table)).filter(f => f.endsWith('.json')).sort();
    files.set(table, parts);
    const recs: StreamingRecord[] = [];
    for (const f of parts) {
      for (const line of readFileSync(join(dir, table, f), 'utf8').split('\n')) if (line) recs.push(JSON.parse(line) as StreamingRecord);
    }
    records.set(table, recs);
    rows.set(table, recs.map(r => r.properties));
  }
  return { labels, rows, records, files };
}

