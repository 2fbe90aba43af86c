// The simulated organisation: its tenant, users (Entra object ids, UPNs, SIDs), devices (workstations,
// servers, two domain controllers, a file server, an IT admin workstation, a kiosk), service accounts,
// partner tenants, and the processes each device runs. Everything is derived from the seed.
import { IMG, Image } from './catalog.js';
import { Clock, DAY, flat, HOUR, J, MIN } from './format.js';
import { Rng } from './prng.js';

export const DOMAIN = 'contoso.com';
export const AD_DOMAIN = 'corp.contoso.com';
export const NETBIOS = 'contoso';

export class Account {
  /** InitiatingProcessAccountDomain ... InitiatingProcessAccountObjectId. */
  readonly ipFrag: string;
  /** AccountDomain, AccountName, AccountSid, AccountUpn, AccountObjectId (DeviceProcessEvents). */
  readonly acctFrag: string;

  constructor(
    readonly domain: string,
    readonly name: string,
    readonly sid: string,
    readonly upn: string,
    readonly oid: string,
    readonly display: string,
  ) {
    const opt = (col: string, v: string) => (v ? `,"${col}":${J(v)}` : '');
    this.ipFrag = flat(
      `"InitiatingProcessAccountDomain":${J(domain)},"InitiatingProcessAccountName":${J(name)},"InitiatingProcessAccountSid":${J(sid)}` +
      opt('InitiatingProcessAccountUpn', upn) +
      opt('InitiatingProcessAccountObjectId', oid));
    this.acctFrag = flat(`"AccountDomain":${J(domain)},"AccountName":${J(name)},"AccountSid":${J(sid)}` + opt('AccountUpn', upn) + opt('AccountObjectId', oid));
  }
}

export const SYSTEM = new Account('nt authority', 'system', 'S-1-5-18', '', '', 'SYSTEM');
export const LOCAL_SERVICE = new Account('nt authority', 'local service', 'S-1-5-19', '', '', 'LOCAL SERVICE');
export const NETWORK_SERVICE = new Account('nt authority', 'network service', 'S-1-5-20', '', '', 'NETWORK SERVICE');

export type UserRole = 'staff' | 'developer' | 'admin' | 'helpdesk' | 'kiosk' | 'service';

export interface User {
  readonly index: number;
  readonly first: string;
  readonly last: string;
  readonly display: string;
  /** sAMAccountName, lower case. */
  readonly sam: string;
  readonly upn: string;
  readonly oid: string;
  readonly sid: string;
  readonly role: UserRole;
  readonly account: Account;
  /** The user's own workstation (none for service accounts). */
  device?: Device;
}

export type DeviceRole = 'workstation' | 'admin-workstation' | 'kiosk' | 'server' | 'domain-controller' | 'file-server';

export interface Device {
  readonly index: number;
  /** 40 hex digits, as Defender's DeviceId. */
  readonly id: string;
  /** Lower-case FQDN, as Defender's DeviceName. */
  readonly name: string;
  readonly short: string;
  readonly role: DeviceRole;
  readonly ip: string;
  readonly mac: string;
  readonly aadId: string;
  readonly isServer: boolean;
  /** "DeviceId":...,"DeviceName":... */
  readonly frag: string;
  /** Users whose workstation this is. */
  readonly users: User[];
  /** Long-running processes (started before the simulated period). */
  procs: SystemProcs;
}

export interface SystemProcs {
  readonly system: Proc;
  readonly services: Proc;
  readonly lsass: Proc;
  readonly winlogon: Proc;
  readonly svcNetsvcs: Proc;
  readonly svcLocalService: Proc;
  readonly svcNetworkService: Proc;
  readonly svcDcom: Proc;
  readonly svcAppinfo: Proc;
  readonly svcSchedule: Proc;
  readonly svcWinRM: Proc;
  readonly svcDnscache: Proc;
  readonly msmpeng: Proc;
  readonly mssense: Proc;
  /** Server roles: sqlservr, w3wp, dns, the Defender for Identity sensor... */
  readonly roleProcs: Proc[];
}

/** A process instance: its image, id, command line, creation time, parent and account. */
export class Proc {
  private ip?: string;
  private ipFull?: string;
  private jc?: string;

  constructor(
    readonly image: Image,
    readonly pid: number,
    readonly cmd: string,
    /** Creation time, ticks since the start of the period (negative: before it). */
    readonly created: number,
    readonly createdText: string,
    readonly parent: Proc | null,
    readonly account: Account,
    readonly integrity: 'System' | 'High' | 'Medium' | 'Low',
    readonly elevation: 'TokenElevationTypeDefault' | 'TokenElevationTypeFull' | 'TokenElevationTypeLimited',
    readonly session: number,
    readonly logonId: number,
  ) {}

