// The database tables a plan reads. Walks the plan generically, so new node kinds need no change here.
import type { RelNode } from './relational.js';

export function referencedTables(plan: RelNode): string[] {
  const found = new Set<string>();
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    const node = value as { kind?: unknown; table?: unknown };
    if (node.kind === 'scan' && typeof node.table === 'string') found.add(node.table);
    for (const v of Object.values(value)) visit(v);
  };
  visit(plan);
  return [...found].sort();
}
