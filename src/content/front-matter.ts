// Content files (hunting queries, detection rules) are KQL with a YAML front matter block:
//   ---
//   title: ...
//   ---
//   <the query, exactly as written>
import { parse as parseYaml } from 'yaml';

export interface FrontMatterFile {
  readonly meta: Record<string, unknown>;
  readonly body: string;
  /** Line number (1-based) in the file where the body starts, to map query positions back. */
  readonly bodyLine: number;
}

export class ContentError extends Error {
  constructor(readonly file: string, message: string, readonly line?: number) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
    this.name = 'ContentError';
  }
}

export function parseFrontMatter(file: string, text: string): FrontMatterFile {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!normalized.startsWith('---\n')) throw new ContentError(file, 'missing front matter: the file must start with a line "---"', 1);
  const end = normalized.indexOf('\n---\n', 3);
  if (end < 0) throw new ContentError(file, 'front matter is not closed by a line "---"', 1);
  const yamlText = normalized.slice(4, end + 1);
  let meta: unknown;
  try {
    meta = parseYaml(yamlText);
  } catch (e) {
    throw new ContentError(file, `front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}`, 2);
  }
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw new ContentError(file, 'front matter must be a YAML mapping', 2);
  const body = normalized.slice(end + 5);
  const bodyLine = normalized.slice(0, end + 5).split('\n').length;
  return { meta: meta as Record<string, unknown>, body, bodyLine };
}
