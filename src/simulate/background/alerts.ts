// AlertInfo and AlertEvidence: the builder the scenarios use for the alerts Defender raises on them,
// and background alerts of other kinds (unwanted software, malicious mail removed after delivery,
// unfamiliar sign-in properties, impossible travel).
import type { User, Device } from '../org.js';
import { HOUR, MIN } from '../format.js';
import type { RowSet } from '../labels.js';
import type { Rng } from '../prng.js';
import { objEv } from '../rows.js';
import { T, type Ev } from '../writer.js';
import type { Ctx } from './context.js';

export type ServiceSource = 'Microsoft Defender for Endpoint' | 'Microsoft Defender for Office 365' | 'Microsoft Defender for Identity' | 'Microsoft Entra ID Protection' | 'Microsoft Defender for Cloud Apps';

export interface Evidence {
  entityType: 'User' | 'Machine' | 'Process' | 'File' | 'Ip' | 'Url' | 'CloudApplication' | 'MailMessage' | 'RegistryValue';
  role?: 'Impacted' | 'Related';
  fields?: Record<string, unknown>;
  /** AdditionalFields, written as JSON text (the column is a string). */
  additional?: Record<string, unknown>;
}

export interface AlertSpec {
  title: string;
  category: string;
  severity: 'Informational' | 'Low' | 'Medium' | 'High';
  service: ServiceSource;
  detection: string;
  techniques: string[];
  evidence: Evidence[];
}

export function alertId(rng: Rng, service: ServiceSource): string {
  switch (service) {
    case 'Microsoft Defender for Endpoint':
      return `da${rng.range(100_000_000, 999_999_999)}${rng.range(100_000_000, 999_999_999)}_${-rng.range(100_000_000, 2_000_000_000)}`;
    case 'Microsoft Defender for Office 365':
      return `fa${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
    case 'Microsoft Defender for Identity':
      return `aa${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
    case 'Microsoft Entra ID Protection':
      return `ad${rng.hex(32)}`;
    default:
      return `ca${rng.hex(32)}`;
  }
}

export function userEvidence(u: User, role: Evidence['role'] = 'Impacted'): Evidence {
  return { entityType: 'User', role, fields: { AccountName: u.sam, AccountDomain: 'contoso', AccountSid: u.sid, AccountObjectId: u.oid, AccountUpn: u.upn } };
}

export function machineEvidence(d: Device): Evidence {
  return { entityType: 'Machine', role: 'Impacted', fields: { DeviceId: d.id, DeviceName: d.name, LocalIP: d.ip } };
}

/** The AlertInfo row and the AlertEvidence rows of one alert. */
export function alertEvs(k: number, id: string, a: AlertSpec, g?: RowSet): Ev[] {
  const techniques = JSON.stringify(a.techniques);
  const out: Ev[] = [
    objEv(k, T.AlertInfo, { AlertId: id, Title: a.title, Category: a.category, Severity: a.severity, ServiceSource: a.service, DetectionSource: a.detection, AttackTechniques: techniques }, g, id),
  ];
  for (const e of a.evidence) {
    out.push(objEv(k, T.AlertEvidence, {
      AlertId: id,
      Title: a.title,
      Categories: JSON.stringify([a.category]),
      AttackTechniques: techniques,
      ServiceSource: a.service,
      DetectionSource: a.detection,
      EntityType: e.entityType,
      EvidenceRole: e.role ?? 'Related',
      ...e.fields,
      AdditionalFields: JSON.stringify(e.additional ?? {}),
      Severity: a.severity,
    }, g, id));
  }
  return out;
}

/** A day's alerts of other kinds, at random times, on random people and devices. */
export function backgroundAlerts(ctx: Ctx, dayStart: number): void {
  const { org, rng } = ctx;
  const n = rng.poisson(Math.max(0.7, org.people.length / 150));
  for (let i = 0; i < n; i++) {
    const k = dayStart + 7 * HOUR + rng.int(11 * HOUR);
    const user = org.people[rng.int(org.people.length)]!;
    const dev = user.device!;
    const kind = rng.int(4);
    let spec: AlertSpec;
    if (kind === 0) {
      spec = {
        title: "'BundleInstaller' unwanted software was detected",
        category: 'UnwantedSoftware',
        severity: 'Low',
        service: 'Microsoft Defender for Endpoint',
        detection: 'Antivirus',
        techniques: [],
        evidence: [machineEvidence(dev), userEvidence(user), { entityType: 'File', role: 'Impacted', fields: { FileName: 'FreePDFConverterSetup.exe', FolderPath: `C:\\Users\\${user.sam}\\Downloads\\FreePDFConverterSetup.exe`, SHA256: rng.hex(64), DeviceId: dev.id, DeviceName: dev.name }, additional: { DetectionStatus: 'Prevented' } }],
      };
    } else if (kind === 1) {
      spec = {
        title: 'Email messages containing malicious URL removed after delivery',
        category: 'InitialAccess',
        severity: 'Informational',
        service: 'Microsoft Defender for Office 365',
        detection: 'Microsoft Defender for Office 365',
        techniques: ['Phishing (T1566)'],
        evidence: [userEvidence(user), { entityType: 'MailMessage', role: 'Impacted', fields: { NetworkMessageId: rng.guid(), EmailSubject: 'Action required: password expiry', AccountUpn: user.upn }, additional: { Recipient: user.upn, DeliveryAction: 'Delivered', LatestDeliveryLocation: 'Deleted Items' } }],
      };
    } else if (kind === 2) {
      spec = {
        title: 'Unfamiliar sign-in properties',
        category: 'InitialAccess',
        severity: 'Low',
        service: 'Microsoft Entra ID Protection',
        detection: 'Microsoft Entra ID Protection',
        techniques: ['Valid Accounts (T1078)'],
        evidence: [userEvidence(user), { entityType: 'Ip', role: 'Related', fields: { RemoteIP: `185.${rng.range(1, 254)}.${rng.range(1, 254)}.${rng.range(1, 254)}` }, additional: { CountryCode: rng.pick(['DE', 'FR', 'ES', 'PL']) } }],
      };
    } else {
      spec = {
        title: 'Impossible travel activity',
        category: 'InitialAccess',
        severity: 'Medium',
        service: 'Microsoft Defender for Cloud Apps',
        detection: 'Microsoft Defender for Cloud Apps',
        techniques: ['Valid Accounts (T1078)'],
        evidence: [userEvidence(user), { entityType: 'CloudApplication', role: 'Related', fields: { Application: 'Microsoft Exchange Online', ApplicationId: 20893 } }],
      };
    }
    for (const ev of alertEvs(k + rng.int(30 * MIN), alertId(rng, spec.service), spec)) ctx.emit(ev);
  }
}
