// Benign look-alikes of the intrusion's stages, in the same data and labelled as such:
//  - helpdesk-quick-assist: the internal helpdesk chats with a user (same tenant), then both start
//    Quick Assist; the technician may run ipconfig /all and gpupdate, or install software;
//  - admin-winrm: IT admins on the admin workstation using PowerShell remoting (5985) to servers and DCs;
//  - rclone-backup: the nightly rclone sync of the file server by the backup service account (other flags);
//  - vendor-updater: the genuine Adobe/Defender hosts running from Program Files, sometimes right after
//    the Adobe updater wrote under ProgramData\Adobe\ARM;
//  - partner-chat: chats with people of partner tenants, with no remote session after them;
//  - admin-shell: developers and admins typing dir, whoami, hostname, ipconfig /all in their shells.
import { IMG, Image, SIDELOAD_PAIRS } from './catalog.js';
import { REMOTE_TOOL_ENDPOINTS, SAAS, SYSTEM_ENDPOINTS, pickIp } from './destinations.js';
import { DAY, HOUR, J, MIN, SEC } from './format.js';
import type { BenignLabel } from './labels.js';
import { RowSet } from './labels.js';
import { type Device, isWeekday, type Org, type Proc, sessionOf, SYSTEM, type User } from './org.js';
import { Rng } from './prng.js';
import { fileEv, imgEv, logonEv, netEv, procEv, regEv, spawn } from './rows.js';
import { firstOf, Story } from './story.js';
import type { Quiet } from './background/context.js';
import { sessionUser } from './background/index.js';
import { messageEv, oneOnOneThread, type Person, personOf, teamsAuditEv } from './background/collab.js';
import { identityLogonEv } from './background/logon.js';
import type { IntrusionPlan } from './intrusion.js';
import type { Ev } from './writer.js';

export interface BuiltBenign {
  readonly events: Ev[];
  label(): BenignLabel;
}

export interface BenignOptions {
  readonly seed: number;
  readonly startK: number;
  readonly endK: number;
}

interface Busy {
  users: Map<number, Set<number>>;
  devices: Map<number, Set<number>>;
}

function isBusy(m: Map<number, Set<number>>, day: number, index: number): boolean {
  return m.get(day)?.has(index) ?? false;
}
function markBusy(m: Map<number, Set<number>>, day: number, index: number): void {
  let s = m.get(day);
  if (!s) m.set(day, (s = new Set()));
  s.add(index);
}

