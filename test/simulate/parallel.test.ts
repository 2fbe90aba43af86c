// The simulator's partitions in worker threads (as the CLI runs them) write the same bytes as both
// partitions in one thread, and the CLI reports what it wrote.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/index.js';

const root = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out[p.slice(dir.length + 1)] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

it('writes the same bytes with the partitions in worker threads (the CLI) as in one thread', async () => {
  const a = mkdtempSync(join(tmpdir(), 'chainhunt-sim-cli-'));
  const b = mkdtempSync(join(tmpdir(), 'chainhunt-sim-seq-'));
  dirs.push(a, b);
  const args = ['--seed', '5', '--devices', '20', '--days', '2', '--intrusions', '3', '--part-records', '3000'];
  const cli = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/dev.ts'), 'simulate', '--out', a, ...args, '--quiet'], { cwd: root, encoding: 'utf8' });
  expect(cli.stderr).toBe('');
  expect(cli.status).toBe(0);
  expect(cli.stdout).toMatch(/^Wrote [\d,]+ events to .* \([\d,]+ events\/s\)\./);
  expect(cli.stdout).toContain('intrusion-1: full, teams');
  expect(cli.stdout).toContain('--now 2026-03-10T12:00:00Z');
  await simulate({ out: b, seed: 5, devices: 20, days: 2, intrusions: 3, partRecords: 3000, parallel: false });
  const da = digests(a);
  expect(Object.keys(da).some(f => f.endsWith('-0001.json'))).toBe(true);
  expect(digests(b)).toEqual(da);
});

it('refuses bad options with a one-line error and exit code 1', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/dev.ts'), 'simulate', '--out', join(tmpdir(), 'never'), '--devices', 'many'], { cwd: root, encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr.trim()).toBe('error: --devices must be a non-negative integer, not "many"');
});
