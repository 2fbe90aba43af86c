// Running detection rules over stored telemetry and turning their rows into alerts.
//
// How a rule is evaluated. Defender runs a custom detection every `frequency` over the last
// `lookback`. chainhunt evaluates a rule over a span of event time [from, to) by running its query
// over [from − lookback, to) (the engine limits every table the query reads to that window, as
// Defender limits a rule to its lookback) and keeping the rows whose Timestamp falls in [from, to).
// A row whose source events all lie within `lookback` before its Timestamp is therefore found exactly
// once, whatever the span — which is what a run at every instant (NRT) would find, and what runs
// every `frequency` find when lookback ≥ the row's span + frequency. (A coarse schedule can miss a
// correlation that straddles two runs; catch-up does not.) Rules are written so that their rows only
// depend on events within `lookback` before the row (content/rules/README.md: anchored correlations
// with bounded delays, or grouping by absolute time bins no longer than the lookback), so:
//
// - catch-up (`detect`) evaluates each rule over the whole stored period in consecutive chunks of
//   event time (default a week: each query reads at most a week plus the lookback), and
// - continuous evaluation (`detectWindow`, which `watch` builds on) evaluates the continuous rules
//   over the window of event time that just arrived.
//
// Both give the same alerts. An alert's id is deterministic: the rule id and the alert's first source
// event (its anchor). A row found again with more evidence (a burst that grew past a chunk boundary,
// a window evaluated again) merges into the same alert (mergeAlerts), so re-running detection adds
// no duplicates and catch-up does not depend on how the period is cut.
import { createHash } from 'node:crypto';
import type { Engine } from '../engine.js';
import { DEFENDER_TABLES } from '../schema/defender.js';
import type { Cell, QueryResult } from '../store/result.js';
import { combineAlerts, mergeAlerts } from './alert-store.js';
import type { Alert, AlertEntity, EntityKind, SourceEvent } from './model.js';
import { SOURCE_EVENTS_COLUMN, SOURCE_TABLE_COLUMN, type LoadedRule } from './rules.js';

const DAY_MS = 86_400_000;
/** Catch-up chunk: a week of event time per query (any chunk gives the same alerts; see above). */
export const DEFAULT_CHUNK_MS = 7 * DAY_MS;

export interface TimeSpan {
  readonly from: Date;
  readonly to: Date;
}

export interface RuleRunSummary {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: string;
  /** Result rows kept (Timestamp inside the evaluated span). */
  readonly rows: number;
  /** Distinct alerts the rows made. */
  readonly alerts: number;
  readonly added: number;
  readonly updated: number;
  readonly queries: number;
  readonly ms: number;
  readonly error?: string;
}

export interface DetectResult {
  readonly span: TimeSpan | null;
  readonly rules: RuleRunSummary[];
  readonly alerts: Alert[];
  readonly added: number;
  readonly updated: number;
  readonly failed: number;
}

