// chainhunt watch --db FILE --from DIR: ingest telemetry files as they arrive in a folder and, as
// each batch lands, run the continuous (NRT) detection rules over the event time that arrived,
// correlate, and respond (attack disruption).
//
// One pass ("tick") every --interval:
//  1. files new or grown since the last pass, and complete (ending in a newline, or unchanged in size
//     since the previous pass), are ingested (ingest() skips content it already has and resumes
//     grown files);
//  2. the event-time span that landed is read from the rows appended to each table (DuckDB row ids
//     grow as rows are appended): [earliest, latest] Timestamp of the new rows;
//  3. the continuous rules that read a table that got rows run over the event time those tables
//     received (detectWindow: each query reads the span plus its lookback, keeps rows stamped inside
//     the span; alerts merge by id); a rule none of whose tables changed cannot find anything new
//     and is not run. Scheduled rules run over the
//     event time accumulated since their last run, once their frequency has elapsed on the clock. A
//     span longer than a day (a backlog) goes through catch-up detection in day chunks instead;
//  4. when alerts were added or grew: correlate, then respond.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Engine } from '../../engine.js';
import { detect, detectWindow, type TimeSpan } from '../../detect/detect.js';
import { loadRules, type LoadedRule } from '../../detect/rules.js';
import { withRuleState } from '../../detect/rule-state.js';
import type { Alert } from '../../detect/model.js';
import { correlate, type CorrelationSummary } from '../../correlate/index.js';
import { expandPaths, ingest, type FileResult } from '../../ingest/ingest.js';
import { DEFENDER_TABLES } from '../../schema/defender.js';
import type { DuckDbStore } from '../../store/duckdb-store.js';
import { respond, type RespondSummary } from '../../respond/respond.js';
import { loadPolicies, parseDuration, type Policy } from '../../respond/policies.js';
import { createResponders, ResponderConfigError, type Responder } from '../../respond/responders/index.js';
import { UsageError } from '../errors.js';
import { actionLine } from './respond.js';

const DAY_MS = 86_400_000;

export interface TickReport {
  /** Wall-clock ms when the pass started and when its alerts were saved. */
  readonly startedAt: number;
  readonly detectedAt: number;
  readonly files: FileResult[];
  /** Event time that landed in this pass. */
  readonly span: TimeSpan | null;
  readonly rows: number;
  /** Alerts the rules found in this pass (new or grown). */
  readonly alerts: Alert[];
  readonly added: number;
  readonly correlation: CorrelationSummary | null;
  readonly response: RespondSummary | null;
  readonly ms: { readonly ingest: number; readonly detect: number; readonly correlate: number; readonly respond: number; readonly total: number };
  /** Rules that failed. */
  readonly errors: string[];
  /** Files that could not be read as telemetry (tried again only once they change). */
  readonly warnings: string[];
}

export interface WatchOptions {
  /** The folder to watch (read recursively). */
  readonly from: string;
  readonly quarantinePath: string;
  /** Time between passes (ms); default 500. */
  readonly intervalMs?: number;
  readonly rules?: readonly LoadedRule[];
  readonly policies?: readonly Policy[];
  readonly responders?: readonly Responder[];
  /** Stops the loop (after the pass under way). */
  readonly signal?: AbortSignal;
  /** Run one pass and return. */
  readonly once?: boolean;
  readonly onTick?: (t: TickReport) => void;
  /** Skip correlation and response (detection only). */
  readonly detectOnly?: boolean;
}

interface Seen {
  size: number;
  mtimeMs: number;
}

