// DeviceProcessEvents and DeviceImageLoadEvents background: the process trees of a working day
// (explorer → browsers, Office, Teams, OneDrive), Windows' own service and task processes, developers'
// tools and shells, admins' consoles, installers (msiexec) and updaters, and server roles. Each
// episode also writes the network, file and registry events its processes cause.
//
// Shell command lines here never contain the reconnaissance terms of queries H and J (whoami,
// hostname, dir, ver, ipconfig /all, ...): benign shells that do are benign look-alikes, labelled
// (see benign.ts), so that every row a hunting query can match is accounted for in labels.json.
import { IMG, Image, SYSTEM_DLLS } from '../catalog.js';
import { BROWSING, DEV_SITES, SAAS, SYSTEM_ENDPOINTS } from '../destinations.js';
import { MIN, SEC } from '../format.js';
import { type Device, type Proc, SYSTEM, type Session, type User } from '../org.js';
import { imgEv, netEv, procEv, spawn } from '../rows.js';
import type { Ctx } from './context.js';
import { consoleHistory, download, installFiles, roamingAppUpdate, saveDocument, tempFile } from './file.js';
import { browse, connect } from './network.js';
import { explorerBookkeeping, officeMru, registerProduct } from './registry.js';

/** The long-running apps of one user's working day on a device. */
export interface DayApps {
  readonly session: Session;
  readonly browser: Proc;
  readonly teams: Proc;
  readonly onedrive: Proc;
  readonly outlook: Proc;
  readonly code: Proc | null;
}

/** Writes a process start and its first DLL loads. */
export function start(ctx: Ctx, dev: Device, p: Proc, dlls = 2): Proc {
  ctx.emit(procEv(dev, p));
  loads(ctx, dev, p, dlls);
  return p;
}

export function loads(ctx: Ctx, dev: Device, p: Proc, n: number): void {
  const { rng } = ctx;
  for (let i = 0; i < n; i++) ctx.emit(imgEv(dev, p.created + 1 + rng.int(SEC), p, SYSTEM_DLLS[rng.int(SYSTEM_DLLS.length)]!));
}

/** The apps a user starts at logon (explorer's children). */
export function startApps(ctx: Ctx, dev: Device, session: Session, developer: boolean, chromeUser: boolean): DayApps {
  const { org, rng } = ctx;
  const ex = session.explorer;
  let t = ex.created + 5 * SEC;
  const s = (image: Image, cmd: string, dlls = 2): Proc => {
    t += SEC + rng.int(20 * SEC);
    return start(ctx, dev, spawn(org, rng, image, cmd, t, ex), dlls);
  };
  const onedrive = s(IMG.onedrive, `"${IMG.onedrive.path}" /background`);
  const teams = s(IMG.teams, `"${IMG.teams.path}" msteams:system-initiated`);
  const outlook = s(IMG.outlook, `"${IMG.outlook.path}" `);
  const browser = chromeUser ? s(IMG.chrome, `"${IMG.chrome.path}" `, 3) : s(IMG.msedge, `"${IMG.msedge.path}" --single-argument`, 3);
  const code = developer ? s(IMG.code, `"${IMG.code.path}" `) : null;
  connect(ctx, dev, t + SEC, onedrive, SAAS.mysite);
  connect(ctx, dev, t + 2 * SEC, teams, SAAS.teams);
  connect(ctx, dev, t + 3 * SEC, outlook, SAAS.outlook);
  return { session, browser, teams, onedrive, outlook, code };
}

const OFFICE_APPS: readonly (readonly [Image, string, string])[] = [
  [IMG.winword, 'Word', 'docx'],
  [IMG.excel, 'Excel', 'xlsx'],
  [IMG.powerpnt, 'PowerPoint', 'pptx'],
];