/** Plans every benign look-alike of the period and registers the quiet windows they need. */
export function buildBenign(org: Org, o: BenignOptions, intrusions: readonly IntrusionPlan[], quiet: Quiet): BuiltBenign[] {
  const out: BuiltBenign[] = [];
  const busy: Busy = { users: new Map(), devices: new Map() };
  for (const p of intrusions) {
    const d = Math.floor(p.t0 / DAY);
    for (const day of [d - 1, d, d + 1]) {
      markBusy(busy.users, day, p.victim.index);
      markBusy(busy.devices, day, p.device.index);
    }
  }
  const firstDay = Math.floor(o.startK / DAY);
  const lastDay = Math.floor((o.endK - 1) / DAY);
  const counters = new Map<string, number>();
  const nextId = (kind: string) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return `${kind}-${n}`;
  };
  const people = org.people.filter(u => u.role !== 'helpdesk');

  for (let day = firstDay; day <= lastDay; day++) {
    const rng = Rng.derive(o.seed, 'benign', day);
    // Free people and devices: at their desk today, not an intrusion's victim, not used by another look-alike.
    const free = (pool: readonly User[]) => {
      for (let tries = 0; tries < 50; tries++) {
        const u = pool[rng.int(pool.length)];
        if (!u || !u.device) continue;
        if (sessionUser(org, u.device, day) !== u) continue;
        if (isBusy(busy.users, day, u.index) || isBusy(busy.devices, day, u.device.index)) continue;
        markBusy(busy.users, day, u.index);
        markBusy(busy.devices, day, u.device.index);
        return u;
      }
      return null;
    };
    const at = (from: number, to: number) => day * DAY + from * HOUR + rng.int((to - from) * HOUR);
    const inPeriod = (k: number) => k > o.startK + 10 * MIN && k < o.endK - 90 * MIN;

    // The nightly backup runs every day.
    const backupAt = day * DAY + HOUR + 30 * MIN + rng.int(10 * MIN);
    if (inPeriod(backupAt)) out.push(rcloneBackup(org, o, rng, nextId('rclone-backup'), backupAt));

    if (!isWeekday(org, day)) continue;
    const scale = Math.max(1, org.people.length / 150);

    for (let n = Math.max(1, Math.round(scale)); n > 0; n--) {
      const helper = org.helpdesk[rng.int(org.helpdesk.length)]!;
      const user = free(people);
      const t = at(9, 16);
      if (!user || !inPeriod(t) || !helper.device || sessionUser(org, helper.device, day) !== helper) continue;
      out.push(helpdeskSession(org, o, rng, nextId('helpdesk-quick-assist'), helper, user, t, quiet));
    }
    {
      const admin = org.admins[rng.int(org.admins.length)]!;
      const t = at(9, 16);
      if (inPeriod(t)) out.push(adminWinrm(org, o, rng, nextId('admin-winrm'), admin, t, day));
    }
    for (let n = Math.max(1, Math.round(scale * 0.7)); n > 0; n--) {
      const user = free(people);
      const t = at(9, 16);
      if (user && inPeriod(t)) out.push(vendorUpdater(org, o, rng, nextId('vendor-updater'), user.device!, t));
    }
    for (let n = Math.max(1, Math.round(scale * 2)); n > 0; n--) {
      const user = free(people);
      const t = at(9, 16);
      if (user && inPeriod(t)) out.push(partnerChat(org, o, rng, nextId('partner-chat'), user, t));
    }
    for (const u of [...org.developers, ...org.admins]) {
      if (!u.device || sessionUser(org, u.device, day) !== u || isBusy(busy.devices, day, u.device.index)) continue;
      if (!rng.chance(0.2)) continue;
      const t = at(9, 16);
      if (inPeriod(t)) out.push(adminShell(org, o, rng, nextId('admin-shell'), u, t, day));
    }
  }
  return out;
}

function benign(org: Org, id: string, kind: string, description: string, entities: Record<string, unknown>, story: Story, set: RowSet): BuiltBenign {
  return {
    events: story.events,
    label: () => ({ id, kind, description, entities, first: firstOf(set, org.clock), reportIds: set.toJSON() }),
  };
}

const userRef = (u: User) => ({ oid: u.oid, upn: u.upn, sid: u.sid, name: u.display });
const deviceRef = (d: Device) => ({ id: d.id, name: d.name });

const QA = new Image('QuickAssist.exe', 'C:\\Program Files\\WindowsApps\\MicrosoftCorporationII.QuickAssist_2.0.35.0_x64__8wekyb3d8bbwe\\Microsoft.RemoteAssistance.QuickAssist', { company: 'Microsoft Corporation', product: 'Microsoft Quick Assist', version: '2.0.35.0', description: 'Quick Assist', size: 1_271_848, signer: 'Microsoft' });

