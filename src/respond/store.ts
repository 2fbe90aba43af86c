// Where response actions are kept: chainhunt's own record (`_chainhunt_actions`, one row per
// incident/policy/action/target, updated as attempts are made), and Defender's
// DisruptionAndResponseEvents table, one row per attempt, so hunting queries see disruption as they
// would in Defender.
//
// DisruptionAndResponseEvents, as chainhunt fills it:
//   Timestamp                 event time of the evidence that triggered the policy (not the clock)
//   ActionType                ContainedUserDisabled | ContainedUserSessionsRevoked | ContainedDeviceIsolated
//   ReportType                PolicyUpdated (carried out) | DryRun (recorded only) | Failed
//   IsPolicyOn                true when the containment is in force
//   DeviceId/DeviceName       the contained device (isolation) or the device the user was contained on
//   SourceDevice*             the device the trigger started on (the originating device)
//   TargetDevice*             the isolated device (isolation only)
//   SourceUser*               the contained user (SID, account name, domain)
//   CompromisedAccountCount   users the policy contains on the incident
//   PolicyId/Name/Version/Hash, DataSources ["chainhunt", responder]
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { ResponseAction } from '../detect/model.js';
import { targetEntity, type UserIdentity } from './engine.js';
import type { ActionType } from './policies.js';
import type { ResolvedAction, ResponderResult } from './responders/types.js';

export const ACTIONS_TABLE = '_chainhunt_actions';

export const DISRUPTION_ACTION_TYPE: Record<ActionType, string> = {
  disableUser: 'ContainedUserDisabled',
  revokeSessions: 'ContainedUserSessionsRevoked',
  isolateDevice: 'ContainedDeviceIsolated',
};

/** The columns of the action record, in order. */
const ACTION_COLUMNS: readonly [string, string][] = [
  ['ActionId', 'VARCHAR'], ['IncidentId', 'VARCHAR'], ['PolicyId', 'VARCHAR'], ['PolicyName', 'VARCHAR'], ['ActionType', 'VARCHAR'],
  ['TargetKind', 'VARCHAR'], ['TargetValue', 'VARCHAR'], ['Timestamp', 'TIMESTAMP'], ['Responder', 'VARCHAR'], ['Status', 'VARCHAR'],
  ['Detail', 'VARCHAR'], ['Attempts', 'INTEGER'], ['CreatedTime', 'TIMESTAMP'], ['LastUpdateTime', 'TIMESTAMP'], ['Record', 'JSON'],
];

/**
 * Creates the action record (and DisruptionAndResponseEvents). Columns are added by name when the
 * table exists with fewer (an older or another component's layout), and rows are written by column
 * name, so readers that pick columns by name keep working.
 */
