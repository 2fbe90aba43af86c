// Scalar expressions of the relational IR. Every node is immutable and typed with a Kusto type.
// Function names are semantic operations (Kusto's function and operator meanings), never SQL.
import type { KustoType } from '../schema/kusto-types.js';
import type { RelNode } from './relational.js';

/** Where an IR node came from in the query text, for error messages. */
export interface SourceSpan {
  readonly start: number;
  readonly length: number;
}

/**
 * Literal values, normalised: int and long as bigint, real as number, decimal as its decimal text,
 * datetime as 100-ns ticks since the Unix epoch (bigint), timespan as 100-ns ticks (bigint),
 * dynamic as JSON text, guid as its canonical text. null is Kusto's null of the given type.
 */
export type LiteralValue = null | boolean | number | bigint | string;

export interface ColumnRef {
  readonly kind: 'column';
  readonly name: string;
  readonly type: KustoType;
}

export interface Literal {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  readonly type: KustoType;
}

export interface Call {
  readonly kind: 'call';
  readonly fn: string;
  readonly args: readonly ScalarExpr[];
  readonly type: KustoType;
  readonly span?: SourceSpan;
}

export interface CaseExpr {
  readonly kind: 'case';
  readonly branches: readonly { readonly when: ScalarExpr; readonly then: ScalarExpr }[];
  readonly otherwise: ScalarExpr;
  readonly type: KustoType;
}

/** A function evaluated over the serialized (ordered) input rows: row_number, prev, next, row_cumsum... */
export interface WindowExpr {
  readonly kind: 'window';
  readonly fn: string;
  readonly args: readonly ScalarExpr[];
  readonly type: KustoType;
  readonly span?: SourceSpan;
  /** Evaluated separately over each run of rows with the same value of this (a restart segment). */
  readonly partition?: ScalarExpr;
}

/** toscalar(): the first column of the first row of a tabular expression. */
export interface ScalarSubquery {
  readonly kind: 'scalar-subquery';
  readonly input: RelNode;
  readonly type: KustoType;
}

/**
 * A predicate of a value against the first column of a tabular expression:
 * `x in (T)`, `x in~ (T)`, `x has_any (T)`, `x has_all (T)`.
 */
export interface SetPredicate {
  readonly kind: 'set-predicate';
  readonly op: 'in' | 'in_ci' | 'has_any' | 'has_all';
  readonly operand: ScalarExpr;
  readonly input: RelNode;
  readonly type: 'bool';
}

export type ScalarExpr = ColumnRef | Literal | Call | CaseExpr | WindowExpr | ScalarSubquery | SetPredicate;

export const column = (name: string, type: KustoType): ColumnRef => ({ kind: 'column', name, type });
export const literal = (value: LiteralValue, type: KustoType): Literal => ({ kind: 'literal', value, type });
export const call = (fn: string, args: readonly ScalarExpr[], type: KustoType, span?: SourceSpan): Call =>
  span ? { kind: 'call', fn, args, type, span } : { kind: 'call', fn, args, type };

/** A call, folded to a literal when it is datetime/timespan arithmetic on literals. */
export function arith(fn: 'add' | 'sub', args: readonly ScalarExpr[], type: KustoType): ScalarExpr {
  if (args.length === 2) {
    const [a, b] = args as [ScalarExpr, ScalarExpr];
    const ticks = (t: KustoType) => t === 'datetime' || t === 'timespan';
    if (a.kind === 'literal' && b.kind === 'literal' && typeof a.value === 'bigint' && typeof b.value === 'bigint' && ticks(a.type) && ticks(b.type) && ticks(type)) {
      if (fn === 'add' && !(a.type === 'datetime' && b.type === 'datetime')) return literal(a.value + b.value, type);
      if (fn === 'sub') return literal(a.value - b.value, type);
    }
  }
  return call(fn, args, type);
}
export const nullOf = (type: KustoType): Literal => literal(type === 'string' ? '' : null, type);

/** Visits every scalar sub-expression (not into subqueries). */
export function forEachScalar(expr: ScalarExpr, visit: (e: ScalarExpr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'call':
      for (const a of expr.args) forEachScalar(a, visit);
      break;
    case 'window':
      for (const a of expr.args) forEachScalar(a, visit);
      if (expr.partition) forEachScalar(expr.partition, visit);
      break;
    case 'case':
      for (const b of expr.branches) {
        forEachScalar(b.when, visit);
        forEachScalar(b.then, visit);
      }
      forEachScalar(expr.otherwise, visit);
      break;
    case 'set-predicate':
      forEachScalar(expr.operand, visit);
      break;
    default:
      break;
  }
}

export function containsWindow(expr: ScalarExpr): boolean {
  let found = false;
  forEachScalar(expr, e => {
    if (e.kind === 'window') found = true;
  });
  return found;
}