function helpdeskSession(org: Org, o: BenignOptions, rng: Rng, id: string, helper: User, user: User, t: number, quiet: Quiet): BuiltBenign {
  const story = new Story(o.startK, o.endK);
  const set = new RowSet();
  const add = (...evs: Ev[]) => story.add(set, ...evs);
  const day = Math.floor(t / DAY);
  const dev = user.device!;
  const hdev = helper.device!;
  const us = sessionOf(org, user, dev, day);
  const hs = sessionOf(org, helper, hdev, day);
  t = Math.max(t, us.explorer.created + 10 * MIN, hs.explorer.created + 10 * MIN);
  const chat = rng.chance(0.8);
  const recon = rng.chance(0.6);
  const install = rng.chance(0.3);
  const a = personOf(user);
  const h = personOf(helper);
  const threadId = oneOnOneThread(user.oid, helper.oid);
  let k = t;
  if (chat) {
    if (rng.chance(0.3)) add(teamsAuditEv(org, k - 3 * SEC, { action: 'ChatCreated', actor: a, actorExternal: false, threadId, members: [a, h], foreign: false, ip: org.publicIp }));
    add(messageEv(org, k, { sender: a, recipients: [h], threadId, external: false, owned: true }));
    k += MIN + rng.int(2 * MIN);
    add(messageEv(org, k, { sender: h, recipients: [a], threadId, external: false, owned: true }));
  }
  // The technician starts Quick Assist first (to get a code), then the user.
  const hLaunch = k + MIN + rng.int(2 * MIN);
  const hqa = spawn(org, rng, QA, `"${QA.path}"`, hLaunch, hs.explorer);
  add(procEv(hdev, hqa), netEv(hdev, hLaunch + 3 * SEC, hqa, REMOTE_TOOL_ENDPOINTS['QuickAssist.exe'][0].ips[0]!, 443, { jUrl: REMOTE_TOOL_ENDPOINTS['QuickAssist.exe'][0].jUrl }, rng));
  if (chat) add(messageEv(org, hLaunch + 40 * SEC, { sender: h, recipients: [a], threadId, external: false, owned: true }));
  const launch = hLaunch + 70 * SEC + rng.int(3 * MIN);
  const qa = spawn(org, rng, QA, `"${QA.path}"`, launch, us.explorer);
  add(procEv(dev, qa));
  for (let i = 0; i < 3; i++) {
    const r = REMOTE_TOOL_ENDPOINTS['QuickAssist.exe'][i % 2]!;
    add(netEv(dev, launch + 2 * SEC + i * 9 * SEC, qa, pickIp(r, rng), 443, { jUrl: r.jUrl }, rng));
  }
  quiet.user(user.index, launch - 45 * MIN, launch + 5 * MIN);
  quiet.user(helper.index, hLaunch - 45 * MIN, hLaunch + 5 * MIN);
  quiet.device(dev.index, launch - 25 * MIN, launch + 40 * MIN);
  const consentAt = launch + 30 * SEC + rng.int(40 * SEC);
  add(procEv(dev, spawn(org, rng, IMG.consent, `consent.exe ${us.explorer.pid} 466 00000${rng.hex(11).toUpperCase()}`, consentAt, dev.procs.svcAppinfo, SYSTEM, 'System', 'TokenElevationTypeDefault')));
  let ct = consentAt + 10 * SEC + rng.int(60 * SEC);
  const shell = spawn(org, rng, IMG.cmd, '"C:\\Windows\\system32\\cmd.exe" ', ct, us.explorer, user.account, 'High', 'TokenElevationTypeFull');
  add(procEv(dev, shell));
  const run = (line: string, image: Image | null) => {
    ct += 15 * SEC + rng.int(60 * SEC);
    const p = spawn(org, rng, IMG.cmd, `cmd.exe /c ${line}`, ct, shell);
    add(procEv(dev, p));
    if (image) add(procEv(dev, spawn(org, rng, image, line, ct + 3000, p)));
  };
  if (recon) run('ipconfig /all', IMG.ipconfig);
  run('ipconfig /flushdns', IMG.ipconfig);
  run('gpupdate /force', IMG.gpupdate);
  if (install) {
    ct += 30 * SEC;
    const msi = spawn(org, rng, IMG.msiexec, '"C:\\Windows\\system32\\msiexec.exe" /i "\\\\fs01.corp.contoso.com\\Software\\cisco-secure-client-win-5.1.7.80-core-vpn-predeploy-k9.msi" /qn', ct, shell);
    const server = spawn(org, rng, IMG.msiexec, 'C:\\Windows\\system32\\msiexec.exe /V', ct + SEC, dev.procs.services, SYSTEM, 'System', 'TokenElevationTypeDefault');
    add(procEv(dev, msi), procEv(dev, server));
    for (const f of ['vpnagent.exe', 'vpnui.exe', 'vpnapi.dll']) {
      ct += SEC + rng.int(3 * SEC);
      const path = `C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\${f}`;
      add(fileEv(dev, ct, server, path, { sha256: rng.hex(64), size: 500_000 + rng.int(4_000_000) }));
    }
  }
  return benign(org, id, 'helpdesk-quick-assist', 'The internal helpdesk helps a user over Quick Assist after an internal Teams chat (or a phone call).', {
    helper: userRef(helper),
    helperDevice: deviceRef(hdev),
    user: userRef(user),
    device: deviceRef(dev),
    chat,
    chatThreadId: chat ? threadId : null,
    launch: org.clock.fmt(launch),
    helperLaunch: org.clock.fmt(hLaunch),
    reconCommands: recon,
    install,
  }, story, set);
}

