// Pass: a filter right above an inner join whose conjuncts read columns of both sides (the time
// windows hunting queries put after a join: `| where T2 between (T1 .. T1 + 10m)`) becomes part of
// the join condition, so the database checks it while matching pairs instead of materialising
// every pair of rows that share the key first.
import type { ScalarExpr } from '../scalar.js';
import { call, forEachScalar } from '../scalar.js';
import { filter, type Join, type RelNode } from '../relational.js';

function conjuncts(e: ScalarExpr): ScalarExpr[] {
  return e.kind === 'call' && e.fn === 'and' ? e.args.flatMap(conjuncts) : [e];
}

/** True when every column the expression reads is a join output, and it holds no window or subquery. */
function movable(e: ScalarExpr, outputs: ReadonlyMap<string, { side: 'left' | 'right'; source: string }>): boolean {
  let ok = true;
  forEachScalar(e, x => {
    if (x.kind === 'column' && !outputs.has(x.name)) ok = false;
    if (x.kind === 'window' || x.kind === 'scalar-subquery' || x.kind === 'set-predicate') ok = false;
  });
  return ok;
}

export function filterIntoJoin(node: RelNode): RelNode {
  if (node.kind !== 'filter' || node.input.kind !== 'join') return node;
  const join: Join = node.input;
  if (join.joinKind !== 'inner' && join.joinKind !== 'innerunique') return node;
  const outputs = new Map(join.outputs.map(o => [o.name, { side: o.side, source: o.source }] as const));
  const parts = conjuncts(node.predicate);
  const moved = parts.filter(p => movable(p, outputs));
  if (moved.length === 0) return node;
  const kept = parts.filter(p => !moved.includes(p));
  const residualColumns = new Map(join.residualColumns ?? []);
  for (const p of moved) forEachScalar(p, x => {
    if (x.kind === 'column') residualColumns.set(x.name, outputs.get(x.name)!);
  });
  const residual = [...(join.residual ? [join.residual] : []), ...moved].reduce((a, b) => call('and', [a, b], 'bool'));
  const joined: Join = { ...join, residual, residualColumns };
  return kept.length ? filter(joined, kept.reduce((a, b) => call('and', [a, b], 'bool'))) : joined;
}
