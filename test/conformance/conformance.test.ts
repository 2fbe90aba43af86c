// Ratchets: the Kusto docs conformance examples and the real Defender hunting queries. Each fails
// when the count drops below the figure recorded in baseline.json (raise the figure as work lands).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';

const root = join(import.meta.dirname, '..', '..');
const baseline = JSON.parse(readFileSync(join(import.meta.dirname, 'baseline.json'), 'utf8')) as {
  docsExamplesPassed: number;
  huntingQueriesRun: number;
};

describe('conformance ratchets', () => {
  it(`passes at least ${baseline.docsExamplesPassed} of the Kusto docs examples`, () => {
    const runner = join(root, 'test/corpus/kql-conformance.mjs');
    const corpus = join(root, 'test/corpus/kql-docs.public.jsonl');
    const r = spawnSync(process.execPath, [runner, '--batch', '--corpus', corpus, '--cmd', `"${process.execPath}" "${join(root, 'bin/chainhunt.cjs')}" query --jsonl`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const summary = /(\d+) passed, (\d+) failed/.exec(r.stdout);
    expect(summary, r.stderr).not.toBeNull();
    const passed = Number(summary![1]);
    expect(passed).toBeGreaterThanOrEqual(baseline.docsExamplesPassed);
  }, 600_000);

  it(`compiles and runs at least ${baseline.huntingQueriesRun} of the real hunting queries (without externaldata) on an empty database`, async () => {
    const queries = readFileSync(join(root, 'test/corpus/defender-hunting.public.jsonl'), 'utf8')
      .split('\n').filter(l => l.trim()).map(l => JSON.parse(l) as { id: string; query: string; operators?: string[] })
      .filter(q => !(q.operators ?? []).includes('externaldata') && !/\bexternaldata\b/i.test(q.query));
    const engine = await Engine.open();
    let ok = 0;
    const failures: string[] = [];
    try {
      for (const q of queries) {
        try {
          await engine.query(q.query);
          ok++;
        } catch (e) {
          // Every refusal is a clear message, never a crash or a raw database error.
          expect((e as Error).name).toMatch(/^(KqlError|QueryExecutionError)$/);
          failures.push(`${q.id}: ${(e as Error).message.split('\n')[0]}`);
        }
      }
    } finally {
      engine.close();
    }
    expect(ok / queries.length).toBeGreaterThanOrEqual(0.85);
    expect(ok, failures.join('\n')).toBeGreaterThanOrEqual(baseline.huntingQueriesRun);
  }, 600_000);
});
