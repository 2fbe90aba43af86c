// How attack disruption reads incidents and marks them. The incidents store (src/incidents/store.ts)
// owns incidents; this adapter is the one place that calls it. Each recorded action goes into the
// incident's history, and a disrupted incident gets the system tag "Attack Disruption" (as Defender
// tags disrupted incidents), stamped with the event time of the evidence that triggered it.
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { Incident, ResponseAction } from '../detect/model.js';
import { addSystemTags, getIncident, listIncidents, recordHistory } from '../incidents/store.js';
import { normalizeTime } from '../incidents/summary.js';

export interface IncidentSource {
  load(store: DuckDbStore): Promise<Incident[]>;
  /** Notes an action on its incident and adds the tag (idempotent). */
  mark(store: DuckDbStore, action: ResponseAction, tag: string): Promise<void>;
}

export const incidentSource: IncidentSource = {
  async load(store) {
    return listIncidents(store);
  },
  async mark(store, action, tag) {
    if (!(await getIncident(store, action.incidentId))) return;
    const time = normalizeTime(action.timestamp);
    await recordHistory(store, action.incidentId, time, `attack disruption (${action.responder})`, 'responseAction', null,
      `${action.action} ${action.target.kind}:${action.target.value} (${action.status}) by policy ${action.policyId}`);
    await addSystemTags(store, action.incidentId, [tag], { now: new Date(Date.parse(time.replace(/(\.\d{3})\d*Z$/, '$1Z'))), by: 'attack disruption' });
  },
};
