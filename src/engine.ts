// The facade every front end uses (CLI, server, detections): compile KQL to SQL and run it on a store.
import { parseAndBind } from './kql/bind.js';
import { KqlError } from './kql/diagnostics.js';
import { lowerQuery, lowerQueryWithProbes, type LoweredQuery, type RenderHint } from './lower/query.js';
import type { RelNode } from './ir/relational.js';
import { optimize } from './ir/passes/index.js';
import { limitToWindow, type TimeWindow } from './ir/passes/time-window.js';
import { referencedTables } from './ir/tables.js';
import { SqlCompiler, type CompiledQuery } from './sql/compiler.js';
import { UnsupportedFunctionError, type SqlDialect } from './sql/dialect.js';
import { duckdbDialect } from './sql/duckdb/dialect.js';
import { DuckDbStore, type DuckDbStoreOptions } from './store/duckdb-store.js';
import type { QueryResult } from './store/result.js';

/** Queries longer than this are refused before parsing (Kusto's own limit is far lower in practice). */
export const MAX_QUERY_CHARS = 4 * 1024 * 1024;

export interface CompileOptions {
  /** The query instant for now() and ago(); defaults to the current time. */
  readonly now?: Date;
  readonly dialect?: SqlDialect;
  /** Limits every table the query reads to this window of Timestamp (a detection's lookback). */
  readonly window?: { readonly from: Date; readonly to: Date };
}

function windowOf(options: CompileOptions): TimeWindow | undefined {
  const w = options.window;
  return w ? { from: ticksOf(w.from), to: ticksOf(w.to) } : undefined;
}

export interface CompiledKql extends CompiledQuery {
  readonly kql: string;
  readonly render?: RenderHint;
  /** The Defender tables the query reads. */
  readonly tables: readonly string[];
}

export interface KqlResult extends QueryResult {
  readonly render?: RenderHint;
}

/** The query failed while running in the database (not a compile error). */
export class QueryExecutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryExecutionError';
  }
}

function ticksOf(date: Date): bigint {
  return BigInt(date.getTime()) * 10_000n;
}

function checkText(kql: string): void {
  if (kql.length > MAX_QUERY_CHARS) {
    throw KqlError.at(kql, 0, 0, 'CH001', `the query is ${kql.length} characters long; the limit is ${MAX_QUERY_CHARS}`);
  }
  if (kql.trim() === '') throw KqlError.at(kql, 0, 0, 'CH002', 'the query is empty');
}

/** SQL for a lowered plan; an unsupported function is reported at its KQL position. */
function finish(kql: string, lowered: LoweredQuery, dialect: SqlDialect, window?: TimeWindow): CompiledKql {
  try {
    const plan = optimize(window ? limitToWindow(lowered.plan, window) : lowered.plan);
    const compiled = new SqlCompiler(dialect).compile(plan);
    return { ...compiled, kql, render: lowered.render, tables: referencedTables(plan) };
  } catch (e) {
    if (e instanceof UnsupportedFunctionError) {
      const span = e.span ?? { start: 0, length: 0 };
      throw KqlError.at(kql, span.start, span.length, 'CH101', e.message);
    }
    throw e;
  }
}

/**
 * Compiles without looking at any data. A query whose columns depend on the data (evaluate
 * bag_unpack or pivot without an output schema) is refused here with CH105; Engine.query runs it.
 */
export function compileKql(kql: string, options: CompileOptions = {}): CompiledKql {
  checkText(kql);
  const code = parseAndBind(kql);
  const now = ticksOf(options.now ?? new Date());
  return finish(kql, lowerQuery(code, kql, now), options.dialect ?? duckdbDialect, windowOf(options));
}

/** Strips the SQL echo and internal names from a DuckDB error, keeping what is useful to a KQL user. */
export function describeExecutionError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const first = text.split('\n')[0] ?? text;
  return `the query failed while running: ${first.replace(/^[A-Za-z ]+Error: /, '')}`;
}

export class Engine {
  private constructor(readonly store: DuckDbStore) {}

  static async open(options: DuckDbStoreOptions = {}): Promise<Engine> {
    return new Engine(await DuckDbStore.open(options));
  }

  /** An engine on a new connection to the same database (see DuckDbStore.session); close it when done. */
  async session(): Promise<Engine> {
    return new Engine(await this.store.session());
  }

  compile(kql: string, options: CompileOptions = {}): CompiledKql {
    return compileKql(kql, options);
  }

  async query(kql: string, options: CompileOptions = {}): Promise<KqlResult> {
    return this.run(await this.compileWithData(kql, options));
  }

  /**
   * Like compile(), but a plugin whose output columns depend on the data (bag_unpack, pivot
   * without a schema) first runs the small probe query that finds them, then compiles again.
   */
  async compileWithData(kql: string, options: CompileOptions = {}): Promise<CompiledKql> {
    checkText(kql);
    const dialect = options.dialect ?? duckdbDialect;
    const code = parseAndBind(kql);
    const now = ticksOf(options.now ?? new Date());
    const runProbe = async (plan: RelNode) => {
      const probe = new SqlCompiler(dialect).compile(plan);
      try {
        await this.store.ensureTables(referencedTables(plan));
        return (await this.store.run(probe)).rows;
      } catch (e) {
        throw new QueryExecutionError(describeExecutionError(e));
      }
    };
    return finish(kql, await lowerQueryWithProbes(code, kql, now, runProbe), dialect, windowOf(options));
  }

  async run(compiled: CompiledKql): Promise<KqlResult> {
    try {
      await this.store.ensureTables(compiled.tables);
      const result = await this.store.run(compiled);
      return { ...result, render: compiled.render };
    } catch (e) {
      throw new QueryExecutionError(describeExecutionError(e));
    }
  }

  /** Like run(), but reads at most `maxRows` rows (a console's row cap); `truncated` says if there were more. */
  async runCapped(compiled: CompiledKql, maxRows: number): Promise<KqlResult & { truncated: boolean }> {
    try {
      await this.store.ensureTables(compiled.tables);
      const result = await this.store.runCapped(compiled, maxRows);
      return { ...result, render: compiled.render };
    } catch (e) {
      throw new QueryExecutionError(describeExecutionError(e));
    }
  }

  /** Stops the statement this engine's connection is running. */
  interrupt(): void {
    this.store.interrupt();
  }

  close(): void {
    this.store.close();
  }
}
