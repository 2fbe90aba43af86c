// What a SQL dialect provides to the compiler. The compiler owns the relational structure
// (common table expressions, SELECT, JOIN, GROUP BY); a dialect owns quoting, value binding,
// types, and the tables that implement each IR function, aggregate and window function.
// A dialect never sees Kusto syntax: it is handed typed IR nodes and compiled SQL fragments.
import type { KustoType } from '../schema/kusto-types.js';
import type { Call, LiteralValue, ScalarExpr, SourceSpan, WindowExpr } from '../ir/scalar.js';
import type { Aggregation } from '../ir/relational.js';

/** A value bound to a query parameter, with its Kusto type (the store converts it). */
export interface BoundParameter {
  readonly value: LiteralValue;
  readonly type: KustoType;
}

/** A compiled argument: its SQL, its Kusto type, and the IR it came from (to spot literals). */
export interface SqlArg {
  readonly sql: string;
  readonly type: KustoType;
  readonly ir: ScalarExpr;
}

/** What a function template can use while producing SQL. */
export interface SqlContext {
  /** Binds a value as a query parameter and returns its placeholder. */
  param(value: LiteralValue, type: KustoType): string;
  sqlType(type: KustoType): string;
  /** Compiles another IR expression (for rewrites that build on other functions). */
  scalar(expr: ScalarExpr): string;
  /** ORDER BY terms of the serialized input, for window functions (empty if unordered). */
  readonly order: string;
  /** PARTITION BY terms of a window function evaluated per restart segment (empty if none). */
  readonly partition?: string;
}

export type ScalarTemplate = (args: SqlArg[], call: Call, ctx: SqlContext) => string;
export type AggregateTemplate = (args: SqlArg[], agg: Aggregation, ctx: SqlContext) => string;
export type WindowTemplate = (args: SqlArg[], win: WindowExpr, ctx: SqlContext) => string;

export interface SqlDialect {
  readonly name: string;
  quoteIdentifier(name: string): string;
  /** The placeholder of parameter number `index` (1-based), cast to the SQL type of `type`. */
  placeholder(index: number, type: KustoType): string;
  sqlType(type: KustoType): string;
  /** A typed NULL (strings are never null in Kusto: their null is the empty string). */
  nullLiteral(type: KustoType): string;
  readonly functions: Readonly<Record<string, ScalarTemplate>>;
  readonly aggregates: Readonly<Record<string, AggregateTemplate>>;
  readonly windows: Readonly<Record<string, WindowTemplate>>;
  /** SQL to run once per connection before queries (macros the templates rely on). */
  readonly prelude: readonly string[];
  /**
   * How `list` expands into rows of a SELECT list; several expansions in one SELECT are zipped,
   * the shorter padded with nulls.
   */
  mvExpandList(value: string, bagExpansion: 'bag' | 'array'): string;
  unnest(list: string): string;
  /** Rows of `name` from `from` to `to` by `step`, as a FROM item. */
  rangeRows(name: string, type: KustoType, from: string, to: string, step: string): string;
  /** One element of an expanded list converted to a Kusto type. */
  fromDynamic(value: string, type: KustoType): string;
  /** The set operator that appends rows matching columns by name, filling the missing ones with NULL. */
  readonly unionAllByName: string;
  /** Lists and records (graph paths): a list literal, append, concatenation, membership, length, element. */
  listOf(items: readonly string[]): string;
  listAppend(list: string, item: string): string;
  listConcat(a: string, b: string): string;
  listContains(list: string, item: string): string;
  listHasAny(a: string, b: string): string;
  listLength(list: string): string;
  /** The element at 1-based `index`. */
  listElement(list: string, index: number): string;
  /** An empty list with the element type of `like` (a list expression). */
  emptyListLike(like: string): string;
  /** A record of named values, and a field of one. */
  recordOf(fields: readonly (readonly [string, string])[]): string;
  recordField(record: string, field: string): string;
  /** `body` (over `param`) for each element of `list`, as a list; whether any / all of a list of booleans hold. */
  listTransform(list: string, param: string, body: string): string;
  listAnyTrue(list: string): string;
  listAllTrue(list: string): string;
  /** A list of JSON values as one JSON array. */
  jsonArrayOf(list: string): string;
  /** Aggregates whose template returns a struct {v0, v1, ...} that the compiler unpacks into columns. */
  readonly structAggregates: ReadonlySet<string>;
  /** The list 0, 1, ..., count - 1 (to expand with `unnest`). */
  indexList(count: string): string;
  /** An aggregate: the JSON array of `value` over the group's rows, in `order` ([] for no rows). */
  jsonArrayAgg(value: string, order: string): string;
}

/** A function, aggregate or window function the dialect does not implement. */
export class UnsupportedFunctionError extends Error {
  constructor(readonly fn: string, readonly span: SourceSpan | undefined, readonly what = 'function') {
    super(`the ${what} ${fn}() is not supported by chainhunt yet`);
    this.name = 'UnsupportedFunctionError';
  }
}