export interface DetectOptions {
  /** End of the period (exclusive). Default: just after the latest event the rules read. */
  readonly now?: Date;
  /** Start of the period. Default: the earliest event the rules read. */
  readonly from?: Date;
  /** Length of each catch-up chunk of event time (ms); default DEFAULT_CHUNK_MS (a week). */
  readonly chunkMs?: number;
  /** Called after each rule. */
  readonly onRule?: (summary: RuleRunSummary) => void;
  /** Save the alerts (default true). */
  readonly save?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Rows → alerts

function asString(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A datetime as chainhunt prints it: ISO-8601 UTC with seven fractional digits. */
export function normalizeTimestamp(v: unknown): string {
  const s = String(v ?? '');
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?(?:Z|\+00:00)?$/.exec(s);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(7, '0')}Z`;
  const t = Date.parse(s);
  return Number.isNaN(t) ? s : new Date(t).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** Milliseconds since the epoch of a chainhunt datetime text (sub-millisecond digits truncated). */
function msOf(ts: string): number {
  return Date.parse(ts.replace(/(\.\d{3})\d*Z$/, '$1Z'));
}

function field(bag: Record<string, unknown>, name: string): unknown {
  if (name in bag) return bag[name];
  const key = Object.keys(bag).find(k => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : bag[key];
}

function compareEvents(a: SourceEvent, b: SourceEvent): number {
  const ka = `${a.timestamp}\u0000${a.table}\u0000${a.reportId}\u0000${a.deviceName}`;
  const kb = `${b.timestamp}\u0000${b.table}\u0000${b.reportId}\u0000${b.deviceName}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Finds the rows of `table` with these ReportIds inside the query window (for rules returning arrays of ids only). */
export type EventLookup = (table: string, reportIds: string[]) => Promise<SourceEvent[]>;

function storeLookup(engine: Engine, window: TimeSpan): EventLookup {
  return async (table, reportIds) => {
    const def = DEFENDER_TABLES.get(table);
    if (!def || reportIds.length === 0) return [];
    const hasDevice = def.columns.some(c => c.name === 'DeviceName');
    const out: SourceEvent[] = [];
    for (let i = 0; i < reportIds.length; i += 500) {
      const part = reportIds.slice(i, i + 500);
      const params = [window.from.toISOString().replace('Z', ''), window.to.toISOString().replace('Z', ''), ...part];
      const rows = await engine.store.sql(
        `SELECT CAST(ReportId AS VARCHAR), strftime(Timestamp, '%Y-%m-%dT%H:%M:%S.%f'), ${hasDevice ? 'DeviceName' : "''"} FROM "${def.name}"
         WHERE Timestamp >= CAST($1 AS TIMESTAMP) AND Timestamp < CAST($2 AS TIMESTAMP)
           AND CAST(ReportId AS VARCHAR) IN (${part.map((_, j) => `$${j + 3}`).join(', ')})`,
        params,
      );
      for (const r of rows) out.push({ table: def.name, reportId: String(r[0]), timestamp: normalizeTimestamp(r[1]), deviceName: String(r[2] ?? '') });
    }
    return out;
  };
}

/** The source events of one result row (see content/rules/README.md, "Source events"). */
async function sourceEventsOf(rule: LoadedRule, get: (name: string) => Cell | undefined, lookup: EventLookup): Promise<SourceEvent[]> {
  const listed = get(SOURCE_EVENTS_COLUMN);
  const events: SourceEvent[] = [];
  if (Array.isArray(listed) && listed.length) {
    for (const item of listed) {
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        throw new Error(`${SOURCE_EVENTS_COLUMN} must hold bags {Table, ReportId, Timestamp, DeviceName}; got ${JSON.stringify(item)}`);
      }
      const bag = item as Record<string, unknown>;
      const table = String(field(bag, 'Table') ?? '');
      if (!DEFENDER_TABLES.has(table)) throw new Error(`${SOURCE_EVENTS_COLUMN} names table '${table}', which is not a Defender table`);
      const reportId = field(bag, 'ReportId');
      if (reportId === undefined || reportId === null || reportId === '') continue;
      events.push({ table, reportId: String(reportId), timestamp: normalizeTimestamp(field(bag, 'Timestamp')), deviceName: String(field(bag, 'DeviceName') ?? '') });
    }
  } else {
    const table = asString(get(SOURCE_TABLE_COLUMN)) || rule.sourceTable;
    if (!table || !DEFENDER_TABLES.has(table)) throw new Error(`a result row does not say which table its ReportId comes from (${SOURCE_TABLE_COLUMN} is '${table ?? ''}')`);
    const rid = get('ReportId');
    if (Array.isArray(rid)) {
      events.push(...(await lookup(table, rid.filter(x => x !== null && x !== '').map(x => String(x)))));
    } else if (rid !== null && rid !== undefined && rid !== '') {
      events.push({ table, reportId: asString(rid), timestamp: normalizeTimestamp(get('Timestamp')), deviceName: asString(get('DeviceName')) });
    }
  }
  const unique = new Map(events.map(e => [`${e.table}\u0000${e.reportId}\u0000${e.timestamp}\u0000${e.deviceName}`, e]));
  return [...unique.values()].sort(compareEvents);
}

function entitiesOf(rule: LoadedRule, get: (name: string) => Cell | undefined): AlertEntity[] {
  const out: AlertEntity[] = [];
  const seen = new Set<string>();
  const add = (kind: EntityKind, v: unknown) => {
    if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'object') return;
    const value = String(v).trim();
    if (!value || seen.has(`${kind}\u0000${value}`)) return;
    seen.add(`${kind}\u0000${value}`);
    out.push({ kind, value });
  };
  for (const [kind, cols] of Object.entries(rule.entities) as [EntityKind, string | string[]][]) {
    for (const c of Array.isArray(cols) ? cols : [cols]) {
      const v = get(c);
      if (Array.isArray(v)) for (const x of v) add(kind, x);
      else add(kind, v);
    }
  }
  return out;
}