function adminWinrm(org: Org, o: BenignOptions, rng: Rng, id: string, admin: User, t: number, day: number): BuiltBenign {
  const story = new Story(o.startK, o.endK);
  const set = new RowSet();
  const add = (...evs: Ev[]) => story.add(set, ...evs);
  const adm = org.adminWorkstation;
  const s = sessionOf(org, admin, adm, day);
  // The admin signs in to the admin workstation for this task.
  const logon = t - 5 * MIN;
  const explorerAt = logon + 10 * SEC;
  const explorer = spawn(org, rng, IMG.explorer, 'C:\\Windows\\Explorer.EXE', explorerAt, adm.procs.winlogon, admin.account, 'Medium', 'TokenElevationTypeLimited');
  add(logonEv(adm, logon, adm.procs.winlogon, admin.account, { logonType: 'Interactive', protocol: 'Kerberos', logonId: s.logonId, isLocalAdmin: true }));
  add(procEv(adm, explorer));
  const ps = spawn(org, rng, IMG.powershell, '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" ', t, explorer, admin.account, 'High', 'TokenElevationTypeFull');
  add(procEv(adm, ps));
  const pool = [...org.dcs, org.fileServer, ...org.servers];
  const targets = rng.shuffled(pool).slice(0, 1 + rng.int(3));
  let lt = t + MIN + rng.int(3 * MIN);
  for (const target of targets) {
    const port = 49152 + rng.int(16000);
    add(netEv(adm, lt, ps, target.ip, 5985, { remoteType: 'Private', localPort: port }, rng));
    add(netEv(target, lt + 20 * 10_000, target.procs.svcWinRM, adm.ip, port, { action: 'InboundConnectionAccepted', remoteType: 'Private', localPort: 5985 }, rng));
    add(logonEv(target, lt + SEC, target.procs.lsass, admin.account, { logonType: 'Network', protocol: 'Kerberos', logonId: rng.range(0x100000, 0x7fffffff), remoteIp: adm.ip, remoteDevice: adm.short.toUpperCase(), remotePort: port, isLocalAdmin: true }));
    const dc = target.role === 'domain-controller' ? target : org.dcs[rng.int(2)];
    add(identityLogonEv(org, lt - SEC, { logonType: 'Resource access', user: admin, from: adm, dc, target, spn: `HTTP/${target.name}` }, port));
    const wsm = spawn(org, rng, IMG.wsmprovhost, 'C:\\Windows\\system32\\wsmprovhost.exe -Embedding', lt + 2 * SEC, target.procs.svcDcom, admin.account, 'High', 'TokenElevationTypeDefault');
    add(procEv(target, wsm));
    if (rng.chance(0.5)) add(procEv(target, spawn(org, rng, IMG.gpupdate, '"C:\\Windows\\system32\\gpupdate.exe" /force', lt + 20 * SEC, wsm)));
    if (rng.chance(0.4)) add(procEv(target, spawn(org, rng, IMG.sc, '"C:\\Windows\\system32\\sc.exe" query Spooler', lt + 40 * SEC, wsm)));
    lt += 2 * MIN + rng.int(10 * MIN);
  }
  return benign(org, id, 'admin-winrm', 'An IT admin uses PowerShell remoting (WinRM, 5985) from the admin workstation to servers and domain controllers.', {
    admin: userRef(admin),
    device: deviceRef(adm),
    targets: targets.map(d => d.name),
  }, story, set);
}

