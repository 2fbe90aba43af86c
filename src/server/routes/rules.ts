// Detection rules: the pack with each rule's alert count, switching rules on and off, and running one now.
import type { FastifyInstance } from 'fastify';
import { loadRules, type LoadedRule } from '../../detect/rules.js';
import { setRuleEnabled, withRuleState } from '../../detect/rule-state.js';
import { ALERTS_TABLE, ensureAlertTables } from '../../detect/alert-store.js';
import { detect } from '../../detect/detect.js';
import { correlate } from '../../correlate/index.js';
import { respond } from '../../respond/index.js';
import type { DuckDbStore } from '../../store/duckdb-store.js';
import type { ServerContext } from '../context.js';
import { notFound } from '../errors.js';

function ruleView(r: LoadedRule, alertCount: number) {
  return {
    id: r.id, title: r.title, description: r.description, severity: r.severity, tactics: r.tactics, techniques: r.techniques,
    stages: r.stages, frequency: r.frequency, lookback: r.lookback, entities: r.entities, responseActions: r.responseActions,
    enabled: r.enabled, query: r.query, file: r.file, tables: r.tables, alertCount,
  };
}

async function alertCounts(store: DuckDbStore): Promise<Map<string, number>> {
  await ensureAlertTables(store);
  return new Map((await store.sql(`SELECT RuleId, count(*) FROM ${ALERTS_TABLE} GROUP BY RuleId`)).map(r => [String(r[0]), Number(r[1])]));
}

const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id'] } as const;

export function registerRuleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const rulesFor = async (store: DuckDbStore) => withRuleState(store, loadRules(ctx.rulesDir));

  app.get('/api/rules', {
    schema: { tags: ['rules'], summary: 'The detection rules, with whether each is enabled in this database and how many alerts it raised' },
  }, async () => ctx.withSession(async s => {
    const counts = await alertCounts(s.store);
    return { rules: (await rulesFor(s.store)).map(r => ruleView(r, counts.get(r.id) ?? 0)) };
  }));

  app.patch<{ Params: { id: string }; Body: { enabled: boolean } }>('/api/rules/:id', {
    schema: {
      tags: ['rules'],
      summary: 'Enable or disable a rule (in this database)',
      params: idParams,
      body: { type: 'object', required: ['enabled'], additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
    },
  }, async request => ctx.exclusive(async s => {
    const rules = await rulesFor(s.store);
    if (!rules.some(r => r.id === request.params.id)) throw notFound(`rule ${request.params.id}`);
    await setRuleEnabled(s.store, request.params.id, request.body.enabled, 'console');
    const rule = (await rulesFor(s.store)).find(r => r.id === request.params.id)!;
    return { rule: ruleView(rule, (await alertCounts(s.store)).get(rule.id) ?? 0) };
  }));

  app.post<{ Params: { id: string } }>('/api/rules/:id/run', {
    schema: {
      tags: ['rules'],
      summary: 'Run one rule now over the stored data, then correlate and respond (dry-run unless configured)',
      params: idParams,
    },
  }, async request => ctx.exclusive(async s => {
    const rule = (await rulesFor(s.store)).find(r => r.id === request.params.id);
    if (!rule) throw notFound(`rule ${request.params.id}`);
    const result = await detect(s, [{ ...rule, enabled: true }]);
    const summary = result.rules[0];
    if (summary?.error) throw new Error(summary.error);
    const correlation = await correlate(s.store);
    const response = await respond(s.store);
    return {
      ruleId: rule.id, rows: summary?.rows ?? 0, alerts: summary?.alerts ?? 0, newAlerts: result.added,
      incidents: correlation.incidents, actions: response.recorded.length,
    };
  }));
}
