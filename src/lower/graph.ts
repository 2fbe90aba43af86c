// Graph semantics: make-graph builds a graph (a nodes relation and an edges relation, kept aside
// for the graph operators that follow), graph-match / graph-shortest-paths find patterns in it,
// graph-mark-components labels its components and graph-to-table turns it back into a table.
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import { call, column, literal, nullOf, type ScalarExpr } from '../ir/scalar.js';
import {
  aggregate, distinct, join, project, union, window,
  type GraphComponents, type GraphMatch, type GraphSegment, type NamedExpr, type RelNode,
} from '../ir/relational.js';
import { elements, items, kindName, namedParameters, nodeText, parameterText, type Expression, type SyntaxNode } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { asBool, lowerScalar, EMPTY_SCOPE, type RowScope } from './scalar.js';
import { convert } from './convert.js';
import { lowerSubquery, lowerTabular } from './tabular.js';
import { symbolKind } from './names.js';

/** A graph: nodes (__nid, properties, __deg_in, __deg_out) and edges (__src, __dst, __eid, properties). */
interface Graph {
  readonly nodes: RelNode;
  readonly edges: RelNode;
  readonly nodeProps: readonly ColumnDef[];
  readonly edgeProps: readonly ColumnDef[];
}

/** Graphs by the placeholder relation that stands for them in the operator pipeline. */
const graphs = new WeakMap<RelNode, Graph>();

function graphOf(ctx: LowerContext, input: RelNode | undefined, node: SyntaxNode): Graph {
  const g = input ? graphs.get(input) : undefined;
  if (!g) throw ctx.error(node, 'this operator needs a graph (make-graph) as its input');
  return g;
}

function asGraph(g: Graph): RelNode {
  graphs.set(g.nodes, g);
  return g.nodes;
}

const idOf = (value: ScalarExpr, partition?: ScalarExpr): ScalarExpr => {
  const text = value.type === 'string' ? value : convert(value, 'string');
  if (!partition) return text;
  return call('strcat', [convert(partition, 'string'), literal('\u0001', 'string'), text], 'string');
};

/** Adds in- and out-degrees to the nodes. */
function withDegrees(nodes: RelNode, edges: RelNode): RelNode {
  const counts = (side: '__src' | '__dst', name: string) => aggregate(edges, [{ name: '__nid', expr: column(side, 'string') }], [{ fn: 'count', args: [], outputs: [{ name, type: 'long' }] }]);
  const keep = nodes.columns.map(c => ({ name: c.name, type: c.type, side: 'left' as const, source: c.name }));
  const withOut = join('leftouter', nodes, counts('__src', '__out'), [column('__nid', 'string')], [column('__nid', 'string')], [...keep, { name: '__out', type: 'long', side: 'right', source: '__out' }]);
  const withIn = join('leftouter', withOut, counts('__dst', '__in'), [column('__nid', 'string')], [column('__nid', 'string')], [
    ...withOut.columns.map(c => ({ name: c.name, type: c.type, side: 'left' as const, source: c.name })), { name: '__in', type: 'long', side: 'right', source: '__in' },
  ]);
  return project(withIn, [
    ...nodes.columns.map(c => ({ name: c.name, expr: column(c.name, c.type) as ScalarExpr })),
    { name: '__deg_in', expr: call('coalesce', [column('__in', 'long'), literal(0n, 'long')], 'long') },
    { name: '__deg_out', expr: call('coalesce', [column('__out', 'long'), literal(0n, 'long')], 'long') },
  ]);
}

