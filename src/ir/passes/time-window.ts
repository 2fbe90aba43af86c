// Pass: every table a plan reads is limited to a time window on its Timestamp, as Defender limits a
// custom detection's query to its lookback. Detections run their KQL unchanged over a window this way.
import { call, column, literal } from '../scalar.js';
import { filter, type RelNode } from '../relational.js';
import { rewritePlan } from './rewrite.js';

export interface TimeWindow {
  /** Inclusive start and exclusive end, in 100-ns ticks since the Unix epoch. */
  readonly from: bigint;
  readonly to: bigint;
}

export function limitToWindow(plan: RelNode, window: TimeWindow): RelNode {
  return rewritePlan(plan, node => {
    if (node.kind !== 'scan') return node;
    const ts = node.columns.find(c => c.name === 'Timestamp' && c.type === 'datetime');
    if (!ts) return node;
    const at = column('Timestamp', 'datetime');
    const inWindow = call('and', [
      call('ge', [at, literal(window.from, 'datetime')], 'bool'),
      call('lt', [at, literal(window.to, 'datetime')], 'bool'),
    ], 'bool');
    return filter(node, inWindow);
  });
}
