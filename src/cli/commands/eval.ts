// chainhunt eval --db FILE --labels labels.json [--format table|json]: score the stored alerts,
// incidents and disruption actions against the simulator's ground truth.
import { readFileSync } from 'node:fs';
import { Engine } from '../../engine.js';
import { loadAlerts } from '../../detect/alert-store.js';
import { evaluate, type EvalReport } from '../../eval/evaluate.js';
import { formatReport } from '../../eval/report.js';
import { incidentSource } from '../../respond/incidents.js';
import { loadActions } from '../../respond/store.js';
import type { Labels } from '../../simulate/labels.js';
import { toJson } from '../../util/json.js';
import { UsageError } from '../errors.js';

export interface EvalCommandOptions {
  readonly db: string;
  readonly labels: string;
  readonly format?: 'table' | 'json';
}

export function readLabels(path: string): Labels {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the labels ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const l = raw as Partial<Labels>;
  if (!l || !Array.isArray(l.intrusions) || !Array.isArray(l.benign)) throw new UsageError(`${path} is not a simulator labels.json (no intrusions and benign lists)`);
  return l as Labels;
}

/** The report for a database and its labels. */
export async function evaluateDatabase(db: string, labels: Labels): Promise<EvalReport> {
  const engine = await Engine.open({ path: db });
  try {
    const alerts = await loadAlerts(engine.store);
    const incidents = await incidentSource.load(engine.store);
    const actions = await loadActions(engine.store);
    return evaluate(labels, alerts, incidents, actions);
  } finally {
    engine.close();
  }
}

export async function runEvalCommand(options: EvalCommandOptions): Promise<number> {
  const labels = readLabels(options.labels);
  const report = await evaluateDatabase(options.db, labels);
  process.stdout.write((options.format === 'json' ? toJson(report) : formatReport(report)) + '\n');
  return 0;
}