/** One hour of a user's desk work. */
export function workHour(ctx: Ctx, dev: Device, apps: DayApps, k0: number, end: number, user: User): void {
  const { org, rng } = ctx;
  const span = end - k0;
  const at = () => k0 + rng.int(span);
  const ex = apps.session.explorer;
  // Browsing.
  for (let n = rng.poisson(2.5); n > 0; n--) {
    const k = at();
    let p = apps.browser;
    if (rng.chance(0.3)) {
      p = start(ctx, dev, spawn(org, rng, apps.browser.image, `"${apps.browser.image.path}" --type=renderer --lang=en-US --renderer-client-id=${rng.range(5, 90)} --launch-time-ticks=${rng.range(1e9, 9e9)} /prefetch:1`, k, apps.browser), 1);
    }
    browse(ctx, dev, k, p, rng.range(3, 8), BROWSING);
    if (rng.chance(0.12)) download(ctx, dev, k + rng.int(2 * MIN), apps.browser, user);
  }
  // Mail, chat and sync traffic.
  for (let n = rng.poisson(3); n > 0; n--) {
    const k = at();
    const which = rng.int(3);
    if (which === 0) connect(ctx, dev, k, apps.outlook, SAAS.outlook);
    else if (which === 1) connect(ctx, dev, k, apps.teams, rng.chance(0.5) ? SAAS.teams : SAAS.teamsTrouter);
    else connect(ctx, dev, k, apps.onedrive, SAAS.mysite);
  }
  // Office documents.
  for (let n = rng.poisson(0.8); n > 0; n--) {
    const k = at();
    const [image, app, ext] = rng.pick(OFFICE_APPS);
    const docPath = `C:\\Users\\${user.sam}\\OneDrive - Contoso\\Documents\\${rng.pick(['Budget', 'Plan', 'Review', 'Notes', 'Forecast'])} ${rng.range(1, 40)}.${ext}`;
    const p = start(ctx, dev, spawn(org, rng, image, `"${image.path}" /n "${docPath}"`, k, ex), 3);
    connect(ctx, dev, k + 3 * SEC, p, SAAS.sharepoint);
    connect(ctx, dev, k + 5 * SEC, p, SAAS.officeCdn);
    saveDocument(ctx, dev, k + MIN + rng.int(20 * MIN), p, user, ext);
    officeMru(ctx, dev, k + 4 * SEC, p, user, app, docPath);
  }
  // Explorer's bookkeeping and temp files.
  for (let n = rng.poisson(2); n > 0; n--) explorerBookkeeping(ctx, dev, at(), ex, user);
  for (let n = rng.poisson(2); n > 0; n--) tempFile(ctx, dev, at(), rng.chance(0.5) ? apps.browser : apps.outlook, user);
  // Windows' per-user processes.
  for (let n = rng.poisson(1.5); n > 0; n--) {
    const k = at();
    const parent = dev.procs.svcDcom;
    const image = rng.pick([IMG.runtimeBroker, IMG.backgroundTaskHost, IMG.dllhost]);
    const cmd = image === IMG.backgroundTaskHost ? `"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:App.AppXmtcan0h2tfbfy7k9kn8hbxb6dmzz1zh0.mca` : image === IMG.dllhost ? `C:\\Windows\\system32\\DllHost.exe /Processid:{${rng.guid().toUpperCase()}}` : 'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding';
    start(ctx, dev, spawn(org, rng, image, cmd, k, parent, user.account, 'Medium', 'TokenElevationTypeLimited'), 1);
  }
  if (rng.chance(0.03)) {
    // An app update under AppData\Roaming (a near miss for query D: no PowerShell, no risky TLD).
    roamingAppUpdate(ctx, dev, at(), apps.browser, user, ZOOM);
  }
  if (apps.code) developerWork(ctx, dev, apps, at(), user);
  if (user.role === 'admin' && rng.chance(0.5)) adminConsole(ctx, dev, apps, at(), user);
}

const ZOOM = new Image('Zoom.exe', 'C:\\Users\\Public', { company: 'Zoom Video Communications, Inc.', product: 'Zoom', version: '6.4.1.3124', description: 'Zoom Meetings', size: 442_232, signer: 'ThirdParty' });

