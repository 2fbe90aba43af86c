// Test helpers: alerts and incidents built by hand.
import type { Alert, AlertEntity, Incident, Severity } from '../../src/detect/model.js';

let n = 0;

export function alert(p: {
  id?: string; stages: number[]; at: string; end?: string; created?: string; severity?: Severity; rule?: string; title?: string; tactics?: string[];
  user?: { oid?: string; upn?: string; sid?: string; name?: string }; devices?: string[]; extra?: AlertEntity[];
}): Alert {
  const id = p.id ?? `alert-${++n}`;
  const entities: AlertEntity[] = [];
  for (const d of p.devices ?? []) entities.push({ kind: 'device', value: d });
  if (p.user?.oid) entities.push({ kind: 'userObjectId', value: p.user.oid });
  if (p.user?.upn) entities.push({ kind: 'userUpn', value: p.user.upn });
  if (p.user?.sid) entities.push({ kind: 'userSid', value: p.user.sid });
  if (p.user?.name) entities.push({ kind: 'userName', value: p.user.name });
  entities.push(...(p.extra ?? []));
  return {
    id, ruleId: p.rule ?? `rule-stage-${p.stages.join('-')}`, title: p.title ?? `Stage ${p.stages.join(', ')}`, description: '',
    severity: p.severity ?? 'medium', category: '', tactics: p.tactics ?? [], techniques: [], stages: p.stages,
    firstActivity: p.at, lastActivity: p.end ?? p.at, createdTime: p.created ?? p.at, entities,
    sourceEvents: [
      { table: 'DeviceProcessEvents', reportId: `${id}-r1`, timestamp: p.at, deviceName: p.devices?.[0] ?? '' },
      ...(p.end ? [{ table: 'DeviceProcessEvents', reportId: `${id}-r2`, timestamp: p.end, deviceName: p.devices?.[0] ?? '' }] : []),
    ],
    responseActions: [],
  };
}

export function incident(id: string, alerts: Alert[]): Incident {
  const times = alerts.map(a => a.firstActivity).sort();
  return {
    id, title: id, severity: 'high', status: 'active', classification: 'unknown', determination: '', assignedTo: '', tags: [],
    firstActivity: times[0] ?? '', lastActivity: times[times.length - 1] ?? '', createdTime: times[0] ?? '', lastUpdateTime: times[0] ?? '',
    stages: [...new Set(alerts.flatMap(a => a.stages))].sort(), tactics: [], alertIds: alerts.map(a => a.id),
    entities: alerts.flatMap(a => a.entities), comments: [],
  };
}

export const VICTIM = { oid: '6f1c2a9e-0b1d-4c7e-9a51-1a2b3c4d5e6f', upn: 'jdoe@contoso.com', sid: 'S-1-5-21-1111-2222-3333-1104', name: 'jdoe' };
