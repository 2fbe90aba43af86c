// Ground truth for the round-trip test: every labelled row with its owner (an intrusion or a benign
// look-alike), lookups from a query's output back to owners, and a small model of Kusto's `has`.
import type { BenignLabel, IntrusionLabel, Labels } from '../../src/simulate/labels.js';
import type { Output } from './load.js';

export type Row = Record<string, unknown>;

export interface Owned {
  readonly table: string;
  readonly row: Row;
  readonly owner: string;
  /** The intrusion stage ("1".."9") or extra ("mailbomb", "historyDeletion"); undefined for benign rows. */
  readonly part?: string;
}

export class Truth {
  readonly labels: Labels;
  readonly now: number;
  readonly owned: Owned[] = [];
  readonly intrusions = new Map<string, IntrusionLabel>();
  readonly benign = new Map<string, BenignLabel>();
  private readonly byKey = new Map<string, Owned[]>();

  constructor(readonly out: Output) {
    this.labels = out.labels;
    this.now = Date.parse(out.labels.end);
    const byId = new Map<string, Row[]>();
    for (const [table, rows] of out.rows) {
      for (const r of rows) {
        const key = `${table}|${String(r.ReportId ?? r.AlertId)}`;
        const list = byId.get(key);
        if (list) list.push(r);
        else byId.set(key, [r]);
      }
    }
    const add = (owner: string, part: string | undefined, ids: Record<string, (string | number)[]>) => {
      for (const [table, list] of Object.entries(ids)) {
        for (const id of list) {
          for (const row of byId.get(`${table}|${id}`) ?? []) {
            const o: Owned = { table, row, owner, part };
            this.owned.push(o);
            for (const k of keysOf(table, row)) {
              const l = this.byKey.get(k);
              if (l) l.push(o);
              else this.byKey.set(k, [o]);
            }
          }
        }
      }
    };
    for (const i of out.labels.intrusions) {
      this.intrusions.set(i.id, i);
      for (const [n, s] of Object.entries(i.stages)) add(i.id, n, s.reportIds);
      for (const [n, s] of Object.entries(i.extras)) add(i.id, n, s.reportIds);
    }
    for (const b of out.labels.benign) {
      this.benign.set(b.id, b);
      add(b.id, undefined, b.reportIds);
    }
  }

  /** Owners of the labelled rows of a table on a device at an exact Timestamp. */
  at(table: string, device: unknown, timestamp: unknown): Owned[] {
    return this.byKey.get(`${table}|${String(device)}|${String(timestamp)}`) ?? [];
  }

  byReportId(table: string, id: unknown): Owned[] {
    return this.byKey.get(`${table}#${String(id)}`) ?? [];
  }

  rows(pred: (o: Owned) => boolean): Owned[] {
    return this.owned.filter(pred);
  }

  /** The instant `days` before the period's end (ms). */
  ago(days: number): number {
    return this.now - days * 86_400_000;
  }
}

function keysOf(table: string, row: Row): string[] {
  const keys = [`${table}#${String(row.ReportId ?? row.AlertId)}`];
  if (typeof row.DeviceName === 'string') keys.push(`${table}|${row.DeviceName}|${String(row.Timestamp)}`);
  return keys;
}

export const time = (ts: unknown): number => Date.parse(String(ts));

const ALNUM = /[A-Za-z0-9]/;

/**
 * Kusto's `has` for the needles the seed's queries use: the needle occurs (case-insensitively) with
 * no letter or digit right before or after it (where the needle itself starts/ends with one).
 */
export function kustoHas(text: string, needle: string): boolean {
  const t = text.toLowerCase();
  const n = needle.toLowerCase();
  for (let i = t.indexOf(n); i >= 0; i = t.indexOf(n, i + 1)) {
    const before = i === 0 || !ALNUM.test(n[0]!) || !ALNUM.test(t[i - 1]!);
    const end = i + n.length;
    const after = end === t.length || !ALNUM.test(n[n.length - 1]!) || !ALNUM.test(t[end]!);
    if (before && after) return true;
  }
  return false;
}

export const kustoHasAny = (text: string, needles: readonly string[]) => needles.some(n => kustoHas(text, n));

/** Query H's terms (J's are the same less the whoami variants, which "whoami" covers). */
export const RECON_TERMS = [
  'whoami', 'whoami /all', 'whoami /groups', 'whoami /priv', 'hostname', 'systeminfo', 'ver', 'wmic os get',
  'reg query HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'query user', 'net user', 'nltest', 'ipconfig /all', 'arp -a',
  'route print', 'dir', 'icacls',
] as const;

export const SHELLS = new Set(['cmd.exe', 'powershell.exe', 'pwsh.exe']);
export const REMOTE_TOOLS = new Set(['quickassist.exe', 'anydesk.exe', 'teamviewer.exe']);

export function isRecon(o: Owned): boolean {
  return o.table === 'DeviceProcessEvents' && SHELLS.has(String(o.row.FileName).toLowerCase()) && kustoHasAny(String(o.row.ProcessCommandLine), RECON_TERMS);
}

export function isRemoteToolStart(o: Owned): boolean {
  return o.table === 'DeviceProcessEvents' && REMOTE_TOOLS.has(String(o.row.FileName).toLowerCase());
}
