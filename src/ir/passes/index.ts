// The optimisation passes run on every plan before SQL generation, in order.
import type { RelNode } from '../relational.js';
import { filterIntoJoin } from './filter-into-join.js';
import { rewritePlan } from './rewrite.js';

const PASSES: readonly ((node: RelNode) => RelNode)[] = [filterIntoJoin];

export function optimize(plan: RelNode): RelNode {
  return PASSES.reduce((p, pass) => rewritePlan(p, pass), plan);
}