function rcloneBackup(org: Org, o: BenignOptions, rng: Rng, id: string, t: number): BuiltBenign {
  const story = new Story(o.startK, o.endK);
  const set = new RowSet();
  const add = (...evs: Ev[]) => story.add(set, ...evs);
  const fs = org.fileServer;
  const svc = org.service.backup;
  const logonId = rng.range(0x100000, 0x7fffffff);
  add(logonEv(fs, t - 2 * SEC, fs.procs.services, svc.account, { logonType: 'Batch', protocol: 'Negotiate', logonId }));
  const cmd = '"C:\\Program Files\\rclone\\rclone.exe" sync "D:\\Shares" b2:contoso-backup/shares --config "C:\\ProgramData\\rclone\\rclone.conf" --transfers 4 --checkers 8 --fast-list --log-file "C:\\ProgramData\\rclone\\logs\\nightly.log" --log-level INFO --exclude "*.tmp"';
  const p = spawn(org, rng, IMG.rclone, cmd, t, fs.procs.svcSchedule, svc.account, 'High', 'TokenElevationTypeDefault');
  add(procEv(fs, p));
  let nt = t + 3 * SEC;
  for (let i = 0; i < 4 + rng.int(8); i++) {
    add(netEv(fs, nt, p, `149.137.${rng.range(128, 143)}.${rng.range(2, 250)}`, 443, { jUrl: J(i === 0 ? 'api.backblazeb2.com' : 'pod-000-1120-12.backblaze.com') }, rng));
    nt += 30 * SEC + rng.int(4 * MIN);
  }
  add(fileEv(fs, nt + 5 * SEC, p, 'C:\\ProgramData\\rclone\\logs\\nightly.log', { action: 'FileModified', size: 40_000 + rng.int(200_000) }));
  return benign(org, id, 'rclone-backup', 'The nightly scheduled rclone sync of the file server by the backup service account (its own flags).', {
    account: userRef(svc),
    device: deviceRef(fs),
    commandLine: cmd,
  }, story, set);
}

