// Alerts, with the incident each belongs to, and the raw telemetry rows behind one alert.
import type { FastifyInstance } from 'fastify';
import { SEVERITIES, type Severity } from '../../detect/model.js';
import { INCIDENT_ALERTS_TABLE, alertsById, ensureIncidentTables } from '../../incidents/store.js';
import { alertEvidenceRows } from '../../incidents/evidence.js';
import { timeMicros } from '../../correlate/cluster.js';
import type { ServerContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { loadActions } from '../../incidents/store.js';

export function registerAlertRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { incidentId?: string; severity?: string; ruleId?: string } }>('/api/alerts', {
    schema: {
      tags: ['alerts'],
      summary: 'Alerts, most recent activity first',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { incidentId: { type: 'string' }, severity: { type: 'string', description: `Comma-separated: ${SEVERITIES.join(', ')}` }, ruleId: { type: 'string' } },
      },
    },
  }, async request => ctx.withSession(async s => {
    await ensureIncidentTables(s.store);
    const severities = request.query.severity?.split(',').map(v => v.trim()).filter(Boolean);
    for (const v of severities ?? []) if (!SEVERITIES.includes(v as Severity)) throw badRequest(`severity must be among ${SEVERITIES.join(', ')} (got "${v}")`);
    const incidentOf = new Map((await s.store.sql(`SELECT AlertId, IncidentId FROM ${INCIDENT_ALERTS_TABLE}`)).map(r => [String(r[0]), String(r[1])]));
    const alerts = [...(await alertsById(s.store)).values()]
      .map(a => ({ ...a, incidentId: incidentOf.get(a.id) ?? null }))
      .filter(a => (!request.query.incidentId || a.incidentId === request.query.incidentId)
        && (!severities || severities.includes(a.severity))
        && (!request.query.ruleId || a.ruleId === request.query.ruleId))
      .sort((a, b) => timeMicros(b.lastActivity) - timeMicros(a.lastActivity) || (a.id < b.id ? -1 : 1));
    return { alerts };
  }));

  app.get<{ Params: { id: string } }>('/api/alerts/:id', {
    schema: {
      tags: ['alerts'],
      summary: 'One alert and the telemetry rows that raised it (every column of each source event)',
      params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id'] },
    },
  }, async request => ctx.withSession(async s => {
    await ensureIncidentTables(s.store);
    const alert = (await alertsById(s.store)).get(request.params.id);
    if (!alert) throw notFound(`alert ${request.params.id}`);
    const [row] = await s.store.sql(`SELECT IncidentId FROM ${INCIDENT_ALERTS_TABLE} WHERE AlertId = $1`, [alert.id]);
    return { alert: { ...alert, incidentId: row ? String(row[0]) : null }, evidence: await alertEvidenceRows(s.store, alert) };
  }));

  app.get<{ Querystring: { incidentId?: string } }>('/api/actions', {
    schema: {
      tags: ['response'],
      summary: 'The response-action log (attack disruption), newest first',
      querystring: { type: 'object', additionalProperties: false, properties: { incidentId: { type: 'string' } } },
    },
  }, async request => ctx.withSession(async s => {
    const actions = (await loadActions(s.store))
      .filter(a => !request.query.incidentId || a.incidentId === request.query.incidentId)
      .sort((a, b) => timeMicros(b.timestamp) - timeMicros(a.timestamp) || (a.id < b.id ? -1 : 1));
    return { actions };
  }));
}