export async function ensureActionTables(store: DuckDbStore): Promise<void> {
  await store.ensureTables(['DisruptionAndResponseEvents']);
  await store.sql(`CREATE TABLE IF NOT EXISTS ${ACTIONS_TABLE} (${ACTION_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  for (const [n, t] of ACTION_COLUMNS) await store.sql(`ALTER TABLE ${ACTIONS_TABLE} ADD COLUMN IF NOT EXISTS ${n} ${t}`);
}

/** A stored action: the model's ResponseAction plus what chainhunt keeps about it. */
export interface StoredAction extends ResponseAction {
  readonly policyName: string;
  readonly attempts: number;
  readonly createdTime: string;
  readonly lastUpdateTime: string;
  /** The target as resolved (user identity or device name and id). */
  readonly targetDetail: Record<string, unknown>;
  /** The trigger: alert ids per step and the completing source event. */
  readonly trigger: Record<string, unknown>;
  readonly originDevice: string | null;
}

export async function loadActions(store: DuckDbStore): Promise<StoredAction[]> {
  await ensureActionTables(store);
  const rows = await store.sql(`SELECT CAST(Record AS VARCHAR) FROM ${ACTIONS_TABLE} WHERE Record IS NOT NULL`);
  const actions = rows.map(r => JSON.parse(String(r[0])) as StoredAction);
  const key = (a: StoredAction) => [Date.parse(a.timestamp), a.incidentId, a.policyId, a.action, a.target.value] as const;
  return actions.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
}

const domainOf = (device: string | null | undefined) => {
  if (!device) return '';
  const cut = device.indexOf('.');
  return cut > 0 && !/^\d+\.\d+\.\d+\.\d+$/.test(device) ? device.slice(cut + 1) : '';
};

export interface RecordContext {
  /** The user the policy contains on this incident (named on every row, device rows too). */
  readonly user: UserIdentity | null;
  readonly originDevice: { readonly name: string; readonly id?: string } | null;
  /** The device user actions are attributed to (the originating device). */
  readonly now: Date;
}

/** The DisruptionAndResponseEvents row of one attempt. */
export function disruptionRow(a: ResolvedAction, result: ResponderResult, responder: string, ctx: RecordContext): Record<string, unknown> {
  const user = a.target.kind === 'user' ? a.target.user : ctx.user;
  const device = a.target.kind === 'device' ? a.target.device : ctx.originDevice;
  const origin = ctx.originDevice;
  return {
    Timestamp: a.timestamp,
    ActionType: DISRUPTION_ACTION_TYPE[a.type],
    ReportType: result.status === 'succeeded' ? 'PolicyUpdated' : result.status === 'dryRun' ? 'DryRun' : 'Failed',
    IsPolicyOn: result.status === 'succeeded',
    DeviceId: device?.id ?? '',
    DeviceName: device?.name ?? '',
    DomainName: domainOf(device?.name),
    SourceDeviceId: origin?.id ?? '',
    SourceDeviceName: origin?.name ?? '',
    SourceDomainName: domainOf(origin?.name),
    TargetDeviceId: a.target.kind === 'device' ? a.target.device.id ?? '' : '',
    TargetDeviceName: a.target.kind === 'device' ? a.target.device.name : '',
    TargetDomainName: a.target.kind === 'device' ? domainOf(a.target.device.name) : '',
    SourceUserSid: user?.sid ?? '',
    SourceUserName: user?.name ?? user?.upn?.split('@')[0] ?? '',
    SourceUserDomainName: user?.domain ?? '',
    CompromisedAccountCount: a.compromisedAccountCount,
    PolicyId: a.policy.id,
    PolicyName: a.policy.name,
    PolicyVersion: a.policy.version,
    PolicyHash: a.policy.hash,
    DataSources: JSON.stringify(['chainhunt', responder]),
  };
}

function targetDetail(a: ResolvedAction): Record<string, unknown> {
  return a.target.kind === 'user' ? { kind: 'user', ...a.target.user } : { kind: 'device', ...a.target.device };
}

/** Records one attempt: the action's row (created or updated) and a DisruptionAndResponseEvents row. */
export async function recordAttempt(store: DuckDbStore, a: ResolvedAction, result: ResponderResult, responder: string, ctx: RecordContext, previous?: StoredAction): Promise<StoredAction> {
  await ensureActionTables(store);
  const now = ctx.now.toISOString();
  const stored: StoredAction = {
    id: a.id,
    incidentId: a.incidentId,
    policyId: a.policy.id,
    policyName: a.policy.name,
    action: a.type,
    target: targetEntity(a.target),
    timestamp: a.timestamp,
    responder,
    status: result.status,
    detail: result.detail,
    attempts: (previous?.attempts ?? 0) + 1,
    createdTime: previous?.createdTime ?? now,
    lastUpdateTime: now,
    targetDetail: targetDetail(a),
    trigger: { alertIds: a.match.alertIds, event: a.match.event, user: a.match.user, device: a.match.device },
    originDevice: a.originDevice,
  };
  await store.sql('BEGIN TRANSACTION');
  try {
    await store.sql(`DELETE FROM ${ACTIONS_TABLE} WHERE ActionId = $1`, [a.id]);
    await store.sql(
      `INSERT INTO ${ACTIONS_TABLE} (${ACTION_COLUMNS.map(([n]) => n).join(', ')})
       VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS TIMESTAMP), $9, $10, $11, $12, CAST($13 AS TIMESTAMP), CAST($14 AS TIMESTAMP), CAST($15 AS JSON))`,
      [a.id, a.incidentId, a.policy.id, a.policy.name, a.type, stored.target.kind, stored.target.value, a.timestamp, responder, result.status, result.detail, stored.attempts, stored.createdTime, now, JSON.stringify(stored)],
    );
    await store.insertObjects('DisruptionAndResponseEvents', [disruptionRow(a, result, responder, ctx)]);
    await store.sql('COMMIT');
  } catch (e) {
    await store.sql('ROLLBACK');
    throw e;
  }
  return stored;
}
