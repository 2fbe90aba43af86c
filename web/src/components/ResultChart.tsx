// Charts for `render timechart | linechart | areachart | columnchart | barchart | piechart`, driven by
// the query answer's `render` field (visualization and its properties: xcolumn, ycolumns, series, title).
import {
  Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, Pie, PieChart,
  ResponsiveContainer, Tooltip, XAxis, YAxis,
} from 'recharts';
import type { ReactElement } from 'react';
import type { Column, RenderSpec } from '../types';
import { cellText, fmtTime } from '../format';

const PALETTE = ['#4aa3ff', '#f5a623', '#7ed321', '#e85d75', '#b57bff', '#50e3c2', '#f8e71c', '#ff8a5c', '#9aa5b1', '#3ddc97'];
const NUMERIC = new Set(['int', 'long', 'real', 'double', 'decimal', 'timespan']);
const MAX_SERIES = 12;

export const SUPPORTED_CHARTS = new Set(['timechart', 'linechart', 'areachart', 'columnchart', 'barchart', 'piechart']);

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v) return v.split(',').map(s => s.trim()).filter(Boolean);
  return [];
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return null;
}

interface Pivot {
  x: Column;
  keys: string[];
  points: Record<string, number | string | null>[];
}

/** One point per x value, one key per (series value × y column). */
export function pivot(columns: readonly Column[], rows: readonly unknown[][], spec: RenderSpec): Pivot | string {
  const props = spec.properties ?? {};
  const byName = new Map(columns.map((c, i) => [c.name, i]));
  const isTime = spec.visualization === 'timechart';
  let xi = typeof props.xcolumn === 'string' && byName.has(props.xcolumn) ? byName.get(props.xcolumn)! : -1;
  if (xi < 0) xi = isTime ? columns.findIndex(c => c.type === 'datetime') : 0;
  if (xi < 0) return 'A time chart needs a datetime column.';
  let ys = list(props.ycolumns).map(n => byName.get(n)).filter((i): i is number => i !== undefined);
  if (!ys.length) ys = columns.map((c, i) => i).filter(i => i !== xi && NUMERIC.has(columns[i]!.type));
  if (!ys.length) return 'The chart needs a numeric column.';
  let series = list(props.series).map(n => byName.get(n)).filter((i): i is number => i !== undefined);
  if (!series.length) series = columns.map((c, i) => i).filter(i => i !== xi && !ys.includes(i) && !NUMERIC.has(columns[i]!.type) && columns[i]!.type !== 'datetime');

  const points = new Map<string, Record<string, number | string | null>>();
  const keys: string[] = [];
  const keySet = new Set<string>();
  for (const r of rows) {
    const xv = r[xi];
    const xKey = cellText(xv);
    let p = points.get(xKey);
    if (!p) {
      p = { __x: isTime ? Date.parse(String(xv)) : xKey };
      points.set(xKey, p);
    }
    const s = series.map(i => cellText(r[i])).join(' / ');
    for (const yi of ys) {
      const k = s ? (ys.length > 1 ? `${s}:${columns[yi]!.name}` : s) : columns[yi]!.name;
      if (!keySet.has(k)) {
        if (keySet.size >= MAX_SERIES) continue;
        keySet.add(k);
        keys.push(k);
      }
      const v = toNumber(r[yi]);
      p[k] = v === null ? null : ((p[k] as number | null | undefined) ?? 0) + v;
    }
  }
  const list2 = [...points.values()];
  if (isTime) list2.sort((a, b) => (a.__x as number) - (b.__x as number));
  return { x: columns[xi]!, keys, points: list2 };
}

