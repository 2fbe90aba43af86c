// The background, one hour at a time: for every device, what its user and Windows do in that hour,
// plus the day's inventory rows and alerts of other kinds. Each hour draws from its own random
// stream (seed, hour), so an hour's events do not depend on how much the other hours wrote.
import { IMG } from '../catalog.js';
import { SAAS } from '../destinations.js';
import { DAY, HOUR, MIN, SEC } from '../format.js';
import { type Device, isWeekday, type Org, sessionOf, type User } from '../org.js';
import { Rng } from '../prng.js';
import { spawn } from '../rows.js';
import type { Ev } from '../writer.js';
import { backgroundAlerts } from './alerts.js';
import { fileActivity, internalChat, mailHour } from './collab.js';
import type { Ctx, Quiet } from './context.js';
import { shareWrite } from './file.js';
import { inventory } from './inventory.js';
import { identityLogonEv, serviceLogon, sessionLogon, unlock } from './logon.js';
import { browse, systemTraffic } from './network.js';
import { type DayApps, installer, serverRole, start, startApps, systemProcesses, workHour } from './process.js';
import { systemRegistry } from './registry.js';
import { documentName } from './file.js';

/** Who works at a device on a day: its user (shared desks rotate by day); nobody at weekends except at the kiosk. */
export function sessionUser(org: Org, d: Device, day: number): User | null {
  if (!d.users.length) return null;
  if (d.role === 'kiosk') return d.users[0]!;
  if (!isWeekday(org, day)) return null;
  return d.users[day % d.users.length]!;
}

export interface BackgroundOptions {
  readonly seed: number;
  readonly startK: number;
  readonly endK: number;
  /** This background covers the devices whose index ≡ partition (mod partitions). */
  readonly partition: number;
  readonly partitions: number;
}

export class Background {
  private day = -1;
  private readonly apps = new Map<number, DayApps>();
  /** Today's session per device (null: nobody at the desk). */
  private readonly sessions = new Map<number, ReturnType<typeof sessionOf> | null>();

  constructor(private readonly org: Org, private readonly options: BackgroundOptions, private readonly quiet: Quiet) {}

  /** Emits the background events of hour `h` (hours since the period's origin). Events may run past the hour. */
  hour(h: number, emit: (ev: Ev) => void): void {
    const { org, options } = this;
    const k0 = h * HOUR;
    const k1 = k0 + HOUR;
    const day = Math.floor(h / 24);
    const hod = h - day * 24;
    const rng = Rng.derive(options.seed, 'background', h, options.partition);
    const mine = (d: Device) => d.index % options.partitions === options.partition;
    const ctx: Ctx = {
      org,
      rng,
      startK: options.startK,
      endK: options.endK,
      quiet: this.quiet,
      emit: ev => {
        if (ev.k > options.startK && ev.k < options.endK) emit(ev);
      },
    };
    if (day !== this.day) {
      this.day = day;
      this.apps.clear();
      this.sessions.clear();
    }
    if (hod === 0) {
      for (const d of org.devices) if (mine(d)) inventory(ctx, d, k0 + rng.int(HOUR), sessionUser(org, d, day));
      if (options.partition === 0) backgroundAlerts(ctx, day * DAY);
    }
    const workHours = hod >= 7 && hod < 19 && isWeekday(org, day);
    for (const d of org.devices) {
      if (!mine(d)) continue;
      if (d.isServer) {
        this.server(ctx, d, k0, k1, workHours);
        continue;
      }
      let s = this.sessions.get(d.index);
      if (s === undefined) {
        const u = sessionUser(org, d, day);
        s = u ? sessionOf(org, u, d, day) : null;
        this.sessions.set(d.index, s);
      }
      let active = false;
      if (s) {
        const user = s.user;
        if (s.logon >= k0 && s.logon < k1) {
          sessionLogon(ctx, d, s);
          this.apps.set(d.index, d.role === 'kiosk' ? kioskApps(ctx, d, s) : startApps(ctx, d, s, user.role === 'developer', rng.chance(0.6)));
        }
        const apps = this.apps.get(d.index);
        if (apps && s.logoff > k0 && s.logon < k1) {
          const from = Math.max(k0, s.logon + MIN);
          const to = Math.min(k1, s.logoff);
          if (to > from) {
            active = true;
            if (d.role === 'kiosk') browse(ctx, d, from + rng.int(to - from), apps.browser, rng.range(2, 6), [SAAS.bing, SAAS.weather, SAAS.news]);
            else this.desk(ctx, d, apps, from, to, user);
          }
        }
      }
      systemProcesses(ctx, d, k0, k1, active ? 1.2 : 0.5);
      for (let n = rng.poisson(active ? 5 : 2); n > 0; n--) systemTraffic(ctx, d, k0 + rng.int(HOUR));
      for (let n = rng.poisson(active ? 1 : 0.4); n > 0; n--) systemRegistry(ctx, d, k0 + rng.int(HOUR));
      if (workHours && rng.chance(0.005)) installer(ctx, d, k0 + rng.int(HOUR));
    }
  }

