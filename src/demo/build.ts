// The demo database: a simulated organisation with the seed's intrusions and benign look-alikes,
// ingested, detected, correlated into incidents and answered by attack disruption (dry run), so the
// console and the CLI have a realistic case to show. Used by `chainhunt demo` and the browser tests.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../engine.js';
import { ingest, type IngestSummary } from '../ingest/ingest.js';
import { simulate, type SimulateResult } from '../simulate/index.js';
import type { Labels } from '../simulate/labels.js';
import { loadRules } from '../detect/rules.js';
import { detect, type DetectResult, type RuleRunSummary } from '../detect/detect.js';
import { correlate, type CorrelationSummary } from '../correlate/index.js';
import { respond, type RespondSummary } from '../respond/index.js';

export interface DemoBuildOptions {
  /** Folder for the telemetry and (unless dbPath says otherwise) the database; replaced. */
  readonly dir: string;
  readonly dbPath?: string;
  readonly seed?: number;
  readonly devices?: number;
  readonly days?: number;
  readonly intrusions?: number;
  readonly onStep?: (step: DemoStep) => void;
  readonly onSimulateProgress?: (events: number) => void;
  readonly onIngestProgress?: (p: { fileIndex: number; fileCount: number; records: number }) => void;
  readonly onRule?: (s: RuleRunSummary) => void;
}

export type DemoStep =
  | { readonly step: 'simulated'; readonly result: SimulateResult; readonly seconds: number; readonly telemetry: string }
  | { readonly step: 'ingested'; readonly summary: IngestSummary; readonly seconds: number }
  | { readonly step: 'detected'; readonly result: DetectResult; readonly seconds: number }
  | { readonly step: 'correlated'; readonly summary: CorrelationSummary; readonly seconds: number }
  | { readonly step: 'responded'; readonly summary: RespondSummary; readonly seconds: number };

export interface DemoDatabase {
  readonly dbPath: string;
  readonly telemetry: string;
  readonly labels: Labels;
}

const since = (t: number) => (performance.now() - t) / 1000;

export async function buildDemoDatabase(options: DemoBuildOptions): Promise<DemoDatabase> {
  const telemetry = join(options.dir, 'telemetry');
  const dbPath = options.dbPath ?? join(options.dir, 'demo.duckdb');
  rmSync(telemetry, { recursive: true, force: true });
  if (!options.dbPath) for (const f of ['demo.duckdb', 'demo.duckdb.wal', 'demo.duckdb.quarantine.jsonl']) rmSync(join(options.dir, f), { force: true });
  mkdirSync(options.dir, { recursive: true });

  let t = performance.now();
  const sim = await simulate({
    out: telemetry,
    seed: options.seed ?? 7,
    devices: options.devices ?? 80,
    days: options.days ?? 7,
    intrusions: options.intrusions ?? 4,
    onProgress: ({ events }) => options.onSimulateProgress?.(events),
  });
  options.onStep?.({ step: 'simulated', result: sim, seconds: since(t), telemetry });

  const engine = await Engine.open({ path: dbPath });
  try {
    t = performance.now();
    const summary = await ingest(engine.store, [telemetry], { quarantinePath: `${dbPath}.quarantine.jsonl`, onProgress: p => options.onIngestProgress?.(p) });
    options.onStep?.({ step: 'ingested', summary, seconds: since(t) });

    t = performance.now();
    const detected = await detect(engine, loadRules(), { onRule: options.onRule });
    options.onStep?.({ step: 'detected', result: detected, seconds: since(t) });

    t = performance.now();
    const correlation = await correlate(engine.store);
    options.onStep?.({ step: 'correlated', summary: correlation, seconds: since(t) });

    t = performance.now();
    const response = await respond(engine.store);
    options.onStep?.({ step: 'responded', summary: response, seconds: since(t) });
  } finally {
    engine.close();
  }
  return { dbPath, telemetry, labels: sim.labels };
}
