// The raw telemetry behind an alert: for each of its source events, the stored row (every column of
// the Defender table), so an analyst can always get from an alert to the events that raised it.
import type { Alert, SourceEvent } from '../detect/model.js';
import { DEFENDER_TABLES } from '../schema/defender.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import type { QueryResult } from '../store/result.js';
import { quoteDuckDbIdentifier as q } from '../sql/duckdb/dialect.js';
import type { BoundParameter } from '../sql/dialect.js';

export interface EvidenceTable extends QueryResult {
  readonly table: string;
}

/** Source events are matched by ReportId and device, within a second of their recorded time. */
const SLACK_SECONDS = 1;
const BATCH = 200;

export async function alertEvidenceRows(store: DuckDbStore, alert: Alert): Promise<EvidenceTable[]> {
  const byTable = new Map<string, SourceEvent[]>();
  for (const e of alert.sourceEvents) {
    if (!DEFENDER_TABLES.has(e.table)) continue;
    if (!byTable.has(e.table)) byTable.set(e.table, []);
    byTable.get(e.table)!.push(e);
  }
  const out: EvidenceTable[] = [];
  for (const [table, events] of byTable) {
    const def = DEFENDER_TABLES.get(table)!;
    await store.ensureTables([table]);
    const names = new Set(def.columns.map(c => c.name));
    const rows: QueryResult["rows"][number][] = [];
    let columns: QueryResult['columns'] = def.columns.map(c => ({ name: c.name, type: c.type }));
    for (let i = 0; i < events.length; i += BATCH) {
      const params: BoundParameter[] = [];
      const p = (value: string) => {
        params.push({ value, type: 'string' });
        return `$${params.length}`;
      };
      const matches = events.slice(i, i + BATCH).map(e => {
        const conds = [`CAST(${q('ReportId')} AS VARCHAR) = ${p(e.reportId)}`];
        if (names.has('DeviceName') && e.deviceName) conds.push(`${q('DeviceName')} = ${p(e.deviceName)}`);
        if (names.has('Timestamp') && e.timestamp) {
          const t = p(e.timestamp.replace(/Z$/, '').replace(/(\.\d{6})\d+/, '$1'));
          conds.push(`${q('Timestamp')} BETWEEN CAST(${t} AS TIMESTAMP) - INTERVAL ${SLACK_SECONDS} SECOND AND CAST(${t} AS TIMESTAMP) + INTERVAL ${SLACK_SECONDS} SECOND`);
        }
        return `(${conds.join(' AND ')})`;
      });
      const order = names.has('Timestamp') ? ` ORDER BY ${q('Timestamp')}` : '';
      const result = await store.run({
        sql: `SELECT ${def.columns.map(c => q(c.name)).join(', ')} FROM ${q(table)} WHERE ${matches.join(' OR ')}${order}`,
        params,
        columns: def.columns,
      });
      columns = result.columns;
      rows.push(...result.rows);
    }
    out.push({ table, columns, rows });
  }
  return out;
}
