// Window functions over the serialized row order (serialize, or the order of a preceding sort).
import type { WindowTemplate } from '../dialect.js';

type Table = Record<string, WindowTemplate>;

const over = (order: string) => (order ? `OVER (ORDER BY ${order})` : 'OVER ()');

const windows: Table = {
  row_number: ([start, restart], _w, ctx) => {
    const base = start ? `${start.sql} - 1 + ` : '';
    if (restart) return `(${base}row_number() OVER (PARTITION BY ${restart.sql} ${ctx.order ? `ORDER BY ${ctx.order}` : ''}))`;
    return `(${base}row_number() ${over(ctx.order)})`;
  },
  prev: ([x, offset, dflt], _w, ctx) => `lag(${x!.sql}, ${offset ? `CAST(${offset.sql} AS BIGINT)` : '1'}${dflt ? `, ${dflt.sql}` : ''}) ${over(ctx.order)}`,
  next: ([x, offset, dflt], _w, ctx) => `lead(${x!.sql}, ${offset ? `CAST(${offset.sql} AS BIGINT)` : '1'}${dflt ? `, ${dflt.sql}` : ''}) ${over(ctx.order)}`,
  row_cumsum: ([x, restart], _w, ctx) => {
    if (!restart) return `sum(${x!.sql}) OVER (${ctx.order ? `ORDER BY ${ctx.order} ` : ''}ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
    return `sum(${x!.sql}) OVER (${ctx.order ? `ORDER BY ${ctx.order} ` : ''}ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
  },
  row_rank_dense: ([x], _w, ctx) => `dense_rank() OVER (ORDER BY ${x!.sql})${ctx.order ? '' : ''}`,
  row_rank_min: ([x]) => `rank() OVER (ORDER BY ${x!.sql})`,
};

export const DUCKDB_WINDOWS: Readonly<Table> = windows;