  /** The command line as a JSON string literal. */
  get jCmd(): string {
    return (this.jc ??= flat(J(this.cmd)));
  }

  /**
   * The InitiatingProcess* columns of the events this process causes in DeviceFileEvents,
   * DeviceNetworkEvents, DeviceRegistryEvents, DeviceImageLoadEvents and DeviceLogonEvents: account,
   * image (name, path, SHA1), id, command line, creation time, parent, integrity level. (The
   * version information and the rarer columns are left to DeviceProcessEvents, to keep the
   * high-volume rows near 1 KB.)
   */
  get ipFrag(): string {
    if (this.ip === undefined) {
      const p = this.parent;
      this.ip = flat(
        this.account.ipFrag +
        ',' + this.image.ipLite +
        `,"InitiatingProcessId":${this.pid},"InitiatingProcessCommandLine":${this.jCmd},"InitiatingProcessCreationTime":"${this.createdText}"` +
        (p ? `,"InitiatingProcessParentId":${p.pid},"InitiatingProcessParentFileName":${p.image.jName}` : '') +
        `,"InitiatingProcessIntegrityLevel":"${this.integrity}"`);
    }
    return this.ip;
  }

  /** Every InitiatingProcess* column, for DeviceProcessEvents rows (this process as the parent). */
  get ipFragFull(): string {
    if (this.ipFull === undefined) {
      const p = this.parent;
      this.ipFull = flat(
        this.account.ipFrag +
        ',' + this.image.ipFrag +
        `,"InitiatingProcessId":${this.pid},"InitiatingProcessCommandLine":${this.jCmd},"InitiatingProcessCreationTime":"${this.createdText}"` +
        (p ? `,"InitiatingProcessParentId":${p.pid},"InitiatingProcessParentFileName":${p.image.jName},"InitiatingProcessParentCreationTime":"${p.createdText}"` : '') +
        `,"InitiatingProcessIntegrityLevel":"${this.integrity}","InitiatingProcessTokenElevation":"${this.elevation}","InitiatingProcessSessionId":${this.session},"IsInitiatingProcessRemoteSession":false`);
    }
    return this.ipFull;
  }
}

export interface PartnerTenant {
  readonly name: string;
  readonly domain: string;
  readonly tenantId: string;
  readonly people: { display: string; email: string; oid: string }[];
}

export interface Org {
  readonly seed: number;
  readonly tenantId: string;
  readonly domainSid: string;
  readonly publicIp: string;
  readonly users: User[];
  /** People with a workstation: staff, developers, admins, helpdesk. */
  readonly people: User[];
  readonly devices: Device[];
  readonly workstations: Device[];
  readonly servers: Device[];
  readonly dcs: [Device, Device];
  readonly fileServer: Device;
  readonly adminWorkstation: Device;
  readonly kiosk: Device;
  readonly kioskUser: User;
  readonly admins: User[];
  readonly helpdesk: User[];
  readonly developers: User[];
  readonly staff: User[];
  readonly service: { backup: User; sql: User; web: User; scan: User };
  readonly partners: PartnerTenant[];
  readonly clock: Clock;
  readonly byIp: Map<string, Device>;
}

const FIRST = [
  'Aaron', 'Abigail', 'Adam', 'Aisha', 'Alan', 'Alice', 'Amir', 'Ana', 'Andrew', 'Anna', 'Ben', 'Bianca', 'Carlos', 'Carmen', 'Chen', 'Chloe', 'Daniel', 'Diana',
  'David', 'Elena', 'Emma', 'Ethan', 'Fatima', 'Felix', 'Grace', 'Hannah', 'Hiro', 'Igor', 'Isabel', 'Ivan', 'Jack', 'James', 'Jana', 'Javier', 'Julia', 'Kai',
  'Karen', 'Kenji', 'Laura', 'Leo', 'Liam', 'Lina', 'Lucas', 'Maria', 'Mark', 'Maya', 'Mei', 'Mohamed', 'Nadia', 'Nina', 'Noah', 'Olga', 'Omar', 'Paul', 'Priya',
  'Rachel', 'Raj', 'Rosa', 'Sam', 'Sara', 'Sofia', 'Tom', 'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zoe',
];
const LAST = [
  'Adams', 'Ahmed', 'Alvarez', 'Andersen', 'Baker', 'Becker', 'Brown', 'Campbell', 'Chen', 'Clark', 'Costa', 'Davies', 'Dubois', 'Evans', 'Fischer', 'Garcia',
  'Gonzalez', 'Green', 'Hall', 'Hansen', 'Harris', 'Hoffmann', 'Ito', 'Jensen', 'Johnson', 'Jones', 'Kim', 'Kowalski', 'Kumar', 'Larsen', 'Lee', 'Lopez', 'Martin',
  'Meyer', 'Miller', 'Moore', 'Morales', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Patel', 'Peeters', 'Perez', 'Petrov', 'Reyes', 'Rossi', 'Santos', 'Schmidt',
  'Silva', 'Singh', 'Smith', 'Suzuki', 'Tanaka', 'Taylor', 'Thomas', 'Walker', 'Wang', 'White', 'Wilson', 'Wong', 'Young', 'Zhang',
];

