// MessageEvents, CloudAppEvents and EmailEvents: Teams chats (internal and cross-tenant), their audit
// records (ChatCreated with RawEventData.ChatThreadId, MessageSent), SharePoint and OneDrive file
// activity, and mail. Builders here are shared with the scenarios.
import { DOMAIN, type Org, type User } from '../org.js';
import { MIN, SEC } from '../format.js';
import type { RowSet } from '../labels.js';
import { objEv } from '../rows.js';
import { T, type Ev } from '../writer.js';
import type { Ctx } from './context.js';

export interface Person {
  readonly oid: string;
  readonly email: string;
  readonly display: string;
}

export function personOf(u: User): Person {
  return { oid: u.oid, email: u.upn, display: u.display };
}

export function oneOnOneThread(a: string, b: string): string {
  const [x, y] = a < b ? [a, b] : [b, a];
  return `19:${x}_${y}@unq.gbl.spaces`;
}

export interface TeamsMessage {
  sender: Person;
  recipients: readonly Person[];
  threadId: string;
  external: boolean;
  /** True when the thread belongs to this tenant (false for chats an external tenant started). */
  owned: boolean;
  group?: boolean;
  /** Verdicts on the message, when Defender for Office flagged it. */
  threat?: { types: string; confidence: Record<string, string>; methods: Record<string, string[]>; action: string };
}

export function messageEv(org: Org, k: number, m: TeamsMessage, g?: RowSet): Ev {
  const msgId = String(org.clock.originMs + Math.floor(k / 10_000));
  return objEv(k, T.Message, {
    TeamsMessageId: msgId,
    SenderEmailAddress: m.sender.email,
    SenderDisplayName: m.sender.display,
    SenderObjectId: m.sender.oid,
    SenderType: 'User',
    RecipientDetails: m.recipients.map(r => ({ RecipientObjectId: r.oid, RecipientSmtpAddress: r.email, RecipientUserDisplayName: r.display })),
    IsOwnedThread: m.owned,
    MessageId: msgId,
    ThreadId: m.threadId,
    ThreadSubtype: m.group ? 'GroupChat' : 'OneOnOneChat',
    IsExternalThread: m.external,
    MessageFormatType: 'RichText',
    MessageVersion: '1',
    ThreatTypes: m.threat?.types,
    DetectionMethods: m.threat?.methods,
    ConfidenceLevel: m.threat?.confidence,
    DeliveryAction: m.threat?.action ?? 'Delivered',
    DeliveryLocation: 'Teams',
  }, g);
}

export interface TeamsAudit {
  action: 'ChatCreated' | 'MessageSent' | 'MemberAdded' | 'MessageRead';
  actor: Person;
  actorExternal: boolean;
  threadId: string;
  members: readonly Person[];
  foreign: boolean;
  ip: string;
  group?: boolean;
}

/** A CloudAppEvents row for Microsoft Teams, with the audit record in RawEventData. */
export function teamsAuditEv(org: Org, k: number, a: TeamsAudit, g?: RowSet, rawAsText = false): Ev {
  const id = hexId(org, k, a.threadId + a.action + a.actor.oid);
  const raw = {
    CreationTime: org.clock.fmt(k).slice(0, 19),
    Id: id,
    Operation: a.action,
    OrganizationId: org.tenantId,
    RecordType: 25,
    UserKey: a.actor.oid,
    UserType: 0,
    Workload: 'MicrosoftTeams',
    ClientIP: a.ip,
    UserId: a.actor.email,
    ChatThreadId: a.threadId,
    CommunicationType: a.group ? 'GroupChat' : 'OneOnOne',
    Members: a.members.map(m => ({ DisplayName: m.display, Role: 1, UPN: m.email })),
    ParticipantInfo: { HasForeignTenantUsers: a.foreign, HasGuestUsers: false, HasOtherGovernmentUsers: false, HasUnauthenticatedUsers: false },
  };
  return objEv(k, T.CloudApp, {
    ActionType: a.action,
    Application: 'Microsoft Teams',
    ApplicationId: 11394,
    AccountObjectId: a.actor.oid,
    AccountId: a.actor.oid,
    AccountDisplayName: a.actor.display,
    IsAdminOperation: false,
    DeviceType: 'Desktop',
    OSPlatform: 'Windows',
    IPAddress: a.ip,
    IsAnonymousProxy: false,
    CountryCode: a.actorExternal ? undefined : 'NL',
    City: a.actorExternal ? undefined : 'Amsterdam',
    UserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36 Teams/25044.2208.3471.2155',
    ActivityType: a.action === 'ChatCreated' ? 'Create' : 'Basic',
    ActivityObjects: [{ Type: 'Chat', Role: 'Target object', Name: a.threadId, Id: a.threadId }],
    ObjectName: a.threadId,
    ObjectType: 'Chat',
    ObjectId: a.threadId,
    AccountType: 'Regular',
    IsExternalUser: a.actorExternal,
    IsImpersonated: false,
    IPTags: [],
    UserAgentTags: [],
    // Defender hands RawEventData over as an object; some exports carry it as JSON text.
    RawEventData: rawAsText ? JSON.stringify(raw) : raw,
    AdditionalFields: {},
  }, g);
}

