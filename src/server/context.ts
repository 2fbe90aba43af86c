// What every route shares: the database, the query runner, the content folders and the limits.
import type { Engine } from '../engine.js';
import type { QueryRunner } from './query-runner.js';

export interface ServerLimits {
  /** Largest JSON request body (bytes). */
  readonly jsonBodyBytes: number;
  /** Largest upload (bytes, per file). */
  readonly uploadBytes: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  jsonBodyBytes: 8 * 1024 * 1024,
  uploadBytes: 512 * 1024 * 1024,
};

export interface ServerContext {
  /** The database; each request works on its own connection (`withSession`). */
  readonly engine: Engine;
  readonly dbPath: string | undefined;
  readonly runner: QueryRunner;
  readonly limits: ServerLimits;
  readonly rulesDir: string;
  /** The fixed instant for now() in queries, if the server was given one. */
  readonly now?: Date;
  /** Runs `fn` on a connection of its own, closed afterwards. */
  withSession<T>(fn: (session: Engine) => Promise<T>): Promise<T>;
  /** Runs changes one at a time (incident updates, rule runs, uploads), each on its own connection. */
  exclusive<T>(fn: (session: Engine) => Promise<T>): Promise<T>;
}

/** One-at-a-time execution: each call waits for the previous one to settle. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
