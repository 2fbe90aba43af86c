// The rule pack loads and validates (every file in content/rules, like Elastic's detection-rules
// repository tests), covers every stage and every row of the seed's detection table, and each kind
// of bad rule is refused with an error naming the file (and the line, for the query).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError } from '../../src/content/front-matter.js';
import { loadRules, parseRule, parseTimespan, RESPONSE_ACTIONS, type LoadedRule } from '../../src/detect/rules.js';

const pack = loadRules();
const byId = (id: string): LoadedRule => {
  const r = pack.find(x => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};

describe('the rule pack', () => {
  it('loads every rule file, each valid, with unique ids matching the file names', () => {
    expect(pack.map(r => r.id)).toEqual([
      'c2-api-gateway-or-risky-tld-non-browser',
      'c2-then-internal-ad-protocols',
      'mailbomb-then-remote-assistance',
      'office-app-suspicious-commands',
      'powershell-history-deletion',
      'rclone-exfiltration',
      'recon-burst-after-remote-assistance',
      'recon-burst',
      'registry-encoded-blob-classes-local-settings',
      'remote-assistance-elevation-shell',
      'rmm-agent-msiexec-from-shell-or-remote-session',
      'rmm-agent-msiexec-multi-host',
      'scheduled-task-user-writable-binary',
      'sideload-signed-host-user-writable-dll',
      'signed-binary-run-from-fresh-drop',
      'teams-external-helpdesk-persona-contact',
      'teams-helpdesk-contact-then-remote-assistance',
      'teams-url-click-through',
      'uncommon-remote-access-software',
      'winrm-lateral-from-user-session',
      'zip-staging-set-p-pk',
    ]);
    for (const r of pack) {
      expect(r.enabled).toBe(true);
      expect(r.file.endsWith(`${r.id}.kql`)).toBe(true);
      expect(r.columns.find(c => c.name === 'Timestamp')?.type).toBe('datetime');
      expect(['long', 'string', 'dynamic']).toContain(r.columns.find(c => c.name === 'ReportId')?.type);
      // Every rule says where its source events come from.
      expect(r.columns.some(c => c.name === 'SourceEvents' || c.name === 'SourceTable') || r.sourceTable !== undefined).toBe(true);
      expect(Object.keys(r.entities).length).toBeGreaterThan(0);
      expect(r.lookbackMs).toBeGreaterThanOrEqual(r.frequencyMs);
      for (const a of r.responseActions) expect(RESPONSE_ACTIONS).toContain(a);
    }
  });

  it('covers every stage 1–9 with a rule of medium severity or above', () => {
    for (let s = 1; s <= 9; s++) {
      const rules = pack.filter(r => r.stages.includes(s) && (r.severity === 'medium' || r.severity === 'high')).map(r => r.id);
      expect(rules.length, `stage ${s}`).toBeGreaterThan(0);
    }
  });

  it("covers every row of the seed's Microsoft Defender XDR detections table", () => {
    // Rows of the table → the rules that stand for them (content/rules/README.md).
    const rows: Record<string, string[]> = {
      'Initial Access': ['teams-external-helpdesk-persona-contact', 'mailbomb-then-remote-assistance', 'teams-url-click-through', 'teams-helpdesk-contact-then-remote-assistance'],
      Execution: ['remote-assistance-elevation-shell', 'uncommon-remote-access-software', 'rmm-agent-msiexec-from-shell-or-remote-session', 'signed-binary-run-from-fresh-drop'],
      'Lateral Movement': ['winrm-lateral-from-user-session', 'c2-then-internal-ad-protocols'],
      Persistence: ['registry-encoded-blob-classes-local-settings', 'scheduled-task-user-writable-binary'],
      'Defense Evasion & Privilege Escalation': ['sideload-signed-host-user-writable-dll', 'signed-binary-run-from-fresh-drop'],
      'Command & Control': ['c2-api-gateway-or-risky-tld-non-browser', 'c2-then-internal-ad-protocols'],
      'Data Exfiltration': ['rclone-exfiltration'],
      'Multi-tactic': ['teams-helpdesk-contact-then-remote-assistance', 'office-app-suspicious-commands'],
    };
    const tacticOf: Record<string, string[]> = {
      'Initial Access': ['Initial Access'],
      Execution: ['Execution'],
      'Lateral Movement': ['Lateral Movement'],
      Persistence: ['Persistence'],
      'Defense Evasion & Privilege Escalation': ['Defense Evasion', 'Privilege Escalation'],
      'Command & Control': ['Command and Control'],
      'Data Exfiltration': ['Exfiltration'],
      'Multi-tactic': ['Initial Access', 'Execution'],
    };
    for (const [row, ids] of Object.entries(rows)) {
      for (const id of ids) {
        const r = byId(id);
        expect(r.tactics.some(t => tacticOf[row]!.includes(t)), `${id} for ${row}`).toBe(true);
      }
    }
  });

  it('reads the front matter into the rule', () => {
    const r = byId('zip-staging-set-p-pk');
    expect(r.severity).toBe('high');
    expect(r.tactics).toEqual(['Execution', 'Defense Evasion']);
    expect(r.category).toBe('Execution');
    expect(r.techniques).toEqual(['T1059.003', 'T1027', 'T1105']);
    expect(r.stages).toEqual([4]);
    expect(r.frequency).toBe('continuous');
    expect(r.frequencyMs).toBe(0);
    expect(r.lookback).toBe('1h');
    expect(r.lookbackMs).toBe(3_600_000);
    expect(r.sourceTable).toBe('DeviceProcessEvents');
    expect(r.entities).toEqual({ device: 'DeviceName', userSid: 'AccountSid', userName: 'AccountName', process: 'ProcessCommandLine', file: 'StagedFile' });
    expect(byId('c2-then-internal-ad-protocols').category).toBe('CommandAndControl');
    expect(byId('winrm-lateral-from-user-session').entities.device).toEqual(['DeviceName', 'TargetDevices']);
  });

  it('parses Kusto timespans', () => {
    expect(parseTimespan('30m')).toBe(1_800_000);
    expect(parseTimespan('1.5h')).toBe(5_400_000);
    expect(parseTimespan('2d')).toBe(172_800_000);
    expect(parseTimespan('90s')).toBe(90_000);
    expect(parseTimespan('1.12:00:00')).toBe(129_600_000);
    expect(parseTimespan('00:05')).toBe(300_000);
    expect(parseTimespan('soon')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Bad rules

const FILE = '/rules/bad-rule.kql';

const GOOD_META = {
  id: 'bad-rule',
  title: 'A rule',
  description: 'What it finds.',
  severity: 'medium',
  tactics: '[Execution]',
  techniques: '[T1059]',
  stages: '[2]',
  frequency: 'continuous',
  lookback: '1h',
  entities: '\n  device: DeviceName',
};

const GOOD_QUERY = 'DeviceProcessEvents\n| where FileName =~ "cmd.exe"\n| project Timestamp, ReportId, DeviceName';

function ruleText(meta: Record<string, string | undefined> = {}, query = GOOD_QUERY): string {
  const m = { ...GOOD_META, ...meta };
  const lines = Object.entries(m).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join('\n')}\n---\n${query}\n`;
}

function errorOf(text: string, file = FILE): string {
  try {
    parseRule(file, text);
  } catch (e) {
    expect(e).toBeInstanceOf(ContentError);
    return (e as Error).message;
  }
  throw new Error('the rule was accepted');
}

describe('a bad rule is refused with an error naming the file', () => {
  it('accepts the good rule the cases below spoil', () => {
    const r = parseRule(FILE, ruleText());
    expect(r.id).toBe('bad-rule');
    expect(r.queryLine).toBe(14);
    expect(r.sourceTable).toBe('DeviceProcessEvents');
  });

  it('front matter: missing, not YAML, unknown keys, required fields', () => {
    expect(errorOf(GOOD_QUERY)).toBe(`${FILE}:1: missing front matter: the file must start with a line "---"`);
    expect(errorOf('---\ntitle: [unclosed\n---\nprint 1\n')).toMatch(/^\/rules\/bad-rule\.kql:2: front matter is not valid YAML: /);
    expect(errorOf(ruleText({ severty: 'high' }))).toBe(`${FILE}: unknown front matter key 'severty' (known: id, title, description, severity, category, tactics, techniques, stages, frequency, lookback, entities, responseActions, enabled, sourceTable, references, falsePositives, notes)`);
    expect(errorOf(ruleText({ title: undefined }))).toBe(`${FILE}: front matter 'title' is required (a non-empty string)`);
    expect(errorOf(ruleText({ id: 'other-rule' }))).toBe(`${FILE}: front matter 'id' is 'other-rule' but the file is named 'bad-rule.kql': they must match`);
    expect(errorOf(ruleText({ id: 'Bad_Rule' }))).toBe(`${FILE}: front matter 'id' must be lower-case words joined by '-' (got 'Bad_Rule')`);
  });

  it('front matter: severity, tactics, techniques, stages, frequency, lookback, actions, enabled', () => {
    expect(errorOf(ruleText({ severity: 'critical' }))).toBe(`${FILE}: front matter 'severity' must be one of informational, low, medium, high (got "critical")`);
    expect(errorOf(ruleText({ tactics: '[Exfiltrate]' }))).toMatch(/^\/rules\/bad-rule\.kql: front matter 'tactics' has 'Exfiltrate', not a MITRE ATT&CK tactic \(Reconnaissance, /);
    expect(errorOf(ruleText({ techniques: '[T59]' }))).toBe(`${FILE}: front matter 'techniques' has 'T59', not a MITRE technique id (T1234 or T1234.001)`);
    expect(errorOf(ruleText({ stages: '[0, 10]' }))).toBe(`${FILE}: front matter 'stages' must list the seed's stage numbers (1–9)`);
    expect(errorOf(ruleText({ stages: 'three' }))).toBe(`${FILE}: front matter 'stages' must be a list`);
    expect(errorOf(ruleText({ frequency: 'hourly' }))).toBe(`${FILE}: front matter 'frequency' must be 'continuous' (near real time) or a period such as 5m, 1h, 1d (got "hourly")`);
    expect(errorOf(ruleText({ frequency: '1d', lookback: '1h' }))).toBe(`${FILE}: front matter 'frequency' (1d) is longer than 'lookback' (1h): runs would leave gaps no query sees`);
    expect(errorOf(ruleText({ lookback: 'a while' }))).toBe(`${FILE}: front matter 'lookback' must be a Kusto timespan such as 30m, 1h, 1d (got "a while")`);
    expect(errorOf(ruleText({ lookback: '45d' }))).toBe(`${FILE}: front matter 'lookback' is longer than 30d (Defender's advanced hunting retention)`);
    expect(errorOf(ruleText({ responseActions: '[nukeDevice]' }))).toMatch(/^\/rules\/bad-rule\.kql: unknown response action 'nukeDevice' \(known: isolateDevice, /);
    expect(errorOf(ruleText({ enabled: 'maybe' }))).toBe(`${FILE}: front matter 'enabled' must be true or false`);
    // Tactic names are matched loosely and stored canonically.
    expect(parseRule(FILE, ruleText({ tactics: '[command-and-control, lateralMovement]' })).tactics).toEqual(['Command and Control', 'Lateral Movement']);
  });

  it('entities: unknown kinds, bad mappings, columns the query does not return', () => {
    expect(errorOf(ruleText({ entities: '\n  host: DeviceName' }))).toBe(`${FILE}: unknown entity kind 'host' in 'entities' (known: device, userObjectId, userUpn, userSid, userName, ip, url, file, fileHash, process, registryValue, teamsThread, mailbox)`);
    expect(errorOf(ruleText({ entities: '\n  device: 3' }))).toBe(`${FILE}: entity 'device' must name a result column or a list of result columns`);
    expect(errorOf(ruleText({ entities: undefined }))).toBe(`${FILE}: front matter 'entities' is required (entity kind: result column, or a list of columns)`);
    expect(errorOf(ruleText({ entities: '\n  device: DeviceName\n  userSid: AccountSid' }))).toBe(
      `${FILE}:15: entity 'userSid' maps column 'AccountSid', which the query does not return (it returns: Timestamp, ReportId, DeviceName)`,
    );
    expect(errorOf(ruleText({ entities: '\n  device: [DeviceName, Targets]' }))).toMatch(/^\/rules\/bad-rule\.kql:14: entity 'device' maps column 'Targets', which the query does not return/);
  });

  it('the query: KQL that does not bind, at its line in the file', () => {
    // The query starts on line 14; the error is on its third line.
    expect(errorOf(ruleText({}, 'DeviceProcessEvents\n| where FileName =~ "cmd.exe"\n| project Timestamp, ReportId, DeviceNam'))).toBe(
      `${FILE}:16: query error KS142: The name 'DeviceNam' does not refer to any known column, table, variable or function. (query line 3, column 32)`,
    );
    expect(errorOf(ruleText({}, 'NoSuchTable | project Timestamp'))).toMatch(/^\/rules\/bad-rule\.kql:14: query error KS\d+: The name 'NoSuchTable' does not refer to any known/);
    expect(errorOf(ruleText({}, '  \n'))).toBe(`${FILE}:14: the query is empty`);
  });

  it("the query: Defender's Timestamp and ReportId contract, source tables", () => {
    expect(errorOf(ruleText({}, 'DeviceProcessEvents | project ReportId, DeviceName'))).toBe(
      `${FILE}:14: the query must return a Timestamp column (Defender custom detection rules must return Timestamp and ReportId)`,
    );
    expect(errorOf(ruleText({}, 'DeviceProcessEvents | project Timestamp = tostring(Timestamp), ReportId, DeviceName'))).toBe(
      `${FILE}:14: the query's Timestamp column must be a datetime (it is string)`,
    );
    expect(errorOf(ruleText({}, 'DeviceProcessEvents | project Timestamp, DeviceName'))).toBe(
      `${FILE}:14: the query must return a ReportId column (Defender custom detection rules must return Timestamp and ReportId; an aggregating rule returns a dynamic array of ids)`,
    );
    expect(errorOf(ruleText({}, 'DeviceProcessEvents | project Timestamp, ReportId = Timestamp, DeviceName'))).toBe(
      `${FILE}:14: the query's ReportId column must be a long, a string or a dynamic array (it is datetime)`,
    );
    expect(errorOf(ruleText({}, 'union DeviceProcessEvents, DeviceFileEvents | project Timestamp, ReportId, DeviceName'))).toBe(
      `${FILE}:14: the query reads DeviceFileEvents, DeviceProcessEvents: say which table each ReportId comes from (a SourceEvents or SourceTable column, or front matter 'sourceTable')`,
    );
    expect(errorOf(ruleText({}, 'DeviceProcessEvents | project Timestamp, ReportId, DeviceName, SourceEvents = "x"'))).toBe(
      `${FILE}:14: the query's SourceEvents column must be dynamic (an array of {Table, ReportId, Timestamp, DeviceName})`,
    );
    expect(errorOf(ruleText({ sourceTable: 'DeviceFileEvents' }))).toBe(`${FILE}: front matter 'sourceTable' is DeviceFileEvents, which the query does not read (it reads: DeviceProcessEvents)`);
    // Each way of naming the table is accepted.
    const twoTables = 'union (DeviceProcessEvents | extend SourceTable = "DeviceProcessEvents"), (DeviceFileEvents | extend SourceTable = "DeviceFileEvents") | project Timestamp, ReportId, DeviceName, SourceTable';
    expect(parseRule(FILE, ruleText({}, twoTables)).sourceTable).toBeUndefined();
    expect(parseRule(FILE, ruleText({ sourceTable: 'DeviceFileEvents' }, 'union DeviceProcessEvents, DeviceFileEvents | project Timestamp, ReportId, DeviceName')).sourceTable).toBe('DeviceFileEvents');
  });

  it('a folder: every .kql file validated, other files ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chainhunt-rules-'));
    try {
      writeFileSync(join(dir, 'bad-rule.kql'), ruleText());
      writeFileSync(join(dir, 'notes.md'), 'not a rule');
      expect(loadRules(dir).map(r => r.id)).toEqual(['bad-rule']);
      writeFileSync(join(dir, 'second-rule.kql'), ruleText({ id: 'second-rule', severity: 'severe' }));
      expect(() => loadRules(dir)).toThrow(`${join(dir, 'second-rule.kql')}: front matter 'severity' must be one of informational, low, medium, high (got "severe")`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
