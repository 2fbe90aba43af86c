// The rule pack over the hand-built sample (content/samples/helpdesk-intrusion, the fixture of the
// hunting pack's golden tests): which rules fire, on exactly which rows, and which near misses stay
// quiet. The sample is sparse (many columns empty), so rules that need context it lacks (image
// loads, network sessions, process folders) stay quiet here; the simulation tests cover them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { detect, type DetectResult } from '../../src/detect/detect.js';
import { loadAlerts } from '../../src/detect/alert-store.js';
import { loadRules } from '../../src/detect/rules.js';
import { loadFixture, NOW, THREADS, USERS } from '../fixtures/seed-fixture.js';

let engine: Engine;
let result: DetectResult;

beforeAll(async () => {
  engine = await Engine.open();
  await loadFixture(engine.store);
  result = await detect(engine, loadRules(), { now: NOW });
}, 300_000);
afterAll(() => engine?.close());

/** Per rule: the source events (ReportIds) of each alert, sorted. */
function fired(): Record<string, string[][]> {
  const out: Record<string, string[][]> = {};
  for (const a of result.alerts) (out[a.ruleId] ??= []).push(a.sourceEvents.map(e => e.reportId));
  for (const k of Object.keys(out)) out[k]!.sort((x, y) => (x.join() < y.join() ? -1 : 1));
  return out;
}

describe('the rule pack on the sample intrusion', () => {
  it('fires exactly these rules on exactly these rows', () => {
    expect(result.failed).toBe(0);
    expect(fired()).toEqual({
      // Teams contact from a helpdesk persona (with the thread's ChatCreated first contact when the sample has it); Erin's old message too.
      'teams-external-helpdesk-persona-contact': [['cae-1', 'msg-a1'], ['cae-2', 'msg-a3'], ['msg-a2'], ['msg-old']],
      // ...followed by remote-access software for the recipient: Alice (12 min), Bob (31 min: inside this rule's 60), Dave (5 min, second recipient).
      'teams-helpdesk-contact-then-remote-assistance': [['msg-a1', '1001'], ['msg-a2', '1002'], ['msg-a3', '1003']],
      // Remote-access software then a shell on the same device within 5 minutes (Erin's Quick Assist has none).
      'remote-assistance-elevation-shell': [['1001', '1011'], ['1003', '1021', '1022', '1023'], ['1004', '1031', '1033']],
      // Three kinds of discovery (whoami, hostname, systeminfo) right after AnyDesk; the kiosk has two kinds ("ping directory-server" is none).
      'recon-burst-after-remote-assistance': [['1003', '1021', '1022', '1023']],
      // set /p="PK" redirected into a file, whatever the parent and age; 1042 writes nowhere.
      'zip-staging-set-p-pk': [['1041'], ['1043'], ['1044']],
      // Rclone renamed (1062), and with document-picking filters (--max-age, --exclude *.mdf); the nightly sync backup (1065) is not.
      'rclone-exfiltration': [['1061'], ['1062'], ['1063'], ['1064']],
      'powershell-history-deletion': [['2021']],
    });
  });

  it('maps the entities the rules name', async () => {
    const alerts = await loadAlerts(engine.store);
    const alice = alerts.find(a => a.ruleId === 'teams-helpdesk-contact-then-remote-assistance' && a.sourceEvents.some(e => e.reportId === '1001'))!;
    expect(alice.entities).toEqual([
      { kind: 'userObjectId', value: USERS.alice.oid },
      { kind: 'userUpn', value: USERS.alice.upn },
      { kind: 'device', value: 'ws-alice' },
      { kind: 'teamsThread', value: THREADS.alice },
      { kind: 'process', value: '"QuickAssist.exe"' },
    ]);
    expect([alice.severity, alice.stages, alice.category]).toEqual(['high', [1, 2], 'InitialAccess']);
    const renamed = alerts.find(a => a.ruleId === 'rclone-exfiltration' && a.sourceEvents[0]!.reportId === '1062')!;
    expect(renamed.entities.filter(e => e.kind === 'device' || e.kind === 'userName')).toEqual([{ kind: 'device', value: 'fs01' }, { kind: 'userName', value: 'dave' }]);
  });

  it("writes evidence that query K's alert branches join on (object id, UPN, chat thread)", async () => {
    const oid = await engine.query(`AlertEvidence | where ServiceSource == "chainhunt" and AccountObjectId == "${USERS.alice.oid}" | distinct Title | order by Title asc`);
    expect(oid.rows).toEqual([
      ['Microsoft Teams chat initiated by an external helpdesk-like persona'],
      ['Remote management event after suspected Microsoft Teams IT support phishing'],
      ['Suspicious activity using Quick Assist or other remote-access software'],
    ]);
    const upn = await engine.query(`AlertEvidence | where ServiceSource == "chainhunt" and AccountUpn == "${USERS.dave.upn}" | distinct Title`);
    expect(upn.rows).toEqual([['Microsoft Teams chat initiated by an external helpdesk-like persona']]);
    const thread = await engine.query(`AlertEvidence | where ServiceSource == "chainhunt" and AdditionalFields has_any (dynamic(["${THREADS.carolDave}"])) | extend T = tostring(todynamic(AdditionalFields).ChatThreadId) | distinct Title, T, Application | order by Title asc`);
    expect(thread.rows).toEqual([
      ['Microsoft Teams chat initiated by an external helpdesk-like persona', THREADS.carolDave, 'Microsoft Teams'],
      ['Remote management event after suspected Microsoft Teams IT support phishing', THREADS.carolDave, 'Microsoft Teams'],
    ]);
  });

  it('adds nothing when run again', async () => {
    const again = await detect(engine, loadRules(), { now: NOW });
    expect([again.added, again.updated, again.alerts.length]).toEqual([0, 0, result.alerts.length]);
  });
});
