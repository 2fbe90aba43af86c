// Client-side export of a result table as CSV or JSON.
import type { Column } from './types';
import { cellText } from './format';

function csvField(v: unknown): string {
  const s = cellText(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: readonly Column[], rows: readonly unknown[][]): string {
  const lines = [columns.map(c => csvField(c.name)).join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** The CLI's JSON form: {columns, rows}. */
export function toJson(columns: readonly Column[], rows: readonly unknown[][]): string {
  return JSON.stringify({ columns, rows }, null, 2) + '\n';
}

export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
