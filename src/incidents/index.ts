// Incidents: storage, changes by people and by response, and the Microsoft Graph form.
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { IncidentStatus, Severity } from '../detect/model.js';
import { alertsById, INCIDENT_STATUSES, listIncidents, type StoredIncident } from './store.js';
import { graphContext, incidentsToGraph, type GraphObject } from './graph.js';

export * from './store.js';
export * from './summary.js';
export * from './graph.js';

export interface GraphExportOptions {
  readonly ids?: readonly string[];
  readonly status?: readonly IncidentStatus[];
  readonly severity?: readonly Severity[];
  readonly tenantId?: string | null;
}

/**
 * Stored incidents with their alerts (and response actions) as `GET /security/incidents?$expand=alerts`
 * returns them: every status by default, redirected (merged) ones included, as Graph lists them.
 */
export async function exportIncidentsGraph(store: DuckDbStore, options: GraphExportOptions = {}): Promise<GraphObject> {
  const incidents = await listIncidents(store, { ids: options.ids, status: options.status ?? INCIDENT_STATUSES, severity: options.severity, includeActions: true });
  const alerts = await alertsById(store);
  const items = incidents.map((incident: StoredIncident) => ({ incident, alerts: incident.alertIds.map(id => alerts.get(id)).filter(a => a !== undefined) }));
  const devices = new Set<string>();
  for (const x of items) for (const a of x.alerts) {
    for (const e of a.entities) if (e.kind === 'device') devices.add(e.value);
    for (const s of a.sourceEvents) if (s.deviceName) devices.add(s.deviceName);
  }
  return incidentsToGraph(items, await graphContext(store, devices, options.tenantId ?? null));
}
