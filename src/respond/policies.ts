// Attack disruption policies: data, not code paths. One YAML (or JSON) file per policy in
// content/policies/, naming its trigger (which alerts an incident must hold, in which order, for the
// same user or device, within what time), the actions to take on which of the incident's entities,
// and whether it is on. Every policy is validated on load; an error names the file and the field.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { ContentError } from '../content/front-matter.js';
import { SEVERITIES, type Severity } from '../detect/model.js';
import { packageRoot } from '../util/package-root.js';

/** What containment can do. Each responder says which of these it carries out. */
export const ACTION_TYPES = ['disableUser', 'revokeSessions', 'isolateDevice'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** The entity an action applies to. */
export type TargetKind = 'user' | 'device';
const TARGET_OF: Record<ActionType, TargetKind> = { disableUser: 'user', revokeSessions: 'user', isolateDevice: 'device' };
export const targetKindOf = (a: ActionType): TargetKind => TARGET_OF[a];

/** Which trigger steps' alerts a target is taken from. */
export type TargetSource = 'first' | 'last' | 'all';

/** One alert the trigger needs. Every field given must hold (any of the values listed in a field). */
export interface TriggerStep {
  readonly name: string;
  /** The seed's stages (1–9): the alert evidences at least one of them. */
  readonly stages: readonly number[];
  /** MITRE tactics (compared without case and spaces: "Lateral Movement" = "LateralMovement"). */
  readonly tactics: readonly string[];
  /** Rule ids, `*` as a wildcard. */
  readonly rules: readonly string[];
  /** Alert titles, `*` as a wildcard, without case. */
  readonly titles: readonly string[];
  readonly minSeverity: Severity;
}

export interface PolicyTrigger {
  readonly steps: readonly TriggerStep[];
  /** 'sequence': each step's alert starts no earlier than the previous step's; 'any': in any order. */
  readonly order: 'sequence' | 'any';
  /** All steps' alerts share a user (object id, UPN, SID or account name). */
  readonly sameUser: boolean;
  /** All steps' alerts share a device. */
  readonly sameDevice: boolean;
  /** Longest time from the first step's evidence to the last's, in milliseconds (null: unbounded). */
  readonly withinMs: number | null;
  readonly within: string | null;
}

export interface PolicyAction {
  readonly type: ActionType;
  readonly target: TargetKind;
  readonly from: TargetSource;
}

export interface Policy {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly version: string;
  /** SHA-256 of the file's bytes: DisruptionAndResponseEvents' PolicyHash. */
  readonly hash: string;
  readonly file: string;
  readonly trigger: PolicyTrigger;
  readonly actions: readonly PolicyAction[];
  /** Entities never contained by this policy (names, UPNs, SIDs, object ids; `*` as a wildcard). */
  readonly exclude: { readonly users: readonly string[]; readonly devices: readonly string[] };
}

export function policiesDir(): string {
  return join(packageRoot(), 'content', 'policies');
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as 90s, 30m, 4h, 1d (Kusto's timespan literals), in milliseconds. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!m) return null;
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

/** `*` wildcard match, without case. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value);
}

const KNOWN_KEYS = new Set(['id', 'name', 'description', 'enabled', 'version', 'trigger', 'actions', 'exclude']);
const TRIGGER_KEYS = new Set(['steps', 'order', 'sameUser', 'sameDevice', 'within']);
const STEP_KEYS = new Set(['name', 'stages', 'tactics', 'rules', 'titles', 'minSeverity']);
const ACTION_KEYS = new Set(['type', 'target', 'from']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Parses and validates one policy file's text. */
export function parsePolicy(file: string, text: string): Policy {
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new ContentError(file, `not valid YAML/JSON: ${e.message.split('\n')[0]}`, e.linePos?.[0]?.line);
  }
  const raw: unknown = doc.toJS();
  /** The line of a path in the document, for error messages. */
  const lineOf = (path: (string | number)[]): number | undefined => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const at = node?.range?.[0];
    if (at === undefined) return undefined;
    return text.slice(0, at).split('\n').length;
  };
  const fail = (path: (string | number)[], message: string): never => {
    throw new ContentError(file, `${path.length ? `${path.join('.')}: ` : ''}${message}`, lineOf(path));
  };
  if (!isObj(raw)) fail([], 'a policy must be a mapping (id, name, trigger, actions, ...)');
  const p = raw as Obj;
  for (const k of Object.keys(p)) if (!KNOWN_KEYS.has(k)) fail([k], `unknown field (known: ${[...KNOWN_KEYS].join(', ')})`);

  const str = (path: (string | number)[], v: unknown, required: boolean): string => {
    if (v === undefined || v === null) {
      if (required) fail(path, 'is required');
      return '';
    }
    if (typeof v !== 'string' && typeof v !== 'number') fail(path, 'must be a string');
    return String(v);
  };
  const list = (path: (string | number)[], v: unknown): unknown[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) fail(path, 'must be a list');
    return v as unknown[];
  };
  const bool = (path: (string | number)[], v: unknown, dflt: boolean): boolean => {
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'boolean') fail(path, 'must be true or false');
    return v as boolean;
  };

  const id = str(['id'], p.id, true);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) fail(['id'], 'must be letters, digits, ".", "_" or "-"');
  const name = str(['name'], p.name, true);
  const description = str(['description'], p.description, false).trim();
  const enabled = bool(['enabled'], p.enabled, true);
  const version = str(['version'], p.version, false) || '1';

  if (!isObj(p.trigger)) fail(['trigger'], 'is required: a mapping with steps (and order, sameUser, sameDevice, within)');
  const t = p.trigger as Obj;
  for (const k of Object.keys(t)) if (!TRIGGER_KEYS.has(k)) fail(['trigger', k], `unknown field (known: ${[...TRIGGER_KEYS].join(', ')})`);
  const rawSteps = list(['trigger', 'steps'], t.steps);
  if (rawSteps.length === 0) fail(['trigger', 'steps'], 'must list at least one step');
  const steps: TriggerStep[] = rawSteps.map((s, i) => {
    const path = ['trigger', 'steps', i];
    if (!isObj(s)) fail(path, 'a step must be a mapping (stages, tactics, rules, titles, minSeverity)');
    const so = s as Obj;
    for (const k of Object.keys(so)) if (!STEP_KEYS.has(k)) fail([...path, k], `unknown field (known: ${[...STEP_KEYS].join(', ')})`);
    const stages = list([...path, 'stages'], so.stages).map((x, j) => {
      const n = Number(x);
      if (!Number.isInteger(n) || n < 1 || n > 9) fail([...path, 'stages', j], `${String(x)} is not a stage number 1–9`);
      return n;
    });
    const strings = (key: string) => list([...path, key], so[key]).map((x, j) => str([...path, key, j], x, true));
    const tactics = strings('tactics');
    const rules = strings('rules');
    const titles = strings('titles');
    const sev = so.minSeverity === undefined ? 'informational' : String(so.minSeverity).toLowerCase();
    if (!(SEVERITIES as readonly string[]).includes(sev)) fail([...path, 'minSeverity'], `must be one of ${SEVERITIES.join(', ')}`);
    if (!stages.length && !tactics.length && !rules.length && !titles.length) fail(path, 'a step needs at least one of stages, tactics, rules, titles');
    return { name: str([...path, 'name'], so.name, false) || `step ${i + 1}`, stages, tactics, rules, titles, minSeverity: sev as Severity };
  });
  const order = t.order === undefined ? 'sequence' : String(t.order);
  if (order !== 'sequence' && order !== 'any') fail(['trigger', 'order'], "must be 'sequence' or 'any'");
  const sameUser = bool(['trigger', 'sameUser'], t.sameUser, false);
  const sameDevice = bool(['trigger', 'sameDevice'], t.sameDevice, false);
  let within: string | null = null;
  let withinMs: number | null = null;
  if (t.within !== undefined && t.within !== null) {
    within = str(['trigger', 'within'], t.within, true);
    withinMs = parseDuration(within);
    if (withinMs === null || withinMs <= 0) fail(['trigger', 'within'], `'${within}' is not a duration such as 90s, 30m, 4h or 1d`);
  }

  const rawActions = list(['actions'], p.actions);
  if (rawActions.length === 0) fail(['actions'], 'must list at least one action');
  const actions: PolicyAction[] = rawActions.map((a, i) => {
    const path = ['actions', i];
    if (!isObj(a)) fail(path, 'an action must be a mapping (type, target, from)');
    const ao = a as Obj;
    for (const k of Object.keys(ao)) if (!ACTION_KEYS.has(k)) fail([...path, k], `unknown field (known: ${[...ACTION_KEYS].join(', ')})`);
    const type = str([...path, 'type'], ao.type, true);
    if (!(ACTION_TYPES as readonly string[]).includes(type)) fail([...path, 'type'], `'${type}' is not an action (known: ${ACTION_TYPES.join(', ')})`);
    const expected = TARGET_OF[type as ActionType];
    const target = ao.target === undefined ? expected : String(ao.target);
    if (target !== expected) fail([...path, 'target'], `${type} acts on a ${expected}, not a ${target}`);
    const from = ao.from === undefined ? (expected === 'device' ? 'first' : 'all') : String(ao.from);
    if (from !== 'first' && from !== 'last' && from !== 'all') fail([...path, 'from'], "must be 'first', 'last' or 'all' (which trigger steps' alerts the target comes from)");
    return { type: type as ActionType, target: expected, from: from as TargetSource };
  });

  let exclude = { users: [] as string[], devices: [] as string[] };
  if (p.exclude !== undefined && p.exclude !== null) {
    if (!isObj(p.exclude)) fail(['exclude'], 'must be a mapping with users and devices lists');
    const eo = p.exclude as Obj;
    for (const k of Object.keys(eo)) if (k !== 'users' && k !== 'devices') fail(['exclude', k], 'unknown field (known: users, devices)');
    exclude = {
      users: list(['exclude', 'users'], eo.users).map((x, j) => str(['exclude', 'users', j], x, true)),
      devices: list(['exclude', 'devices'], eo.devices).map((x, j) => str(['exclude', 'devices', j], x, true)),
    };
  }
  const hash = createHash('sha256').update(text).digest('hex');
  return { id, name, description, enabled, version, hash, file, trigger: { steps, order: order as 'sequence' | 'any', sameUser, sameDevice, within, withinMs }, actions, exclude };
}

/**
 * Loads every policy file (.yaml, .yml, .json) of a folder, or one file. Policy ids must be
 * unique. Disabled policies are loaded too (evaluation skips them).
 */
export function loadPolicies(path = policiesDir()): Policy[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter(f => /\.(ya?ml|json)$/i.test(f)).sort().map(f => join(path, f))
    : [path];
  const policies = files.map(f => parsePolicy(f, readFileSync(f, 'utf8')));
  const seen = new Map<string, string>();
  for (const p of policies) {
    const other = seen.get(p.id);
    if (other) throw new ContentError(p.file, `policy id '${p.id}' is also used by ${basename(other)}`);
    seen.set(p.id, p.file);
  }
  return policies;
}
