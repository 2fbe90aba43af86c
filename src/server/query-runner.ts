// Runs the console's KQL as Defender's advanced hunting does: each query on its own connection, with
// a time limit, a row cap and cancellation (by id, or when the client goes away).
import { randomUUID } from 'node:crypto';
import type { Engine, KqlResult } from '../engine.js';
import type { ResultColumn as Column } from '../store/result.js';
import { ApiError } from './errors.js';

export interface QueryLimits {
  /** Time limit when the request names none, and the most a request may ask for (ms). */
  readonly defaultTimeoutMs: number;
  readonly maxTimeoutMs: number;
  /** Row cap when the request names none, and the most a request may ask for. */
  readonly defaultMaxRows: number;
  readonly maxRows: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  defaultTimeoutMs: 60_000,
  maxTimeoutMs: 10 * 60_000,
  defaultMaxRows: 10_000,
  maxRows: 100_000,
};

export interface QueryRequest {
  readonly query: string;
  readonly timeoutMs?: number;
  readonly maxRows?: number;
  readonly queryId?: string;
  /** The instant now() and ago() refer to (ISO-8601); default: the server's --now, else the clock. */
  readonly now?: string;
}

export interface QueryAnswer {
  readonly queryId: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly unknown[])[];
  readonly render: { visualization: string; properties: Record<string, string> } | null;
  readonly stats: { rowCount: number; truncated: boolean; elapsedMs: number };
}

interface Running {
  readonly session: Engine;
  stopped?: 'timeout' | 'cancelled';
}

export class QueryRunner {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly engine: Engine,
    readonly limits: QueryLimits = DEFAULT_QUERY_LIMITS,
    /** A fixed instant for now() (a demo or replayed data); default: the clock at each query. */
    private readonly fixedNow?: Date,
  ) {}

  get active(): number {
    return this.running.size;
  }

  async run(request: QueryRequest): Promise<QueryAnswer> {
    const timeoutMs = Math.min(request.timeoutMs ?? this.limits.defaultTimeoutMs, this.limits.maxTimeoutMs);
    const maxRows = Math.min(request.maxRows ?? this.limits.defaultMaxRows, this.limits.maxRows);
    const queryId = request.queryId ?? randomUUID();
    const now = request.now !== undefined ? new Date(request.now) : this.fixedNow;
    if (now && Number.isNaN(now.getTime())) throw new ApiError(400, 'bad_request', `now: "${request.now}" is not an ISO-8601 datetime`);
    if (this.running.has(queryId)) throw new ApiError(409, 'duplicate_query_id', `a query with id ${queryId} is already running`);
    const started = performance.now();
    const session = await this.engine.session();
    const entry: Running = { session };
    this.running.set(queryId, entry);
    const timer = setTimeout(() => this.stop(queryId, 'timeout'), timeoutMs);
    try {
      const compiled = await session.compileWithData(request.query, { now });
      this.throwIfStopped(entry, timeoutMs);
      const result: KqlResult & { truncated: boolean } = await session.runCapped(compiled, maxRows);
      this.throwIfStopped(entry, timeoutMs);
      return {
        queryId,
        columns: result.columns,
        rows: result.rows,
        render: result.render ? { visualization: result.render.chartType, properties: { ...result.render.properties } } : null,
        stats: { rowCount: result.rows.length, truncated: result.truncated, elapsedMs: Math.round(performance.now() - started) },
      };
    } catch (e) {
      this.throwIfStopped(entry, timeoutMs);
      throw e;
    } finally {
      clearTimeout(timer);
      this.running.delete(queryId);
      session.close();
    }
  }

  /** Stops a running query; false when no query with that id is running. */
  cancel(queryId: string): boolean {
    return this.stop(queryId, 'cancelled');
  }

  private stop(queryId: string, why: 'timeout' | 'cancelled'): boolean {
    const entry = this.running.get(queryId);
    if (!entry) return false;
    entry.stopped ??= why;
    entry.session.interrupt();
    return true;
  }

  private throwIfStopped(entry: Running, timeoutMs: number): void {
    if (entry.stopped === 'timeout') throw new ApiError(408, 'timeout', `the query ran longer than its time limit of ${timeoutMs / 1000} s and was stopped`);
    if (entry.stopped === 'cancelled') throw new ApiError(409, 'cancelled', 'the query was cancelled');
  }
}
