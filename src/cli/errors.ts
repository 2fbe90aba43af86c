// How the CLI reports failures: one clear line (or one per diagnostic), never a stack trace for
// problems in the user's input.
import { KqlError } from '../kql/diagnostics.js';
import { QueryExecutionError } from '../engine.js';
import { ContentError } from '../content/front-matter.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A message for the user; `where` prefixes KQL positions (a file name, or "query"). */
export function userMessage(e: unknown, where = 'query'): string {
  if (e instanceof KqlError) return e.diagnostics.map(d => `${where}:${d.line}:${d.column}: error ${d.code}: ${d.message}`).join('\n');
  if (e instanceof QueryExecutionError || e instanceof ContentError || e instanceof UsageError) return `error: ${e.message}`;
  if (e instanceof Error) return `error: ${e.message}`;
  return `error: ${String(e)}`;
}

export function isUserError(e: unknown): boolean {
  return e instanceof KqlError || e instanceof QueryExecutionError || e instanceof ContentError || e instanceof UsageError;
}
