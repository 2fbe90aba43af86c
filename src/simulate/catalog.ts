// The binaries the simulated organisation runs, with their version information and stable hashes,
// and the JSON fragments each table's rows take from them (built once, reused for every event).
import { flat, J } from './format.js';
import { hashHex } from './prng.js';

export interface ImageMeta {
  readonly company: string;
  readonly product: string;
  readonly version: string;
  readonly description: string;
  /** ProcessVersionInfoOriginalFileName (defaults to the file name). */
  readonly original?: string;
  readonly internal?: string;
  readonly size: number;
  readonly signer?: 'OsVendor' | 'Microsoft' | 'ThirdParty' | 'Unsigned';
}

export class Image {
  readonly path: string;
  readonly sha1: string;
  readonly sha256: string;
  readonly md5: string;
  /** The created process's columns (DeviceProcessEvents): FileName ... ProcessVersionInfoFileDescription. */
  readonly procFrag: string;
  /** The initiating process's image columns (InitiatingProcessFileName, ...FolderPath, hashes, size, version info). */
  readonly ipFrag: string;
  /**
   * The initiating process's name, path and SHA1, for the high-volume tables (network, file,
   * registry, image loads, logons), where Defender's InitiatingProcessSHA256 "is usually not
   * populated — use SHA1".
   */
  readonly ipLite: string;
  /** The file columns of file and image-load rows: FileName, FolderPath, hashes, FileSize. */
  readonly fileFrag: string;
  readonly jName: string;

  constructor(readonly name: string, readonly folder: string, readonly meta: ImageMeta, hashKey?: string) {
    this.path = `${folder}\\${name}`;
    // The hashes follow the binary (name, company, version), not its folder: a genuine signed host
    // copied to ProgramData keeps the hashes of the vendor's file.
    const key = hashKey ?? `${name.toLowerCase()}|${meta.company}|${meta.version}`;
    this.sha1 = hashHex(key + '|sha1', 40);
    this.sha256 = hashHex(key + '|sha256', 64);
    this.md5 = hashHex(key + '|md5', 32);
    const original = meta.original ?? name;
    const internal = meta.internal ?? original.replace(/\.[^.]+$/, '');
    this.jName = J(name);
    const jPath = J(this.path);
    this.fileFrag = flat(`"FileName":${this.jName},"FolderPath":${jPath},"SHA1":"${this.sha1}","SHA256":"${this.sha256}","MD5":"${this.md5}","FileSize":${meta.size}`);
    this.procFrag = flat(
      this.fileFrag +
      `,"ProcessVersionInfoCompanyName":${J(meta.company)},"ProcessVersionInfoProductName":${J(meta.product)},"ProcessVersionInfoProductVersion":${J(meta.version)}` +
      `,"ProcessVersionInfoInternalFileName":${J(internal)},"ProcessVersionInfoOriginalFileName":${J(original)},"ProcessVersionInfoFileDescription":${J(meta.description)}`);
    this.ipLite = flat(`"InitiatingProcessFileName":${this.jName},"InitiatingProcessFolderPath":${jPath},"InitiatingProcessSHA1":"${this.sha1}"`);
    this.ipFrag = flat(
      `"InitiatingProcessFileName":${this.jName},"InitiatingProcessFolderPath":${jPath},"InitiatingProcessSHA1":"${this.sha1}","InitiatingProcessSHA256":"${this.sha256}","InitiatingProcessMD5":"${this.md5}","InitiatingProcessFileSize":${meta.size}` +
      `,"InitiatingProcessVersionInfoCompanyName":${J(meta.company)},"InitiatingProcessVersionInfoProductName":${J(meta.product)},"InitiatingProcessVersionInfoProductVersion":${J(meta.version)}` +
      `,"InitiatingProcessVersionInfoInternalFileName":${J(internal)},"InitiatingProcessVersionInfoOriginalFileName":${J(original)},"InitiatingProcessVersionInfoFileDescription":${J(meta.description)}`);
  }

  /** The same binary at another path (a copy, e.g. a signed host staged under ProgramData). */
  at(folder: string): Image {
    return new Image(this.name, folder, this.meta);
  }

  /** The same binary under another file name (renamed), keeping its version information and hashes. */
  renamed(name: string, folder: string): Image {
    return new Image(name, folder, this.meta, `${this.name.toLowerCase()}|${this.meta.company}|${this.meta.version}`);
  }
}

