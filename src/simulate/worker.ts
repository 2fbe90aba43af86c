// Runs a partition of a simulation in a worker thread (each partition in its own, side by side).
// The worker plans the same world from the same options (planning is deterministic and cheap) and
// reports its progress, its row counts and (partition 0) the labels. When this module is loaded in a
// worker started by startPartitionWorker, it runs at once; in the main thread it only exports the
// starter. Workers get a large young generation: the simulator makes short-lived strings at a high
// rate, and with V8's default the scavenger's work grows with the organisation.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenignLabel, IntrusionLabel } from './labels.js';
import { planWorld, type RunOptions, runPartition } from './run.js';

const KIND = 'chainhunt-simulate-partition';
const YOUNG_GENERATION_MB = 192;

interface Job {
  kind: typeof KIND;
  options: RunOptions;
  partition: number;
}

export interface PartitionResult {
  counts: Record<string, number>;
  /** Partition 0's labels (the scenarios are written there). */
  labels?: { intrusions: IntrusionLabel[]; benign: BenignLabel[] };
}

type Message = { type: 'started' } | { type: 'progress'; written: number } | ({ type: 'done' } & PartitionResult) | { type: 'error'; message: string };

if (!isMainThread && (workerData as Job | undefined)?.kind === KIND) {
  const job = workerData as Job;
  const post = (m: Message) => parentPort!.postMessage(m);
  let last = 0;
  post({ type: 'started' });
  const world = planWorld(job.options);
  runPartition(world, job.partition, written => {
    if (written - last >= 100_000) {
      last = written;
      post({ type: 'progress', written });
    }
  }).then(
    counts =>
      post({
        type: 'done',
        counts,
        labels: job.partition === 0 ? { intrusions: world.intrusions.map(i => i.label()), benign: world.benign.map(b => b.label()) } : undefined,
      }),
    (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
}

/** The script a worker runs: this module from the sources (through tsx's API), or the CLI bundle that contains it. */
function workerScript(): { script: string; evaluate: boolean; execArgv: string[] } {
  const file = fileURLToPath(import.meta.url);
  // A V8 startup snapshot's flags do not apply to workers.
  const execArgv: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if (a === '--snapshot-blob' || a === '--build-snapshot') i++;
    else if (!a.startsWith('--snapshot-blob=')) execArgv.push(a);
  }
  if (!file.endsWith('.ts')) return { script: file, evaluate: false, execArgv };
  // From the TypeScript sources (tsx, tests): load this module through tsx in the worker.
  const api = createRequire(file).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const self = JSON.stringify(pathToFileURL(file).href);
  return { script: `import(${JSON.stringify(pathToFileURL(api).href)}).then(({ tsImport }) => tsImport(${self}, ${self}))`, evaluate: true, execArgv };
}

export interface PartitionWorker {
  /** The partition's result, or null when no worker could be started (run it in this thread then). */
  readonly done: Promise<PartitionResult | null>;
  terminate(): Promise<void>;
}

/** Starts a worker thread for a partition; `onProgress` gets its rows written so far. */
export function startPartitionWorker(options: RunOptions, partition: number, onProgress: (written: number) => void): PartitionWorker {
  let worker: Worker;
  try {
    const { script, evaluate, execArgv } = workerScript();
    worker = new Worker(script, {
      eval: evaluate,
      workerData: { kind: KIND, options, partition } satisfies Job,
      execArgv,
      stderr: true,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
  } catch {
    return { done: Promise.resolve(null), terminate: async () => {} };
  }
  let started = false;
  const done = new Promise<PartitionResult | null>((resolve, reject) => {
    worker.on('message', (m: Message) => {
      if (m.type === 'started') started = true;
      else if (m.type === 'progress') onProgress(m.written);
      else if (m.type === 'done') resolve({ counts: m.counts, labels: m.labels });
      else reject(new Error(`simulation worker: ${m.message}`));
    });
    worker.on('error', e => (started ? reject(e) : resolve(null)));
    worker.on('exit', code => {
      if (code !== 0 && started) reject(new Error(`simulation worker exited with code ${code}`));
      else resolve(null);
    });
  });
  // Settled later by the caller; never an unhandled rejection meanwhile.
  done.catch(() => {});
  // A worker that could not load (no tsx, a sandbox) says nothing on stderr: its partition runs here.
  worker.stderr.resume();
  return { done, terminate: async () => void (await worker.terminate()) };
}
