// Correlation on hand-built alerts: what links alerts (each entity kind), time windows, shared
// infrastructure that must not glue intrusions together, hub identities, well-known accounts,
// attribution of alerts that have no user of their own, and determinism.
import { describe, expect, it } from 'vitest';
import { clusterAlerts } from '../../src/correlate/cluster.js';
import { resolvePersons } from '../../src/correlate/entities.js';
import type { Alert } from '../../src/detect/model.js';
import { alert, at, idsOf } from './alerts.js';
import { adminWinrm, backup, helpdesk, intrusion, victim, SYSTEM_SID, DLL_HASH, C2_IP } from './scenario.js';

const T = '2026-03-02T10:00:00Z';
const groups = (alerts: Alert[], o = {}) => idsOf(clusterAlerts(alerts, o).groups);

describe('linking by entity kind', () => {
  it('links alerts of one user by UPN across devices and tables', () => {
    expect(groups([
      alert({ id: 'a1', at: T, e: { userUpn: 'ann@contoso.com' }, table: 'MessageEvents' }),
      alert({ id: 'a2', at: at(T, 30), e: { userUpn: 'ANN@contoso.com', device: 'ws-1' } }),
      alert({ id: 'a3', at: at(T, 60), e: { userUpn: 'ann@contoso.com', device: 'srv-9' } }),
      alert({ id: 'b1', at: at(T, 30), e: { userUpn: 'bob@contoso.com', device: 'ws-2' } }),
    ])).toEqual([['a1', 'a2', 'a3'], ['b1']]);
  });

  it('links by object id, and resolves object id, UPN, SID and name shown together to one person', () => {
    expect(groups([
      alert({ id: 'teams', at: T, e: { userObjectId: 'OID-1', userUpn: 'ann@contoso.com' }, table: 'CloudAppEvents' }),
      alert({ id: 'endpoint', at: at(T, 10), e: { userSid: 'S-1-5-21-1-2-3-1001', userName: 'CORP\\ann', device: 'ws-1' } }),
      alert({ id: 'bridge', at: at(T, 20), e: { userUpn: 'ann@contoso.com', userSid: 'S-1-5-21-1-2-3-1001', device: 'ws-1' } }),
      alert({ id: 'by-oid', at: at(T, 30), e: { userObjectId: 'oid-1' }, table: 'CloudAppEvents' }),
      alert({ id: 'by-name', at: at(T, 40), e: { userName: 'ann', device: 'ws-7' } }),
    ])).toEqual([['bridge', 'by-name', 'by-oid', 'endpoint', 'teams']]);
  });

  it('does not alias two people from an alert naming two accounts of one kind', () => {
    // One alert names two UPNs and one SID: which UPN the SID belongs to is unknown, so nothing is aliased.
    const p = resolvePersons([
      alert({ id: 'two', at: T, e: { userUpn: ['ann@contoso.com', 'bob@contoso.com'], userSid: 'S-1-5-21-1-2-3-1002' }, table: 'EmailEvents' }),
      alert({ id: 'one', at: T, e: { userUpn: 'carl@contoso.com', userSid: 'S-1-5-21-1-2-3-1003', userObjectId: 'OID-3' } }),
    ]);
    expect(p.find('sid:s-1-5-21-1-2-3-1002')).toBe('sid:s-1-5-21-1-2-3-1002');
    expect(p.find('upn:ann@contoso.com')).toBe('upn:ann@contoso.com');
    expect(p.find('upn:bob@contoso.com')).toBe('upn:bob@contoso.com');
    expect(p.find('upn:carl@contoso.com')).toBe(p.find('sid:s-1-5-21-1-2-3-1003'));
    expect(p.find('oid:oid-3')).toBe(p.find('sid:s-1-5-21-1-2-3-1003'));
  });

  it('refuses an alias that would give one person two SIDs', () => {
    const p = resolvePersons([
      alert({ id: 'x', at: T, e: { userUpn: 'ann@contoso.com', userSid: 'S-1-5-21-1-2-3-1001' } }),
      alert({ id: 'y', at: T, e: { userUpn: 'ann@contoso.com', userSid: 'S-1-5-21-1-2-3-1009' } }),
    ]);
    expect(p.find('sid:s-1-5-21-1-2-3-1001')).toBe(p.find('upn:ann@contoso.com'));
    expect(p.find('sid:s-1-5-21-1-2-3-1009')).not.toBe(p.find('upn:ann@contoso.com'));
  });

  it('links by Teams chat thread: the external sender and the victim of one chat', () => {
    expect(groups([
      alert({ id: 'created', at: T, e: { userUpn: 'helpdesk@evil123.onmicrosoft.com', teamsThread: '19:abc@unq.gbl.spaces' }, table: 'CloudAppEvents' }),
      alert({ id: 'message', at: at(T, 2), e: { userUpn: 'ann@contoso.com', teamsThread: '19:abc@unq.gbl.spaces' }, table: 'MessageEvents' }),
      alert({ id: 'qa', at: at(T, 9), e: { userUpn: 'ann@contoso.com', device: 'ws-1' } }),
      alert({ id: 'other-chat', at: at(T, 3), e: { userUpn: 'carl@contoso.com', teamsThread: '19:zzz@unq.gbl.spaces' }, table: 'MessageEvents' }),
    ])).toEqual([['created', 'message', 'qa'], ['other-chat']]);
  });

  it('links an alert without a user to the story of its device (FQDN or short name)', () => {
    expect(groups([
      alert({ id: 'shell', at: T, e: { userSid: 'S-1-5-21-1-2-3-1001', device: 'ws-1.corp.contoso.com' } }),
      alert({ id: 'beacon', at: at(T, 20), e: { device: 'WS-1', ip: '198.51.100.7' }, table: 'DeviceNetworkEvents' }),
      alert({ id: 'unrelated', at: at(T, 20), e: { device: 'ws-2', ip: '198.51.100.8' }, table: 'DeviceNetworkEvents' }),
    ])).toEqual([['beacon', 'shell'], ['unrelated']]);
  });

  // An alert that names nothing but one entity of a kind joins the story that entity belongs to.
  const lone: [string, Partial<Record<'ip' | 'url' | 'fileHash' | 'file' | 'registryValue' | 'process', string>>][] = [
    ['IP address', { ip: '198.51.100.7' }],
    ['URL (by host)', { url: 'https://c2.example.xyz/beacon?id=1' }],
    ['file hash', { fileHash: 'ab'.repeat(32) }],
    ['file path', { file: 'C:\\ProgramData\\Adobe\\ARM\\msi.dll' }],
    ['registry value', { registryValue: 'HKEY_CURRENT_USER\\S-1-5-21-1-2-3-1001\\SOFTWARE\\Classes\\Local Settings\\Software\\Microsoft\\UCID' }],
    ['command line', { process: 'msiexec.exe /i level.msi LEVEL_API_KEY=123abc /qn' }],
  ];
  for (const [what, e] of lone) {
    it(`links by ${what}`, () => {
      const story = alert({ id: 'story', at: T, e: { userSid: 'S-1-5-21-1-2-3-1001', device: 'ws-1', ...e } });
      const other = alert({ id: 'other', at: T, e: { userSid: 'S-1-5-21-1-2-3-1002', device: 'ws-2' } });
      const only = alert({ id: 'only', at: at(T, 30), e, on: [], table: 'DeviceEvents' });
      expect(groups([story, other, only])).toEqual([['only', 'story'], ['other']]);
    });
  }

  it('uses keys the store adds (the device behind an internal IP)', () => {
    const story = alert({ id: 'story', at: T, e: { userSid: 'S-1-5-21-1-2-3-1001', device: 'ws-1' } });
    const inbound = alert({ id: 'inbound', at: at(T, 5), e: { ip: '10.0.0.51' }, on: [], table: 'DeviceNetworkEvents' });
    expect(groups([story, inbound])).toEqual([['inbound'], ['story']]);
    expect(groups([story, inbound], { extraKeys: (a: Alert) => (a.id === 'inbound' ? [{ cls: 'device' as const, key: 'device:ws-1' }] : []) })).toEqual([['inbound', 'story']]);
  });
});