const SYS32 = 'C:\\Windows\\System32';
const WIN_VER = '10.0.26100.3476';
const win = (description: string, size: number, original?: string): ImageMeta => ({
  company: 'Microsoft Corporation',
  product: 'Microsoft® Windows® Operating System',
  version: WIN_VER,
  description,
  original,
  size,
  signer: 'OsVendor',
});
const ms = (product: string, version: string, description: string, size: number, original?: string): ImageMeta => ({
  company: 'Microsoft Corporation',
  product,
  version,
  description,
  original,
  size,
  signer: 'Microsoft',
});
const vendor = (company: string, product: string, version: string, description: string, size: number, original?: string): ImageMeta => ({
  company,
  product,
  version,
  description,
  original,
  size,
  signer: 'ThirdParty',
});

const OFFICE = 'C:\\Program Files\\Microsoft Office\\root\\Office16';
const OFFICE_VER = '16.0.18526.20168';
const CHROME = 'C:\\Program Files\\Google\\Chrome\\Application';
const EDGE = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application';
export const ACROBAT_DIR = 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat';
const DEFENDER_PLATFORM = 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0';

/** Every binary of the background, by a short key. */
export const IMG = {
  system: new Image('ntoskrnl.exe', SYS32, win('NT Kernel & System', 12_150_080)),
  smss: new Image('smss.exe', SYS32, win('Windows Session Manager', 155_648)),
  wininit: new Image('wininit.exe', SYS32, win('Windows Start-Up Application', 471_040)),
  services: new Image('services.exe', SYS32, win('Services and Controller app', 733_184)),
  lsass: new Image('lsass.exe', SYS32, win('Local Security Authority Process', 90_112)),
  winlogon: new Image('winlogon.exe', SYS32, win('Windows Logon Application', 905_216)),
  userinit: new Image('userinit.exe', SYS32, win('Userinit Logon Application', 36_864)),
  explorer: new Image('explorer.exe', 'C:\\Windows', win('Windows Explorer', 5_617_152)),
  svchost: new Image('svchost.exe', SYS32, win('Host Process for Windows Services', 57_360)),
  taskhostw: new Image('taskhostw.exe', SYS32, win('Host Process for Windows Tasks', 102_400)),
  runtimeBroker: new Image('RuntimeBroker.exe', SYS32, win('Runtime Broker', 139_264)),
  backgroundTaskHost: new Image('backgroundTaskHost.exe', SYS32, win('Background Task Host', 32_768)),
  searchProtocolHost: new Image('SearchProtocolHost.exe', SYS32, win('Microsoft Windows Search Protocol Host', 430_080)),
  wmiprvse: new Image('WmiPrvSE.exe', `${SYS32}\\wbem`, win('WMI Provider Host', 552_960)),
  dllhost: new Image('dllhost.exe', SYS32, win('COM Surrogate', 24_576)),
  conhost: new Image('conhost.exe', SYS32, win('Console Window Host', 958_464)),
  cmd: new Image('cmd.exe', SYS32, win('Windows Command Processor', 323_584, 'Cmd.Exe')),
  powershell: new Image('powershell.exe', `${SYS32}\\WindowsPowerShell\\v1.0`, win('Windows PowerShell', 455_680, 'PowerShell.EXE')),
  pwsh: new Image('pwsh.exe', 'C:\\Program Files\\PowerShell\\7', ms('PowerShell', '7.5.0', 'pwsh', 287_744)),
  consent: new Image('consent.exe', SYS32, win('Consent UI for administrative applications', 176_128)),
  msiexec: new Image('msiexec.exe', SYS32, win('Windows® installer', 69_632)),
  werfault: new Image('WerFault.exe', SYS32, win('Windows Problem Reporting', 569_856)),
  wsmprovhost: new Image('wsmprovhost.exe', SYS32, win('Host process for WinRM plug-ins', 65_536)),
  schtasks: new Image('schtasks.exe', SYS32, win('Task Scheduler Configuration Tool', 237_568)),
  gpupdate: new Image('gpupdate.exe', SYS32, win('Microsoft® Group Policy Update Utility', 36_864)),
  notepad: new Image('notepad.exe', SYS32, win('Notepad', 201_216)),
  mstsc: new Image('mstsc.exe', SYS32, win('Remote Desktop Connection', 1_396_736)),
  whoami: new Image('whoami.exe', SYS32, win('whoami - displays logged on user information', 73_728)),
  hostname: new Image('HOSTNAME.EXE', SYS32, win('Hostname APP', 14_848)),
  systeminfo: new Image('systeminfo.exe', SYS32, win('Displays system information', 98_304)),
  ipconfig: new Image('ipconfig.exe', SYS32, win('IP Configuration Utility', 36_864)),
  nltest: new Image('nltest.exe', SYS32, win('Microsoft® Logon Server Test Utility', 122_880)),
  reg: new Image('reg.exe', SYS32, win('Registry Console Tool', 77_824)),
  net: new Image('net.exe', SYS32, win('Net Command', 57_344)),
  net1: new Image('net1.exe', SYS32, win('Net Command', 176_128)),
  arp: new Image('ARP.EXE', SYS32, win('TCP/IP Arp Command', 32_768)),
  route: new Image('ROUTE.EXE', SYS32, win('TCP/IP Route Command', 24_064)),
  quser: new Image('quser.exe', SYS32, win('Query User Utility', 24_576)),
  icacls: new Image('icacls.exe', SYS32, win('icacls', 36_864)),
  wmic: new Image('WMIC.exe', `${SYS32}\\wbem`, win('WMI Commandline Utility', 571_392)),
  tar: new Image('tar.exe', SYS32, win('BSD tar archive tool', 65_024, 'bsdtar')),
  sc: new Image('sc.exe', SYS32, win('Service Control Manager Configuration Tool', 69_632)),
  msmpeng: new Image('MsMpEng.exe', DEFENDER_PLATFORM, ms('Microsoft® Windows® Operating System', '4.18.25010.11', 'Antimalware Service Executable', 133_336)),
  mpcmdrun: new Image('MpCmdRun.exe', DEFENDER_PLATFORM, ms('Microsoft® Windows® Operating System', '4.18.25010.11', 'Microsoft Malware Protection Command Line Utility', 1_564_520)),
  mssense: new Image('MsSense.exe', 'C:\\Program Files\\Windows Defender Advanced Threat Protection', ms('Microsoft® Windows® Operating System', '10.8760.26100.3476', 'Windows Defender Advanced Threat Protection Service Executable', 3_211_264)),
  chrome: new Image('chrome.exe', CHROME, vendor('Google LLC', 'Google Chrome', '134.0.6998.89', 'Google Chrome', 2_914_336)),
  msedge: new Image('msedge.exe', EDGE, ms('Microsoft Edge', '134.0.3124.66', 'Microsoft Edge', 4_106_808)),
  winword: new Image('WINWORD.EXE', OFFICE, ms('Microsoft Office', OFFICE_VER, 'Microsoft Word', 1_630_616, 'WinWord.exe')),
  excel: new Image('EXCEL.EXE', OFFICE, ms('Microsoft Office', OFFICE_VER, 'Microsoft Excel', 69_920_664, 'Excel.exe')),
  powerpnt: new Image('POWERPNT.EXE', OFFICE, ms('Microsoft Office', OFFICE_VER, 'Microsoft PowerPoint', 1_903_512, 'PowerPnt.exe')),
  outlook: new Image('OUTLOOK.EXE', OFFICE, ms('Microsoft Outlook', OFFICE_VER, 'Microsoft Outlook', 44_162_968, 'Outlook.exe')),
  clickToRun: new Image('OfficeClickToRun.exe', 'C:\\Program Files\\Common Files\\microsoft shared\\ClickToRun', ms('Microsoft Office', OFFICE_VER, 'Microsoft Office Click-to-Run', 12_871_576)),
  teams: new Image('ms-teams.exe', 'C:\\Program Files\\WindowsApps\\MSTeams_25044.2208.3471.2155_x64__8wekyb3d8bbwe', ms('Microsoft Teams', '25044.2208.3471.2155', 'Microsoft Teams', 4_003_896)),
  onedrive: new Image('OneDrive.exe', 'C:\\Program Files\\Microsoft OneDrive', ms('Microsoft OneDrive', '25.020.0202.0001', 'Microsoft OneDrive', 3_583_032)),
  code: new Image('Code.exe', 'C:\\Program Files\\Microsoft VS Code', ms('Visual Studio Code', '1.98.2', 'Visual Studio Code', 177_502_048)),
  git: new Image('git.exe', 'C:\\Program Files\\Git\\cmd', vendor('The Git Development Community', 'Git', '2.48.1.windows.1', 'Git for Windows', 46_392)),
  node: new Image('node.exe', 'C:\\Program Files\\nodejs', vendor('Node.js', 'Node.js', '22.14.0', 'Node.js JavaScript Runtime', 84_993_408)),
  python: new Image('python.exe', 'C:\\Program Files\\Python312', vendor('Python Software Foundation', 'Python', '3.12.9', 'Python', 103_192)),
  googleUpdate: new Image('GoogleUpdate.exe', 'C:\\Program Files (x86)\\Google\\Update', vendor('Google LLC', 'Google Update', '1.3.36.452', 'Google Installer', 157_496)),
  edgeUpdate: new Image('MicrosoftEdgeUpdate.exe', 'C:\\Program Files (x86)\\Microsoft\\EdgeUpdate', ms('Microsoft Edge Update', '1.3.195.43', 'Microsoft Edge Update', 217_032)),
  adobeArm: new Image('AdobeARM.exe', 'C:\\Program Files (x86)\\Common Files\\Adobe\\ARM\\1.0', vendor('Adobe Systems Incorporated', 'Adobe Reader and Acrobat Manager', '1.824.460.1042', 'Adobe Reader and Acrobat Manager', 1_556_392)),
  acrobat: new Image('Acrobat.exe', ACROBAT_DIR, vendor('Adobe Systems Incorporated', 'Adobe Acrobat', '25.1.20432.0', 'Adobe Acrobat', 6_617_944)),
  sqlservr: new Image('sqlservr.exe', 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn', ms('Microsoft SQL Server', '2022.160.4175.1', 'SQL Server Windows NT - 64 Bit', 520_632)),
  w3wp: new Image('w3wp.exe', `${SYS32}\\inetsrv`, win('IIS Worker Process', 29_696)),
  dns: new Image('dns.exe', SYS32, win('Domain Name System (DNS) Server', 2_023_424)),
  dfsrs: new Image('dfsrs.exe', SYS32, win('Distributed File System Replication', 3_092_480)),
  mdiSensor: new Image('Microsoft.Tri.Sensor.exe', 'C:\\Program Files\\Azure Advanced Threat Protection Sensor\\2.241.18312.45830', ms('Microsoft Defender for Identity', '2.241.18312.45830', 'Microsoft.Tri.Sensor', 1_004_032)),
  rclone: new Image('rclone.exe', 'C:\\Program Files\\rclone', vendor('https://rclone.org', 'Rclone', '1.69.1', 'Rsync for cloud storage', 62_574_080)),
} as const;

/** The four signed hosts and the DLLs the seed lists them side-loading, with the hosts' genuine folders. */
export const SIDELOAD_PAIRS = [
  {
    host: new Image('AcroServicesUpdater2_x64.exe', ACROBAT_DIR, vendor('Adobe Inc.', 'Adobe Acrobat Services Updater', '25.1.20432.0', 'Acrobat Services Updater', 2_214_504)),
    dll: 'msi.dll',
  },
  {
    host: new Image('ADNotificationManager.exe', ACROBAT_DIR, vendor('Adobe Inc.', 'Adobe Acrobat Notification Manager', '25.1.20432.0', 'Adobe Notification Manager', 1_082_440)),
    dll: 'vcruntime140_1.dll',
  },
  {
    host: new Image('DlpUserAgent.exe', 'C:\\Program Files\\Windows Defender', ms('Microsoft® Windows® Operating System', '4.18.25010.11', 'Microsoft Data Loss Prevention User Agent', 606_040)),
    dll: 'mpclient.dll',
  },
  {
    host: IMG.werfault,
    dll: 'Faultrep.dll',
  },
] as const;

/** System DLLs that signed processes load from System32 (DeviceImageLoadEvents background). */
export const SYSTEM_DLLS: readonly Image[] = [
  ['ntdll.dll', 'NT Layer DLL', 2_490_368],
  ['kernel32.dll', 'Windows NT BASE API Client DLL', 819_200],
  ['KernelBase.dll', 'Windows NT BASE API Client DLL', 4_063_232],
  ['user32.dll', 'Multi-User Windows USER API Client DLL', 1_884_160],
  ['advapi32.dll', 'Advanced Windows 32 Base API', 724_992],
  ['ws2_32.dll', 'Windows Socket 2.0 32-Bit DLL', 520_192],
  ['crypt32.dll', 'Crypto API32', 1_630_208],
  ['winhttp.dll', 'Windows HTTP Services', 1_122_304],
  ['dnsapi.dll', 'DNS Client API DLL', 757_760],
  ['wininet.dll', 'Internet Extensions for Win32', 5_292_032],
  ['amsi.dll', 'Anti-Malware Scan Interface', 102_400],
  ['rpcrt4.dll', 'Remote Procedure Call Runtime', 1_155_072],
  ['msi.dll', 'Windows Installer', 3_407_872],
  ['vcruntime140_1.dll', 'Microsoft® C Runtime Library', 49_744],
  ['mpclient.dll', 'Client Interface', 1_871_872],
  ['faultrep.dll', 'Windows Error Reporting User Mode DLL', 819_200],
  ['samlib.dll', 'SAM Library DLL', 159_744],
  ['netapi32.dll', 'Net Win32 API DLL', 110_592],
  ['wldap32.dll', 'Win32 LDAP API DLL', 421_888],
].map(([name, description, size]) => new Image(name as string, SYS32, win(description as string, size as number)));

export const SYSTEM_DLL = new Map(SYSTEM_DLLS.map(d => [d.name.toLowerCase(), d]));
