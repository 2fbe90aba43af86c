// Incidents: the queue (filters, sort), the attack story of one incident, and analysts' changes.
import type { FastifyInstance } from 'fastify';
import { SEVERITIES, type IncidentStatus, type Severity } from '../../detect/model.js';
import {
  CLASSIFICATIONS, DETERMINATIONS, INCIDENT_STATUSES, addIncidentComment, listIncidents, updateIncident, type StoredIncident,
} from '../../incidents/store.js';
import { incidentStory } from '../../incidents/story.js';
import type { ServerContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';

const SORT_KEYS = ['lastActivity', 'firstActivity', 'severity', 'status', 'title', 'alertCount', 'createdTime', 'lastUpdateTime'] as const;
type SortKey = (typeof SORT_KEYS)[number];

export function listItem(i: StoredIncident) {
  return {
    id: i.id, title: i.title, severity: i.severity, status: i.status, classification: i.classification,
    determination: i.determination, assignedTo: i.assignedTo, tags: [...i.systemTags, ...i.customTags],
    stages: i.stages, tactics: i.tactics, users: i.users, devices: i.devices,
    firstActivity: i.firstActivity, lastActivity: i.lastActivity, createdTime: i.createdTime, lastUpdateTime: i.lastUpdateTime,
    alertCount: i.alertIds.length,
  };
}

function csvParam<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map(v => {
    const found = allowed.find(a => a.toLowerCase() === v.trim().toLowerCase());
    if (!found) throw badRequest(`${what} must be among ${allowed.join(', ')} (got "${v.trim()}")`);
    return found;
  });
}

function compare(a: ReturnType<typeof listItem>, b: ReturnType<typeof listItem>, key: SortKey): number {
  switch (key) {
    case 'severity': return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
    case 'status': return INCIDENT_STATUSES.indexOf(a.status) - INCIDENT_STATUSES.indexOf(b.status);
    case 'alertCount': return a.alertCount - b.alertCount;
    default: return a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;
  }
}

const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id'] } as const;

interface IncidentPatch {
  status?: string;
  classification?: string;
  determination?: string;
  assignedTo?: string;
  tags?: string[];
}

export function registerIncidentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { status?: string; severity?: string; q?: string; sort?: SortKey; order?: 'asc' | 'desc' } }>('/api/incidents', {
    schema: {
      tags: ['incidents'],
      summary: 'The incident queue',
      description: 'Most recent activity first unless sorted otherwise. Without `status`, every incident but the redirected (merged) ones.',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          status: { type: 'string', description: `Comma-separated: ${INCIDENT_STATUSES.join(', ')}` },
          severity: { type: 'string', description: `Comma-separated: ${SEVERITIES.join(', ')}` },
          q: { type: 'string', maxLength: 500, description: 'Text in the title, id, users, devices, tags or entities' },
          sort: { type: 'string', enum: [...SORT_KEYS] },
          order: { type: 'string', enum: ['asc', 'desc'] },
        },
      },
    },
  }, async request => ctx.withSession(async s => {
    const status = csvParam<IncidentStatus>(request.query.status, INCIDENT_STATUSES, 'status');
    const severity = csvParam<Severity>(request.query.severity, SEVERITIES, 'severity');
    let incidents = await listIncidents(s.store, { status, severity });
    const text = request.query.q?.trim().toLowerCase();
    if (text) {
      incidents = incidents.filter(i => [i.id, i.title, i.assignedTo, ...i.users, ...i.devices, ...i.systemTags, ...i.customTags, ...i.entities.map(e => e.value)]
        .some(v => v.toLowerCase().includes(text)));
    }
    const items = incidents.map(listItem);
    if (request.query.sort) {
      const key = request.query.sort;
      const sign = request.query.order === 'asc' ? 1 : -1;
      items.sort((a, b) => sign * compare(a, b, key) || (a.id < b.id ? -1 : 1));
    } else if (request.query.order === 'asc') {
      items.reverse();
    }
    return { incidents: items };
  }));

  app.get<{ Params: { id: string } }>('/api/incidents/:id', {
    schema: { tags: ['incidents'], summary: 'One incident: its alerts, entities, timeline along the seed stages, graph, actions and history', params: idParams },
  }, async request => ctx.withSession(async s => {
    const story = await incidentStory(s.store, request.params.id);
    if (!story) throw notFound(`incident ${request.params.id}`);
    return story;
  }));

  app.patch<{ Params: { id: string }; Body: IncidentPatch }>('/api/incidents/:id', {
    schema: {
      tags: ['incidents'],
      summary: 'Change status, classification, determination, assignment or tags',
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          status: { type: 'string', enum: INCIDENT_STATUSES.filter(x => x !== 'redirected') },
          classification: { type: 'string', enum: [...CLASSIFICATIONS] },
          determination: { type: 'string', enum: [...DETERMINATIONS] },
          assignedTo: { type: 'string', maxLength: 320 },
          tags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, maxItems: 50, description: "The incident's custom tags (replaces them)" },
        },
      },
    },
  }, async request => ctx.exclusive(async s => {
    const { tags, ...rest } = request.body;
    let addTags: string[] | undefined;
    let removeTags: string[] | undefined;
    if (tags) {
      const current = (await listIncidents(s.store, { status: INCIDENT_STATUSES, ids: [request.params.id] }))[0];
      if (!current) throw notFound(`incident ${request.params.id}`);
      removeTags = current.customTags.filter(t => !tags.some(x => x.toLowerCase() === t.toLowerCase()));
      addTags = tags;
    }
    await updateIncident(s.store, request.params.id, {
      status: rest.status as IncidentStatus | undefined, classification: rest.classification as never, determination: rest.determination,
      assignedTo: rest.assignedTo, addTags, removeTags,
    }, { by: 'console' });
    return (await incidentStory(s.store, request.params.id))!;
  }));

  app.post<{ Params: { id: string }; Body: { comment: string } }>('/api/incidents/:id/comments', {
    schema: {
      tags: ['incidents'],
      summary: 'Add a comment',
      params: idParams,
      body: { type: 'object', required: ['comment'], additionalProperties: false, properties: { comment: { type: 'string', minLength: 1, maxLength: 10_000 } } },
    },
  }, async (request, reply) => ctx.exclusive(async s => {
    await addIncidentComment(s.store, request.params.id, request.body.comment, { by: 'console' });
    void reply.status(201);
    return (await incidentStory(s.store, request.params.id))!;
  }));
}