export function lowerMakeGraph(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.MakeGraphOperator): RelNode {
  const scope: RowScope = { columns: input.columns };
  const src = lowerScalar(ctx, node.SourceColumn!, scope);
  const dst = lowerScalar(ctx, node.TargetColumn!, scope);
  const direction = nodeText(node.DirectionToken!);
  if (direction !== '-->') throw ctx.unsupported(node, `make-graph with ${direction} edges`);
  const partitioned = node.PartitionedByClause;
  const partitionName = partitioned?.Entity?.SimpleName ?? undefined;
  const partitionOf = (rel: RelNode): ScalarExpr | undefined => {
    if (!partitionName) return undefined;
    const c = rel.columns.find(x => x.name === partitionName);
    return c ? column(c.name, c.type) : undefined;
  };
  const edgeProps = input.columns.filter(c => !c.name.startsWith('__'));
  const numberedEdges = window(input, [], [], [{ name: '__eid', type: 'long', fn: 'row_number', args: [] }]);
  const edges = project(numberedEdges, [
    { name: '__src', expr: idOf(src, partitionOf(input)) },
    { name: '__dst', expr: idOf(dst, partitionOf(input)) },
    { name: '__eid', expr: column('__eid', 'long') },
    ...edgeProps.map(c => ({ name: c.name, expr: column(c.name, c.type) as ScalarExpr })),
  ]);
  // The end points of the edges, with their key values.
  const endpoint = (side: ScalarExpr, id: string) => project(edges, [{ name: '__nid', expr: column(id, 'string') }, { name: '__key', expr: side.kind === 'column' ? column(side.name, side.type) : side }]);
  const endpoints = distinct(union([endpoint(src, '__src'), endpoint(dst, '__dst')], [{ name: '__nid', type: 'string' }, { name: '__key', type: src.type }]));
  let nodes: RelNode;
  let nodeProps: ColumnDef[];
  const withClause = node.WithClause;
  if (withClause && kindName(withClause) === 'MakeGraphWithImplicitIdClause') {
    const name = (withClause as Kusto.Language.Syntax.MakeGraphWithImplicitIdClause).Name!.SimpleName!;
    nodeProps = [{ name, type: src.type }];
    nodes = project(endpoints, [{ name: '__nid', expr: column('__nid', 'string') }, { name, expr: column('__key', src.type) }]);
  } else if (withClause) {
    const tables = elements<Kusto.Language.Syntax.MakeGraphTableAndKeyClause>((withClause as Kusto.Language.Syntax.MakeGraphWithTablesAndKeysClause).TablesAndKeys);
    const parts: RelNode[] = [];
    nodeProps = [];
    let firstKey: ColumnDef | undefined;
    for (const t of tables) {
      const rel = lowerTabular(ctx, t.Table!);
      const key = lowerScalar(ctx, t.Column!, { columns: rel.columns });
      if (key.kind !== 'column') throw ctx.error(t.Column, 'make-graph needs a key column');
      firstKey ??= { name: key.name, type: key.type };
      for (const c of rel.columns) if (!nodeProps.some(p => p.name === c.name)) nodeProps.push(c);
      parts.push(project(rel, [{ name: '__nid', expr: idOf(key, partitionOf(rel)) }, ...rel.columns.map(c => ({ name: c.name, expr: column(c.name, c.type) as ScalarExpr }))]));
    }
    const columns: ColumnDef[] = [{ name: '__nid', type: 'string' }, ...nodeProps];
    const declared = parts.length === 1 ? parts[0]! : union(parts, columns, true);
    // End points without a row in the node tables are nodes too, with only their key.
    const missing = join('leftanti', endpoints, declared, [column('__nid', 'string')], [column('__nid', 'string')], [
      { name: '__nid', type: 'string', side: 'left', source: '__nid' }, { name: '__key', type: src.type, side: 'left', source: '__key' },
    ]);
    const implicit = project(missing, [
      { name: '__nid', expr: column('__nid', 'string') },
      ...(firstKey ? [{ name: firstKey.name, expr: convert(column('__key', src.type), firstKey.type) }] : []),
    ]);
    nodes = union([declared, implicit], columns, true);
  } else {
    nodeProps = [];
    nodes = project(endpoints, [{ name: '__nid', expr: column('__nid', 'string') }]);
  }
  const graph: Graph = { nodes: withDegrees(nodes, edges), edges, nodeProps, edgeProps };
  // partitioned-by: node ids carry the partition value, so the graph is the disjoint union of the
  // partitions' graphs and the subquery runs over all of them at once.
  if (partitioned?.Subquery) return lowerSubquery(ctx, partitioned.Subquery, asGraph(graph));
  return asGraph(graph);
}

