// DeviceRegistryEvents background: Explorer's per-user bookkeeping (UserAssist, RecentDocs, the
// MuiCache under Local Settings), Office MRU lists, services and Defender updating HKLM, and
// installers registering products under Uninstall.
import { SEC } from '../format.js';
import type { Device, Proc, User } from '../org.js';
import { regEv } from '../rows.js';
import type { Ctx } from './context.js';

const rot13 = (s: string) => s.replace(/[a-z]/gi, c => String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (c <= 'Z' ? 65 : 97)));

const USERASSIST_APPS = [
  '{6D809377-6AF0-444B-8957-A3773F02200E}\\Google\\Chrome\\Application\\chrome.exe',
  '{7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E}\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
  '{7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E}\\Microsoft Office\\root\\Office16\\EXCEL.EXE',
  'Microsoft.Windows.Explorer',
  'MSTeams_8wekyb3d8bbwe!MSTeams',
  '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\notepad.exe',
];

/** Explorer recording what the user opened. */
export function explorerBookkeeping(ctx: Ctx, dev: Device, k: number, explorer: Proc, user: User): void {
  const { rng } = ctx;
  const hkcu = `HKEY_CURRENT_USER\\${user.sid}`;
  switch (rng.int(4)) {
    case 0:
      ctx.emit(regEv(dev, k, explorer, `${hkcu}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\UserAssist\\{CEBFF5CD-ACE2-4F4F-9178-9926F41749EA}\\Count`, {
        type: 'Binary',
        name: rot13(rng.pick(USERASSIST_APPS)),
        data: rng.hex(144).toUpperCase(),
      }));
      return;
    case 1:
      ctx.emit(regEv(dev, k, explorer, `${hkcu}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\.${rng.pick(['docx', 'xlsx', 'pdf', 'pptx'])}`, {
        type: 'Binary',
        name: String(rng.int(40)),
        data: rng.hex(96).toUpperCase(),
      }));
      return;
    case 2:
      // The MuiCache lives under the same Local Settings key the loader abuses (query E's near miss:
      // a different value name).
      ctx.emit(regEv(dev, k, explorer, `${hkcu}\\SOFTWARE\\Classes\\Local Settings\\Software\\Microsoft\\Windows\\Shell\\MuiCache`, {
        type: 'String',
        name: `${rng.pick(['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Windows\\System32\\notepad.exe', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE'])}.FriendlyAppName`,
        data: rng.pick(['Google Chrome', 'Notepad', 'Microsoft Word']),
      }));
      return;
    default:
      ctx.emit(regEv(dev, k, explorer, `${hkcu}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\FeatureUsage\\AppSwitched`, {
        type: 'Dword',
        name: rng.pick(['Microsoft.Windows.Explorer', 'MSEdge', 'Chrome', 'Microsoft.Office.WINWORD.EXE.15', 'MSTeams_8wekyb3d8bbwe!MSTeams']),
        data: String(rng.int(900)),
      }));
  }
}

/** An Office app updating its most-recently-used list. */
export function officeMru(ctx: Ctx, dev: Device, k: number, office: Proc, user: User, app: string, file: string): void {
  ctx.emit(regEv(dev, k, office, `HKEY_CURRENT_USER\\${user.sid}\\SOFTWARE\\Microsoft\\Office\\16.0\\${app}\\User MRU\\AD_${ctx.rng.hex(32).toUpperCase()}\\File MRU`, {
    type: 'String',
    name: 'Item 1',
    data: `[F00000000][T01DB${ctx.rng.hex(11).toUpperCase()}][O00000000]*${file}`,
  }));
}

/** Services and Defender updating machine-wide state. */
export function systemRegistry(ctx: Ctx, dev: Device, k: number): void {
  const { rng } = ctx;
  const pr = dev.procs;
  switch (rng.int(3)) {
    case 0:
      ctx.emit(regEv(dev, k, pr.msmpeng, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates', {
        type: 'Binary',
        name: rng.pick(['SignaturesLastUpdated', 'AVSignatureApplied', 'ASSignatureApplied']),
        data: rng.hex(16).toUpperCase(),
      }));
      return;
    case 1:
      ctx.emit(regEv(dev, k, pr.svcNetsvcs, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Orchestrator', {
        type: 'Qword',
        name: rng.pick(['LastScanTime', 'LastOnlineScanTimeForAppCategory', 'ScanSuccessTime']),
        data: String(133_800_000_000_000_000 + rng.int(1_000_000_000)),
      }));
      return;
    default:
      ctx.emit(regEv(dev, k, pr.svcLocalService, 'HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\bam\\State\\UserSettings\\S-1-5-18', {
        type: 'Binary',
        name: rng.pick(['\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe', '\\Device\\HarddiskVolume3\\Windows\\System32\\taskhostw.exe']),
        data: rng.hex(48).toUpperCase(),
      }));
  }
}

/** An installer registering a product: the Uninstall entry and its values. */
export function registerProduct(ctx: Ctx, dev: Device, k: number, msiexec: Proc, product: { name: string; version: string; publisher: string; dir: string }): number {
  const { rng } = ctx;
  const guid = `{${rng.guid().toUpperCase()}}`;
  const key = `HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${guid}`;
  let t = k;
  ctx.emit(regEv(dev, t, msiexec, key, { action: 'RegistryKeyCreated' }));
  const values: [string, 'String' | 'Dword' | 'ExpandString', string][] = [
    ['DisplayName', 'String', product.name],
    ['DisplayVersion', 'String', product.version],
    ['Publisher', 'String', product.publisher],
    ['InstallLocation', 'String', product.dir + '\\'],
    ['UninstallString', 'ExpandString', `MsiExec.exe /X${guid}`],
    ['EstimatedSize', 'Dword', String(10_000 + rng.int(400_000))],
  ];
  for (const [name, type, data] of values) {
    t += rng.int(SEC / 2);
    ctx.emit(regEv(dev, t, msiexec, key, { type, name, data }));
  }
  return t;
}
