// Bottom-up rewriting of a plan. Children are found generically (any property holding a plan node
// or a list of them), so passes need no change when node kinds are added. A node reached twice (a
// shared sub-plan) is rewritten once and stays one object.
import type { RelNode } from '../relational.js';

function isRelNode(v: unknown): v is RelNode {
  return !!v && typeof v === 'object' && typeof (v as { kind?: unknown }).kind === 'string' && Array.isArray((v as { columns?: unknown }).columns);
}

export function rewritePlan(plan: RelNode, visit: (node: RelNode) => RelNode): RelNode {
  const done = new Map<RelNode, RelNode>();
  const rewrite = (node: RelNode): RelNode => {
    const known = done.get(node);
    if (known) return known;
    let changed = false;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (isRelNode(value)) {
        const r = rewrite(value);
        changed ||= r !== value;
        copy[key] = r;
      } else if (Array.isArray(value) && value.length > 0 && value.every(isRelNode)) {
        const rs = value.map(rewrite);
        changed ||= rs.some((r, i) => r !== value[i]);
        copy[key] = rs;
      } else {
        copy[key] = value;
      }
    }
    const result = visit(changed ? (copy as unknown as RelNode) : node);
    done.set(node, result);
    return result;
  };
  return rewrite(plan);
}