describe('time windows', () => {
  const u = { userSid: 'S-1-5-21-1-2-3-1001', device: 'ws-1' };
  it('keeps a user\'s alerts more than 24 hours apart in separate incidents', () => {
    expect(groups([alert({ id: 'x', at: T, e: u }), alert({ id: 'y', at: at(T, 25 * 60), e: u })])).toEqual([['x'], ['y']]);
  });
  it('chains alerts whose consecutive gaps are within the window', () => {
    expect(groups([alert({ id: 'x', at: T, e: u }), alert({ id: 'm', at: at(T, 20 * 60), e: u }), alert({ id: 'y', at: at(T, 40 * 60), e: u })]))
      .toEqual([['m', 'x', 'y']]);
  });
  it('measures the gap from the end of the earlier alert', () => {
    expect(groups([alert({ id: 'long', at: T, minutes: 10 * 60, e: u }), alert({ id: 'late', at: at(T, 33 * 60), e: u })])).toEqual([['late', 'long']]);
  });
  it('takes the window as an option', () => {
    expect(groups([alert({ id: 'x', at: T, e: u }), alert({ id: 'y', at: at(T, 3 * 60), e: u })], { windowMs: 2 * 3_600_000 })).toEqual([['x'], ['y']]);
  });
  it('does not attribute an alert without a user to a story that touched its device more than a day before', () => {
    const story = alert({ id: 'story', at: T, e: { userSid: 'S-1-5-21-1-2-3-1001', device: ['ws-1', 'fs01'] }, on: ['ws-1'] });
    const other = alert({ id: 'other', at: T, e: { userSid: 'S-1-5-21-1-2-3-1002', device: ['ws-2', 'fs01'] }, on: ['ws-2'] });
    const soon = alert({ id: 'soon', at: at(T, 23 * 60), e: { device: 'fs01', userSid: SYSTEM_SID } });
    const late = alert({ id: 'late', at: at(T, 50 * 60), e: { device: 'fs01', userSid: SYSTEM_SID, fileHash: '01'.repeat(32) } });
    expect(groups([story, other, soon, late])).toEqual([['late'], ['other'], ['soon'], ['story']]);
    expect(groups([story, soon, late])).toEqual([['late'], ['soon', 'story']]);
  });
});

