// chainhunt watch: files landing in a folder are ingested, the continuous rules run on the event time
// that landed, alerts are correlated and disruption runs.
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { loadRules } from '../../src/detect/rules.js';
import { loadAlerts } from '../../src/detect/alert-store.js';
import { watchFolder, type TickReport } from '../../src/cli/commands/watch.js';

const RULE = `---
id: test-quick-assist-start
title: Quick Assist started
description: Quick Assist started on a device.
severity: medium
tactics: [Execution]
techniques: [T1219]
stages: [2]
frequency: continuous
lookback: 1h
entities:
  device: DeviceName
  userSid: AccountSid
---
DeviceProcessEvents
| where FileName =~ "QuickAssist.exe"
| project Timestamp, ReportId, DeviceName, AccountSid
`;

const record = (ts: string, reportId: number, fileName: string) => JSON.stringify({
  time: ts, tenantId: 't', operationName: 'Publish', category: 'AdvancedHunting-DeviceProcessEvents',
  properties: { Timestamp: ts, DeviceId: 'dev-1', DeviceName: 'ws-0001.corp.contoso.com', ActionType: 'ProcessCreated', FileName: fileName, AccountSid: 'S-1-5-21-1-2-3-1104', ReportId: reportId },
});

let engine: Engine | undefined;
afterEach(() => {
  engine?.close();
  engine = undefined;
});

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'chainhunt-watch-'));
  const rulesDir = join(root, 'rules');
  const inbox = join(root, 'in', 'DeviceProcessEvents');
  mkdirSync(rulesDir);
  mkdirSync(inbox, { recursive: true });
  writeFileSync(join(rulesDir, 'test-quick-assist-start.kql'), RULE);
  return { root, rules: loadRules(rulesDir), inbox, from: join(root, 'in'), quarantinePath: join(root, 'quarantine.jsonl') };
}

describe('watch', () => {
  it('one pass: ingests what is there and raises the alerts of the event time that landed', async () => {
    const s = setup();
    writeFileSync(join(s.inbox, 'a.json'), [record('2026-03-09T10:00:00.0000000Z', 1, 'explorer.exe'), record('2026-03-09T10:05:00.0000000Z', 3, 'QuickAssist.exe')].join('\n') + '\n');
    writeFileSync(join(s.from, 'labels.json'), '{"seed": 1}\n');
    engine = await Engine.open();
    const ticks: TickReport[] = [];
    await watchFolder(engine, { from: s.from, quarantinePath: s.quarantinePath, rules: s.rules, once: true, onTick: t => ticks.push(t) });
    expect(ticks).toHaveLength(1);
    const t = ticks[0]!;
    expect(t.files.map(f => [f.path.split('/').pop(), f.status, f.accepted])).toEqual([['a.json', 'ingested', 2], ['labels.json', 'failed', 0]]);
    expect(t.warnings).toEqual([`${join(s.from, 'labels.json')}: no table for this ndjson file: name it <Table>.jsonl or pass --table`]);
    expect(t.rows).toBe(2);
    expect(t.span).toEqual({ from: new Date('2026-03-09T10:00:00.000Z'), to: new Date('2026-03-09T10:05:00.001Z') });
    expect([t.added, t.alerts.map(a => [a.ruleId, a.firstActivity, a.entities])]).toEqual([1, [['test-quick-assist-start', '2026-03-09T10:05:00.0000000Z', [{ kind: 'device', value: 'ws-0001.corp.contoso.com' }, { kind: 'userSid', value: 'S-1-5-21-1-2-3-1104' }]]]]);
    expect(t.correlation?.incidents).toBe(1);
    expect(t.response?.planned).toBe(0);
    expect(t.errors).toEqual([]);
  });

  it('keeps watching: new files, grown files and files still being written', async () => {
    const s = setup();
    engine = await Engine.open();
    const ticks: TickReport[] = [];
    const stop = new AbortController();
    let notify: (() => void) | undefined;
    const next = (pred: () => boolean) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no tick')), 20_000);
      notify = () => {
        if (pred()) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    const loop = watchFolder(engine, { from: s.from, quarantinePath: s.quarantinePath, rules: s.rules, intervalMs: 40, signal: stop.signal, detectOnly: true, onTick: t => {
      ticks.push(t);
      notify?.();
    } });
    const added = () => ticks.reduce((n, t) => n + t.added, 0);

    // A first file (and a file that is not telemetry: reported once, not tried again).
    writeFileSync(join(s.from, 'notes.jsonl'), '{"note": "not telemetry"}\n');
    let wait = next(() => added() === 1);
    writeFileSync(join(s.inbox, 'a.json'), record('2026-03-09T10:00:00.0000000Z', 1, 'QuickAssist.exe') + '\n');
    await wait;

    // A file still being written (no final newline) waits until it is complete.
    const partial = join(s.inbox, 'b.json');
    wait = next(() => added() === 2);
    const full = record('2026-03-09T11:00:00.0000000Z', 3, 'QuickAssist.exe');
    writeFileSync(partial, full.slice(0, 40));
    await new Promise(r => setTimeout(r, 20));
    appendFileSync(partial, full.slice(40) + '\n');
    await wait;

    // The first file grows: only its new line is read.
    wait = next(() => added() === 3);
    appendFileSync(join(s.inbox, 'a.json'), record('2026-03-09T12:00:00.0000000Z', 5, 'QuickAssist.exe') + '\n');
    await wait;
    stop.abort();
    await loop;

    const landed = ticks.flatMap(t => t.files.map(f => [f.path.split('/').pop(), f.status, f.accepted]));
    expect(landed).toEqual([['a.json', 'ingested', 1], ['notes.jsonl', 'failed', 0], ['b.json', 'ingested', 1], ['a.json', 'resumed', 1]]);
    expect(ticks.flatMap(t => t.warnings)).toHaveLength(1);
    expect(ticks.filter(t => t.span).map(t => t.span!.from.toISOString())).toEqual(['2026-03-09T10:00:00.000Z', '2026-03-09T11:00:00.000Z', '2026-03-09T12:00:00.000Z']);
    expect((await loadAlerts(engine.store)).map(a => a.firstActivity)).toEqual(['2026-03-09T10:00:00.0000000Z', '2026-03-09T11:00:00.0000000Z', '2026-03-09T12:00:00.0000000Z']);
    const [{ count }] = (await engine.query('DeviceProcessEvents | count')).rows.map(r => ({ count: r[0] }));
    expect(count).toBe(3n);
  });
});
