// chainhunt incidents --db FILE [--format table|json] [--status S,...] [--severity S,...] [--id ID]
//   The incident queue (most recent activity first), or one incident with its alerts, their source
//   events, entities, response actions, comments and history. --format json writes the Microsoft
//   Graph security API form (GET /security/incidents?$expand=alerts, or one incident).
// chainhunt incident update ID --db FILE [--status S] [--classification C] [--determination D]
//   [--assign USER | --unassign] [--tag T]... [--remove-tag T]... [--comment TEXT] [--by NAME]
//   Changes persist in the database and survive re-correlation; each is recorded in the history.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Engine } from '../../engine.js';
import type { Alert, IncidentStatus, Severity } from '../../detect/model.js';
import { SEVERITIES } from '../../detect/model.js';
import { correlate } from '../../correlate/index.js';
import {
  exportIncidentsGraph, getIncident, incidentAlerts, incidentHistory, INCIDENT_STATUSES, IncidentError, listIncidents,
  SEED_STAGES, type StoredIncident, updateIncident, parseStatus, parseClassification, parseDetermination,
  GRAPH_INCIDENTS_CONTEXT, graphContext, incidentToGraph,
} from '../../incidents/index.js';
import { resultTable } from '../output.js';
import type { Cell, QueryResult } from '../../store/result.js';
import { UsageError } from '../errors.js';

export interface IncidentsOptions {
  readonly db: string;
  readonly format?: string;
  readonly status?: string;
  readonly severity?: string;
  readonly id?: string;
  readonly tenant?: string;
  readonly correlate?: boolean;
}

export interface IncidentUpdateOptions {
  readonly db: string;
  readonly status?: string;
  readonly classification?: string;
  readonly determination?: string;
  readonly assign?: string;
  readonly unassign?: boolean;
  readonly tag?: string[];
  readonly removeTag?: string[];
  readonly comment?: string;
  readonly by?: string;
  readonly format?: string;
}

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (!value) return undefined;
  return value.split(',').map(v => v.trim()).filter(Boolean).map(v => {
    const found = allowed.find(a => a.toLowerCase() === v.toLowerCase());
    if (!found) throw new UsageError(`--${what} must be among ${allowed.join(', ')} (got "${v}")`);
    return found;
  });
}

async function openDb(db: string): Promise<Engine> {
  if (!existsSync(db)) throw new UsageError(`no database ${db}`);
  return Engine.open({ path: db });
}

function table(columns: string[], rows: Cell[][], maxWidth = 100): string {
  const result: QueryResult = { columns: columns.map(name => ({ name, type: 'string' })), rows };
  return resultTable(result, maxWidth);
}

const short = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

/** Source events listed per alert in the detail view (JSON has them all). */
const SOURCE_EVENTS_SHOWN = 10;

function incidentRows(incidents: readonly StoredIncident[]): string {
  return table(
    ['Id', 'Severity', 'Status', 'Title', 'Alerts', 'Stages', 'Devices', 'Users', 'First activity', 'Last activity', 'Assigned to', 'Tags'],
    incidents.map(i => [
      i.id, i.severity, i.status, i.title, i.alertIds.length, i.stages.join(','), i.devices.length, i.users.length,
      short(i.firstActivity), short(i.lastActivity), i.assignedTo, i.tags.join(', '),
    ]),
    130,
  );
}

function detail(inc: StoredIncident, alerts: readonly Alert[], history: Awaited<ReturnType<typeof incidentHistory>>): string {
  const out: string[] = [];
  out.push(`Incident ${inc.id}: ${inc.title}`);
  out.push(`  Severity: ${inc.severity}   Status: ${inc.status}${inc.redirectIncidentId ? ` (merged into incident ${inc.redirectIncidentId})` : ''}   Classification: ${inc.classification}   Determination: ${inc.determination}`);
  out.push(`  Assigned to: ${inc.assignedTo || '(nobody)'}   Tags: ${inc.tags.join(', ') || '(none)'}`);
  out.push(`  Activity: ${inc.firstActivity} .. ${inc.lastActivity}   Created: ${inc.createdTime}   Last update: ${inc.lastUpdateTime}${inc.resolvedTime ? `   Resolved: ${inc.resolvedTime}` : ''}`);
  if (inc.stages.length) out.push(`  Stages: ${inc.stages.map(s => `${s}. ${SEED_STAGES[s] ?? ''}`).join('; ')}`);
  if (inc.tactics.length) out.push(`  MITRE tactics: ${inc.tactics.join(', ')}`);
  if (inc.devices.length) out.push(`  Devices: ${inc.devices.join(', ')}`);
  if (inc.users.length) out.push(`  Users: ${inc.users.join(', ')}`);
  out.push('');
  out.push(`Alerts (${alerts.length}):`);
  out.push(table(['First activity', 'Severity', 'Stages', 'Title', 'Rule', 'Devices', 'Alert id'], alerts.map(a => [
    short(a.firstActivity), a.severity, a.stages.join(','), a.title, a.ruleId,
    [...new Set(a.sourceEvents.map(s => s.deviceName).filter(Boolean))].join(', '), a.id,
  ])));
  for (const a of alerts) {
    const shown = a.sourceEvents.slice(0, SOURCE_EVENTS_SHOWN);
    out.push(`  ${a.title} (${a.id}): ${a.sourceEvents.length} source event${a.sourceEvents.length === 1 ? '' : 's'}`);
    out.push(table(['Table', 'ReportId', 'Timestamp', 'DeviceName'], shown.map(s => [s.table, s.reportId, s.timestamp, s.deviceName]))
      .split('\n').map(l => (l ? `    ${l}` : l)).join('\n')
      + (a.sourceEvents.length > shown.length ? `    (${a.sourceEvents.length - shown.length} more; --format json lists them all)\n` : ''));
  }
  out.push(`Entities (${inc.entities.length}):`);
  out.push(table(['Kind', 'Value'], inc.entities.map(e => [e.kind, e.value]), 120));
  if (inc.actions?.length) {
    out.push(`Response actions (${inc.actions.length}):`);
    out.push(table(['Time', 'Action', 'Target', 'Status', 'Responder', 'Policy'], inc.actions.map(a => [a.timestamp, a.action, `${a.target.kind}:${a.target.value}`, a.status, a.responder, a.policyId])));
  }
  if (inc.comments.length) {
    out.push(`Comments (${inc.comments.length}):`);
    for (const c of inc.comments) out.push(`  ${c.createdTime} ${c.createdBy}: ${c.comment}`);
    out.push('');
  }
  out.push(`History (${history.length}):`);
  out.push(table(['Time', 'By', 'Change', 'From', 'To'], history.map(h => [h.time, h.actor, h.change, h.oldValue, h.newValue]), 80));
  return out.join('\n');
}

