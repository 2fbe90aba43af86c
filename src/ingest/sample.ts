// The bundled sample telemetry (content/samples/<name>/<Table>.jsonl): NDJSON rows of one Defender
// table per file, loaded into a store.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFENDER_TABLES } from '../schema/defender.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { packageRoot } from '../util/package-root.js';

export function sampleDir(name = 'helpdesk-intrusion'): string {
  return join(packageRoot(), 'content', 'samples', name);
}

/** Loads every `<Table>.jsonl` of a folder; returns the row count per table. */
export async function loadTableFiles(store: DuckDbStore, dir: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const file of readdirSync(dir).filter(f => f.endsWith('.jsonl')).sort()) {
    const table = basename(file, '.jsonl');
    if (!DEFENDER_TABLES.has(table)) throw new Error(`${join(dir, file)}: ${table} is not a Defender table`);
    const rows = readFileSync(join(dir, file), 'utf8').split('\n').flatMap((line, i) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch (e) {
        throw new Error(`${join(dir, file)}:${i + 1}: not JSON: ${(e as Error).message}`);
      }
    });
    await store.insertObjects(table, rows);
    counts.set(table, rows.length);
  }
  return counts;
}
