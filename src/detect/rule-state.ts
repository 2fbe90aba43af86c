// Rules switched on or off by people (from the console or `chainhunt rules`), kept in the database:
// the rule files stay as they are, and each database remembers its own choices.
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { LoadedRule } from './rules.js';

export const RULE_STATE_TABLE = '_chainhunt_rule_state';

async function ensureRuleState(store: DuckDbStore): Promise<void> {
  await store.sql(`CREATE TABLE IF NOT EXISTS ${RULE_STATE_TABLE} (RuleId VARCHAR PRIMARY KEY, Enabled BOOLEAN NOT NULL, UpdatedTime VARCHAR NOT NULL, UpdatedBy VARCHAR NOT NULL)`);
}

/** The rules with `enabled` as this database says (a rule never switched keeps its front matter's value). */
export async function withRuleState(store: DuckDbStore, rules: readonly LoadedRule[]): Promise<LoadedRule[]> {
  await ensureRuleState(store);
  const state = new Map((await store.sql(`SELECT RuleId, Enabled FROM ${RULE_STATE_TABLE}`)).map(r => [String(r[0]), Boolean(r[1])]));
  return rules.map(r => (state.has(r.id) && state.get(r.id) !== r.enabled ? { ...r, enabled: state.get(r.id)! } : r));
}

export async function setRuleEnabled(store: DuckDbStore, ruleId: string, enabled: boolean, by: string, now = new Date()): Promise<void> {
  await ensureRuleState(store);
  await store.sql(`INSERT OR REPLACE INTO ${RULE_STATE_TABLE} VALUES ($1, $2, $3, $4)`, [ruleId, enabled, now.toISOString(), by]);
}
