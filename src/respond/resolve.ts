// Completing action targets from the telemetry: the Microsoft APIs need a user's Entra object id or
// UPN and a device's Defender machine id (DeviceId), while an alert may name a user only by SID or
// account name and a device only by name. Lookups run on the stored tables (values as parameters).
import type { DuckDbStore } from '../store/duckdb-store.js';
import { deviceKey, type UserIdentity } from './engine.js';

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** Tables that name users with all of object id, UPN, SID, account name and domain, and their columns. */
const USER_SOURCES = [
  { table: 'IdentityInfo', oid: 'AccountObjectId', upn: 'AccountUpn', sid: 'OnPremSid', name: 'AccountName', domain: 'AccountDomain' },
  { table: 'IdentityLogonEvents', oid: 'AccountObjectId', upn: 'AccountUpn', sid: 'AccountSid', name: 'AccountName', domain: 'AccountDomain' },
  { table: 'DeviceProcessEvents', oid: 'AccountObjectId', upn: 'AccountUpn', sid: 'AccountSid', name: 'AccountName', domain: 'AccountDomain' },
] as const;

export class TargetResolver {
  private readonly users = new Map<string, UserIdentity>();
  private readonly devices = new Map<string, string | undefined>();

  constructor(private readonly store: DuckDbStore) {}

  /** The identity with what the telemetry adds to it (object id, UPN, SID, name, domain). */
  async user(u: UserIdentity): Promise<UserIdentity> {
    const key = JSON.stringify(u);
    const hit = this.users.get(key);
    if (hit) return hit;
    let out: UserIdentity = u;
    if (!(u.objectId && u.upn && u.sid && u.name)) {
      for (const s of USER_SOURCES) {
        await this.store.ensureTables([s.table]);
        const conds: string[] = [];
        const params: string[] = [];
        if (u.objectId) conds.push(`lower(${s.oid}) = $${params.push(u.objectId.toLowerCase())}`);
        if (u.upn) conds.push(`lower(${s.upn}) = $${params.push(u.upn.toLowerCase())}`);
        if (u.sid) conds.push(`upper(${s.sid}) = $${params.push(u.sid.toUpperCase())}`);
        if (!conds.length) break; // a bare account name is too ambiguous to look up
        const rows = await this.store.sql(
          `SELECT ${s.oid}, ${s.upn}, ${s.sid}, ${s.name}, ${s.domain} FROM ${s.table} WHERE ${conds.join(' OR ')}
           ORDER BY (${s.oid} <> '') DESC, (${s.upn} <> '') DESC, (${s.sid} <> '') DESC, Timestamp DESC LIMIT 1`,
          params,
        );
        const r = rows[0];
        if (!r) continue;
        out = {
          objectId: out.objectId ?? (str(r[0]) || undefined),
          upn: out.upn ?? (str(r[1]) || undefined),
          sid: out.sid ?? (str(r[2]) || undefined),
          name: out.name ?? (str(r[3]) || undefined),
          domain: out.domain ?? (str(r[4]) || undefined),
        };
        if (out.objectId && out.upn && out.sid && out.name) break;
      }
    }
    out = Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as UserIdentity;
    this.users.set(key, out);
    return out;
  }

  /** The Defender machine id (DeviceId) of a device, by its name (or its name without the domain). */
  async deviceId(name: string): Promise<string | undefined> {
    const key = deviceKey(name);
    if (this.devices.has(key)) return this.devices.get(key);
    let id: string | undefined;
    for (const table of ['DeviceInfo', 'DeviceProcessEvents', 'DeviceNetworkEvents']) {
      await this.store.ensureTables([table]);
      const rows = await this.store.sql(
        `SELECT DeviceId FROM ${table} WHERE DeviceId <> '' AND (lower(DeviceName) = $1 OR lower(DeviceName) = $2 OR starts_with(lower(DeviceName), $3))
         ORDER BY Timestamp DESC LIMIT 1`,
        [name.toLowerCase(), key, `${key}.`],
      );
      if (rows[0]) {
        id = str(rows[0][0]);
        break;
      }
    }
    this.devices.set(key, id);
    return id;
  }
}