// ---------------------------------------------------------------- graph-match

interface Pattern {
  nodeVars: string[];
  segments: GraphSegment[];
}

let anonymous = 0;

function patternOf(ctx: LowerContext, p: Kusto.Language.Syntax.GraphMatchPattern): Pattern {
  const nodeVars: string[] = [];
  const segments: GraphSegment[] = [];
  for (const el of items<SyntaxNode>(p.PatternElements as never)) {
    const k = kindName(el);
    if (k === 'GraphMatchPatternNode') {
      const n = el as Kusto.Language.Syntax.GraphMatchPatternNode;
      nodeVars.push(n.Name?.SimpleName ?? `__node${++anonymous}`);
    } else if (k === 'GraphMatchPatternEdge') {
      const e = el as Kusto.Language.Syntax.GraphMatchPatternEdge;
      const first = e.FirstToken?.Text ?? '';
      const last = e.LastToken?.Text ?? '';
      const direction: GraphSegment['direction'] = first.startsWith('<') ? 'backward' : last.endsWith('>') ? 'forward' : 'any';
      let min = 1;
      let max = 1;
      if (e.Range) {
        const start = e.Range.RangeStart ? Number(String(e.Range.RangeStart.toString()).trim()) : 1;
        const end = e.Range.RangeEnd ? Number(String(e.Range.RangeEnd.toString()).trim()) : start;
        min = start;
        max = end;
      }
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) throw ctx.unsupported(el, `the edge range ${nodeText(el)}`);
      segments.push({ edgeVar: e.Name?.SimpleName ?? `__edge${++anonymous}`, direction, min, max });
    } else {
      throw ctx.unsupported(el, `the pattern element ${k}`);
    }
  }
  if (nodeVars.length !== segments.length + 1) throw ctx.error(p, 'a graph pattern alternates nodes and edges');
  return { nodeVars, segments };
}

/**
 * Lowers where/project expressions of a pattern: `var.prop` becomes the column `var.prop`, and
 * any/all/map over a path variable (or its inner_nodes) a graph_* call whose body sees the
 * element's properties as plain columns.
 */
