// chainhunt's telemetry simulator: a deterministic organisation, its background activity in the
// Defender tables, the seed's intrusion chain in its variants and benign look-alikes, written as
// Defender XDR streaming API records with labels.json as ground truth. See README.md beside this file.
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from './labels.js';
import { AD_DOMAIN } from './org.js';
import { PARTITIONS, planWorld, resolveOptions, runPartition } from './run.js';
import { type PartitionResult, startPartitionWorker } from './worker.js';
import { TABLES, Writer } from './writer.js';

export { DEFAULT_END, DEFAULTS, PARTITIONS, SimulateOptionError } from './run.js';

export interface SimulateOptions {
  readonly out: string;
  readonly seed?: number;
  readonly devices?: number;
  readonly users?: number;
  readonly days?: number;
  readonly intrusions?: number;
  /** The end of the simulated period: the `now` to query with (ISO-8601, a whole minute). */
  readonly end?: string;
  /** Records per file before a new part starts. */
  readonly partRecords?: number;
  /**
   * Run the partitions in worker threads, side by side (default true). The output is the same either
   * way; without workers (or when one cannot start) the partitions run in this thread, one by one.
   */
  readonly parallel?: boolean;
  /** Called as the partitions progress, with the events written so far (`hour` counts only in-thread runs). */
  readonly onProgress?: (p: { hour: number; hours: number; events: number }) => void;
}

export interface SimulateResult {
  readonly labels: Labels;
  readonly counts: Record<string, number>;
  readonly events: number;
}

export async function simulate(o: SimulateOptions): Promise<SimulateResult> {
  const options = resolveOptions(o);
  const world = planWorld(options);
  mkdirSync(options.out, { recursive: true });
  Writer.clean(options.out);

  const { startK, endK, org } = world;
  const hours = Math.ceil(endK / 36_000_000_000) - Math.floor(startK / 36_000_000_000);
  let hour = 0;
  const written = new Array<number>(PARTITIONS).fill(0);
  const progress = () => o.onProgress?.({ hour, hours, events: written.reduce((a, b) => a + b, 0) });

  // Every partition in its own worker thread (the main thread waits); a partition whose worker
  // cannot start runs here afterwards. Partition 0 writes the scenarios and brings back the labels.
  const workers = o.parallel === false ? [] : Array.from({ length: PARTITIONS }, (_, p) => startPartitionWorker(options, p, w => ((written[p] = w), progress())));
  const results: PartitionResult[] = [];
  try {
    for (let p = 0; p < PARTITIONS; p++) {
      const fromWorker = workers[p] ? await workers[p]!.done : null;
      if (fromWorker) results.push(fromWorker);
      else {
        const counts = await runPartition(world, p, w => {
          written[p] = w;
          if (p === 0) hour++;
          progress();
        });
        results.push({ counts, labels: p === 0 ? { intrusions: world.intrusions.map(i => i.label()), benign: world.benign.map(b => b.label()) } : undefined });
      }
    }
  } catch (e) {
    await Promise.all(workers.map(w => w.terminate()));
    throw e;
  }
  const counts = results.map(r => r.counts);
  const labelled = results[0]!.labels!;

  // Number the parts: by part, then partition, so the numbering does not depend on which finished first.
  for (const table of TABLES) {
    const dir = join(options.out, table);
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    const parts = files
      .map(f => /^\.(.+)-p(\d+)-(\d+)\.json\.partial$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null && m[1] === table)
      .map(m => ({ file: m[0], partition: Number(m[2]), part: Number(m[3]) }))
      .sort((a, b) => a.part - b.part || a.partition - b.partition);
    parts.forEach((p, i) => renameSync(join(dir, p.file), join(dir, `${table}-${String(i).padStart(4, '0')}.json`)));
  }

  const total: Record<string, number> = {};
  for (const table of TABLES) {
    const n = counts.reduce((a, c) => a + (c[table] ?? 0), 0);
    if (n) total[table] = n;
  }
  const labels: Labels = {
    seed: options.seed,
    options: { devices: options.devices, users: options.users, days: options.days, intrusions: options.intrusions, end: new Date(options.endMs).toISOString().replace('.000Z', 'Z') },
    start: org.clock.fmt(startK),
    end: org.clock.fmt(endK),
    tenantId: org.tenantId,
    domain: AD_DOMAIN,
    counts: total,
    intrusions: labelled.intrusions,
    benign: labelled.benign,
  };
  writeFileSync(join(options.out, 'labels.json'), JSON.stringify(labels, null, 1) + '\n');
  return { labels, counts: total, events: Object.values(total).reduce((a, b) => a + b, 0) };
}