const DEV_CMD = [
  'cmd.exe /c npm run build',
  'cmd.exe /c npm install',
  'cmd.exe /c git pull --rebase',
  'cmd.exe /c code --list-extensions',
  'cmd.exe /c python -m pytest tests',
  'cmd.exe /c docker compose up -d',
];
const DEV_PS = [
  'powershell.exe -NoProfile -Command "Get-ChildItem -Recurse -Filter *.csproj | Measure-Object"',
  'powershell.exe -NoProfile -Command "Get-Content .\\logs\\app.log -Tail 50"',
  'powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\scripts\\build.ps1',
  'powershell.exe -NoLogo -NoProfile -Command "Test-NetConnection contoso.sharepoint.com -Port 443"',
  'powershell.exe -NoProfile -Command "Get-Process node | Stop-Process"',
];

/** A developer's tools: shells (benign commands), git, node, python, and their traffic. */
function developerWork(ctx: Ctx, dev: Device, apps: DayApps, k: number, user: User): void {
  const { org, rng } = ctx;
  const code = apps.code!;
  const r = rng.int(5);
  if (r === 0) {
    const git = start(ctx, dev, spawn(org, rng, IMG.git, `"${IMG.git.path}" ${rng.pick(['fetch origin', 'status -z -uall', 'pull', 'push origin main', 'log -n 20'])}`, k, code), 1);
    connect(ctx, dev, k + 2 * SEC, git, SAAS.github);
  } else if (r === 1) {
    const node = start(ctx, dev, spawn(org, rng, IMG.node, `"${IMG.node.path}" ${rng.pick(['node_modules\\vite\\bin\\vite.js', 'node_modules\\jest\\bin\\jest.js', 'server.js', 'scripts\\seed.js'])}`, k, code), 2);
    for (let i = rng.range(1, 4); i > 0; i--) connect(ctx, dev, k + rng.int(MIN), node, rng.pick(DEV_SITES));
  } else if (r === 2) {
    const py = start(ctx, dev, spawn(org, rng, IMG.python, `"${IMG.python.path}" ${rng.pick(['-m pip install -r requirements.txt', 'manage.py runserver', '-m pytest', 'etl\\load.py'])}`, k, code), 2);
    connect(ctx, dev, k + 3 * SEC, py, rng.pick([SAAS.pypi, SAAS.internalApi, SAAS.s3]));
  } else if (r === 3) {
    const cmd = start(ctx, dev, spawn(org, rng, IMG.cmd, rng.pick(DEV_CMD), k, code), 1);
    start(ctx, dev, spawn(org, rng, IMG.conhost, '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', k + 5000, cmd), 0);
    if (rng.chance(0.3)) {
      // npm's own shell-outs: cmd.exe /S /D /c" ..." from node.exe (query B's quoting, without set /p).
      const node = start(ctx, dev, spawn(org, rng, IMG.node, `"${IMG.node.path}" "C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js" run build`, k + SEC, cmd), 1);
      start(ctx, dev, spawn(org, rng, IMG.cmd, `C:\\Windows\\system32\\cmd.exe /d /s /c "vite build"`, k + 2 * SEC, node), 0);
    }
  } else {
    const ps = start(ctx, dev, spawn(org, rng, IMG.powershell, rng.pick(DEV_PS), k, code), 2);
    start(ctx, dev, spawn(org, rng, IMG.conhost, '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', k + 5000, ps), 0);
    consoleHistory(ctx, dev, k + 20 * SEC + rng.int(5 * MIN), ps, user);
  }
}

const ADMIN_PS = [
  'powershell.exe -NoProfile -Command "Get-ADUser -Filter * -SearchBase \'OU=Staff,DC=corp,DC=contoso,DC=com\' | Measure-Object"',
  'powershell.exe -NoProfile -Command "Get-ADComputer -Filter \'OperatingSystem -like *Server*\'"',
  'powershell.exe -NoProfile -Command "Get-GPResultantSetOfPolicy -ReportType Html -Path C:\\Temp\\rsop.html"',
  'powershell.exe -NoProfile -Command "Get-EventLog -LogName System -Newest 100"',
];