/** The row id up to which each table has been looked at. */
async function rowMarks(store: DuckDbStore): Promise<Map<string, bigint>> {
  const marks = new Map<string, bigint>();
  const existing = new Set((await store.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")).map(r => String(r[0])));
  for (const t of DEFENDER_TABLES.keys()) {
    if (!existing.has(t)) continue;
    const [row] = await store.sql(`SELECT coalesce(max(rowid), -1) FROM "${t}"`);
    marks.set(t, BigInt(String(row![0])));
  }
  return marks;
}

const union = (a: TimeSpan | null, b: TimeSpan | null): TimeSpan | null =>
  !a ? b : !b ? a : { from: new Date(Math.min(a.from.getTime(), b.from.getTime())), to: new Date(Math.max(a.to.getTime(), b.to.getTime())) };

/** The event-time span of the rows appended to each table since the marks (and moves the marks). */
async function landedSpans(store: DuckDbStore, tables: readonly string[], marks: Map<string, bigint>): Promise<{ spans: Map<string, TimeSpan>; span: TimeSpan | null; rows: number }> {
  const spans = new Map<string, TimeSpan>();
  let all: TimeSpan | null = null;
  let rows = 0;
  for (const t of tables) {
    const def = DEFENDER_TABLES.get(t);
    if (!def?.columns.some(c => c.name === 'Timestamp' && c.type === 'datetime')) continue;
    const mark = marks.get(t) ?? -1n;
    const [r] = await store.sql(`SELECT epoch_ms(min(Timestamp)), epoch_ms(max(Timestamp)), max(rowid), count(*) FROM "${t}" WHERE rowid > $1`, [mark]);
    if (!r || r[2] === null || r[2] === undefined) continue;
    marks.set(t, BigInt(String(r[2])));
    rows += Number(r[3]);
    if (r[0] === null || r[0] === undefined) continue;
    const span = { from: new Date(Number(r[0])), to: new Date(Number(r[1]) + 1) };
    spans.set(t, span);
    all = union(all, span);
  }
  return { spans, span: all, rows };
}

/**
 * The continuous rules to run and the span each runs over: a rule runs only when a table it reads got
 * rows (otherwise its results cannot change), over the event time those tables received. Rules with
 * the same span are grouped into one call.
 */
function ruleSpans(rules: readonly LoadedRule[], spans: Map<string, TimeSpan>): { span: TimeSpan; rules: LoadedRule[] }[] {
  const groups = new Map<string, { span: TimeSpan; rules: LoadedRule[] }>();
  for (const r of rules) {
    let span: TimeSpan | null = null;
    for (const t of r.tables) span = union(span, spans.get(t) ?? null);
    if (!span) continue;
    const key = `${span.from.getTime()}-${span.to.getTime()}`;
    const g = groups.get(key) ?? { span, rules: [] };
    g.rules.push(r);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** Files that are new or changed since the last pass and look complete. */
function readyFiles(dir: string, seen: Map<string, Seen>, pending: Map<string, Seen>, exclude: string): string[] {
  const out: string[] = [];
  for (const { path } of expandPaths([dir])) {
    const full = resolve(path);
    if (full === exclude) continue;
    let st;
    try {
      st = statSync(full);
    } catch {
      continue;
    }
    const now = { size: st.size, mtimeMs: st.mtimeMs };
    const last = seen.get(full);
    if (last && last.size === now.size && last.mtimeMs === now.mtimeMs) continue;
    const before = pending.get(full);
    const stable = before && before.size === now.size && before.mtimeMs === now.mtimeMs;
    if (stable || endsWithNewline(full, now.size)) {
      out.push(full);
      pending.delete(full);
    } else {
      pending.set(full, now);
    }
  }
  return out;
}

function endsWithNewline(path: string, size: number): boolean {
  if (size === 0 || /\.gz$/i.test(path)) return false;
  try {
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(1);
      readSync(fd, b, 0, 1, size - 1);
      return b[0] === 10;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Watches a folder until the signal aborts (or for one pass). */
export async function watchFolder(engine: Engine, options: WatchOptions): Promise<void> {
  const store = engine.store;
  // Rules as this database has them switched (the console's or `detect`'s choices).
  const rules = await withRuleState(store, options.rules ?? loadRules());
  const continuous = rules.filter(r => r.enabled && r.frequency === 'continuous');
  const scheduled = rules.filter(r => r.enabled && r.frequency !== 'continuous');
  const policies = options.policies ?? loadPolicies();
  const interval = options.intervalMs ?? 500;
  const seen = new Map<string, Seen>();
  const pending = new Map<string, Seen>();
  const marks = await rowMarks(store);
  const exclude = resolve(options.quarantinePath);
  // Scheduled rules: the event time not yet evaluated, and when each last ran (wall clock).
  let scheduledSpan: TimeSpan | null = null;
  const lastScheduled = new Map<string, number>(scheduled.map(r => [r.id, 0]));

  for (;;) {
    if (options.signal?.aborted) return;
    const startedAt = Date.now();
    const errors: string[] = [];
    const warnings: string[] = [];
    const t0 = performance.now();
    const files = readyFiles(options.from, seen, pending, exclude);
    let results: FileResult[] = [];
    const touched = new Set<string>();
    if (files.length) {
      const summary = await ingest(store, files, { quarantinePath: options.quarantinePath });
      results = summary.files;
      for (const f of summary.files) {
        try {
          const st = statSync(f.path);
          seen.set(resolve(f.path), { size: st.size, mtimeMs: st.mtimeMs });
        } catch {
          // gone since
        }
        if (f.status === 'failed') warnings.push(`${f.path}: ${f.message ?? 'failed'}`);
      }
      for (const [t, c] of summary.tables) if (c.accepted) touched.add(t);
    }
    const t1 = performance.now();
    const { spans, span, rows } = touched.size ? await landedSpans(store, [...touched], marks) : { spans: new Map<string, TimeSpan>(), span: null, rows: 0 };

    let alerts: Alert[] = [];
    let added = 0;
    let updated = 0;
    if (span) {
      scheduledSpan = scheduledSpan ? { from: new Date(Math.min(scheduledSpan.from.getTime(), span.from.getTime())), to: new Date(Math.max(scheduledSpan.to.getTime(), span.to.getTime())) } : span;
      const backlog = span.to.getTime() - span.from.getTime() > DAY_MS;
      const runs = backlog ? [await detect(engine, rules, { from: span.from, now: span.to })] : [];
      if (!backlog) for (const g of ruleSpans(continuous, spans)) runs.push(await detectWindow(engine, g.rules, g.span));
      for (const r of runs) {
        alerts = [...alerts, ...r.alerts];
        added += r.added;
        updated += r.updated;
        for (const s of r.rules) if (s.error) errors.push(s.error);
      }
      if (backlog) {
        scheduledSpan = null;
        for (const k of lastScheduled.keys()) lastScheduled.set(k, Date.now());
      }
    }
    if (scheduledSpan && scheduled.length) {
      const due = scheduled.filter(r => Date.now() - (lastScheduled.get(r.id) ?? 0) >= r.frequencyMs);
      if (due.length) {
        const r = await detectWindow(engine, due, scheduledSpan, { continuousOnly: false });
        alerts = [...alerts, ...r.alerts];
        added += r.added;
        updated += r.updated;
        for (const s of r.rules) if (s.error) errors.push(s.error);
        for (const d of due) lastScheduled.set(d.id, Date.now());
        if (due.length === scheduled.length) scheduledSpan = null;
      }
    }
    const detectedAt = Date.now();
    const t2 = performance.now();
    let correlation: CorrelationSummary | null = null;
    let response: RespondSummary | null = null;
    let t3 = t2;
    if ((added || updated) && !options.detectOnly) {
      correlation = await correlate(store);
      t3 = performance.now();
      response = await respond(store, { policies, responders: options.responders });
    }
    const t4 = performance.now();
    options.onTick?.({
      startedAt, detectedAt, files: results, span, rows, alerts, added, correlation, response, errors, warnings,
      ms: { ingest: t1 - t0, detect: t2 - t1, correlate: t3 - t2, respond: t4 - t3, total: t4 - t0 },
    });
    if (options.once) return;
    const wait = interval - (performance.now() - t0);
    if (wait > 0) {
      await new Promise<void>(resolveWait => {
        const done = () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', done);
          resolveWait();
        };
        const timer = setTimeout(done, wait);
        options.signal?.addEventListener('abort', done, { once: true });
      });
    }
  }
}

export interface WatchCommandOptions {
  readonly db: string;
  readonly from: string;
  readonly interval?: string;
  readonly responder?: string;
  readonly config?: string;
  readonly once?: boolean;
  readonly quarantine?: string;
}

export async function runWatchCommand(options: WatchCommandOptions): Promise<number> {
  const intervalMs = options.interval ? parseDuration(options.interval) : 500;
  if (intervalMs === null || intervalMs <= 0) throw new UsageError(`--interval '${options.interval}' is not a duration such as 500ms or 2s`);
  try {
    if (!statSync(options.from).isDirectory()) throw new UsageError(`--from ${options.from} is not a folder`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--from ${options.from}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let responders;
  try {
    responders = createResponders(options.responder ?? 'dry-run', options.config);
  } catch (e) {
    if (e instanceof ResponderConfigError) throw new UsageError(e.message);
    throw e;
  }
  const rules = loadRules();
  const engine = await Engine.open({ path: options.db });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.stderr.write(`watching ${options.from} (every ${intervalMs} ms; ${rules.filter(r => r.enabled && r.frequency === 'continuous').length} continuous rules); Ctrl-C stops\n`);
  let failed = false;
  try {
    await watchFolder(engine, {
      from: options.from, quarantinePath: options.quarantine ?? `${options.db}.quarantine.jsonl`, intervalMs, rules, responders, signal: stop.signal, once: options.once,
      onTick: t => {
        for (const w of t.warnings) process.stderr.write(`  not ingested: ${w}\n`);
        if (!t.files.length && !t.alerts.length) return;
        const landed = t.files.filter(f => f.status === 'ingested' || f.status === 'resumed');
        const parts = [`${landed.length} file(s), ${t.rows} row(s)`];
        if (t.span) parts.push(`events ${t.span.from.toISOString()} – ${t.span.to.toISOString()}`);
        parts.push(`${t.added} new alert(s)`);
        if (t.correlation) parts.push(`${t.correlation.incidents} incident(s) (${t.correlation.created.length} new)`);
        parts.push(`${Math.round(t.ms.total)} ms`);
        process.stdout.write(`${new Date(t.startedAt).toISOString()}  ${parts.join(', ')}\n`);
        for (const a of t.response?.recorded ?? []) process.stdout.write(`  ${actionLine(a)}\n`);
        for (const e of t.errors) {
          failed = true;
          process.stderr.write(`  error: ${e}\n`);
        }
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    engine.close();
  }
  return failed ? 1 : 0;
}