export interface OrgOptions {
  readonly seed: number;
  readonly devices: number;
  readonly users: number;
  readonly originMs: number;
}

export const MIN_DEVICES = 8;

function sidOf(domainSid: string, rid: number): string {
  return `${domainSid}-${rid}`;
}

export function buildOrg(options: OrgOptions): Org {
  if (options.devices < MIN_DEVICES) throw new Error(`--devices must be at least ${MIN_DEVICES} (two domain controllers, a file server, an admin workstation, a kiosk, a server and workstations)`);
  if (options.users < 4) throw new Error('--users must be at least 4');
  const rng = Rng.derive(options.seed, 'org');
  const clock = new Clock(options.originMs);
  const tenantId = rng.guid();
  const domainSid = `S-1-5-21-${rng.range(1_000_000_000, 4_200_000_000)}-${rng.range(1_000_000_000, 4_200_000_000)}-${rng.range(1_000_000_000, 4_200_000_000)}`;
  let rid = 1104;

  // Users: two or more admins, two or more helpdesk staff, ~8% developers, the rest staff.
  const users: User[] = [];
  const taken = new Set<string>();
  const nAdmins = Math.max(2, Math.round(options.users * 0.02));
  const nHelpdesk = Math.max(2, Math.round(options.users * 0.02));
  const nDev = Math.max(1, Math.round(options.users * 0.08));
  for (let i = 0; i < options.users; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    let sam = `${first}.${last}`.toLowerCase();
    for (let n = 2; taken.has(sam); n++) sam = `${first}.${last}${n}`.toLowerCase();
    taken.add(sam);
    const role: UserRole = i < nAdmins ? 'admin' : i < nAdmins + nHelpdesk ? 'helpdesk' : i < nAdmins + nHelpdesk + nDev ? 'developer' : 'staff';
    const upn = `${sam}@${DOMAIN}`;
    const oid = rng.guid();
    const sid = sidOf(domainSid, rid++);
    const display = `${first} ${last}`;
    users.push({ index: i, first, last, display, sam, upn, oid, sid, role, account: new Account(NETBIOS, sam, sid, upn, oid, display) });
  }
  const mkSpecial = (sam: string, display: string, role: UserRole): User => {
    const upn = `${sam}@${DOMAIN}`;
    const oid = rng.guid();
    const sid = sidOf(domainSid, rid++);
    const u: User = { index: users.length, first: display, last: '', display, sam, upn, oid, sid, role, account: new Account(NETBIOS, sam, sid, upn, oid, display) };
    users.push(u);
    return u;
  };
  const kioskUser = mkSpecial('kiosk01', 'Lobby Kiosk', 'kiosk');
  const service = {
    backup: mkSpecial('svc-backup', 'Backup Service', 'service'),
    sql: mkSpecial('svc-sql', 'SQL Service', 'service'),
    web: mkSpecial('svc-web', 'Web App Pool', 'service'),
    scan: mkSpecial('svc-scan', 'Scanner Service', 'service'),
  };

  // Devices.
  const devices: Device[] = [];
  const byIp = new Map<string, Device>();
  const mkDevice = (short: string, role: DeviceRole, ip: string): Device => {
    const name = `${short}.${AD_DOMAIN}`;
    const id = rng.hex(40);
    const d: Device = {
      index: devices.length,
      id,
      name,
      short,
      role,
      ip,
      mac: `00-15-5D-${rng.hex(2)}-${rng.hex(2)}-${rng.hex(2)}`.toUpperCase(),
      aadId: rng.guid(),
      isServer: role === 'server' || role === 'domain-controller' || role === 'file-server',
      frag: flat(`"DeviceId":"${id}","DeviceName":${J(name)}`),
      users: [],
      procs: undefined as unknown as SystemProcs,
    };
    devices.push(d);
    byIp.set(ip, d);
    return d;
  };
  const dc01 = mkDevice('dc01', 'domain-controller', '10.0.0.10');
  const dc02 = mkDevice('dc02', 'domain-controller', '10.0.0.11');
  const fs01 = mkDevice('fs01', 'file-server', '10.0.0.20');
  const nServers = Math.max(1, Math.round(options.devices * 0.04));
  const serverNames = ['app', 'sql', 'web', 'print', 'ca', 'wsus', 'sccm', 'hr', 'erp', 'crm'];
  const servers: Device[] = [];
  for (let i = 0; i < nServers; i++) {
    const base = serverNames[i % serverNames.length]!;
    const ip = i < 200 ? `10.0.0.${30 + i}` : `10.0.${2 + Math.floor((i - 200) / 250)}.${((i - 200) % 250) + 5}`;
    servers.push(mkDevice(`${base}${String(Math.floor(i / serverNames.length) + 1).padStart(2, '0')}`, 'server', ip));
  }
  const adm = mkDevice('adm-ws01', 'admin-workstation', '10.0.5.10');
  const kiosk = mkDevice('kiosk-01', 'kiosk', '10.0.9.20');
  const workstations: Device[] = [];
  const nWs = options.devices - devices.length;
  for (let i = 0; i < nWs; i++) {
    workstations.push(mkDevice(`ws-${String(i + 1).padStart(4, '0')}`, 'workstation', `10.1.${Math.floor(i / 250)}.${(i % 250) + 5}`));
  }

  // Each person gets a workstation (round robin: shared desks when there are more people than desks).
  const people = users.filter(u => u.role !== 'kiosk' && u.role !== 'service');
  people.forEach((u, i) => {
    const d = workstations[i % workstations.length]!;
    u.device = d;
    d.users.push(u);
  });
  kioskUser.device = kiosk;
  kiosk.users.push(kioskUser);

  const partners: PartnerTenant[] = [
    { name: 'Fabrikam', domain: 'fabrikam.com' },
    { name: 'Northwind Traders', domain: 'northwindtraders.com' },
    { name: 'Tailspin Toys', domain: 'tailspintoys.com' },
  ].map(p => ({
    ...p,
    tenantId: rng.guid(),
    people: Array.from({ length: 6 }, () => {
      const first = rng.pick(FIRST);
      const last = rng.pick(LAST);
      return { display: `${first} ${last}`, email: `${first}.${last}@${p.domain}`.toLowerCase(), oid: rng.guid() };
    }),
  }));

  const org: Org = {
    seed: options.seed,
    tenantId,
    domainSid,
    publicIp: `203.0.113.${rng.range(10, 250)}`,
    users,
    people,
    devices,
    workstations,
    servers,
    dcs: [dc01, dc02],
    fileServer: fs01,
    adminWorkstation: adm,
    kiosk,
    kioskUser,
    admins: users.filter(u => u.role === 'admin'),
    helpdesk: users.filter(u => u.role === 'helpdesk'),
    developers: users.filter(u => u.role === 'developer'),
    staff: users.filter(u => u.role === 'staff'),
    service,
    partners,
    clock,
    byIp,
  };
  for (const d of devices) d.procs = systemProcs(org, d, rng);
  return org;
}