function patternExpressions(ctx: LowerContext, g: Graph, pattern: Pattern, exprs: Expression[]): ScalarExpr[] {
  const nodeVars = new Set(pattern.nodeVars);
  const edgeVars = new Set(pattern.segments.map(s => s.edgeVar));
  const varName = (e: SyntaxNode | null | undefined): string | undefined => {
    if (!e || kindName(e) !== 'NameReference') return undefined;
    const n = e as Kusto.Language.Syntax.NameReference;
    if (symbolKind(n.ReferencedSymbol) !== 'VariableSymbol') return undefined;
    const name = n.SimpleName ?? '';
    return nodeVars.has(name) || edgeVars.has(name) ? name : undefined;
  };
  const propType = (v: string, prop: string): KustoType => {
    const props = nodeVars.has(v) ? g.nodeProps : g.edgeProps;
    return props.find(c => c.name === prop)?.type ?? 'dynamic';
  };
  const replacements = new Map<unknown, ScalarExpr>(ctx.replacements ?? []);
  const elementScope = (list: 'edges' | 'inner'): RowScope => ({
    columns: [...(list === 'edges' ? g.edgeProps : g.nodeProps), { name: '__deg_in', type: 'long' }, { name: '__deg_out', type: 'long' }],
  });
  const withReplacements = <T>(body: () => T): T => {
    const saved = ctx.replacements;
    ctx.replacements = replacements;
    try {
      return body();
    } finally {
      ctx.replacements = saved;
    }
  };
  // Paths `var.prop` first: list bodies may use them.
  const paths = (n: SyntaxNode) => {
    if (!n || n.IsToken) return;
    if (kindName(n) === 'PathExpression') {
      const p = n as Kusto.Language.Syntax.PathExpression;
      const v = varName(p.Expression);
      if (v) {
        const prop = nodeText(p.Selector!).replace(/^\[['"]|['"]\]$/g, '');
        replacements.set(n, column(`${v}.${prop}`, propType(v, prop)));
        return;
      }
    }
    for (let i = 0; i < n.ChildCount; i++) paths(n.GetChild(i) as SyntaxNode);
  };
  exprs.forEach(paths);
  // Degrees, list functions and path lengths, innermost first.
  const calls = (n: SyntaxNode) => {
    if (!n || n.IsToken) return;
    for (let i = 0; i < n.ChildCount; i++) calls(n.GetChild(i) as SyntaxNode);
    if (kindName(n) !== 'FunctionCallExpression') return;
    const fc = n as Kusto.Language.Syntax.FunctionCallExpression;
    const name = (fc.Name?.SimpleName ?? '').toLowerCase();
    const args = elements<Expression>(fc.ArgumentList?.Expressions);
    if ((name === 'node_degree_in' || name === 'node_degree_out') && args.length === 1 && varName(args[0]) && nodeVars.has(varName(args[0])!)) {
      replacements.set(n, column(`${varName(args[0])}.__deg_${name.endsWith('in') ? 'in' : 'out'}`, 'long'));
    } else if ((name === 'node_degree_in' || name === 'node_degree_out') && args.length === 0) {
      replacements.set(n, column(`__deg_${name.endsWith('in') ? 'in' : 'out'}`, 'long'));
    } else if ((name === 'any' || name === 'all' || name === 'map') && args.length === 2) {
      let list: 'edges' | 'inner' | undefined;
      let v = varName(args[0]);
      if (v && edgeVars.has(v)) list = 'edges';
      else if (kindName(args[0]!) === 'FunctionCallExpression') {
        const inner = args[0] as Kusto.Language.Syntax.FunctionCallExpression;
        const innerArgs = elements<Expression>(inner.ArgumentList?.Expressions);
        if ((inner.Name?.SimpleName ?? '').toLowerCase() === 'inner_nodes' && innerArgs.length === 1) {
          v = varName(innerArgs[0]);
          if (v && edgeVars.has(v)) list = 'inner';
        }
      }
      if (!list || !v) return;
      const body = withReplacements(() => lowerScalar(ctx, args[1]!, elementScope(list!)));
      const fn = name === 'map' ? 'graph_map' : name === 'any' ? 'graph_any' : 'graph_all';
      const value = name === 'map' ? convert(body, 'dynamic') : asBool(ctx, body);
      replacements.set(n, call(fn, [column(`${v}#${list}`, 'dynamic'), value], name === 'map' ? 'dynamic' : 'bool'));
    } else if (name === 'array_length' && args.length === 1 && varName(args[0]) && edgeVars.has(varName(args[0])!)) {
      replacements.set(n, call('graph_len', [column(`${varName(args[0])}#edges`, 'dynamic')], 'long'));
    }
  };
  exprs.forEach(calls);
  const scope: RowScope = { columns: [] };
  return withReplacements(() => exprs.map(e => lowerScalar(ctx, e, scope)));
}

export function lowerGraphMatch(ctx: LowerContext, input: RelNode | undefined, node: Kusto.Language.Syntax.GraphMatchOperator | Kusto.Language.Syntax.GraphShortestPathsOperator, shortest: boolean): RelNode {
  const g = graphOf(ctx, input, node);
  const out = tableColumns(ctx, node);
  const params = namedParameters(node.Parameters);
  const cycles = (parameterText(params.get('cycles')) ?? (shortest ? 'none' : 'unique_edges')).toLowerCase();
  if (cycles !== 'all' && cycles !== 'none' && cycles !== 'unique_edges') throw ctx.unsupported(node, `cycles=${cycles}`);
  const patterns = elements<Kusto.Language.Syntax.GraphMatchPattern>(node.Patterns);
  if (patterns.length !== 1) throw ctx.unsupported(node, 'several patterns in one graph-match');
  const pattern = patternOf(ctx, patterns[0]!);
  const whereNode = node.WhereClause?.Condition ?? undefined;
  const projectNodes = elements<Expression>(node.ProjectClause?.Expressions);
  if (projectNodes.length === 0) throw ctx.unsupported(node, 'graph-match without a project clause');
  const lowered = patternExpressions(ctx, g, pattern, whereNode ? [whereNode, ...projectNodes] : projectNodes);
  const where = whereNode ? asBool(ctx, lowered[0]!) : undefined;
  const values = whereNode ? lowered.slice(1) : lowered;
  if (values.length !== out.length) throw ctx.error(node, `internal: ${values.length} expressions for ${out.length} columns`, 'CH900');
  const projectExprs: NamedExpr[] = out.map((c, i) => ({ name: c.name, expr: values[i]!.type === c.type ? values[i]! : convert(values[i]!, c.type) }));
  const plan: GraphMatch = {
    kind: 'graph-match', nodes: g.nodes, edges: g.edges, nodeVars: pattern.nodeVars, segments: pattern.segments,
    cycles, where, project: projectExprs, columns: out,
    ...(shortest ? { shortest: (parameterText(params.get('output')) ?? 'any').toLowerCase() === 'all' ? 'all' as const : 'any' as const } : {}),
  };
  return plan;
}

export function lowerGraphMarkComponents(ctx: LowerContext, input: RelNode | undefined, node: Kusto.Language.Syntax.GraphMarkComponentsOperator): RelNode {
  const g = graphOf(ctx, input, node);
  const params = namedParameters(node.Parameters);
  const kind = (parameterText(params.get('kind')) ?? 'weak').toLowerCase();
  if (kind !== 'weak') throw ctx.unsupported(node, `graph-mark-components kind=${kind}`);
  const idColumn = parameterText(params.get('with_component_id')) ?? 'ComponentId';
  const columns = [...g.nodes.columns.filter(c => c.name !== idColumn), { name: idColumn, type: 'long' as KustoType }];
  const nodes: GraphComponents = { kind: 'graph-components', nodes: g.nodes, edges: g.edges, idColumn, columns };
  return asGraph({ ...g, nodes, nodeProps: [...g.nodeProps.filter(c => c.name !== idColumn), { name: idColumn, type: 'long' }] });
}

export function lowerGraphToTable(ctx: LowerContext, input: RelNode | undefined, node: Kusto.Language.Syntax.GraphToTableOperator): RelNode {
  const g = graphOf(ctx, input, node);
  const out = tableColumns(ctx, node);
  const clauses = elements<Kusto.Language.Syntax.GraphToTableOutputClause>(node.OutputClause);
  const clause = clauses[0];
  if (!clause) throw ctx.error(node, 'graph-to-table needs nodes or edges');
  const entity = (clause.EntityKeyword?.Text ?? '').toLowerCase();
  const params = namedParameters(clause.Parameters);
  // Kusto's node ids are internal numbers: a hash of chainhunt's node key stands in for them.
  const hashed = (id: ScalarExpr) => call('hash', [id], 'long');
  if (entity === 'nodes') {
    const idName = parameterText(params.get('with_node_id'));
    return project(g.nodes, out.map(c => {
      if (c.name === idName) return { name: c.name, expr: convert(hashed(column('__nid', 'string')), c.type) };
      const p = g.nodes.columns.find(x => x.name === c.name);
      return { name: c.name, expr: p ? column(p.name, p.type) : nullOf(c.type) };
    }));
  }
  const srcName = parameterText(params.get('with_source_id'));
  const dstName = parameterText(params.get('with_target_id'));
  return project(g.edges, out.map(c => {
    if (c.name === srcName) return { name: c.name, expr: convert(hashed(column('__src', 'string')), c.type) };
    if (c.name === dstName) return { name: c.name, expr: convert(hashed(column('__dst', 'string')), c.type) };
    const p = g.edges.columns.find(x => x.name === c.name);
    return { name: c.name, expr: p ? column(p.name, p.type) : nullOf(c.type) };
  }));
}

export { EMPTY_SCOPE };