describe('shared infrastructure does not glue intrusions', () => {
  const A = intrusion('a', victim(1), '2026-03-02T10:00:00Z', 300);
  const B = intrusion('b', victim(2), '2026-03-02T10:30:00Z', 420);
  const benign = [
    ...helpdesk('h1', victim(9), victim(3), '2026-03-02T11:00:00Z'),
    ...helpdesk('h2', victim(9), victim(4), '2026-03-02T13:00:00Z'),
    ...helpdesk('h3', victim(9), victim(5), '2026-03-02T14:00:00Z'),
    ...adminWinrm('adm', victim(7), '2026-03-02T12:00:00Z'),
    ...backup('bk', '2026-03-03T01:30:00Z'),
  ];
  const without = (list: Alert[], id: string) => list.filter(a => a.id !== id).map(a => a.id).sort();

  it('two intrusions at the same time through dc01 and fs01, with the same C2, DLL, tools and commands, stay two incidents', () => {
    const r = clusterAlerts([...A, ...B, ...benign]);
    expect(idsOf(r.groups)).toEqual([
      without(A, 'a-exfil'),
      ['a-exfil'],
      ['adm-winrm'],
      without(B, 'b-exfil'),
      ['b-exfil'],
      ['bk-backup'],
      ['h1-qa', 'h1-recon'],
      ['h2-qa', 'h2-recon'],
      ['h3-qa', 'h3-recon'],
    ]);
    // What made them shared: seen with several subjects, measured from the alerts.
    expect(r.shared.get('device:dc01')).toBe(3);
    expect(r.shared.get('device:fs01')).toBe(4);
    expect(r.shared.get(`hash:${DLL_HASH}`)).toBe(2);
    expect(r.shared.get(`ip:${C2_IP}`)).toBe(2);
    expect(r.shared.get('process:whoami /all')).toBe(2);
    // The technician who helps three users and the well-known SYSTEM account link nothing.
    expect(r.nonLinkingIdentities).toEqual(['person:name:system', 'person:upn:user9@contoso.com']);
  });

  it('an exfiltration by SYSTEM on the file server joins the one intrusion that reached it before', () => {
    // B a day later: on the day of A's exfiltration only A (and low-severity admin activity) touched fs01.
    const B2 = intrusion('b', victim(2), '2026-03-04T10:30:00Z', 420);
    const r = clusterAlerts([...A, ...B2, ...benign]);
    expect(idsOf(r.groups)).toEqual([
      A.map(a => a.id).sort(),
      ['adm-winrm'],
      B2.map(a => a.id).sort(),
      ['bk-backup'],
      ['h1-qa', 'h1-recon'],
      ['h2-qa', 'h2-recon'],
      ['h3-qa', 'h3-recon'],
    ]);
    const link = r.groups[0]!.links.find(l => l.alertId === 'a-exfil')!;
    expect(link).toEqual({ alertId: 'a-exfil', to: 'a-rmm1', kind: 'attribution', via: 'device:fs01' });
    // The RMM installs on fs01 and dc01 (SYSTEM) follow the intrusion through its unique command line.
    expect(r.groups[0]!.links.filter(l => l.alertId.startsWith('a-rmm')).map(l => [l.alertId, l.kind])).toEqual([
      ['a-rmm0', 'device'], ['a-rmm1', 'attribution'], ['a-rmm2', 'attribution'],
    ]);
  });

  it('the process tree says whose: an agent started right after one intrusion\'s install on fs01 runs the exfiltration', () => {
    // Both intrusions installed their RMM agent on fs01 (a-rmm1 at 10:41, b-rmm1 at 11:11) before
    // either exfiltration; rclone's parent process was started 12 s after A's install for A's run
    // and after B's for B's run.
    const lineage = (a: Alert) => (a.id === 'a-exfil' ? [Date.parse('2026-03-02T15:00:00Z') * 1000 - 5e6, Date.parse('2026-03-02T10:42:12Z') * 1000]
      : a.id === 'b-exfil' ? [Date.parse('2026-03-02T17:30:00Z') * 1000 - 5e6, Date.parse('2026-03-02T11:12:12Z') * 1000] : []);
    const r = clusterAlerts([...A, ...B, ...benign], { lineage });
    expect(idsOf(r.groups).slice(0, 3)).toEqual([A.map(a => a.id).sort(), ['adm-winrm'], B.map(a => a.id).sort()]);
    expect(r.subjectless).toEqual(['a-exfil', 'a-rmm1', 'a-rmm2', 'b-exfil', 'b-rmm1', 'b-rmm2']);
    // A process started long after any alert, or before them all, says nothing.
    const vague = (a: Alert) => (a.id.endsWith('-exfil') ? [Date.parse('2026-03-01T00:00:00Z') * 1000] : []);
    expect(idsOf(clusterAlerts([...A, ...B, ...benign], { lineage: vague }).groups)).toEqual(idsOf(clusterAlerts([...A, ...B, ...benign]).groups));
  });

  it('an intrusion alone in the data uses its servers like any other device', () => {
    expect(idsOf(clusterAlerts(A).groups)).toEqual([A.map(a => a.id).sort()]);
  });

  it('a low-severity story does not take an attack\'s alert on a server both touched', () => {
    // The admin touched fs01 at 12:00, after A's WinRM at 10:25: closer in time but less severe.
    const r = clusterAlerts([...A, ...adminWinrm('adm', victim(7), '2026-03-02T14:00:00Z')]);
    expect(idsOf(r.groups)).toEqual([A.map(a => a.id).sort(), ['adm-winrm']]);
  });
});

