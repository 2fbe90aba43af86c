// Detection rules: content/rules/<id>.kql, a YAML front matter modelled on Microsoft Defender
// custom detection rules and the KQL. Every rule is validated when it is loaded — front matter,
// entity mapping, the query (parsed, bound and compiled against the Defender schema) and its output
// columns — and every problem is a ContentError naming the file (and the line, for the query).
// content/rules/README.md documents the format.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileKql } from '../engine.js';
import { KqlError } from '../kql/diagnostics.js';
import { ContentError, parseFrontMatter } from '../content/front-matter.js';
import { packageRoot } from '../util/package-root.js';
import type { ResultColumn } from '../store/result.js';
import { SEVERITIES, type DetectionRule, type EntityKind, type EntityMapping, type Severity } from './model.js';

export const ENTITY_KINDS: readonly EntityKind[] = [
  'device', 'userObjectId', 'userUpn', 'userSid', 'userName', 'ip', 'url', 'file', 'fileHash', 'process', 'registryValue', 'teamsThread', 'mailbox',
];

/** MITRE ATT&CK enterprise tactics, by their canonical names. */
export const MITRE_TACTICS: readonly string[] = [
  'Reconnaissance', 'Resource Development', 'Initial Access', 'Execution', 'Persistence', 'Privilege Escalation', 'Defense Evasion',
  'Credential Access', 'Discovery', 'Lateral Movement', 'Collection', 'Command and Control', 'Exfiltration', 'Impact',
];

/**
 * Response actions, by Defender's names (the custom detection rule's actions: device, file, user and
 * email actions as the Graph API's detectionRule names them, without the "ResponseAction" suffix),
 * plus revokeSessions (attack disruption's "suspend the originating user session").
 */
export const RESPONSE_ACTIONS: readonly string[] = [
  'isolateDevice', 'collectInvestigationPackage', 'runAntivirusScan', 'initiateInvestigation', 'restrictAppExecution',
  'stopAndQuarantineFile', 'blockFile', 'allowFile',
  'markUserAsCompromised', 'disableUser', 'forceUserPasswordReset', 'revokeSessions',
  'softDelete', 'hardDelete', 'moveToJunk', 'moveToInbox', 'moveToDeletedItems',
];

const KEYS = new Set([
  'id', 'title', 'description', 'severity', 'category', 'tactics', 'techniques', 'stages', 'frequency', 'lookback', 'entities',
  'responseActions', 'enabled', 'sourceTable', 'references', 'falsePositives', 'notes',
]);

/** The output columns a rule may use to say where its source events come from (README.md). */
export const SOURCE_EVENTS_COLUMN = 'SourceEvents';
export const SOURCE_TABLE_COLUMN = 'SourceTable';

/** Tables that hold alerts rather than events: a rule reading them still needs events to point to. */
const ALERT_TABLES = new Set(['AlertInfo', 'AlertEvidence']);

export interface LoadedRule extends DetectionRule {
  /** Lookback in milliseconds. */
  readonly lookbackMs: number;
  /** Run period in milliseconds; 0 for continuous (NRT) rules. */
  readonly frequencyMs: number;
  /** The alert category: front matter `category`, or the first tactic without spaces (Defender's form). */
  readonly category: string;
  /** The query's output columns, from the binder. */
  readonly columns: readonly ResultColumn[];
  /** The table of each source event when the query does not say it (SourceEvents / SourceTable columns). */
  readonly sourceTable?: string;
  /** The Defender tables the query reads. */
  readonly tables: readonly string[];
}

