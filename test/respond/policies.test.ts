import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicies, parseDuration, parsePolicy } from '../../src/respond/policies.js';

const GOOD = `
id: p1
name: Test policy
trigger:
  sameUser: true
  within: 4h
  steps:
    - stages: [2]
    - stages: [7]
      tactics: [Lateral Movement]
actions:
  - type: disableUser
  - type: isolateDevice
    from: first
`;

describe('policy files', () => {
  it('ships the seed policy and loads every shipped policy', () => {
    const policies = loadPolicies();
    expect(policies.map(p => p.id)).toEqual(['remote-assist-then-implant', 'remote-assist-then-winrm']);
    const seed = policies.find(p => p.id === 'remote-assist-then-winrm')!;
    expect(seed.enabled).toBe(true);
    expect(seed.trigger).toMatchObject({ order: 'sequence', sameUser: true, sameDevice: false, within: '24h', withinMs: 86_400_000 });
    expect(seed.trigger.steps.map(s => s.stages)).toEqual([[2], [7]]);
    expect(seed.actions).toEqual([
      { type: 'disableUser', target: 'user', from: 'all' },
      { type: 'revokeSessions', target: 'user', from: 'all' },
      { type: 'isolateDevice', target: 'device', from: 'first' },
    ]);
    expect(seed.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('parses a policy with defaults', () => {
    const p = parsePolicy('p1.yaml', GOOD);
    expect(p).toMatchObject({ id: 'p1', name: 'Test policy', enabled: true, version: '1', description: '' });
    expect(p.trigger.steps[1]).toEqual({ name: 'step 2', stages: [7], tactics: ['Lateral Movement'], rules: [], titles: [], minSeverity: 'informational' });
    expect(p.exclude).toEqual({ users: [], devices: [] });
  });

  it('reads JSON policies too', () => {
    const p = parsePolicy('p.json', JSON.stringify({ id: 'j', name: 'J', trigger: { steps: [{ rules: ['r-*'] }] }, actions: [{ type: 'revokeSessions' }] }));
    expect(p.trigger.steps[0]!.rules).toEqual(['r-*']);
    expect(p.trigger.withinMs).toBeNull();
  });

  const bad: [string, string, string][] = [
    ['missing id', GOOD.replace('id: p1\n', ''), 'bad.yaml: id: is required'],
    ['unknown field', GOOD.replace('name: Test policy', 'name: Test policy\nenable: true'), 'bad.yaml:4: enable: unknown field (known: id, name, description, enabled, version, trigger, actions, exclude)'],
    ['bad stage', GOOD.replace('stages: [7]', 'stages: [12]'), 'bad.yaml:9: trigger.steps.1.stages.0: 12 is not a stage number 1–9'],
    ['empty step', GOOD.replace('    - stages: [2]\n', '    - name: nothing\n'), 'bad.yaml:8: trigger.steps.0: a step needs at least one of stages, tactics, rules, titles'],
    ['bad within', GOOD.replace('within: 4h', 'within: soon'), "bad.yaml:6: trigger.within: 'soon' is not a duration"],
    ['bad action', GOOD.replace('type: disableUser', 'type: wipeDevice'), "bad.yaml:12: actions.0.type: 'wipeDevice' is not an action"],
    ['target mismatch', GOOD.replace('    from: first', '    target: user'), 'bad.yaml:14: actions.1.target: isolateDevice acts on a device, not a user'],
    ['bad order', GOOD.replace('sameUser: true', 'sameUser: true\n  order: random'), "trigger.order: must be 'sequence' or 'any'"],
    ['bad yaml', 'id: [unclosed', 'bad.yaml:1: not valid YAML/JSON'],
    ['not a mapping', '- a\n- b', 'bad.yaml:1: a policy must be a mapping'],
    ['no actions', GOOD.slice(0, GOOD.indexOf('actions:')), 'bad.yaml: actions: must list at least one action'],
    ['bad severity', GOOD.replace('stages: [2]', 'stages: [2]\n      minSeverity: critical'), 'minSeverity: must be one of informational, low, medium, high'],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses a policy with ${what}, naming the file`, () => {
      expect(() => parsePolicy('bad.yaml', text)).toThrow(message);
    });
  }

  it('refuses two policies with one id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chainhunt-policies-'));
    writeFileSync(join(dir, 'a.yaml'), GOOD);
    writeFileSync(join(dir, 'b.yml'), GOOD);
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    try {
      expect(() => loadPolicies(dir)).toThrow(`${join(dir, 'b.yml')}: policy id 'p1' is also used by a.yaml`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses durations', () => {
    expect([parseDuration('90s'), parseDuration('30m'), parseDuration('4h'), parseDuration('1d'), parseDuration('1.5h'), parseDuration('250ms'), parseDuration('4 hours')])
      .toEqual([90_000, 1_800_000, 14_400_000, 86_400_000, 5_400_000, 250, null]);
  });
});