function hexId(org: Org, k: number, text: string): string {
  let h = 0x811c9dc5 ^ k;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  const a = (h >>> 0).toString(16).padStart(8, '0');
  return `${a}-${org.tenantId.slice(9, 13)}-4${a.slice(0, 3)}-a${a.slice(3, 6)}-${org.tenantId.slice(24, 30)}${a.slice(2, 8)}`;
}

/** An internal chat between colleagues: a thread with a few messages, and their audit records. */
export function internalChat(ctx: Ctx, k: number, from: User, to: User): void {
  const { org, rng } = ctx;
  const threadId = oneOnOneThread(from.oid, to.oid);
  const a = personOf(from);
  const b = personOf(to);
  if (rng.chance(0.1)) ctx.emit(teamsAuditEv(org, k - 2 * SEC, { action: 'ChatCreated', actor: a, actorExternal: false, threadId, members: [a, b], foreign: false, ip: org.publicIp }));
  let t = k;
  for (let n = rng.range(1, 5); n > 0; n--) {
    const forward = rng.chance(0.6);
    const [s, r] = forward ? [a, b] : [b, a];
    const recipientUser = forward ? to : from;
    // The background keeps Teams messages away from users who are about to start a remote
    // session (query A joins any message to the recipient's launch within 30 minutes).
    if (!ctx.quiet.userQuiet(recipientUser.index, t)) {
      ctx.emit(messageEv(org, t, { sender: s, recipients: [r], threadId, external: false, owned: true }));
      if (rng.chance(0.5)) ctx.emit(teamsAuditEv(org, t + 300_000, { action: 'MessageSent', actor: s, actorExternal: false, threadId, members: [a, b], foreign: false, ip: org.publicIp }));
    }
    t += 10 * SEC + rng.int(4 * MIN);
  }
}

/** SharePoint and OneDrive file activity (CloudAppEvents). */
export function fileActivity(ctx: Ctx, k: number, user: User, fileName: string): void {
  const { org, rng } = ctx;
  const sp = rng.chance(0.5);
  const site = sp ? `https://contoso.sharepoint.com/sites/${rng.pick(['finance', 'hr', 'projects', 'sales', 'it'])}` : `https://contoso-my.sharepoint.com/personal/${user.sam.replace(/\./g, '_')}_contoso_com`;
  const action = rng.pick(['FileAccessed', 'FileAccessed', 'FileModified', 'FileUploaded', 'FileDownloaded']);
  const url = `${site}/Shared Documents/${fileName}`;
  ctx.emit(objEv(k, T.CloudApp, {
    ActionType: action,
    Application: sp ? 'Microsoft SharePoint Online' : 'Microsoft OneDrive for Business',
    ApplicationId: sp ? 20892 : 15600,
    AccountObjectId: user.oid,
    AccountId: user.oid,
    AccountDisplayName: user.display,
    IsAdminOperation: false,
    DeviceType: 'Desktop',
    OSPlatform: 'Windows',
    IPAddress: org.publicIp,
    IsAnonymousProxy: false,
    CountryCode: 'NL',
    City: 'Amsterdam',
    UserAgent: 'Microsoft Office Word/16.0 (Windows NT 10.0; Microsoft Windows 10.0.26100; en-US) PowerPoint/16.0',
    ActivityType: action === 'FileAccessed' || action === 'FileDownloaded' ? 'Basic' : 'Edit',
    ActivityObjects: [{ Type: 'File', Role: 'Target object', Name: fileName, Id: url }],
    ObjectName: url,
    ObjectType: 'File',
    AccountType: 'Regular',
    IsExternalUser: false,
    IsImpersonated: false,
    RawEventData: { Operation: action, Workload: sp ? 'SharePoint' : 'OneDrive', ObjectId: url, SourceFileName: fileName, SiteUrl: site + '/', UserId: user.upn, ClientIP: org.publicIp },
    AdditionalFields: {},
  }));
}

const SENDERS = [
  ['news@linkedin.com', 'LinkedIn', 'linkedin.com', 'Your weekly network update'],
  ['noreply@salesforce.com', 'Salesforce', 'salesforce.com', 'Opportunity updated'],
  ['invoices@fabrikam.com', 'Fabrikam Billing', 'fabrikam.com', 'Invoice INV-'],
  ['orders@northwindtraders.com', 'Northwind Orders', 'northwindtraders.com', 'Order confirmation #'],
  ['noreply@service-now.com', 'ServiceNow', 'service-now.com', 'Ticket updated INC00'],
  ['events@tailspintoys.com', 'Tailspin Events', 'tailspintoys.com', 'Invitation: quarterly partner sync'],
  ['no-reply@zoom.us', 'Zoom', 'zoom.us', 'Cloud recording available'],
] as const;

