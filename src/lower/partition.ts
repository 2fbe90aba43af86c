// Subqueries applied per group of rows (mv-apply per input row, partition per key value): the
// subquery is lowered once over the whole input, then its plan is rewritten so that every
// operator between the input and the result works within each group: summarize groups by the
// partition keys too, take/top keep N rows per group, projections carry the keys along.
import type { ColumnDef } from '../schema/kusto-types.js';
import { column, type ScalarExpr } from '../ir/scalar.js';
import {
  aggregate, distinct, filter, join, limit, mvExpand, project, shared, sort, union, window,
  type NamedExpr, type RelNode,
} from '../ir/relational.js';

export class PartitionRewriteError extends Error {}

/** Rewrites `plan` (built over `source`) so that it runs separately for each value of `keys`. */
export function partitionPlan(plan: RelNode, source: RelNode, keys: readonly ColumnDef[]): RelNode {
  const containsMemo = new Map<RelNode, boolean>();
  const contains = (n: RelNode): boolean => {
    if (n === source) return true;
    const known = containsMemo.get(n);
    if (known !== undefined) return known;
    const result = children(n).some(contains);
    containsMemo.set(n, result);
    return result;
  };
  const keyRefs: ScalarExpr[] = keys.map(k => column(k.name, k.type));
  const keyNames = new Set(keys.map(k => k.name));
  const memo = new Map<RelNode, RelNode>();
  const rewrite = (n: RelNode): RelNode => {
    if (n === source || !contains(n)) return n;
    const done = memo.get(n);
    if (done) return done;
    const r = rewriteNode(n);
    memo.set(n, r);
    return r;
  };
  const rewriteNode = (n: RelNode): RelNode => {
    switch (n.kind) {
      case 'filter':
        return filter(rewrite(n.input), n.predicate);
      case 'project': {
        const exprs: NamedExpr[] = n.exprs.filter(e => !keyNames.has(e.name));
        return project(rewrite(n.input), [...keys.map(k => ({ name: k.name, expr: column(k.name, k.type) })), ...exprs]);
      }
      case 'aggregate':
        return aggregate(rewrite(n.input), [...keys.map(k => ({ name: k.name, expr: column(k.name, k.type) })), ...n.keys.filter(k => !keyNames.has(k.name))], n.aggregations);
      case 'sort':
        return sort(rewrite(n.input), n.keys);
      case 'limit':
        return limit(rewrite(n.input), n.count, [...keyRefs, ...(n.partitionBy ?? [])]);
      case 'distinct':
        return distinct(rewrite(n.input));
      case 'mv-expand':
        return mvExpand(rewrite(n.input), n.expansions, n.bagExpansion, n.indexColumn, n.rowLimit);
      case 'window':
        return window(rewrite(n.input), [...keyRefs, ...n.partitionBy], n.orderBy, n.outputs);
      case 'shared':
        return shared(rewrite(n.input), n.materialize);
      case 'union':
        if (n.inputs.every(contains)) {
          const inputs = n.inputs.map(rewrite);
          return union(inputs, [...keys, ...n.columns.filter(c => !keyNames.has(c.name))], n.byName);
        }
        throw new PartitionRewriteError('a union of the per-group rows with other rows');
      case 'join': {
        const left = contains(n.left);
        const right = contains(n.right);
        const l = left ? rewrite(n.left) : n.left;
        const r = right ? rewrite(n.right) : n.right;
        const leftKeys = [...n.leftKeys];
        const rightKeys = [...n.rightKeys];
        if (left && right) {
          leftKeys.push(...keyRefs);
          rightKeys.push(...keyRefs);
        }
        const side: 'left' | 'right' = left && n.joinKind !== 'rightsemi' && n.joinKind !== 'rightanti' ? 'left' : 'right';
        const outputs = [...keys.map(k => ({ name: k.name, type: k.type, side, source: k.name })), ...n.outputs.filter(o => !keyNames.has(o.name))];
        const j = join(n.joinKind, l, r, leftKeys, rightKeys, outputs);
        return n.residual ? { ...j, residual: n.residual, residualColumns: n.residualColumns } : j;
      }
      case 'make-series':
        return {
          ...n,
          input: rewrite(n.input),
          keys: [...keys.map(k => ({ name: k.name, expr: column(k.name, k.type) })), ...n.keys.filter(k => !keyNames.has(k.name))],
          columns: [...keys, ...n.columns.filter(c => !keyNames.has(c.name))],
        };
      case 'sequence-scan':
        return { ...n, input: rewrite(n.input), partitionBy: [...keyRefs, ...n.partitionBy] };
      default:
        throw new PartitionRewriteError(`the operator ${n.kind} inside a per-group subquery`);
    }
  };
  return rewrite(plan);
}

export function children(n: RelNode): RelNode[] {
  switch (n.kind) {
    case 'scan':
    case 'values':
    case 'range':
      return [];
    case 'join':
      return [n.left, n.right];
    case 'graph-match':
    case 'graph-components':
      return [n.nodes, n.edges];
    case 'union':
      return [...n.inputs];
    default:
      return [n.input];
  }
}
