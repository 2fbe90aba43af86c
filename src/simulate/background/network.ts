// DeviceNetworkEvents background: SaaS and vendor connections, DNS, workstations' and servers'
// traffic to the domain controllers (Kerberos, LDAP, RPC, SMB) and the connections servers accept.
import { type Destination, DC_PORTS, pickIp, SYSTEM_ENDPOINTS } from '../destinations.js';
import { J, SEC } from '../format.js';
import type { Device, Proc } from '../org.js';
import { netEv } from '../rows.js';
import type { Ctx } from './context.js';

/** One outbound HTTPS connection of `p` to a destination. */
export function connect(ctx: Ctx, dev: Device, k: number, p: Proc, d: Destination, port = 443): void {
  ctx.emit(netEv(dev, k, p, pickIp(d, ctx.rng), port, { jUrl: d.jUrl }, ctx.rng));
}

/** A burst of connections (page loads) over a minute or two. */
export function browse(ctx: Ctx, dev: Device, k: number, p: Proc, n: number, sites: readonly Destination[]): void {
  const { rng } = ctx;
  for (let i = 0; i < n; i++) connect(ctx, dev, k + rng.int(120 * SEC), p, rng.pick(sites));
}

/** A DNS lookup as Defender records it (DnsConnectionInspected toward the domain controller). */
export function dns(ctx: Ctx, dev: Device, k: number, host: string): void {
  const { org, rng } = ctx;
  const dc = org.dcs[rng.int(2)];
  ctx.emit(
    netEv(dev, k, dev.procs.svcDnscache, dc.ip, 53, {
      action: 'DnsConnectionInspected',
      protocol: 'Udp',
      remoteType: 'Private',
      additional: `{"direction":"Out","query":${J(host)},"qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","uid":"C${rng.hex(16)}"}`,
    }, rng),
  );
}

/** Domain traffic of a member: Kerberos and LDAP from lsass, RPC and SMB (Group Policy) from svchost, DNS. */
export function domainTraffic(ctx: Ctx, dev: Device, k: number): void {
  const { org, rng } = ctx;
  const dc = org.dcs[rng.int(2)];
  const port = rng.pick(DC_PORTS);
  if (port === 53) return dns(ctx, dev, k, rng.pick(['dc01.corp.contoso.com', 'fs01.corp.contoso.com', '_ldap._tcp.dc._msdcs.corp.contoso.com', 'login.microsoftonline.com', 'contoso.sharepoint.com']));
  const p = port === 88 || port === 389 ? dev.procs.lsass : port === 135 ? dev.procs.svcNetsvcs : dev.procs.svcNetsvcs;
  ctx.emit(netEv(dev, k, p, dc.ip, port, { remoteType: 'Private' }, rng));
  if (dc !== dev && rng.chance(0.25)) {
    // The domain controller's side of it.
    const inboundProc = port === 88 || port === 389 ? dc.procs.lsass : port === 445 ? dc.procs.system : dc.procs.svcDcom;
    ctx.emit(netEv(dc, k + 2 * 10_000, inboundProc, dev.ip, 49152 + rng.int(16000), { action: 'InboundConnectionAccepted', remoteType: 'Private', localPort: port }, rng));
  }
}

/** Windows, Defender and vendor services calling home. */
export function systemTraffic(ctx: Ctx, dev: Device, k: number): void {
  const { rng } = ctx;
  const e = SYSTEM_ENDPOINTS;
  const pr = dev.procs;
  switch (rng.int(7)) {
    case 0:
      return connect(ctx, dev, k, pr.svcNetsvcs, rng.pick([e.windowsUpdate, e.ctldl, e.settings]));
    case 1:
      return connect(ctx, dev, k, pr.svcLocalService, e.telemetry);
    case 2:
    case 3:
      return connect(ctx, dev, k, pr.mssense, rng.pick([e.mde, e.mdeEdr]));
    case 4:
      return connect(ctx, dev, k, pr.msmpeng, rng.pick([e.defenderCloud, e.defenderUpdates]));
    case 5:
      return ctx.emit(netEv(dev, k, pr.svcLocalService, pickIp(e.ntp, rng), 123, { jUrl: e.ntp.jUrl, protocol: 'Udp' }, rng));
    default:
      return domainTraffic(ctx, dev, k);
  }
}
