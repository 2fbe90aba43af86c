// Entities as correlation sees them: each alert entity becomes a key (kind class + normalised value),
// and the account identifiers of one person (Entra object id, UPN, SID, account name, mailbox) are
// resolved to one identity where alerts show them together.
import type { Alert, AlertEntity, EntityKind } from '../detect/model.js';

/** What an entity key stands for; identity keys (person, thread) link alerts the strongest. */
export type KeyClass = 'person' | 'thread' | 'device' | 'ip' | 'url' | 'fileHash' | 'file' | 'registry' | 'process';

/** The order artifact keys are tried in when linking (most specific to a story first). */
export const ARTIFACT_ORDER: readonly KeyClass[] = ['device', 'fileHash', 'file', 'registry', 'url', 'ip', 'process'];

const USER_KINDS: ReadonlySet<EntityKind> = new Set(['userObjectId', 'userUpn', 'userSid', 'userName', 'mailbox']);

export function isUserKind(kind: EntityKind): boolean {
  return USER_KINDS.has(kind);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A device name's key: lower case, the host label of an FQDN (alerts name devices both ways). */
export function deviceKey(value: string): string {
  const v = value.trim().toLowerCase().replace(/\.$/, '');
  if (v === '' || IPV4.test(v) || v.includes(':')) return v;
  const dot = v.indexOf('.');
  return dot > 0 ? v.slice(0, dot) : v;
}

/** The host of a URL (or of a bare host name), lower case, without port. */
export function urlHost(value: string): string {
  let v = value.trim().toLowerCase();
  const scheme = v.indexOf('://');
  if (scheme >= 0) v = v.slice(scheme + 3);
  v = v.split(/[/?#]/)[0] ?? '';
  const at = v.lastIndexOf('@');
  if (at >= 0) v = v.slice(at + 1);
  if (v.startsWith('[')) return v.slice(1, v.indexOf(']') > 0 ? v.indexOf(']') : undefined);
  const colon = v.lastIndexOf(':');
  if (colon > 0 && v.indexOf(':') === colon) v = v.slice(0, colon);
  return v.replace(/\.$/, '');
}

/** An account name without its domain prefix (CORP\jdoe → jdoe). */
function accountName(value: string): string {
  const v = value.trim().toLowerCase();
  const slash = v.lastIndexOf('\\');
  return slash >= 0 ? v.slice(slash + 1) : v;
}

/** The identifier key of a user entity: one namespace per identifier kind. */
export function userIdKey(e: AlertEntity): string | null {
  const v = e.value.trim();
  if (v === '') return null;
  switch (e.kind) {
    case 'userObjectId': return `oid:${v.toLowerCase()}`;
    case 'userUpn':
    case 'mailbox': return `upn:${v.toLowerCase()}`;
    case 'userSid': return `sid:${v.toLowerCase()}`;
    case 'userName': return `name:${accountName(v)}`;
    default: return null;
  }
}

/**
 * Accounts that are not a person: Windows' well-known principals (SYSTEM, LOCAL SERVICE, BUILTIN
 * groups: any SID outside the domain/local S-1-5-21 and Entra S-1-12-1 spaces) and machine accounts.
 * They act on every device, so they never tie alerts together.
 */
export function isNonPersonalId(id: string): boolean {
  if (id.startsWith('sid:')) return !/^sid:s-1-(5-21|12-1)-/.test(id);
  if (id.startsWith('name:')) return id.endsWith('$');
  return false;
}

/** The key of a non-user entity, or null for an empty value. */
export function artifactKey(e: AlertEntity): { cls: KeyClass; key: string } | null {
  const raw = e.value.trim();
  if (raw === '') return null;
  switch (e.kind) {
    case 'device': {
      const d = deviceKey(raw);
      return d ? { cls: 'device', key: `device:${d}` } : null;
    }
    case 'teamsThread': return { cls: 'thread', key: `thread:${raw}` };
    case 'ip': return { cls: 'ip', key: `ip:${raw.toLowerCase()}` };
    case 'url': {
      const h = urlHost(raw);
      return h ? { cls: 'url', key: `url:${h}` } : null;
    }
    case 'fileHash': return { cls: 'fileHash', key: `hash:${raw.toLowerCase()}` };
    case 'file': return { cls: 'file', key: `file:${raw.toLowerCase()}` };
    case 'registryValue': return { cls: 'registry', key: `registry:${raw.toLowerCase()}` };
    case 'process': return { cls: 'process', key: `process:${raw.toLowerCase().replace(/\s+/g, ' ')}` };
    default: return null;
  }
}

/** Union-find over strings. */
export class Aliases {
  private readonly parent = new Map<string, string>();

  add(x: string): void {
    if (!this.parent.has(x)) this.parent.set(x, x);
  }

  find(x: string): string {
    this.add(x);
    let r = x;
    while (this.parent.get(r) !== r) r = this.parent.get(r)!;
    let c = x;
    while (c !== r) {
      const n = this.parent.get(c)!;
      this.parent.set(c, r);
      c = n;
    }
    return r;
  }

  /** Joins two sets; the smaller representative (by string order) wins, so results do not depend on order. */
  union(a: string, b: string): string {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return ra;
    const [keep, drop] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent.set(drop, keep);
    return keep;
  }

  members(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const x of [...this.parent.keys()].sort()) {
      const r = this.find(x);
      const list = out.get(r);
      if (list) list.push(x);
      else out.set(r, [x]);
    }
    return out;
  }
}

/** The kind namespace of an identifier key (oid, upn, sid, name). */
function idKind(id: string): string {
  return id.slice(0, id.indexOf(':'));
}

/**
 * Resolves account identifiers to persons. An alert that carries at most one identifier of each
 * kind (one object id, one UPN, one SID, one name) names one person, so its identifiers are
 * aliases. A union that would give one person two different identifiers of the same kind (two
 * SIDs) is refused: it would mean a rule mapped two people's columns, not one person's.
 */
export function resolvePersons(alerts: readonly Alert[], extraAliases: readonly (readonly string[])[] = []): Aliases {
  const aliases = new Aliases();
  const kindsOf = new Map<string, Map<string, string>>(); // root -> kind -> identifier
  const ensure = (id: string) => {
    aliases.add(id);
    const r = aliases.find(id);
    if (!kindsOf.has(r)) kindsOf.set(r, new Map([[idKind(id), id]]));
  };
  const join = (a: string, b: string) => {
    const ra = aliases.find(a);
    const rb = aliases.find(b);
    if (ra === rb) return;
    const ka = kindsOf.get(ra)!;
    const kb = kindsOf.get(rb)!;
    for (const [k, v] of kb) if (ka.has(k) && ka.get(k) !== v) return;
    const r = aliases.union(ra, rb);
    const merged = new Map([...ka, ...kb]);
    kindsOf.delete(ra);
    kindsOf.delete(rb);
    kindsOf.set(r, merged);
  };
  const groups: string[][] = [];
  for (const a of alerts) {
    const ids = [...new Set(a.entities.filter(e => isUserKind(e.kind)).map(userIdKey).filter((x): x is string => x !== null))].sort();
    for (const id of ids) ensure(id);
    const perKind = new Map<string, number>();
    for (const id of ids) perKind.set(idKind(id), (perKind.get(idKind(id)) ?? 0) + 1);
    if (ids.length > 1 && [...perKind.values()].every(n => n === 1)) groups.push(ids);
  }
  for (const g of extraAliases) {
    for (const id of g) ensure(id);
    groups.push([...g]);
  }
  // Deterministic: the same alerts give the same persons whatever their order.
  groups.sort((x, y) => (x.join('|') < y.join('|') ? -1 : x.join('|') > y.join('|') ? 1 : 0));
  for (const g of groups) for (let i = 1; i < g.length; i++) join(g[0]!, g[i]!);
  return aliases;
}