/** The deterministic alert id: the rule and the alert's anchor (its first source event). */
export function alertId(ruleId: string, anchor: SourceEvent): string {
  const h = createHash('sha256').update(`${ruleId}\n${anchor.table}\n${anchor.reportId}\n${anchor.timestamp}\n${anchor.deviceName}`).digest('hex');
  return `ch${h.slice(0, 30)}`;
}

/**
 * Alerts from a rule's result rows: one per row, rows with the same anchor merged. Rows whose
 * Timestamp falls outside `keep` (when given) are dropped first.
 */
export async function rowsToAlerts(rule: LoadedRule, result: QueryResult, lookup: EventLookup, keep?: TimeSpan): Promise<{ rows: number; alerts: Alert[] }> {
  const index = new Map(result.columns.map((c, i) => [c.name, i]));
  const byId = new Map<string, Alert>();
  let kept = 0;
  for (const row of result.rows) {
    const get = (name: string): Cell | undefined => {
      const i = index.get(name);
      return i === undefined ? undefined : row[i];
    };
    const tsCell = get('Timestamp');
    if (tsCell === null || tsCell === undefined) continue;
    const ts = normalizeTimestamp(tsCell);
    if (keep) {
      const ms = msOf(ts);
      if (!(ms >= keep.from.getTime() && ms < keep.to.getTime())) continue;
    }
    kept++;
    const sourceEvents = await sourceEventsOf(rule, get, lookup);
    if (sourceEvents.length === 0) continue;
    const times = [ts, ...sourceEvents.map(e => e.timestamp)].sort();
    const alert: Alert = {
      id: alertId(rule.id, sourceEvents[0]!),
      ruleId: rule.id,
      title: rule.title,
      description: rule.description,
      severity: rule.severity,
      category: rule.category,
      tactics: rule.tactics,
      techniques: rule.techniques,
      stages: rule.stages,
      firstActivity: times[0]!,
      lastActivity: times[times.length - 1]!,
      createdTime: ts,
      entities: entitiesOf(rule, get),
      sourceEvents,
      responseActions: rule.responseActions,
    };
    const seen = byId.get(alert.id);
    byId.set(alert.id, seen ? combineAlerts(seen, alert) : alert);
  }
  return { rows: kept, alerts: [...byId.values()] };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Runs one rule over [span.from − lookback, span.to) and keeps the rows stamped in [span.from, span.to). */
export async function evaluateRule(engine: Engine, rule: LoadedRule, span: TimeSpan): Promise<{ rows: number; alerts: Alert[] }> {
  const window = { from: new Date(span.from.getTime() - rule.lookbackMs), to: span.to };
  const result = await engine.query(rule.query, { now: span.to, window });
  return rowsToAlerts(rule, result, storeLookup(engine, window), span);
}

/** The earliest and latest event time in the tables the rules read (null when they are empty). */
export async function storedSpan(engine: Engine, rules: readonly LoadedRule[]): Promise<TimeSpan | null> {
  const tables = [...new Set(rules.flatMap(r => r.tables))].filter(t => DEFENDER_TABLES.get(t)?.columns.some(c => c.name === 'Timestamp' && c.type === 'datetime'));
  await engine.store.ensureTables(tables);
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of tables) {
    const [row] = await engine.store.sql(`SELECT epoch_ms(min(Timestamp)), epoch_ms(max(Timestamp)) FROM "${t}"`);
    if (!row || row[0] === null || row[0] === undefined) continue;
    lo = Math.min(lo, Number(row[0]));
    hi = Math.max(hi, Number(row[1]));
  }
  return Number.isFinite(lo) ? { from: new Date(lo), to: new Date(hi + 1) } : null;
}

async function runRule(engine: Engine, rule: LoadedRule, spans: TimeSpan[]): Promise<{ rows: number; alerts: Alert[]; queries: number }> {
  const byId = new Map<string, Alert>();
  let rows = 0;
  for (const span of spans) {
    const r = await evaluateRule(engine, rule, span);
    rows += r.rows;
    for (const a of r.alerts) {
      const seen = byId.get(a.id);
      byId.set(a.id, seen ? combineAlerts(seen, a) : a);
    }
  }
  return { rows, alerts: [...byId.values()], queries: spans.length };
}