describe('identities', () => {
  it('well-known accounts (SYSTEM by SID) link nothing', () => {
    expect(groups([
      alert({ id: 'x', at: T, e: { userSid: SYSTEM_SID, device: 'srv-1' } }),
      alert({ id: 'y', at: at(T, 5), e: { userSid: SYSTEM_SID, device: 'srv-2' } }),
    ])).toEqual([['x'], ['y']]);
  });

  it('machine accounts link nothing', () => {
    expect(groups([
      alert({ id: 'x', at: T, e: { userName: 'WS-1$', device: 'srv-1' } }),
      alert({ id: 'y', at: at(T, 5), e: { userName: 'ws-1$', device: 'srv-2' } }),
    ])).toEqual([['x'], ['y']]);
  });

  it('a technician seen with three separate users is a hub; with two, not', () => {
    const three = [
      ...helpdesk('h1', victim(9), victim(3), T), ...helpdesk('h2', victim(9), victim(4), at(T, 60)), ...helpdesk('h3', victim(9), victim(5), at(T, 120)),
    ];
    expect(groups(three)).toEqual([['h1-qa', 'h1-recon'], ['h2-qa', 'h2-recon'], ['h3-qa', 'h3-recon']]);
    expect(groups(three.slice(0, 4))).toEqual([['h1-qa', 'h1-recon', 'h2-qa', 'h2-recon']]);
    expect(groups(three, { hubDegree: 4 })).toEqual([three.map(a => a.id).sort()]);
  });

  it('a mail bomb naming many senders does not tie the senders together', () => {
    const senders = Array.from({ length: 8 }, (_, i) => `s${i}@spam${i}.example`);
    expect(groups([
      alert({ id: 'bomb', at: T, e: { userUpn: ['ann@contoso.com', ...senders] }, table: 'EmailEvents' }),
      alert({ id: 'ann', at: at(T, 30), e: { userUpn: 'ann@contoso.com', device: 'ws-1' } }),
      alert({ id: 'other', at: at(T, 30), e: { userUpn: senders[3]!, device: 'ws-3' } }),
    ])).toEqual([['ann', 'bomb'], ['other']]);
  });
});

describe('determinism', () => {
  it('gives the same groups, links and shared entities whatever the order of the alerts', () => {
    const all = [...intrusion('a', victim(1), '2026-03-02T10:00:00Z'), ...intrusion('b', victim(2), '2026-03-04T10:00:00Z'),
      ...helpdesk('h1', victim(9), victim(3), '2026-03-02T11:00:00Z'), ...backup('bk', '2026-03-03T01:30:00Z')];
    const ref = clusterAlerts(all);
    let seed = 7;
    for (let round = 0; round < 5; round++) {
      const shuffled = [...all];
      for (let i = shuffled.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const j = seed % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      const r = clusterAlerts(shuffled);
      expect(r.groups).toEqual(ref.groups);
      expect([...r.shared]).toEqual([...ref.shared]);
    }
  });

  it('ignores a duplicated alert', () => {
    const a = alert({ id: 'x', at: T, e: { userSid: 'S-1-5-21-1-2-3-1001' } });
    expect(groups([a, a])).toEqual([['x']]);
  });
});
