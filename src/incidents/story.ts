// An incident as an analyst reads it: the attack story (alerts in time order along the seed's
// stages 1–9), the entities and alerts as a graph, the response actions and the history of changes.
import type { Alert, AlertEntity, ResponseAction } from '../detect/model.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { getIncident, incidentAlerts, incidentHistory, type HistoryEntry, type StoredIncident } from './store.js';
import { SEED_STAGES } from './summary.js';
import { timeMicros } from '../correlate/cluster.js';

export interface TimelineEntry {
  readonly time: string;
  readonly alertId: string;
  readonly title: string;
  readonly severity: string;
  readonly stages: readonly number[];
  readonly tactics: readonly string[];
}

export interface StageCoverage {
  readonly stage: number;
  readonly name: string;
  readonly covered: boolean;
  readonly firstSeen: string | null;
  readonly alertIds: readonly string[];
}

export interface GraphNode {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly severity?: string;
}

export interface IncidentStory {
  readonly incident: StoredIncident & { readonly alertCount: number };
  readonly alerts: readonly Alert[];
  readonly actions: readonly ResponseAction[];
  readonly timeline: readonly TimelineEntry[];
  readonly stages: readonly StageCoverage[];
  readonly graph: { readonly nodes: readonly GraphNode[]; readonly edges: readonly { source: string; target: string }[] };
  readonly history: readonly HistoryEntry[];
}

/** Entity kinds as the console draws them (the user's several identifiers are all "user"). */
const NODE_KIND: Record<string, string> = {
  userUpn: 'user', userName: 'user', userObjectId: 'user', userSid: 'user', mailbox: 'mailbox',
  device: 'device', ip: 'ip', url: 'url', file: 'file', fileHash: 'file', process: 'process',
  registryValue: 'registryValue', teamsThread: 'teamsThread',
};

const entityNodeId = (e: AlertEntity) => `${e.kind}:${e.value.toLowerCase()}`;

export function buildTimeline(alerts: readonly Alert[]): TimelineEntry[] {
  return [...alerts]
    .sort((a, b) => timeMicros(a.firstActivity) - timeMicros(b.firstActivity) || (a.id < b.id ? -1 : 1))
    .map(a => ({ time: a.firstActivity, alertId: a.id, title: a.title, severity: a.severity, stages: a.stages, tactics: a.tactics }));
}

export function stageCoverage(alerts: readonly Alert[]): StageCoverage[] {
  return Object.entries(SEED_STAGES).map(([k, name]) => {
    const stage = Number(k);
    const hits = alerts.filter(a => a.stages.includes(stage));
    const first = hits.reduce<string | null>((m, a) => (m === null || timeMicros(a.firstActivity) < timeMicros(m) ? a.firstActivity : m), null);
    return { stage, name, covered: hits.length > 0, firstSeen: first, alertIds: hits.map(a => a.id) };
  });
}

export function entityGraph(alerts: readonly Alert[]): IncidentStory['graph'] {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, { source: string; target: string }>();
  for (const a of alerts) {
    const alertNode = `alert:${a.id}`;
    nodes.set(alertNode, { id: alertNode, kind: 'alert', label: a.title, severity: a.severity });
    for (const e of a.entities) {
      if (!e.value.trim()) continue;
      const id = entityNodeId(e);
      if (!nodes.has(id)) nodes.set(id, { id, kind: NODE_KIND[e.kind] ?? e.kind, label: e.value });
      edges.set(`${alertNode}\u0000${id}`, { source: alertNode, target: id });
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

export async function incidentStory(store: DuckDbStore, id: string): Promise<IncidentStory | null> {
  const incident = await getIncident(store, id, { includeActions: true });
  if (!incident) return null;
  const alerts = await incidentAlerts(store, id);
  return {
    incident: { ...incident, alertCount: alerts.length },
    alerts,
    actions: incident.actions ?? [],
    timeline: buildTimeline(alerts),
    stages: stageCoverage(alerts),
    graph: entityGraph(alerts),
    history: await incidentHistory(store, id),
  };
}