  /** A working hour at a desk: apps, mail, chats, file activity, Kerberos to servers, a screen unlock. */
  private desk(ctx: Ctx, d: Device, apps: DayApps, from: number, to: number, user: User): void {
    const { org, rng } = ctx;
    workHour(ctx, d, apps, from, to, user);
    mailHour(ctx, user, from, to);
    if (rng.chance(0.3)) {
      const other = org.people[rng.int(org.people.length)]!;
      if (other !== user) internalChat(ctx, from + rng.int(to - from), user, other);
    }
    for (let n = rng.poisson(0.5); n > 0; n--) fileActivity(ctx, from + rng.int(to - from), user, documentName(ctx));
    if (rng.chance(0.25) && org.servers.length) {
      const target = org.servers[rng.int(org.servers.length)]!;
      ctx.emit(identityLogonEv(org, from + rng.int(to - from), { logonType: 'Resource access', user, from: d, dc: org.dcs[rng.int(2)], target, spn: `HTTP/${target.name}` }, 49152 + rng.int(16000)));
    }
    if (rng.chance(0.15)) unlock(ctx, d, from + rng.int(to - from), apps.session);
    // The file server sees the user's writes to its shares.
    if (rng.chance(0.08)) shareWrite(ctx, org.fileServer, from + rng.int(to - from), user, d);
  }

  private server(ctx: Ctx, d: Device, k0: number, k1: number, workHours: boolean): void {
    const { org, rng } = ctx;
    systemProcesses(ctx, d, k0, k1, 1.5);
    for (let n = rng.poisson(6); n > 0; n--) systemTraffic(ctx, d, k0 + rng.int(HOUR));
    for (let n = rng.poisson(0.6); n > 0; n--) systemRegistry(ctx, d, k0 + rng.int(HOUR));
    const clients = org.workstations.length;
    const rate = d.role === 'domain-controller' ? Math.min(300, clients * 0.1) : d.role === 'file-server' ? Math.min(150, clients * 0.05) : Math.min(60, 2 + clients * 0.02);
    serverRole(ctx, d, k0, k1, workHours ? rate : rate / 5);
    if (rng.chance(0.2)) serviceLogon(ctx, d, k0 + rng.int(HOUR), d.role === 'server' && d.short.startsWith('sql') ? org.service.sql.account : org.service.scan.account, rng.chance(0.5));
  }
}

/** The kiosk's day: a browser in kiosk mode. */
function kioskApps(ctx: Ctx, d: Device, s: ReturnType<typeof sessionOf>): DayApps {
  const { org, rng } = ctx;
  const browser = start(ctx, d, spawn(org, rng, IMG.msedge, `"${IMG.msedge.path}" --kiosk https://visitors.contoso.com --edge-kiosk-type=public-browsing --no-first-run`, s.explorer.created + 10 * SEC, s.explorer), 3);
  return { session: s, browser, teams: browser, onedrive: browser, outlook: browser, code: null };
}
