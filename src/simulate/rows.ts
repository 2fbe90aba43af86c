// Row builders: the properties text of one Defender row per call, from prebuilt fragments (device,
// image, account, initiating process) and the event's own values. Columns with no value are left
// out (ingestion reads them as empty strings / nulls). Used by the background and the scenarios alike.
import type { Image } from './catalog.js';
import { ascii, J } from './format.js';
import type { RowSet } from './labels.js';
import { type Account, type Device, type Org, Proc } from './org.js';
import type { Rng } from './prng.js';
import { T, type Ev } from './writer.js';

const SIGNER: Record<string, string> = { OsVendor: 'OsVendor', Microsoft: 'Microsoft', ThirdParty: 'ThirdParty', Unsigned: 'Unsigned' };

/** Starts a process (the Proc; write its creation with procEv). */
export function spawn(
  org: Org,
  rng: Rng,
  image: Image,
  cmd: string,
  k: number,
  parent: Proc,
  account: Account = parent.account,
  integrity: Proc['integrity'] = parent.integrity,
  elevation: Proc['elevation'] = parent.elevation,
): Proc {
  return new Proc(image, 4 * rng.range(100, 16000), cmd, k, org.clock.fmt(k), parent, account, integrity, elevation, parent.session, account === parent.account ? parent.logonId : rng.range(0x100000, 0x7fffffff));
}

/** DeviceProcessEvents: the creation of `p` (at p.created). */
export function procEv(dev: Device, p: Proc, g?: RowSet): Ev {
  const parent = p.parent!;
  const b =
    dev.frag +
    ',"ActionType":"ProcessCreated",' +
    p.image.procFrag +
    ',"ProcessId":' + p.pid +
    ',"ProcessCommandLine":' + p.jCmd +
    ',"ProcessIntegrityLevel":"' + p.integrity +
    '","ProcessTokenElevation":"' + p.elevation +
    '","ProcessCreationTime":"' + p.createdText + '",' +
    p.account.acctFrag +
    ',"LogonId":' + p.logonId + ',' +
    parent.ipFragFull +
    ',"InitiatingProcessLogonId":' + parent.logonId +
    ',"InitiatingProcessSignerType":"' + (SIGNER[parent.image.meta.signer ?? 'Unsigned'] ?? 'Unsigned') +
    '","InitiatingProcessSignatureStatus":"' + (parent.image.meta.signer === 'Unsigned' ? 'Unsigned' : 'Valid') +
    '","CreatedProcessSessionId":' + p.session +
    ',"IsProcessRemoteSession":false';
  return { k: p.created, t: T.Process, b, g };
}

export interface NetOptions {
  action?: string;
  /** The remote URL, JSON-encoded (omitted when empty). */
  jUrl?: string;
  protocol?: 'Tcp' | 'Udp';
  remoteType?: 'Public' | 'Private' | 'Loopback';
  localIp?: string;
  localPort?: number;
  additional?: string;
}

/** DeviceNetworkEvents: a connection made (or accepted) by process `p`. */
export function netEv(dev: Device, k: number, p: Proc, remoteIp: string, remotePort: number, o: NetOptions, rng: Rng, g?: RowSet): Ev {
  const b =
    dev.frag +
    ',"ActionType":"' + (o.action ?? 'ConnectionSuccess') +
    '","RemoteIP":"' + remoteIp +
    '","RemotePort":' + remotePort +
    (o.jUrl ? ',"RemoteUrl":' + o.jUrl : '') +
    ',"LocalIP":"' + (o.localIp ?? dev.ip) +
    '","LocalPort":' + (o.localPort ?? 49152 + rng.int(16000)) +
    ',"Protocol":"' + (o.protocol ?? 'Tcp') +
    '","LocalIPType":"Private","RemoteIPType":"' + (o.remoteType ?? 'Public') + '",' +
    p.ipFrag +
    (o.additional ? ',"AdditionalFields":' + J(o.additional) : '');
  return { k, t: T.Network, b, g };
}

export interface FileOptions {
  action?: 'FileCreated' | 'FileModified' | 'FileDeleted' | 'FileRenamed';
  /** Hashes: an Image (its hashes and size), or explicit hex strings. */
  image?: Image;
  sha256?: string;
  sha1?: string;
  md5?: string;
  size?: number;
  originUrl?: string;
  referrerUrl?: string;
  originIp?: string;
  previousPath?: string;
  previousName?: string;
  shareName?: string;
  requestAccount?: Account;
  requestIp?: string;
}