/** A process id: multiples of 4, as Windows hands them out. */
export function pid(rng: Rng): number {
  return 4 * rng.range(100, 16000);
}

function systemProcs(org: Org, d: Device, rng: Rng): SystemProcs {
  // Booted one to nine days before the period starts.
  const boot = -DAY - rng.int(8 * DAY);
  const at = (offset: number) => boot + offset;
  const mk = (image: Image, cmd: string, offset: number, parent: Proc | null, account: Account, integrity: Proc['integrity'] = 'System', session = 0) =>
    new Proc(image, pid(rng), cmd, at(offset), org.clock.fmt(at(offset)), parent, account, integrity, 'TokenElevationTypeDefault', session, account === SYSTEM ? 999 : account === LOCAL_SERVICE ? 997 : 996);
  const system = new Proc(IMG.system, 4, '', at(0), org.clock.fmt(at(0)), null, SYSTEM, 'System', 'TokenElevationTypeDefault', 0, 999);
  const wininit = mk(IMG.wininit, 'wininit.exe', 20_000_000, system, SYSTEM);
  const services = mk(IMG.services, 'C:\\Windows\\system32\\services.exe', 21_000_000, wininit, SYSTEM);
  const lsass = mk(IMG.lsass, 'C:\\Windows\\system32\\lsass.exe', 21_500_000, wininit, SYSTEM);
  const winlogon = mk(IMG.winlogon, 'winlogon.exe', 20_500_000, system, SYSTEM, 'System', 1);
  const svc = (group: string, account: Account, offset: number, service = '') =>
    mk(IMG.svchost, `C:\\Windows\\system32\\svchost.exe -k ${group} -p${service ? ` -s ${service}` : ''}`, offset, services, account);
  const roleProcs: Proc[] = [];
  if (d.role === 'domain-controller') {
    roleProcs.push(mk(IMG.dns, 'C:\\Windows\\system32\\dns.exe', 40_000_000, services, SYSTEM));
    roleProcs.push(mk(IMG.dfsrs, 'C:\\Windows\\system32\\DFSRs.exe', 41_000_000, services, SYSTEM));
    roleProcs.push(mk(IMG.mdiSensor, `"${IMG.mdiSensor.path}"`, 60_000_000, services, SYSTEM));
  } else if (d.role === 'server') {
    if (d.short.startsWith('sql')) roleProcs.push(mk(IMG.sqlservr, `"${IMG.sqlservr.path}" -sMSSQLSERVER`, 50_000_000, services, org.service.sql.account, 'High'));
    else roleProcs.push(mk(IMG.w3wp, `c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool" -v "v4.0" -l "webengine4.dll"`, 50_000_000, svc('iissvcs', SYSTEM, 45_000_000, 'W3SVC'), org.service.web.account, 'High'));
  }
  return {
    system,
    services,
    lsass,
    winlogon,
    svcNetsvcs: svc('netsvcs', SYSTEM, 30_000_000),
    svcLocalService: svc('LocalServiceNetworkRestricted', LOCAL_SERVICE, 30_500_000),
    svcNetworkService: svc('NetworkService', NETWORK_SERVICE, 31_000_000),
    svcDcom: svc('DcomLaunch', SYSTEM, 22_000_000),
    svcAppinfo: svc('netsvcs', SYSTEM, 32_000_000, 'Appinfo'),
    svcSchedule: svc('netsvcs', SYSTEM, 32_500_000, 'Schedule'),
    svcWinRM: svc('NetworkService', NETWORK_SERVICE, 33_000_000, 'WinRM'),
    svcDnscache: svc('NetworkService', NETWORK_SERVICE, 31_500_000, 'Dnscache'),
    msmpeng: mk(IMG.msmpeng, `"${IMG.msmpeng.path}"`, 35_000_000, services, SYSTEM),
    mssense: mk(IMG.mssense, `"${IMG.mssense.path}"`, 36_000_000, services, SYSTEM),
    roleProcs,
  };
}

