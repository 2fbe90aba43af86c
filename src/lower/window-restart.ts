// Window functions with a restart argument (row_number(1, restart), row_cumsum(x, restart),
// row_rank_min(x, restart), row_rank_dense(x, restart)) start afresh at every row where restart
// is true. SQL cannot nest window functions, so the restart flag, the segment each row falls in
// (a running count of restarts) and, for the ranks, where each run of equal values begins, are
// computed as hidden columns in projections of their own; the function then runs per segment.
import { column, literal, type ScalarExpr, type WindowExpr } from '../ir/scalar.js';
import { project, type NamedExpr, type RelNode } from '../ir/relational.js';

/** The functions that take a restart argument, and its position. */
const RESTART_AT: Readonly<Record<string, number>> = { row_number: 1, row_cumsum: 1, row_rank_min: 1, row_rank_dense: 1 };

let ids = 0;

/** `exprs` over `input`, with every restart argument computed ahead as segments. */
export function withRestartSegments(input: RelNode, exprs: readonly NamedExpr[]): { rel: RelNode; exprs: NamedExpr[] } {
  let rel = input;
  const addColumn = (name: string, expr: ScalarExpr): ScalarExpr => {
    rel = project(rel, [...rel.columns.map(c => ({ name: c.name, expr: column(c.name, c.type) as ScalarExpr })), { name, expr }]);
    return column(name, expr.type);
  };
  const rewrite = (w: WindowExpr): ScalarExpr => {
    const at = RESTART_AT[w.fn];
    const restart = at === undefined ? undefined : w.args[at];
    if (!restart || w.partition) return w;
    const id = ++ids;
    const flag = addColumn(`__restart${id}`, restart);
    // The first row is a segment start whether or not restart holds there.
    const segment = addColumn(`__segment${id}`, win('row_cumsum', [ifElse(flag, 1n, 0n)], 'long'));
    const args = w.args.slice(0, at);
    if (w.fn === 'row_rank_min' || w.fn === 'row_rank_dense') return rankInSegment(w, args[0]!, segment, addColumn);
    return { ...w, args, partition: segment };
  };
  const out = exprs.map(e => ({ name: e.name, expr: mapWindows(e.expr, rewrite) }));
  return { rel, exprs: out };
}

/**
 * The rank of a row among the runs of equal values of its segment: dense counts the runs so far;
 * min is the row number (in the segment) where the current run began.
 */
function rankInSegment(w: WindowExpr, x: ScalarExpr, segment: ScalarExpr, addColumn: (name: string, expr: ScalarExpr) => ScalarExpr): ScalarExpr {
  const rowNumber = win('row_number', [], 'long', segment);
  const sameAsPrevious = { kind: 'call', fn: 'eq', args: [x, win('prev', [x], x.type, segment)], type: 'bool' } as const;
  const first = { kind: 'call', fn: 'eq', args: [rowNumber, literal(1n, 'long')], type: 'bool' } as const;
  const id = ++ids;
  if (w.fn === 'row_rank_dense') {
    const starts: ScalarExpr = { kind: 'case', branches: [{ when: first, then: literal(1n, 'long') }, { when: sameAsPrevious, then: literal(0n, 'long') }], otherwise: literal(1n, 'long'), type: 'long' };
    return win('row_cumsum', [addColumn(`__runstart${id}`, starts)], 'long', segment);
  }
  const startRow: ScalarExpr = { kind: 'case', branches: [{ when: first, then: rowNumber }, { when: sameAsPrevious, then: literal(null, 'long') }], otherwise: rowNumber, type: 'long' };
  return win('__running_max', [addColumn(`__runstart${id}`, startRow)], 'long', segment);
}

function win(fn: string, args: ScalarExpr[], type: WindowExpr['type'], partition?: ScalarExpr): WindowExpr {
  return partition ? { kind: 'window', fn, args, type, partition } : { kind: 'window', fn, args, type };
}

function ifElse(cond: ScalarExpr, then: bigint, otherwise: bigint): ScalarExpr {
  return { kind: 'case', branches: [{ when: cond, then: literal(then, 'long') }], otherwise: literal(otherwise, 'long'), type: 'long' };
}

/** Rewrites the window expressions of `expr` (innermost first). */
function mapWindows(expr: ScalarExpr, f: (w: WindowExpr) => ScalarExpr): ScalarExpr {
  switch (expr.kind) {
    case 'window':
      return f({ ...expr, args: expr.args.map(a => mapWindows(a, f)) });
    case 'call':
      return { ...expr, args: expr.args.map(a => mapWindows(a, f)) };
    case 'case':
      return {
        ...expr,
        branches: expr.branches.map(b => ({ when: mapWindows(b.when, f), then: mapWindows(b.then, f) })),
        otherwise: mapWindows(expr.otherwise, f),
      };
    default:
      return expr;
  }
}

/** Whether any window expression of `exprs` has a restart argument. */
export function hasRestart(exprs: readonly NamedExpr[]): boolean {
  let found = false;
  const visit = (e: ScalarExpr): void => {
    if (e.kind === 'window' && RESTART_AT[e.fn] !== undefined && e.args[RESTART_AT[e.fn]!] && !e.partition) found = true;
    if (e.kind === 'window' || e.kind === 'call') e.args.forEach(visit);
    if (e.kind === 'case') {
      e.branches.forEach(b => (visit(b.when), visit(b.then)));
      visit(e.otherwise);
    }
  };
  exprs.forEach(e => visit(e.expr));
  return found;
}
