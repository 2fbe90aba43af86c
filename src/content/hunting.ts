// The hunting pack: the seed's queries A–K in content/hunting/, one .kql file each.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFENDER_TABLES } from '../schema/defender.js';
import { packageRoot } from '../util/package-root.js';
import { ContentError, parseFrontMatter } from './front-matter.js';

export interface HuntingQuery {
  /** File name without extension, e.g. "A-teams-rmm-correlation". */
  readonly name: string;
  readonly file: string;
  readonly title: string;
  /** The seed's section letter (A–K). */
  readonly section: string;
  /** The intrusion stages (1–9) the query hunts for. */
  readonly stages: readonly number[];
  readonly techniques: readonly string[];
  readonly tables: readonly string[];
  /** What chainhunt added to the seed's text, if anything. */
  readonly added?: string;
  readonly query: string;
  readonly queryLine: number;
}

export function huntingDir(): string {
  return join(packageRoot(), 'content', 'hunting');
}

function stringList(file: string, meta: Record<string, unknown>, key: string): string[] {
  const v = meta[key];
  if (!Array.isArray(v) || v.some(x => typeof x !== 'string' && typeof x !== 'number')) throw new ContentError(file, `front matter '${key}' must be a list`);
  return v.map(String);
}

export function parseHuntingQuery(file: string, text: string): HuntingQuery {
  const { meta, body, bodyLine } = parseFrontMatter(file, text);
  const title = meta.title;
  if (typeof title !== 'string' || !title.trim()) throw new ContentError(file, "front matter 'title' is required");
  const section = String(meta.section ?? '');
  if (!/^[A-Z]$/.test(section)) throw new ContentError(file, "front matter 'section' must be the seed's section letter (A–K)");
  const stages = stringList(file, meta, 'stages').map(Number);
  if (stages.some(s => !Number.isInteger(s) || s < 1 || s > 9)) throw new ContentError(file, "front matter 'stages' must list stage numbers 1–9");
  const techniques = stringList(file, meta, 'mitre');
  for (const t of techniques) if (!/^T\d{4}(\.\d{3})?$/.test(t)) throw new ContentError(file, `front matter 'mitre' has ${t}, not a MITRE technique id (T1234 or T1234.001)`);
  const tables = stringList(file, meta, 'tables');
  for (const t of tables) if (!DEFENDER_TABLES.has(t)) throw new ContentError(file, `front matter 'tables' names ${t}, which is not a Defender table`);
  if (!body.trim()) throw new ContentError(file, 'the query is empty');
  const added = typeof meta.added === 'string' ? meta.added : undefined;
  return { name: basename(file, '.kql'), file, title, section, stages, techniques, tables, added, query: body, queryLine: bodyLine };
}

export function loadHuntingPack(dir = huntingDir()): HuntingQuery[] {
  return readdirSync(dir)
    .filter(f => f.endsWith('.kql'))
    .sort()
    .map(f => parseHuntingQuery(join(dir, f), readFileSync(join(dir, f), 'utf8')));
}

/** Finds pack queries by name, file-name prefix or section letter (case-insensitive). */
export function selectHuntingQueries(pack: HuntingQuery[], names: string[]): HuntingQuery[] {
  if (names.length === 0) return pack;
  return names.map(n => {
    const key = n.toLowerCase();
    const hit = pack.find(q => q.name.toLowerCase() === key || q.section.toLowerCase() === key) ?? pack.find(q => q.name.toLowerCase().startsWith(key));
    if (!hit) throw new Error(`no hunting query named '${n}' (have: ${pack.map(q => q.name).join(', ')})`);
    return hit;
  });
}
