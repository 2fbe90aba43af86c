// DeviceLogonEvents and IdentityLogonEvents background: users' interactive logons and unlocks,
// their Kerberos activity as the domain controllers' sensor sees it, drive mappings on the file
// server, service and batch logons on servers, and the occasional mistyped password.
import { AD_DOMAIN, type Account, type Device, type Org, type Session, type User } from '../org.js';
import { SEC } from '../format.js';
import { logonEv, objEv } from '../rows.js';
import type { RowSet } from '../labels.js';
import { T, type Ev } from '../writer.js';
import type { Ctx } from './context.js';

export interface IdentityLogon {
  action?: 'LogonSuccess' | 'LogonFailed';
  logonType: 'Interactive' | 'Resource access' | 'Credentials validation' | 'Remote desktop';
  protocol?: 'Kerberos' | 'NTLM';
  user: User;
  from: Device;
  dc: Device;
  target?: Device;
  destinationPort?: number;
  failure?: string;
  spn?: string;
}

/** An IdentityLogonEvents row (Defender for Identity on a domain controller). */
export function identityLogonEv(_org: Org, k: number, o: IdentityLogon, port: number, g?: RowSet): Ev {
  const u = o.user;
  return objEv(k, T.IdentityLogon, {
    ActionType: o.action ?? 'LogonSuccess',
    Application: 'Active Directory',
    LogonType: o.logonType,
    Protocol: o.protocol ?? 'Kerberos',
    FailureReason: o.failure,
    AccountName: u.sam,
    AccountDomain: AD_DOMAIN,
    AccountUpn: u.upn,
    AccountSid: u.sid,
    AccountObjectId: u.oid,
    AccountDisplayName: u.display,
    DeviceName: o.from.name,
    DeviceType: o.from.isServer ? 'Server' : 'Desktop',
    OSPlatform: o.from.isServer ? 'Windows Server 2022' : 'Windows 11',
    IPAddress: o.from.ip,
    Port: port,
    DestinationDeviceName: o.dc.name,
    DestinationIPAddress: o.dc.ip,
    DestinationPort: o.destinationPort ?? 88,
    TargetDeviceName: o.target?.name,
    AdditionalFields: o.spn ? { Spns: o.spn, 'TARGET_OBJECT.DEVICE': o.target?.short.toUpperCase(), ACTOR_DEVICE: o.from.short.toUpperCase() } : { ACTOR_DEVICE: o.from.short.toUpperCase() },
  }, g);
}

/** A user signing in at the start of the day: the workstation's logon, Kerberos at a DC, the mapped drive on the file server. */
export function sessionLogon(ctx: Ctx, dev: Device, s: Session): void {
  const { org, rng } = ctx;
  const dc = org.dcs[rng.int(2)];
  const k = s.logon;
  if (rng.chance(0.04)) {
    ctx.emit(logonEv(dev, k - 20 * SEC, dev.procs.winlogon, s.user.account, { action: 'LogonFailed', logonType: 'Interactive', protocol: 'Kerberos', failure: 'InvalidUserNameOrPassword', logonId: 0 }));
    ctx.emit(identityLogonEv(org, k - 19 * SEC, { action: 'LogonFailed', logonType: 'Interactive', user: s.user, from: dev, dc, failure: 'WrongPassword' }, 49152 + rng.int(16000)));
  }
  ctx.emit(logonEv(dev, k, dev.procs.winlogon, s.user.account, { logonType: 'Interactive', protocol: 'Kerberos', logonId: s.logonId, isLocalAdmin: false }));
  ctx.emit(identityLogonEv(org, k + SEC, { logonType: 'Interactive', user: s.user, from: dev, dc }, 49152 + rng.int(16000)));
  if (s.user.role !== 'kiosk') {
    const fs = org.fileServer;
    const t = k + 30 * SEC + rng.int(60 * SEC);
    ctx.emit(logonEv(fs, t, fs.procs.lsass, s.user.account, { logonType: 'Network', protocol: 'Kerberos', logonId: rng.range(0x100000, 0x7fffffff), remoteIp: dev.ip, remoteDevice: dev.short.toUpperCase(), remotePort: 0 }));
    ctx.emit(identityLogonEv(org, t - SEC, { logonType: 'Resource access', user: s.user, from: dev, dc, target: fs, spn: `cifs/${fs.name}` }, 49152 + rng.int(16000)));
  }
}

/** Unlocking the screen after a break. */
export function unlock(ctx: Ctx, dev: Device, k: number, s: Session): void {
  ctx.emit(logonEv(dev, k, dev.procs.winlogon, s.user.account, { logonType: 'Unlock', protocol: 'Negotiate', logonId: s.logonId }));
}

/** A service or scheduled task on a server logging on with its account. */
export function serviceLogon(ctx: Ctx, dev: Device, k: number, account: Account, batch: boolean): void {
  ctx.emit(logonEv(dev, k, dev.procs.services, account, { logonType: batch ? 'Batch' : 'Service', protocol: 'Negotiate', logonId: ctx.rng.range(0x100000, 0x7fffffff) }));
}