export interface Mail {
  from: { email: string; display: string; domain: string; ip: string };
  to: User;
  subject: string;
  direction: 'Inbound' | 'Intra-org' | 'Outbound';
  verdict: 'clean' | 'spam' | 'bulk' | 'phish';
  attachments?: number;
  urls?: number;
}

export function emailEv(org: Org, k: number, m: Mail, rngHex: string, g?: RowSet): Ev {
  const verdict = m.verdict;
  const delivered = verdict === 'clean' || verdict === 'bulk';
  return objEv(k, T.Email, {
    NetworkMessageId: `${rngHex.slice(0, 8)}-${rngHex.slice(8, 12)}-4${rngHex.slice(13, 16)}-a${rngHex.slice(17, 20)}-${rngHex.slice(20, 32)}`,
    InternetMessageId: `<${rngHex.slice(0, 20)}@${m.from.domain}>`,
    SenderMailFromAddress: m.from.email,
    SenderFromAddress: m.from.email,
    SenderDisplayName: m.from.display,
    SenderMailFromDomain: m.from.domain,
    SenderFromDomain: m.from.domain,
    SenderIPv4: m.from.ip,
    RecipientEmailAddress: m.to.upn,
    RecipientObjectId: m.to.oid,
    Subject: m.subject,
    EmailClusterId: parseInt(rngHex.slice(0, 12), 16),
    EmailDirection: m.direction,
    DeliveryAction: delivered ? 'Delivered' : verdict === 'spam' ? 'Junked' : 'Blocked',
    DeliveryLocation: verdict === 'clean' ? 'Inbox/folder' : verdict === 'bulk' ? 'Inbox/folder' : verdict === 'spam' ? 'Junk folder' : 'Quarantine',
    ThreatTypes: verdict === 'spam' ? 'Spam' : verdict === 'phish' ? 'Phish' : '',
    DetectionMethods: verdict === 'spam' ? '{"Spam":["Mixed analysis detection"]}' : verdict === 'phish' ? '{"Phish":["URL detonation reputation"]}' : '',
    ConfidenceLevel: verdict === 'clean' ? '{"Phish":null,"Spam":"Normal"}' : verdict === 'phish' ? '{"Phish":"High","Spam":null}' : '{"Phish":null,"Spam":"High"}',
    BulkComplaintLevel: verdict === 'bulk' ? 6 : 0,
    AuthenticationDetails: '{"SPF":"pass","DKIM":"pass","DMARC":"pass","CompAuth":"pass"}',
    AttachmentCount: m.attachments ?? 0,
    UrlCount: m.urls ?? 0,
    EmailLanguage: 'en',
    OrgLevelAction: verdict === 'phish' ? 'Quarantine' : '',
    LatestDeliveryLocation: verdict === 'clean' || verdict === 'bulk' ? 'Inbox/folder' : verdict === 'spam' ? 'Junk folder' : 'Quarantine',
    LatestDeliveryAction: delivered ? 'Delivered' : verdict === 'spam' ? 'Junked' : 'Blocked',
  }, g);
}

/** One hour of a person's mail. */
export function mailHour(ctx: Ctx, user: User, k0: number, end: number): void {
  const { org, rng } = ctx;
  for (let n = rng.poisson(1.1); n > 0; n--) {
    const k = k0 + rng.int(end - k0);
    if (rng.chance(0.35)) {
      const from = org.people[rng.int(org.people.length)]!;
      ctx.emit(emailEv(org, k, { from: { email: from.upn, display: from.display, domain: DOMAIN, ip: '' }, to: user, subject: rng.pick(['Re: ', 'FW: ', '']) + rng.pick(['Budget review', 'Team lunch', 'Project update', 'Slides for Monday', 'Question about the contract']), direction: 'Intra-org', verdict: 'clean', attachments: rng.chance(0.3) ? 1 : 0, urls: rng.int(3) }, rng.hex(32)));
      continue;
    }
    const [email, display, domain, subject] = rng.pick(SENDERS);
    const verdict = rng.weighted([['clean', 85], ['bulk', 8], ['spam', 6], ['phish', 1]] as const);
    ctx.emit(emailEv(org, k, { from: { email, display, domain, ip: `40.92.${rng.range(0, 255)}.${rng.range(1, 254)}` }, to: user, subject: subject + (subject.endsWith('-') || subject.endsWith('#') || subject.endsWith('00') ? String(rng.range(1000, 99999)) : ''), direction: 'Inbound', verdict, attachments: rng.chance(0.2) ? 1 : 0, urls: rng.range(0, 8) }, rng.hex(32)));
  }
}