function chunks(span: TimeSpan, chunkMs: number): TimeSpan[] {
  const out: TimeSpan[] = [];
  const from = span.from.getTime();
  const to = span.to.getTime();
  // Chunk boundaries on multiples of the chunk length since the epoch (UTC days by default).
  for (let start = Math.floor(from / chunkMs) * chunkMs; start < to; start += chunkMs) {
    out.push({ from: new Date(Math.max(start, from)), to: new Date(Math.min(start + chunkMs, to)) });
  }
  return out;
}

/**
 * Catch-up: runs every enabled rule over the stored period (see the top of this file), saves the
 * alerts (merging into those already stored) and returns a summary per rule. A rule that fails is
 * reported and the others still run.
 */
export async function detect(engine: Engine, rules: readonly LoadedRule[], options: DetectOptions = {}): Promise<DetectResult> {
  const enabled = rules.filter(r => r.enabled);
  const stored = await storedSpan(engine, enabled);
  const from = options.from ?? stored?.from;
  const to = options.now ?? stored?.to;
  const summaries: RuleRunSummary[] = [];
  const all: Alert[] = [];
  let added = 0;
  let updated = 0;
  let failed = 0;
  if (!from || !to || from >= to) {
    for (const r of enabled) {
      const s: RuleRunSummary = { ruleId: r.id, title: r.title, severity: r.severity, rows: 0, alerts: 0, added: 0, updated: 0, queries: 0, ms: 0 };
      summaries.push(s);
      options.onRule?.(s);
    }
    return { span: null, rules: summaries, alerts: [], added, updated, failed };
  }
  const span = { from, to };
  const parts = chunks(span, options.chunkMs ?? DEFAULT_CHUNK_MS);
  for (const rule of enabled) {
    const t0 = performance.now();
    let s: RuleRunSummary;
    try {
      const r = await runRule(engine, rule, parts);
      const saved = options.save === false ? { added: 0, updated: 0 } : await mergeAlerts(engine.store, r.alerts);
      all.push(...r.alerts);
      added += saved.added;
      updated += saved.updated;
      s = { ruleId: rule.id, title: rule.title, severity: rule.severity, rows: r.rows, alerts: r.alerts.length, added: saved.added, updated: saved.updated, queries: r.queries, ms: performance.now() - t0 };
    } catch (e) {
      failed++;
      s = { ruleId: rule.id, title: rule.title, severity: rule.severity, rows: 0, alerts: 0, added: 0, updated: 0, queries: 0, ms: performance.now() - t0, error: `${rule.file}: ${(e as Error).message}` };
    }
    summaries.push(s);
    options.onRule?.(s);
  }
  return { span, rules: summaries, alerts: all, added, updated, failed };
}

export interface WindowOptions {
  /** Only the continuous (NRT) rules (default true); false runs every enabled rule. */
  readonly continuousOnly?: boolean;
  /** Save the alerts (default true). */
  readonly save?: boolean;
}

/**
 * Continuous evaluation: runs the continuous rules (or all enabled rules) over the span of event time
 * [from, to) — each query reads [from − lookback, to) and keeps the rows stamped in [from, to) — and
 * saves the alerts, merging into stored ones. Evaluating a span again, or overlapping spans, is
 * harmless: alerts are merged by id. `watch` calls this with the span of event time that arrived.
 */
export async function detectWindow(engine: Engine, rules: readonly LoadedRule[], span: TimeSpan, options: WindowOptions = {}): Promise<DetectResult> {
  const chosen = rules.filter(r => r.enabled && (options.continuousOnly === false || r.frequency === 'continuous'));
  const summaries: RuleRunSummary[] = [];
  const all: Alert[] = [];
  let added = 0;
  let updated = 0;
  let failed = 0;
  for (const rule of chosen) {
    const t0 = performance.now();
    try {
      const r = await evaluateRule(engine, rule, span);
      const saved = options.save === false ? { added: 0, updated: 0 } : await mergeAlerts(engine.store, r.alerts);
      all.push(...r.alerts);
      added += saved.added;
      updated += saved.updated;
      summaries.push({ ruleId: rule.id, title: rule.title, severity: rule.severity, rows: r.rows, alerts: r.alerts.length, added: saved.added, updated: saved.updated, queries: 1, ms: performance.now() - t0 });
    } catch (e) {
      failed++;
      summaries.push({ ruleId: rule.id, title: rule.title, severity: rule.severity, rows: 0, alerts: 0, added: 0, updated: 0, queries: 1, ms: performance.now() - t0, error: `${rule.file}: ${(e as Error).message}` });
    }
  }
  return { span, rules: summaries, alerts: all, added, updated, failed };
}