export async function runIncidentsCommand(options: IncidentsOptions): Promise<number> {
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError('--format must be table or json');
  const status = list(options.status, INCIDENT_STATUSES, 'status');
  const severity = list(options.severity, SEVERITIES as readonly Severity[], 'severity');
  const engine = await openDb(options.db);
  try {
    const store = engine.store;
    if (options.correlate) {
      const s = await correlate(store);
      process.stderr.write(`correlated ${s.alerts} alerts: ${s.incidents} incidents (${s.created.length} new, ${s.updated.length} updated, ${s.merged.length} merged)\n`);
    }
    if (options.id !== undefined) {
      const inc = await getIncident(store, options.id, { includeActions: true });
      if (!inc) throw new UsageError(`no incident ${options.id}`);
      const alerts = await incidentAlerts(store, inc.id);
      if (format === 'json') {
        const devices = alerts.flatMap(a => [...a.entities.filter(e => e.kind === 'device').map(e => e.value), ...a.sourceEvents.map(s => s.deviceName)]);
        const ctx = await graphContext(store, devices, options.tenant ?? null);
        const obj = { '@odata.context': `${GRAPH_INCIDENTS_CONTEXT}/$entity`, ...incidentToGraph(inc, alerts, ctx) };
        process.stdout.write(JSON.stringify(obj, null, 2) + '\n');
      } else {
        process.stdout.write(detail(inc, alerts, await incidentHistory(store, inc.id)) + '\n');
      }
      return 0;
    }
    if (format === 'json') {
      const graph = await exportIncidentsGraph(store, { status: status as IncidentStatus[] | undefined, severity, tenantId: options.tenant ?? null });
      process.stdout.write(JSON.stringify(graph, null, 2) + '\n');
    } else {
      const incidents = await listIncidents(store, { status: status as IncidentStatus[] | undefined, severity });
      process.stdout.write(incidentRows(incidents));
    }
    return 0;
  } finally {
    engine.close();
  }
}

export async function runIncidentUpdateCommand(id: string, options: IncidentUpdateOptions): Promise<number> {
  if (options.assign !== undefined && options.unassign) throw new UsageError('give --assign or --unassign, not both');
  const changes = {
    status: options.status !== undefined ? parseChecked(parseStatus, options.status) : undefined,
    classification: options.classification !== undefined ? parseChecked(parseClassification, options.classification) : undefined,
    determination: options.determination !== undefined ? parseChecked(parseDetermination, options.determination) : undefined,
    assignedTo: options.unassign ? '' : options.assign,
    addTags: options.tag ?? [],
    removeTags: options.removeTag ?? [],
    comment: options.comment,
  };
  if (Object.values(changes).every(v => v === undefined || (Array.isArray(v) && v.length === 0))) {
    throw new UsageError('nothing to change: give --status, --classification, --determination, --assign, --unassign, --tag, --remove-tag or --comment');
  }
  if (options.comment !== undefined && !options.comment.trim()) throw new UsageError('--comment is empty');
  const engine = await openDb(options.db);
  try {
    let by = options.by;
    if (!by) {
      try {
        by = userInfo().username;
      } catch {
        by = 'analyst';
      }
    }
    const inc = await updateIncident(engine.store, id, changes, { by }).catch(e => {
      if (e instanceof IncidentError) throw new UsageError(e.message);
      throw e;
    });
    if (options.format === 'json') process.stdout.write(JSON.stringify({ id: inc.id, status: inc.status, classification: inc.classification, determination: inc.determination, assignedTo: inc.assignedTo, tags: inc.tags, comments: inc.comments.length }) + '\n');
    else process.stdout.write(`incident ${inc.id}: status ${inc.status}, classification ${inc.classification}, determination ${inc.determination}, assigned to ${inc.assignedTo || '(nobody)'}, tags ${inc.tags.join(', ') || '(none)'}, ${inc.comments.length} comment${inc.comments.length === 1 ? '' : 's'}\n`);
    return 0;
  } finally {
    engine.close();
  }
}

function parseChecked<T>(parse: (v: string) => T, v: string): T {
  try {
    return parse(v);
  } catch (e) {
    if (e instanceof IncidentError) throw new UsageError(e.message);
    throw e;
  }
}
