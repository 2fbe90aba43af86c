// Hand-built alerts for correlation tests: a compact way to write the entities and source events
// an alert would carry.
import type { Alert, AlertEntity, EntityKind, Severity } from '../../src/detect/model.js';

export interface AlertSpec {
  readonly id: string;
  /** Event time of the first evidence, e.g. '2026-03-02T10:00:00Z'. */
  readonly at: string;
  /** Minutes between first and last evidence (default 1). */
  readonly minutes?: number;
  readonly title?: string;
  readonly rule?: string;
  readonly severity?: Severity;
  readonly stages?: readonly number[];
  readonly tactics?: readonly string[];
  readonly category?: string;
  /** Entities as kind → value(s). */
  readonly e?: Partial<Record<EntityKind, string | readonly string[]>>;
  /** Devices the source events happened on (default: the device entities), and their table. */
  readonly on?: readonly string[];
  readonly table?: string;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export function alert(s: AlertSpec): Alert {
  const first = Date.parse(s.at);
  const last = first + (s.minutes ?? 1) * 60_000;
  const entities: AlertEntity[] = [];
  for (const [kind, v] of Object.entries(s.e ?? {}) as [EntityKind, string | readonly string[]][]) {
    for (const value of typeof v === 'string' ? [v] : v) entities.push({ kind, value });
  }
  const devices = s.on ?? entities.filter(x => x.kind === 'device').map(x => x.value).slice(0, 1);
  const table = s.table ?? (devices.length ? 'DeviceProcessEvents' : 'CloudAppEvents');
  const sourceEvents = (devices.length ? devices : ['']).map((d, i) => ({
    table, reportId: `${s.id}-${i + 1}`, timestamp: iso(first + i * 1000), deviceName: d,
  }));
  return {
    id: s.id,
    ruleId: s.rule ?? `rule-${s.id}`,
    title: s.title ?? `Alert ${s.id}`,
    description: `Description of ${s.id}`,
    severity: s.severity ?? 'medium',
    category: s.category ?? 'Execution',
    tactics: s.tactics ?? ['Execution'],
    techniques: ['T1059'],
    stages: s.stages ?? [],
    firstActivity: iso(first),
    lastActivity: iso(last),
    createdTime: iso(last),
    entities,
    sourceEvents,
    responseActions: [],
  };
}

/** The groups as sorted lists of alert ids, sorted. */
export function idsOf(groups: readonly { alertIds: readonly string[] }[]): string[][] {
  return groups.map(g => [...g.alertIds].sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

export const H = 3_600_000;
export function at(base: string, minutes: number): string {
  return new Date(Date.parse(base) + minutes * 60_000).toISOString();
}
