// Query results on the terminal: an aligned table, JSON ({"columns":[...],"rows":[...]}) or CSV.
import type { QueryResult, Cell } from '../store/result.js';
import { toJson } from '../util/json.js';

export type OutputFormat = 'table' | 'json' | 'csv';

export function resultJson(result: QueryResult): string {
  return `{"columns":${toJson(result.columns.map(c => ({ name: c.name, type: c.type })))},"rows":${toJson(result.rows)}}`;
}

function cellText(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function resultCsv(result: QueryResult): string {
  const lines = [result.columns.map(c => csvField(c.name)).join(',')];
  for (const row of result.rows) lines.push(row.map(v => csvField(cellText(v))).join(','));
  return lines.join('\n') + '\n';
}

/** A result without the columns that are empty (null or "") in every row, and how many were dropped. */
export function withoutEmptyColumns(result: QueryResult): { result: QueryResult; hidden: number } {
  if (result.rows.length === 0) return { result, hidden: 0 };
  const keep = result.columns.map((_, i) => result.rows.some(r => r[i] !== null && r[i] !== ''));
  const hidden = keep.filter(k => !k).length;
  if (hidden === 0) return { result, hidden };
  return {
    result: { columns: result.columns.filter((_, i) => keep[i]), rows: result.rows.map(r => r.filter((_, i) => keep[i])) },
    hidden,
  };
}

export function resultTable(result: QueryResult, maxWidth = 60): string {
  const headers = result.columns.map(c => c.name);
  const cells = result.rows.map(r => r.map(v => {
    const t = cellText(v).replace(/\s+/g, ' ');
    return t.length > maxWidth ? t.slice(0, maxWidth - 1) + '…' : t;
  }));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map(r => r[i]!.length)));
  const line = (parts: string[]) => parts.map((p, i) => p.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(headers), line(widths.map(w => '-'.repeat(w)))];
  for (const r of cells) out.push(line(r));
  out.push(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}

export function formatResult(result: QueryResult, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return resultJson(result) + '\n';
    case 'csv':
      return resultCsv(result);
    default:
      return resultTable(result);
  }
}
