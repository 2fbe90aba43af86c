// chainhunt query: run KQL from an argument, a file or stdin; or answer JSON lines in batch.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Engine, compileKql } from '../../engine.js';
import { formatResult, resultJson, type OutputFormat } from '../output.js';
import { toJson } from '../../util/json.js';
import { UsageError, userMessage } from '../errors.js';

export interface QueryOptions {
  readonly file?: string;
  readonly db?: string;
  readonly format: OutputFormat;
  readonly explain?: boolean;
  readonly jsonl?: boolean;
  readonly now?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseNow(now: string | undefined): Date | undefined {
  if (!now) return undefined;
  const d = new Date(now);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--now ${now} is not a date (use ISO 8601, e.g. 2026-01-31T12:00:00Z)`);
  return d;
}

export async function runQueryCommand(text: string | undefined, options: QueryOptions): Promise<number> {
  if (options.jsonl) return runBatch(options);
  let kql: string;
  let where = 'query';
  if (options.file) {
    if (text) throw new UsageError('give the query either as an argument or with -f, not both');
    kql = readFileSync(options.file, 'utf8');
    where = options.file;
  } else if (text !== undefined) {
    kql = text;
  } else {
    kql = await readStdin();
    where = 'stdin';
  }
  const now = parseNow(options.now);
  try {
    if (options.explain) {
      const compiled = compileKql(kql, { now });
      process.stdout.write(`${compiled.sql}\n`);
      if (compiled.params.length) {
        process.stdout.write(`-- parameters:\n${compiled.params.map((p, i) => `--   $${i + 1} (${p.type}) = ${toJson(p.value)}`).join('\n')}\n`);
      }
      return 0;
    }
    const engine = await Engine.open({ path: options.db });
    try {
      const result = await engine.query(kql, { now });
      process.stdout.write(formatResult(result, options.format));
    } finally {
      engine.close();
    }
    return 0;
  } catch (e) {
    process.stderr.write(userMessage(e, where) + '\n');
    return 1;
  }
}

/**
 * --jsonl: one {"id","query"} per input line, one answer line per query, in order. Every query
 * runs on an empty database (queries cannot write, so one empty in-memory store serves them all).
 */
async function runBatch(options: QueryOptions): Promise<number> {
  const engine = await Engine.open({ path: options.db });
  const now = parseNow(options.now);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      let id: unknown = null;
      let answer: string;
      try {
        const request = JSON.parse(line) as { id?: unknown; query?: unknown };
        id = request.id ?? null;
        if (typeof request.query !== 'string') throw new UsageError('each line needs a "query" string');
        const result = await engine.query(request.query, { now });
        answer = `{"id":${toJson(id)},${resultJson(result).slice(1)}`;
      } catch (e) {
        const message = e instanceof SyntaxError ? `bad JSON line: ${e.message}` : userMessage(e).replace(/^error: /, '');
        answer = `{"id":${toJson(id)},"error":${JSON.stringify(message)}}`;
      }
      process.stdout.write(answer + '\n');
    }
  } finally {
    engine.close();
  }
  return 0;
}