function vendorUpdater(org: Org, o: BenignOptions, rng: Rng, id: string, dev: Device, t: number): BuiltBenign {
  const story = new Story(o.startK, o.endK);
  const set = new RowSet();
  const add = (...evs: Ev[]) => story.add(set, ...evs);
  const which = rng.weighted([[0, 50], [1, 25], [2, 25]] as const);
  const host = SIDELOAD_PAIRS[which]!.host;
  const adobe = which !== 2;
  const armWrites = adobe && rng.chance(0.4);
  let k = t;
  if (armWrites) {
    const arm = spawn(org, rng, IMG.adobeArm, `"${IMG.adobeArm.path}" /PRODUCT:Reader /VERSION:25.0 /MODE:3`, k, dev.procs.svcSchedule, SYSTEM, 'System', 'TokenElevationTypeDefault');
    add(procEv(dev, arm), netEv(dev, k + 3 * SEC, arm, pickIp(SYSTEM_ENDPOINTS.adobeUpdate, rng), 443, { jUrl: SYSTEM_ENDPOINTS.adobeUpdate.jUrl }, rng));
    const dir = 'C:\\ProgramData\\Adobe\\ARM\\Reader_25.001.20432';
    for (const f of ['AcroRdrDCUpd2500120432.msp', 'ArmManifest3.msi', 'AcroServicesUpdater2_x64.exe']) {
      k += 5 * SEC + rng.int(40 * SEC);
      add(fileEv(dev, k, arm, `${dir}\\${f}`, { sha256: rng.hex(64), size: 300_000 + rng.int(90_000_000) }));
    }
    k += MIN + rng.int(5 * MIN);
  }
  const parent = adobe ? dev.procs.svcSchedule : dev.procs.services;
  const p = spawn(org, rng, host, `"${host.path}"${adobe ? ' /silent' : ''}`, k, parent, SYSTEM, 'System', 'TokenElevationTypeDefault');
  add(procEv(dev, p));
  add(imgEv(dev, k + 5000, p, SYSTEM_DLLS_FOR[which]!));
  const dst = adobe ? SAAS.adobe : SYSTEM_ENDPOINTS.defenderCloud;
  add(netEv(dev, k + 4 * SEC, p, pickIp(dst, rng), 443, { jUrl: dst.jUrl }, rng));
  if (adobe) add(regEv(dev, k + 6 * SEC, p, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Adobe\\Adobe Acrobat\\DC\\Installer', { type: 'String', name: 'LastUpdateCheck', data: String(org.clock.originMs + Math.floor(k / 10_000)) }));
  return benign(org, id, 'vendor-updater', 'A genuine signed host (the seed\'s side-load hosts) running from its vendor folder; the Adobe updater may write under ProgramData\\Adobe\\ARM just before.', {
    device: deviceRef(dev),
    host: host.name,
    folder: host.folder,
    armWrites,
  }, story, set);
}

const SYSTEM_DLLS_FOR = SIDELOAD_PAIRS.map(p => new Image(p.dll, 'C:\\Windows\\System32', { company: 'Microsoft Corporation', product: 'Microsoft® Windows® Operating System', version: '10.0.26100.3476', description: p.dll, size: 500_000, signer: 'OsVendor' }));

function partnerChat(org: Org, o: BenignOptions, rng: Rng, id: string, user: User, t: number): BuiltBenign {
  const story = new Story(o.startK, o.endK);
  const set = new RowSet();
  const add = (...evs: Ev[]) => story.add(set, ...evs);
  const tenant = org.partners[rng.int(org.partners.length)]!;
  const who = tenant.people[rng.int(tenant.people.length)]!;
  const partner: Person = { oid: who.oid, email: who.email, display: `${who.display} (${tenant.name})` };
  const u = personOf(user);
  const threadId = oneOnOneThread(partner.oid, user.oid);
  const theyStarted = rng.chance(0.6);
  const firstContact = rng.chance(0.5);
  let k = t;
  if (firstContact) {
    add(teamsAuditEv(org, k - 5 * SEC, theyStarted
      ? { action: 'ChatCreated', actor: partner, actorExternal: true, threadId, members: [partner, u], foreign: true, ip: `40.${rng.range(64, 127)}.${rng.range(0, 255)}.${rng.range(1, 254)}` }
      : { action: 'ChatCreated', actor: u, actorExternal: false, threadId, members: [u, partner], foreign: true, ip: org.publicIp }));
  }
  for (let i = 0; i < 2 + rng.int(4); i++) {
    const fromPartner = i % 2 === (theyStarted ? 0 : 1);
    add(messageEv(org, k, fromPartner
      ? { sender: partner, recipients: [u], threadId, external: true, owned: !theyStarted }
      : { sender: u, recipients: [partner], threadId, external: true, owned: !theyStarted }));
    k += 30 * SEC + rng.int(6 * MIN);
  }
  return benign(org, id, 'partner-chat', 'A chat with a person of a partner tenant (external, legitimate), with no remote session after it.', {
    user: userRef(user),
    device: deviceRef(user.device!),
    partner: { tenant: tenant.domain, email: who.email, name: partner.display },
    chatThreadId: threadId,
    firstContact,
  }, story, set);
}

const SHELL_LINES: readonly { line: string; image: Image | null; ps?: boolean }[] = [
  { line: 'dir', image: null },
  { line: 'dir /s /b *.log', image: null },
  { line: 'whoami', image: IMG.whoami },
  { line: 'hostname', image: IMG.hostname },
  { line: 'ipconfig /all', image: IMG.ipconfig },
  { line: 'net user %USERNAME% /domain', image: IMG.net },
  { line: 'icacls C:\\Projects\\shared', image: IMG.icacls },
  { line: 'whoami /groups', image: IMG.whoami, ps: true },
  { line: 'dir C:\\Projects', image: null, ps: true },
];

function adminShell(org: Org, o: BenignOptions, rng: Rng, id: string, user: User, t: number, day: number): BuiltBenign {
  const story = new Story(o.startK, o.endK);
  const set = new RowSet();
  const add = (...evs: Ev[]) => story.add(set, ...evs);
  const dev = user.device!;
  const s = sessionOf(org, user, dev, day);
  let k = Math.max(t, s.explorer.created + 5 * MIN);
  const lines = rng.shuffled(SHELL_LINES).slice(0, 1 + rng.int(3));
  for (const l of lines) {
    const image = l.ps ? IMG.powershell : IMG.cmd;
    const p = spawn(org, rng, image, l.ps ? `powershell.exe -NoProfile -Command "${l.line}"` : `cmd.exe /c ${l.line}`, k, s.explorer);
    add(procEv(dev, p));
    if (l.image) add(procEv(dev, spawn(org, rng, l.image, l.line, k + 3000, p)));
    k += 5 * SEC + rng.int(90 * SEC);
  }
  return benign(org, id, 'admin-shell', 'A developer or admin typing dir, whoami, hostname, ipconfig /all and the like in a shell.', {
    user: userRef(user),
    device: deviceRef(dev),
    commands: lines.map(l => l.line),
  }, story, set);
}

export type { Proc };