/** DeviceFileEvents: `p` creates (modifies, deletes, renames) the file at `path` (FolderPath is the full path, as Defender writes it). */
export function fileEv(dev: Device, k: number, p: Proc, path: string, o: FileOptions, g?: RowSet): Ev {
  const name = path.slice(path.lastIndexOf('\\') + 1);
  let b = dev.frag + ',"ActionType":"' + (o.action ?? 'FileCreated') + '","FileName":' + J(name) + ',"FolderPath":' + J(path);
  if (o.image) b += ',"SHA1":"' + o.image.sha1 + '","SHA256":"' + o.image.sha256 + '","MD5":"' + o.image.md5 + '","FileSize":' + o.image.meta.size;
  else {
    if (o.sha1) b += ',"SHA1":"' + o.sha1 + '"';
    if (o.sha256) b += ',"SHA256":"' + o.sha256 + '"';
    if (o.md5) b += ',"MD5":"' + o.md5 + '"';
    if (o.size !== undefined) b += ',"FileSize":' + o.size;
  }
  if (o.originUrl) b += ',"FileOriginUrl":' + J(o.originUrl);
  if (o.referrerUrl) b += ',"FileOriginReferrerUrl":' + J(o.referrerUrl);
  if (o.originIp) b += ',"FileOriginIP":"' + o.originIp + '"';
  if (o.previousPath) b += ',"PreviousFolderPath":' + J(o.previousPath);
  if (o.previousName) b += ',"PreviousFileName":' + J(o.previousName);
  if (o.shareName) b += ',"ShareName":' + J(o.shareName) + ',"RequestProtocol":"SMB"';
  if (o.requestAccount) b += ',"RequestAccountName":' + J(o.requestAccount.name) + ',"RequestAccountDomain":' + J(o.requestAccount.domain) + ',"RequestAccountSid":' + J(o.requestAccount.sid);
  if (o.requestIp) b += ',"RequestSourceIP":"' + o.requestIp + '"';
  b += ',' + p.ipFrag;
  return { k, t: T.File, b, g };
}

export interface RegOptions {
  action?: 'RegistryValueSet' | 'RegistryKeyCreated' | 'RegistryValueDeleted' | 'RegistryKeyDeleted';
  type?: 'String' | 'Dword' | 'Qword' | 'Binary' | 'ExpandString' | 'MultiString';
  name?: string;
  data?: string;
  previous?: string;
}

/** DeviceRegistryEvents: `p` writes `key` (full key path, HKEY_... form). */
export function regEv(dev: Device, k: number, p: Proc, key: string, o: RegOptions, g?: RowSet): Ev {
  let b = dev.frag + ',"ActionType":"' + (o.action ?? 'RegistryValueSet') + '","RegistryKey":' + J(key);
  if (o.type) b += ',"RegistryValueType":"' + o.type + '"';
  if (o.name !== undefined) b += ',"RegistryValueName":' + J(o.name);
  if (o.data !== undefined) b += ',"RegistryValueData":' + J(o.data);
  if (o.previous !== undefined) b += ',"PreviousRegistryValueData":' + J(o.previous);
  b += ',' + p.ipFrag;
  return { k, t: T.Registry, b, g };
}

/** DeviceImageLoadEvents: `p` loads `dll`. */
export function imgEv(dev: Device, k: number, p: Proc, dll: Image, g?: RowSet): Ev {
  return { k, t: T.ImageLoad, b: dev.frag + ',"ActionType":"ImageLoaded",' + dll.fileFrag + ',' + p.ipFrag, g };
}

export interface LogonOptions {
  action?: 'LogonSuccess' | 'LogonFailed' | 'LogonAttempted';
  logonType: 'Interactive' | 'Network' | 'RemoteInteractive' | 'Unlock' | 'Service' | 'Batch' | 'CachedInteractive';
  protocol?: 'Kerberos' | 'NTLM' | 'Negotiate';
  failure?: string;
  isLocalAdmin?: boolean;
  logonId: number;
  remoteDevice?: string;
  remoteIp?: string;
  remotePort?: number;
}

/** DeviceLogonEvents: `account` logs on to `dev`, the logon handled by process `p` (lsass, winlogon, svchost). */
export function logonEv(dev: Device, k: number, p: Proc, account: Account, o: LogonOptions, g?: RowSet): Ev {
  let b =
    dev.frag +
    ',"ActionType":"' + (o.action ?? 'LogonSuccess') +
    '","LogonType":"' + o.logonType +
    '","AccountDomain":' + J(account.domain) + ',"AccountName":' + J(account.name) + ',"AccountSid":' + J(account.sid);
  if (o.protocol) b += ',"Protocol":"' + o.protocol + '"';
  if (o.failure) b += ',"FailureReason":' + J(o.failure);
  b += ',"IsLocalAdmin":' + (o.isLocalAdmin ?? false) + ',"LogonId":' + o.logonId;
  if (o.remoteDevice) b += ',"RemoteDeviceName":' + J(o.remoteDevice);
  if (o.remoteIp) b += ',"RemoteIP":"' + o.remoteIp + '","RemoteIPType":"' + (o.remoteIp.startsWith('10.') ? 'Private' : 'Public') + '"';
  if (o.remotePort !== undefined) b += ',"RemotePort":' + o.remotePort;
  b += ',' + p.ipFrag;
  return { k, t: T.Logon, b, g };
}

/** Any row from an object of column values (scenario rows, low-volume tables). Timestamp and ReportId are added by the writer. */
export function objEv(k: number, t: number, row: Record<string, unknown>, g?: RowSet, alertId?: string): Ev {
  const text = ascii(JSON.stringify(row));
  return { k, t, b: text.slice(1, -1), g, alertId };
}
