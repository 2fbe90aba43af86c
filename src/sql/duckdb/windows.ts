// Window functions over the serialized row order (serialize, or the order of a preceding sort).
// A `restart` argument (restart numbering where a condition holds) needs a window over a window,
// which one SELECT cannot express: the lowering computes the restart segments as columns first
// (src/lower/window-restart.ts) and hands them on as the window's partition.
import { UnsupportedFunctionError, type SqlArg, type SqlContext, type WindowTemplate } from '../dialect.js';
import type { WindowExpr } from '../../ir/scalar.js';

type Table = Record<string, WindowTemplate>;

function over(ctx: SqlContext, frame = ''): string {
  const parts = [ctx.partition ? `PARTITION BY ${ctx.partition}` : '', ctx.order ? `ORDER BY ${ctx.order}` : '', frame];
  return `OVER (${parts.filter(Boolean).join(' ')})`;
}

const RUNNING = 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';

function noRestart(restart: SqlArg | undefined, win: WindowExpr): void {
  if (restart) throw new UnsupportedFunctionError(win.fn, win.span, 'restart argument of');
}

/**
 * row_rank_min / row_rank_dense rank the runs of equal values in the serialized order; when the
 * rows are sorted by the value itself that is rank() / dense_rank() over the value.
 */
function rankOverSortedValue(fn: 'rank' | 'dense_rank'): WindowTemplate {
  return ([x, restart], win, ctx: SqlContext) => {
    noRestart(restart, win);
    const first = ctx.order.split(',')[0]?.trim() ?? '';
    const m = first.startsWith(`${x!.sql} `) ? /^(ASC|DESC) NULLS (FIRST|LAST)$/.exec(first.slice(x!.sql.length + 1)) : null;
    if (!m) throw new UnsupportedFunctionError(win.fn, win.span, 'ranking of rows not sorted by the ranked value with');
    return `${fn}() OVER (ORDER BY ${x!.sql} ${m[1]} NULLS ${m[2]})`;
  };
}

/** prev / next: the default is the type's null, "" for strings. */
function shifted(fn: 'lag' | 'lead'): WindowTemplate {
  return ([x, offset, dflt], _w, ctx) => {
    const d = dflt ? `, ${dflt.sql}` : x!.type === 'string' ? ", ''" : '';
    return `${fn}(${x!.sql}, ${offset ? `CAST(${offset.sql} AS BIGINT)` : '1'}${d}) ${over(ctx)}`;
  };
}

const windows: Table = {
  row_number: ([start, restart], w, ctx) => {
    noRestart(restart, w);
    const base = start ? `${start.sql} - 1 + ` : '';
    return `(${base}row_number() ${over(ctx)})`;
  },
  prev: shifted('lag'),
  next: shifted('lead'),
  row_cumsum: ([x, restart], w, ctx) => {
    noRestart(restart, w);
    return `sum(${x!.sql}) ${over(ctx, RUNNING)}`;
  },
  row_rank_dense: rankOverSortedValue('dense_rank'),
  row_rank_min: rankOverSortedValue('rank'),
  /** Internal: the largest value so far (the row number where the current run of a rank began). */
  __running_max: ([x], _w, ctx) => `max(${x!.sql}) ${over(ctx, RUNNING)}`,
};

export const DUCKDB_WINDOWS: Readonly<Table> = windows;