/** An admin's console work on their own workstation (RDP client, AD PowerShell). */
function adminConsole(ctx: Ctx, dev: Device, apps: DayApps, k: number, user: User): void {
  const { org, rng } = ctx;
  const ps = start(ctx, dev, spawn(org, rng, IMG.powershell, rng.pick(ADMIN_PS), k, apps.session.explorer), 2);
  start(ctx, dev, spawn(org, rng, IMG.conhost, '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', k + 5000, ps), 0);
  consoleHistory(ctx, dev, k + 30 * SEC, ps, user);
}

/** Windows' own processes: scheduled tasks, WMI, search, Defender scans, the occasional crash report. */
export function systemProcesses(ctx: Ctx, dev: Device, k0: number, end: number, rate: number): void {
  const { org, rng } = ctx;
  const pr = dev.procs;
  for (let n = rng.poisson(rate); n > 0; n--) {
    const k = k0 + rng.int(end - k0);
    switch (rng.int(6)) {
      case 0:
        start(ctx, dev, spawn(org, rng, IMG.taskhostw, 'taskhostw.exe', k, pr.svcSchedule, SYSTEM), 1);
        break;
      case 1:
        start(ctx, dev, spawn(org, rng, IMG.wmiprvse, 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', k, pr.svcDcom, SYSTEM), 2);
        break;
      case 2:
        start(ctx, dev, spawn(org, rng, IMG.searchProtocolHost, `"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe${rng.range(1, 99)} Global\\UsGthrCtrlFltPipeMssGthrPipe${rng.range(1, 99)} 1 -2147483646 "Software\\Microsoft\\Windows Search"`, k, pr.svcNetsvcs, SYSTEM), 1);
        break;
      case 3: {
        const scan = start(ctx, dev, spawn(org, rng, IMG.mpcmdrun, `"${IMG.mpcmdrun.path}" SignatureUpdate -ScheduleJob -RestrictPrivileges`, k, pr.msmpeng, SYSTEM), 1);
        connect(ctx, dev, k + 2 * SEC, scan, SYSTEM_ENDPOINTS.defenderUpdates);
        break;
      }
      case 4:
        if (rng.chance(0.15)) {
          const crashed = 4 * rng.range(100, 16000);
          start(ctx, dev, spawn(org, rng, IMG.werfault, `C:\\Windows\\system32\\WerFault.exe -u -p ${crashed} -s ${rng.range(100, 2000)}`, k, pr.svcNetsvcs, SYSTEM), 2);
        } else {
          tempFile(ctx, dev, k, pr.svcNetsvcs);
        }
        break;
      default: {
        // Updaters: Google, Edge, Office Click-to-Run.
        const which = rng.int(3);
        if (which === 0) {
          const g = start(ctx, dev, spawn(org, rng, IMG.googleUpdate, `"${IMG.googleUpdate.path}" /ua /installsource scheduler`, k, pr.svcSchedule, SYSTEM), 1);
          connect(ctx, dev, k + 3 * SEC, g, SAAS.chromeUpdate);
        } else if (which === 1) {
          const e = start(ctx, dev, spawn(org, rng, IMG.edgeUpdate, `"${IMG.edgeUpdate.path}" /ua /installsource scheduler`, k, pr.svcSchedule, SYSTEM), 1);
          connect(ctx, dev, k + 3 * SEC, e, SYSTEM_ENDPOINTS.edgeUpdate);
        } else {
          connect(ctx, dev, k, pr.svcNetsvcs, SYSTEM_ENDPOINTS.officeC2r);
        }
      }
    }
  }
}

const PRODUCTS = [
  { name: '7-Zip 24.09 (x64)', version: '24.09.00.0', publisher: 'Igor Pavlov', dir: 'C:\\Program Files\\7-Zip', msi: '7z2409-x64.msi', files: ['7z.exe', '7z.dll', '7zFM.exe', '7zG.exe', 'Uninstall.exe'] },
  { name: 'Notepad++ (64-bit x64)', version: '8.7.8', publisher: 'Notepad++ Team', dir: 'C:\\Program Files\\Notepad++', msi: 'npp.8.7.8.msi', files: ['notepad++.exe', 'SciLexer.dll', 'libcurl.dll', 'updater\\GUP.exe'] },
  { name: 'Zoom Workplace (64-bit)', version: '6.4.1.3124', publisher: 'Zoom Video Communications, Inc.', dir: 'C:\\Program Files\\Zoom\\bin', msi: 'ZoomInstallerFull.msi', files: ['Zoom.exe', 'zWebview2Agent.exe', 'aomhost64.exe', 'zzhost.dll', 'CptHost.exe'] },
  { name: 'Microsoft Visual C++ 2015-2022 Redistributable (x64)', version: '14.42.34433', publisher: 'Microsoft Corporation', dir: 'C:\\Program Files\\Microsoft Visual C++ Redistributable', msi: 'vc_runtimeMinimum_x64.msi', files: ['vcruntime140.dll', 'msvcp140.dll', 'concrt140.dll'] },
  { name: 'Cisco Secure Client', version: '5.1.7.80', publisher: 'Cisco Systems, Inc.', dir: 'C:\\Program Files (x86)\\Cisco\\Cisco Secure Client', msi: 'cisco-secure-client-win-5.1.7.80-core-vpn-predeploy-k9.msi', files: ['vpnagent.exe', 'vpnui.exe', 'vpnapi.dll', 'acciscocrypto.dll'] },
];

/** Software installed with msiexec by the management agent: files under Program Files and an Uninstall entry. */
export function installer(ctx: Ctx, dev: Device, k: number): void {
  const { org, rng } = ctx;
  if (ctx.quiet.deviceQuietSpan(dev.index, k - 20 * MIN, k + 20 * MIN)) return;
  const product = rng.pick(PRODUCTS);
  const pr = dev.procs;
  const cache = `C:\\Windows\\ccmcache\\${rng.hex(2)}\\${product.msi}`;
  start(ctx, dev, spawn(org, rng, IMG.msiexec, `"C:\\Windows\\system32\\msiexec.exe" /i "${cache}" /qn /norestart ALLUSERS=1`, k, pr.svcNetsvcs, SYSTEM), 2);
  const server = start(ctx, dev, spawn(org, rng, IMG.msiexec, 'C:\\Windows\\system32\\msiexec.exe /V', k + SEC, pr.services, SYSTEM), 1);
  start(ctx, dev, spawn(org, rng, IMG.msiexec, `C:\\Windows\\syswow64\\MsiExec.exe -Embedding ${rng.hex(32).toUpperCase()} E Global\\MSI0000`, k + 3 * SEC, server, SYSTEM), 0);
  const t = installFiles(ctx, dev, k + 5 * SEC, server, product);
  registerProduct(ctx, dev, t + SEC, server, product);
}

/** Server roles: SQL and IIS serving the workstations, the file server's shares, the DCs' directory. */
export function serverRole(ctx: Ctx, dev: Device, k0: number, end: number, rate: number): void {
  const { org, rng } = ctx;
  const role = dev.procs.roleProcs[0];
  for (let n = rng.poisson(rate); n > 0; n--) {
    const k = k0 + rng.int(end - k0);
    const client = org.workstations[rng.int(org.workstations.length)]!;
    if (role) {
      const port = role.image === IMG.sqlservr ? 1433 : role.image === IMG.w3wp ? 443 : role.image === IMG.dns ? 53 : 445;
      ctx.emit(inbound(ctx, dev, k, role, client.ip, port));
    } else {
      ctx.emit(inbound(ctx, dev, k, dev.procs.system, client.ip, 445));
    }
  }
}

function inbound(ctx: Ctx, dev: Device, k: number, p: Proc, remoteIp: string, localPort: number) {
  return netEv(dev, k, p, remoteIp, 49152 + ctx.rng.int(16000), { action: 'InboundConnectionAccepted', remoteType: 'Private', localPort, protocol: localPort === 53 ? 'Udp' : 'Tcp' }, ctx.rng);
}