export function ResultChart({ columns, rows, render }: { columns: readonly Column[]; rows: readonly unknown[][]; render: RenderSpec }) {
  const viz = render.visualization;
  const title = typeof render.properties?.title === 'string' ? render.properties.title : '';
  if (!SUPPORTED_CHARTS.has(viz)) {
    return <div className="chart-note">render {viz} is not drawn by the console; the table shows the rows.</div>;
  }
  if (!rows.length) return <div className="chart-note">No rows to chart.</div>;
  const chart = viz === 'piechart' ? renderPie(columns, rows, render) : renderXY(columns, rows, render);
  if (typeof chart === 'string') return <div className="chart-note">{chart}</div>;
  return (
    <div className="chart" data-testid="chart" data-visualization={viz}>
      {title && <div className="chart-title">{title}</div>}
      <ResponsiveContainer width="100%" height={340}>
        {chart}
      </ResponsiveContainer>
    </div>
  );
}

function renderPie(columns: readonly Column[], rows: readonly unknown[][], render: RenderSpec): ReactElement | string {
  // Kusto: the first column (or xcolumn) names the slices, the next numeric column (or ycolumns) sizes them.
  const props = render.properties ?? {};
  const byName = new Map(columns.map((c, i) => [c.name, i]));
  const li = typeof props.xcolumn === 'string' && byName.has(props.xcolumn) ? byName.get(props.xcolumn)! : 0;
  const named = list(props.ycolumns).map(n => byName.get(n)).find((i): i is number => i !== undefined);
  const vi = named ?? columns.findIndex((c, i) => i !== li && NUMERIC.has(c.type));
  if (vi < 0) return 'A pie chart needs a numeric column.';
  const data = rows
    .map(r => ({ name: cellText(r[li]), value: toNumber(r[vi]) ?? 0 }))
    .filter(d => d.value > 0);
  return (
    <PieChart>
      <Pie data={data} dataKey="value" nameKey="name" outerRadius={120} isAnimationActive={false} label={d => String(d.name ?? '')}>
        {data.map((_, i) => (
          <Cell key={i} fill={PALETTE[i % PALETTE.length]} />
        ))}
      </Pie>
      <Tooltip contentStyle={{ background: '#141a22', border: '1px solid #2a3340', fontSize: 12 }} />
      <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
    </PieChart>
  );
}

function renderXY(columns: readonly Column[], rows: readonly unknown[][], render: RenderSpec): ReactElement | string {
  const p = pivot(columns, rows, render);
  if (typeof p === 'string') return p;
  const viz = render.visualization;
  const isTime = viz === 'timechart';
  const stacked = /stacked/i.test(String(render.properties?.kind ?? '')) ? 'a' : undefined;
  const xAxis = isTime ? (
    <XAxis dataKey="__x" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => fmtTime(new Date(v).toISOString()).slice(5, 16)} stroke="#8a94a3" fontSize={11} />
  ) : (
    <XAxis dataKey="__x" stroke="#8a94a3" fontSize={11} />
  );
  const common = (
    <>
      <CartesianGrid stroke="#2a3340" strokeDasharray="3 3" />
      {xAxis}
      <YAxis stroke="#8a94a3" fontSize={11} />
      <Tooltip
        contentStyle={{ background: '#141a22', border: '1px solid #2a3340', fontSize: 12 }}
        labelFormatter={(v: unknown) => (isTime && typeof v === 'number' ? fmtTime(new Date(v).toISOString()) : String(v))}
      />
      <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
    </>
  );
  if (viz === 'columnchart' || viz === 'barchart') {
    return (
      <BarChart data={p.points} layout="horizontal">
        {common}
        {p.keys.map((k, i) => (
          <Bar key={k} dataKey={k} stackId={stacked} fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    );
  }
  if (viz === 'areachart') {
    return (
      <AreaChart data={p.points}>
        {common}
        {p.keys.map((k, i) => (
          <Area key={k} dataKey={k} stackId={stacked} stroke={PALETTE[i % PALETTE.length]} fill={PALETTE[i % PALETTE.length]} fillOpacity={0.3} isAnimationActive={false} />
        ))}
      </AreaChart>
    );
  }
  return (
    <LineChart data={p.points}>
      {common}
      {p.keys.map((k, i) => (
        <Line key={k} dataKey={k} stroke={PALETTE[i % PALETTE.length]} dot={p.points.length < 60} isAnimationActive={false} connectNulls />
      ))}
    </LineChart>
  );
}
