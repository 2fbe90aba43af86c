// Display helpers: times in UTC, severities and statuses as Defender shows them.
import type { Severity } from './types';

/** `2026-03-09 11:16:21` (UTC) from an ISO-8601 string; '' for null. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** `11:16:21` from an ISO-8601 string. */
export function fmtClock(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /T(\d\d:\d\d:\d\d)/.exec(iso);
  return m ? m[1]! : iso;
}

export function fmtCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : n.toLocaleString('en-US');
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export const SEVERITY_RANK: Record<string, number> = { informational: 0, low: 1, medium: 2, high: 3 };

export function severityLabel(s: Severity | string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : '';
}

const STATUS_LABELS: Record<string, string> = {
  active: 'Active', inProgress: 'In progress', resolved: 'Resolved', redirected: 'Redirected',
};
export function statusLabel(s: string): string {
  return STATUS_LABELS[s] ?? s;
}

const CLASSIFICATION_LABELS: Record<string, string> = {
  unknown: 'Not set', truePositive: 'True positive', falsePositive: 'False positive',
  informationalExpectedActivity: 'Informational, expected activity',
};
export function classificationLabel(s: string): string {
  return CLASSIFICATION_LABELS[s] ?? s;
}

/** `multiStagedAttack` → `Multi staged attack`; `InitialAccess` → `Initial access`. */
export function camelWords(s: string): string {
  if (!s) return '';
  const words = s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words[0]!.toUpperCase() + words.slice(1);
}

/** A cell value of a query answer as text. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** Compare two cells for sorting: numbers as numbers, nulls first, everything else as text. */
export function compareCells(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = cellText(a);
  const y = cellText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A short name for a device: `ws-0012.corp.contoso.com` → `ws-0012`. */
export function shortHost(name: string): string {
  return /^[^.]+\.[^.]+\./.test(name) && !/^\d+\.\d+\.\d+\.\d+$/.test(name) ? name.split('.')[0]! : name;
}