/** A user's interactive session on a workstation for one day: logon, explorer, work hours. */
export interface Session {
  readonly user: User;
  readonly device: Device;
  readonly day: number;
  readonly logon: number;
  readonly logoff: number;
  readonly logonId: number;
  readonly userinit: Proc;
  readonly explorer: Proc;
}

/**
 * The session of a user on a day. A pure function of the seed, user and day, so that the background
 * (which writes the logon) and the intrusions (whose processes descend from this explorer.exe) agree.
 */
export function sessionOf(org: Org, user: User, device: Device, day: number): Session {
  const rng = Rng.derive(org.seed, 'session', user.index, device.index, day);
  const kiosk = user.role === 'kiosk';
  const logon = day * DAY + (kiosk ? 6 * HOUR + rng.int(20 * MIN) : 7 * HOUR + 30 * MIN + rng.int(75 * MIN));
  const logoff = day * DAY + (kiosk ? 21 * HOUR + rng.int(30 * MIN) : 16 * HOUR + 30 * MIN + rng.int(90 * MIN));
  const logonId = rng.range(0x100000, 0x7fffffff);
  const { winlogon } = device.procs;
  const integrity = user.role === 'kiosk' ? 'Medium' : 'Medium';
  const t1 = logon + 2 * 10_000_000 + rng.int(30_000_000);
  const userinit = new Proc(IMG.userinit, pid(rng), 'C:\\Windows\\system32\\userinit.exe', t1, org.clock.fmt(t1), winlogon, user.account, integrity, 'TokenElevationTypeLimited', 1, logonId);
  const t2 = t1 + 5_000_000 + rng.int(10_000_000);
  const explorer = new Proc(IMG.explorer, pid(rng), 'C:\\Windows\\Explorer.EXE', t2, org.clock.fmt(t2), userinit, user.account, integrity, 'TokenElevationTypeLimited', 1, logonId);
  return { user, device, day, logon, logoff, logonId, userinit, explorer };
}

/** Weekdays are Monday to Friday, in UTC. */
export function isWeekday(org: Org, day: number): boolean {
  const dow = new Date(org.clock.originMs + day * 86_400_000).getUTCDay();
  return dow !== 0 && dow !== 6;
}
