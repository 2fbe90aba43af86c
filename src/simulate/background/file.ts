// DeviceFileEvents background: documents saved in OneDrive, browser downloads, temp files,
// installers writing under Program Files, app updates in AppData, PowerShell's history file being
// appended, and users' SMB writes on the file server.
import type { Image } from '../catalog.js';
import { MIN, SEC } from '../format.js';
import { hashHex } from '../prng.js';
import type { Device, Proc, User } from '../org.js';
import { fileEv } from '../rows.js';
import type { Ctx } from './context.js';

const DOC_STEMS = [
  'Budget', 'Project plan', 'Quarterly review', 'Meeting notes', 'Sales forecast', 'Roadmap', 'Invoice', 'Contract draft', 'Travel request', 'Onboarding checklist',
  'Customer list', 'Status report', 'Design spec', 'Expense report', 'Board deck', 'Training', 'Inventory', 'Timesheet', 'Proposal', 'Release notes',
];
const DOC_EXT = ['docx', 'xlsx', 'pptx', 'pdf'] as const;

export function documentName(ctx: Ctx, ext?: string): string {
  const { rng } = ctx;
  return `${rng.pick(DOC_STEMS)} ${rng.pick(['2025', '2026', 'Q1', 'Q2', 'v2', 'final', 'draft', 'March'])}.${ext ?? rng.pick(DOC_EXT)}`;
}

export function userHome(user: User): string {
  return `C:\\Users\\${user.sam}`;
}

/** An Office app saves a document (a temp file, then the document). */
export function saveDocument(ctx: Ctx, dev: Device, k: number, p: Proc, user: User, ext: string): void {
  const { rng } = ctx;
  const name = documentName(ctx, ext);
  const folder = `${userHome(user)}\\OneDrive - Contoso\\${rng.pick(['Documents', 'Desktop', 'Projects', 'Shared'])}`;
  const tmp = `${folder}\\~$${name.slice(2)}`;
  ctx.emit(fileEv(dev, k, p, tmp, { action: 'FileCreated', size: 162 }));
  ctx.emit(fileEv(dev, k + rng.int(30 * SEC), p, `${folder}\\${name}`, { action: rng.chance(0.7) ? 'FileModified' : 'FileCreated', size: 20_000 + rng.int(3_000_000), sha256: rng.hex(64) }));
  if (rng.chance(0.6)) ctx.emit(fileEv(dev, k + 40 * SEC + rng.int(5 * MIN), p, tmp, { action: 'FileDeleted' }));
}

const DOWNLOADS: readonly (readonly [string, string, number])[] = [
  ['pdf', 'https://contoso.sharepoint.com/sites/finance/Shared%20Documents/', 40],
  ['pdf', 'https://www.adobe.com/content/dam/', 5],
  ['docx', 'https://contoso-my.sharepoint.com/personal/', 15],
  ['xlsx', 'https://contoso.my.salesforce.com/servlet/', 10],
  ['png', 'https://www.bing.com/images/', 8],
  ['csv', 'https://wd5.myworkday.com/contoso/', 6],
  ['zip', 'https://github.com/', 4],
  ['msi', 'https://dl.google.com/', 2],
  ['exe', 'https://download.mozilla.org/', 2],
];

/** A browser download into the user's Downloads folder. Executables and archives are held back in quiet windows. */
export function download(ctx: Ctx, dev: Device, k: number, browser: Proc, user: User): void {
  const { rng } = ctx;
  const [ext, base] = rng.weighted(DOWNLOADS.map(d => [[d[0], d[1]] as const, d[2]] as const));
  const risky = ext === 'zip' || ext === 'exe' || ext === 'msi';
  if (risky && ctx.quiet.deviceQuietSpan(dev.index, k - 20 * MIN, k + 20 * MIN)) return;
  const name = ext === 'exe' ? rng.pick(['Firefox Setup 136.0.exe', 'npp.8.7.8.Installer.x64.exe', 'vlc-3.0.21-win64.exe']) : ext === 'msi' ? 'GoogleChromeStandaloneEnterprise64.msi' : documentName(ctx, ext);
  const path = `${userHome(user)}\\Downloads\\${name}`;
  const sha = hashHex(name + base, 64);
  ctx.emit(fileEv(dev, k, browser, path, { action: 'FileCreated', sha256: sha, size: 30_000 + rng.int(risky ? 90_000_000 : 4_000_000), originUrl: base + encodeURIComponent(name), referrerUrl: base }));
}

/** Short-lived temp files. */
export function tempFile(ctx: Ctx, dev: Device, k: number, p: Proc, user?: User): void {
  const { rng } = ctx;
  const dir = user ? `${userHome(user)}\\AppData\\Local\\Temp` : 'C:\\Windows\\Temp';
  const path = `${dir}\\${rng.pick(['tmp', 'wct', 'msohtmlclip', '~DF', 'chrome_drag'])}${rng.hex(4).toUpperCase()}.${rng.pick(['tmp', 'tmp', 'log', 'etl', 'dat'])}`;
  ctx.emit(fileEv(dev, k, p, path, { action: 'FileCreated', size: rng.int(200_000) }));
  if (rng.chance(0.7)) ctx.emit(fileEv(dev, k + rng.int(10 * MIN), p, path, { action: 'FileDeleted' }));
}

/** An installer (msiexec) laying out a product under Program Files. */
export function installFiles(ctx: Ctx, dev: Device, k: number, msiexec: Proc, product: { dir: string; files: readonly string[] }): number {
  const { rng } = ctx;
  let t = k;
  for (const f of product.files) {
    t += rng.int(2 * SEC);
    const path = `${product.dir}\\${f}`;
    ctx.emit(fileEv(dev, t, msiexec, path, { action: 'FileCreated', sha256: hashHex(path, 64), size: 20_000 + rng.int(8_000_000) }));
  }
  return t;
}

/** A self-updating per-user app rewriting its executable under AppData\Roaming (Zoom-style). */
export function roamingAppUpdate(ctx: Ctx, dev: Device, k: number, p: Proc, user: User, exe: Image): void {
  if (ctx.quiet.deviceQuietSpan(dev.index, k - 20 * MIN, k + 20 * MIN)) return;
  ctx.emit(fileEv(dev, k, p, `${userHome(user)}\\AppData\\Roaming\\Zoom\\bin\\${exe.name}`, { action: 'FileModified', image: exe }));
}

/** PowerShell appending to the user's command history (FileModified, never deleted in the background). */
export function consoleHistory(ctx: Ctx, dev: Device, k: number, ps: Proc, user: User): void {
  ctx.emit(
    fileEv(dev, k, ps, `${userHome(user)}\\AppData\\Roaming\\Microsoft\\Windows\\PowerShell\\PSReadLine\\ConsoleHost_history.txt`, {
      action: 'FileModified',
      size: 2_000 + ctx.rng.int(60_000),
    }),
  );
}

/** A user saving a file to a share on the file server (the server's view: SMB from the user's workstation). */
export function shareWrite(ctx: Ctx, fs: Device, k: number, user: User, from: Device): void {
  const { rng } = ctx;
  const share = rng.pick(['Finance', 'HR', 'Projects', 'Sales', 'Public', 'Engineering']);
  ctx.emit(
    fileEv(fs, k, fs.procs.system, `D:\\Shares\\${share}\\${documentName(ctx)}`, {
      action: rng.chance(0.7) ? 'FileModified' : 'FileCreated',
      size: 10_000 + rng.int(5_000_000),
      shareName: share,
      requestAccount: user.account,
      requestIp: from.ip,
    }),
  );
}