export function rulesDir(): string {
  return join(packageRoot(), 'content', 'rules');
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A Kusto timespan literal as milliseconds: `30m`, `1h`, `2d`, `1.5h`, `90s`, or `[d.]hh:mm[:ss]`.
 * Returns undefined when the text is not one.
 */
export function parseTimespan(text: string): number | undefined {
  const t = text.trim();
  const unit = /^(\d+(?:\.\d+)?)(ms|s|min|m|h|d)$/.exec(t);
  if (unit) return Number(unit[1]) * UNIT_MS[unit[2]!]!;
  const clock = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (clock) {
    const [, d, h, m, s, f] = clock;
    return ((Number(d ?? 0) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s ?? 0) * 1000 + (f ? Number(`0.${f}`) * 1000 : 0);
  }
  return undefined;
}

function fail(file: string, message: string, line?: number): never {
  throw new ContentError(file, message, line);
}

function list(file: string, meta: Record<string, unknown>, key: string, required = true): string[] {
  const v = meta[key];
  if (v === undefined && !required) return [];
  if (!Array.isArray(v) || v.some(x => typeof x !== 'string' && typeof x !== 'number')) fail(file, `front matter '${key}' must be a list`);
  return v.map(String);
}

function text(file: string, meta: Record<string, unknown>, key: string): string {
  const v = meta[key];
  if (typeof v !== 'string' || !v.trim()) fail(file, `front matter '${key}' is required (a non-empty string)`);
  return v.trim();
}

function canonicalTactic(file: string, name: string): string {
  const key = name.toLowerCase().replace(/[\s_-]+/g, '');
  const hit = MITRE_TACTICS.find(t => t.toLowerCase().replace(/\s+/g, '') === key);
  if (!hit) fail(file, `front matter 'tactics' has '${name}', not a MITRE ATT&CK tactic (${MITRE_TACTICS.join(', ')})`);
  return hit;
}

function entityMapping(file: string, v: unknown): EntityMapping {
  if (v === undefined) fail(file, "front matter 'entities' is required (entity kind: result column, or a list of columns)");
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(file, "front matter 'entities' must be a mapping of entity kind to result column(s)");
  const out: Record<string, string | string[]> = {};
  for (const [kind, cols] of Object.entries(v as Record<string, unknown>)) {
    if (!(ENTITY_KINDS as readonly string[]).includes(kind)) fail(file, `unknown entity kind '${kind}' in 'entities' (known: ${ENTITY_KINDS.join(', ')})`);
    if (typeof cols === 'string' && cols.trim()) out[kind] = cols.trim();
    else if (Array.isArray(cols) && cols.length && cols.every(c => typeof c === 'string' && c.trim())) out[kind] = cols.map(c => (c as string).trim());
    else fail(file, `entity '${kind}' must name a result column or a list of result columns`);
  }
  if (Object.keys(out).length === 0) fail(file, "front matter 'entities' maps no entity: an alert needs at least one");
  return out as EntityMapping;
}

/** Parses and validates one rule file's text (the query is compiled against the Defender schema). */
export function parseRule(file: string, source: string): LoadedRule {
  const { meta, body, bodyLine } = parseFrontMatter(file, source);
  for (const k of Object.keys(meta)) if (!KEYS.has(k)) fail(file, `unknown front matter key '${k}' (known: ${[...KEYS].join(', ')})`);

  const id = text(file, meta, 'id');
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) fail(file, `front matter 'id' must be lower-case words joined by '-' (got '${id}')`);
  const stem = basename(file, '.kql');
  if (stem !== id) fail(file, `front matter 'id' is '${id}' but the file is named '${stem}.kql': they must match`);
  const title = text(file, meta, 'title');
  const description = text(file, meta, 'description');
  const severity = meta.severity as Severity;
  if (!SEVERITIES.includes(severity)) fail(file, `front matter 'severity' must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(meta.severity)})`);

  const tactics = list(file, meta, 'tactics').map(t => canonicalTactic(file, t));
  if (tactics.length === 0) fail(file, "front matter 'tactics' must list at least one MITRE tactic");
  const techniques = list(file, meta, 'techniques');
  for (const t of techniques) if (!/^T\d{4}(\.\d{3})?$/.test(t)) fail(file, `front matter 'techniques' has '${t}', not a MITRE technique id (T1234 or T1234.001)`);
  const stages = list(file, meta, 'stages').map(Number);
  if (stages.length === 0 || stages.some(s => !Number.isInteger(s) || s < 1 || s > 9)) fail(file, "front matter 'stages' must list the seed's stage numbers (1–9)");

  const frequency = String(meta.frequency ?? '').trim();
  let frequencyMs = 0;
  if (frequency !== 'continuous') {
    const f = parseTimespan(frequency);
    if (f === undefined || f <= 0) fail(file, `front matter 'frequency' must be 'continuous' (near real time) or a period such as 5m, 1h, 1d (got ${JSON.stringify(meta.frequency)})`);
    frequencyMs = f;
  }
  const lookback = String(meta.lookback ?? '').trim();
  const lookbackMs = parseTimespan(lookback);
  if (lookbackMs === undefined || lookbackMs <= 0) fail(file, `front matter 'lookback' must be a Kusto timespan such as 30m, 1h, 1d (got ${JSON.stringify(meta.lookback)})`);
  if (lookbackMs > 30 * 86_400_000) fail(file, "front matter 'lookback' is longer than 30d (Defender's advanced hunting retention)");
  if (frequencyMs > lookbackMs) fail(file, `front matter 'frequency' (${frequency}) is longer than 'lookback' (${lookback}): runs would leave gaps no query sees`);

  const entities = entityMapping(file, meta.entities);
  const responseActions = list(file, meta, 'responseActions', false);
  for (const a of responseActions) if (!RESPONSE_ACTIONS.includes(a)) fail(file, `unknown response action '${a}' (known: ${RESPONSE_ACTIONS.join(', ')})`);
  const enabled = meta.enabled === undefined ? true : meta.enabled;
  if (typeof enabled !== 'boolean') fail(file, "front matter 'enabled' must be true or false");
  const category = meta.category === undefined ? tactics[0]!.split(/\s+/).map(w => w[0]!.toUpperCase() + w.slice(1)).join('') : text(file, meta, 'category');
  for (const k of ['references', 'falsePositives'] as const) list(file, meta, k, false);

  if (!body.trim()) fail(file, 'the query is empty', bodyLine);

  // The query: parse, bind and compile; its output columns come from the binder.
  let compiled;
  try {
    compiled = compileKql(body, { now: new Date(0) });
  } catch (e) {
    if (e instanceof KqlError) {
      const d = e.diagnostics[0]!;
      fail(file, `query error ${d.code ? d.code + ': ' : ''}${d.message} (query line ${d.line}, column ${d.column})${e.diagnostics.length > 1 ? ` (+${e.diagnostics.length - 1} more)` : ''}`, bodyLine + d.line - 1);
    }
    fail(file, `query error: ${(e as Error).message}`, bodyLine);
  }
  const columns = compiled.columns.map(c => ({ name: c.name, type: c.type }));
  const col = (name: string) => columns.find(c => c.name === name);
  const ts = col('Timestamp');
  if (!ts) fail(file, 'the query must return a Timestamp column (Defender custom detection rules must return Timestamp and ReportId)', bodyLine);
  if (ts.type !== 'datetime') fail(file, `the query's Timestamp column must be a datetime (it is ${ts.type})`, bodyLine);
  const rid = col('ReportId');
  if (!rid) fail(file, 'the query must return a ReportId column (Defender custom detection rules must return Timestamp and ReportId; an aggregating rule returns a dynamic array of ids)', bodyLine);
  if (!['long', 'int', 'string', 'dynamic'].includes(rid.type)) fail(file, `the query's ReportId column must be a long, a string or a dynamic array (it is ${rid.type})`, bodyLine);
  const se = col(SOURCE_EVENTS_COLUMN);
  if (se && se.type !== 'dynamic') fail(file, `the query's ${SOURCE_EVENTS_COLUMN} column must be dynamic (an array of {Table, ReportId, Timestamp, DeviceName})`, bodyLine);
  const st = col(SOURCE_TABLE_COLUMN);
  if (st && st.type !== 'string') fail(file, `the query's ${SOURCE_TABLE_COLUMN} column must be a string`, bodyLine);
  for (const [kind, cols] of Object.entries(entities)) {
    for (const c of Array.isArray(cols) ? cols : [cols]) {
      if (!col(c)) fail(file, `entity '${kind}' maps column '${c}', which the query does not return (it returns: ${columns.map(x => x.name).join(', ')})`, bodyLine);
    }
  }

  // Where each source event comes from: SourceEvents, SourceTable, front matter sourceTable, or the one table read.
  const tables = compiled.tables;
  let sourceTable: string | undefined;
  if (meta.sourceTable !== undefined) {
    sourceTable = text(file, meta, 'sourceTable');
    if (!tables.includes(sourceTable)) fail(file, `front matter 'sourceTable' is ${sourceTable}, which the query does not read (it reads: ${tables.join(', ')})`);
  } else if (!se && !st) {
    const events = tables.filter(t => !ALERT_TABLES.has(t));
    if (events.length !== 1) {
      fail(file, `the query reads ${events.length ? events.join(', ') : 'no event table'}: say which table each ReportId comes from (a ${SOURCE_EVENTS_COLUMN} or ${SOURCE_TABLE_COLUMN} column, or front matter 'sourceTable')`, bodyLine);
    }
    sourceTable = events[0];
  }

  return {
    id, file, title, description, severity, tactics, techniques, stages, frequency, lookback, entities, responseActions, enabled,
    query: body, queryLine: bodyLine, lookbackMs, frequencyMs, category, columns, sourceTable, tables,
  };
}

/** Loads and validates every .kql file of a folder (sorted by name); ids must be unique. */
export function loadRules(dir = rulesDir()): LoadedRule[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter(f => f.endsWith('.kql')).sort();
  } catch (e) {
    throw new ContentError(dir, `cannot read the rules folder: ${(e as Error).message}`);
  }
  const rules = files.map(f => parseRule(join(dir, f), readFileSync(join(dir, f), 'utf8')));
  const seen = new Map<string, string>();
  for (const r of rules) {
    const other = seen.get(r.id);
    if (other) throw new ContentError(r.file, `rule id '${r.id}' is also used by ${other}`);
    seen.set(r.id, r.file);
  }
  return rules;
}
