// evaluate plugins: bag_unpack, ipv4_lookup, rolling_percentile, activity_counts_metrics,
// sliding_window_counts, narrow. Each is composed from relational IR (joins, aggregates, windows);
// output columns come from the binder, except bag_unpack without an output schema, whose columns
// are the bags' keys: found by a probe query over the data (see ProbeNeeded in query.ts).
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import { call, column, literal, nullOf, type ScalarExpr } from '../ir/scalar.js';
import {
  aggregate, filter, join, mvExpand, project, range, sort, union, values, window,
  type JoinOutput, type NamedExpr, type RelNode,
} from '../ir/relational.js';
import { kindName, type Expression } from '../kql/syntax.js';
import { scalarType, tableColumns, type LowerContext } from './context.js';
import { lowerAggregateCall } from './aggregates.js';
import { asBool, lowerScalar, EMPTY_SCOPE, type RowScope } from './scalar.js';
import { callArguments } from './functions.js';
import { convert } from './convert.js';
import { lowerTabular } from './tabular.js';
import { probeAnswer } from './query.js';

type Args = { positional: Expression[]; named: Map<string, Expression> };

function pluginArguments(fc: Kusto.Language.Syntax.FunctionCallExpression): Args {
  const positional: Expression[] = [];
  const named = new Map<string, Expression>();
  for (const a of callArguments(fc)) {
    if (kindName(a) === 'SimpleNamedExpression') {
      const n = a as Kusto.Language.Syntax.SimpleNamedExpression;
      named.set((n.Name?.SimpleName ?? '').toLowerCase(), n.Expression!);
    } else {
      positional.push(a);
    }
  }
  return { positional, named };
}

function constantOf(ctx: LowerContext, e: Expression | undefined): ScalarExpr | undefined {
  if (!e) return undefined;
  return lowerScalar(ctx, e, EMPTY_SCOPE);
}

function constantText(ctx: LowerContext, e: Expression | undefined): string | undefined {
  const v = constantOf(ctx, e);
  if (!v) return undefined;
  if (v.kind !== 'literal') throw ctx.error(e, 'expected a constant');
  return v.value === null ? undefined : String(v.value);
}

function columnOf(ctx: LowerContext, e: Expression, scope: RowScope): { name: string; type: KustoType } {
  const v = lowerScalar(ctx, e, scope);
  if (v.kind !== 'column') throw ctx.error(e, 'expected a column');
  return { name: v.name, type: v.type };
}

export function lowerEvaluate(ctx: LowerContext, input: RelNode | undefined, node: Kusto.Language.Syntax.EvaluateOperator): RelNode {
  const fc = node.FunctionCall!;
  const name = (fc.Name?.SimpleName ?? '?').toLowerCase();
  const need = (): RelNode => {
    if (!input) throw ctx.error(node, `evaluate ${name} needs an input table`);
    return input;
  };
  switch (name) {
    case 'bag_unpack':
      return bagUnpack(ctx, need(), node, pluginArguments(fc));
    case 'ipv4_lookup':
      return ipv4Lookup(ctx, need(), node, pluginArguments(fc));
    case 'rolling_percentile':
      return rollingPercentile(ctx, need(), node, pluginArguments(fc));
    case 'activity_counts_metrics':
      return activityCounts(ctx, need(), node, pluginArguments(fc));
    case 'sliding_window_counts':
      return slidingWindowCounts(ctx, need(), node, pluginArguments(fc));
    case 'narrow':
      return narrow(ctx, need(), node);
    case 'pivot':
      return pivot(ctx, need(), node, pluginArguments(fc));
    case 'dcount_intersect':
      return dcountIntersect(ctx, need(), node, pluginArguments(fc));
    default:
      throw ctx.unsupported(node, `the plugin 'evaluate ${name}'`);
  }
}

// ---------------------------------------------------------------- bag_unpack

/** Kusto's type of a bag slot from the JSON types of its values (gettype names). */
function slotType(kinds: readonly string[]): KustoType {
  const set = new Set(kinds.filter(k => k !== 'null'));
  if (set.size !== 1) return 'dynamic';
  switch ([...set][0]) {
    case 'string': return 'string';
    case 'long': return 'long';
    case 'real': return 'real';
    case 'bool': return 'bool';
    default: return 'dynamic';
  }
}

function bagUnpack(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.EvaluateOperator, args: Args): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const bagNode = args.positional[0];
  if (!bagNode) throw ctx.error(node, 'bag_unpack needs a column');
  const bag = convert(lowerScalar(ctx, bagNode, scope), 'dynamic');
  const bagColumn = bag.kind === 'column' ? bag.name : undefined;
  const prefix = constantText(ctx, args.positional[1] ?? args.named.get('outputcolumnprefix')) ?? '';
  const conflict = (constantText(ctx, args.positional[2] ?? args.named.get('columnsconflict')) ?? 'error').toLowerCase();
  const ignoredNode = args.positional[3] ?? args.named.get('ignoredproperties');
  let ignored = new Set<string>();
  if (ignoredNode) {
    const v = constantOf(ctx, ignoredNode);
    if (v?.kind === 'literal' && typeof v.value === 'string') {
      try {
        const parsed = JSON.parse(v.value) as unknown;
        if (Array.isArray(parsed)) ignored = new Set(parsed.map(String));
      } catch {
        // not an array: nothing ignored
      }
    }
  }
  const slot = (key: string, type: KustoType): ScalarExpr => {
    const value = call('dyn_get', [bag, literal(key, 'string')], 'dynamic');
    return type === 'dynamic' ? value : convert(value, type);
  };
  const kept = input.columns.filter(c => c.name !== bagColumn);
  if (node.Schema) {
    // An output schema: the binder has the columns; those not in the input are slots.
    return project(input, out.map(c => {
      const own = kept.find(k => k.name === c.name);
      if (own) return { name: c.name, expr: column(own.name, own.type) };
      const key = prefix && c.name.startsWith(prefix) ? c.name.slice(prefix.length) : c.name;
      return { name: c.name, expr: slot(key, c.type) };
    }));
  }
  // No schema: the slots of the data, found by a probe (key, [types]).
  const rows = probeAnswer(ctx, node, `bag_unpack@${ctx.spanOf(node).start}:${node.TextStart}`, () => bagKeysPlan(input, bag), 'evaluate bag_unpack without an output schema');
  const slots = rows
    .map(r => ({ key: String(r[0]), type: slotType(Array.isArray(r[1]) ? (r[1] as unknown[]).map(String) : []) }))
    .filter(s => !ignored.has(s.key))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const exprs: NamedExpr[] = kept.map(c => ({ name: c.name, expr: column(c.name, c.type) }));
  for (const s of slots) {
    const name = prefix + s.key;
    const existing = exprs.findIndex(e => e.name === name);
    if (existing >= 0) {
      if (conflict === 'keep_source') continue;
      if (conflict === 'replace_source') exprs.splice(existing, 1);
      else throw ctx.error(node, `bag_unpack: the property '${s.key}' conflicts with the column '${name}' (use columnsConflict='replace_source' or 'keep_source')`);
    }
    exprs.push({ name, expr: slot(s.key, s.type) });
  }
  // No columns at all (no other column, no keys in the data): the bag column stands in.
  if (exprs.length === 0 && bagColumn) exprs.push({ name: bagColumn, expr: bag });
  return project(input, exprs);
}

/** The probe of bag_unpack: each distinct key of the bags, with the types of its values. */
function bagKeysPlan(input: RelNode, bag: ScalarExpr): RelNode {
  const bags = project(input, [{ name: '__bag', expr: bag }]);
  const keys = mvExpand(bags, [{ name: '__key', source: call('bag_keys', [column('__bag', 'dynamic')], 'dynamic'), type: 'string' }], 'bag');
  const typed = project(filter(keys, call('isnotempty', [column('__key', 'string')], 'bool')), [
    { name: 'key', expr: column('__key', 'string') },
    { name: 'kind', expr: call('gettype', [call('dyn_get', [column('__bag', 'dynamic'), column('__key', 'string')], 'dynamic')], 'string') },
  ]);
  return aggregate(typed, [{ name: 'key', expr: column('key', 'string') }], [
    { fn: 'make_set', args: [column('kind', 'string')], outputs: [{ name: 'kinds', type: 'dynamic' }] },
  ]);
}

// ---------------------------------------------------------------- ipv4_lookup

function ipv4Lookup(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.EvaluateOperator, args: Args): RelNode {
  const out = tableColumns(ctx, node);
  const [tableNode, sourceNode, rangeNode, ...extra] = args.positional;
  if (!tableNode || !sourceNode || !rangeNode) throw ctx.error(node, 'ipv4_lookup needs a lookup table, a source IP column and a range column');
  const lookup = lowerTabular(ctx, tableNode);
  const source = columnOf(ctx, sourceNode, { columns: input.columns });
  const range = columnOf(ctx, rangeNode, { columns: lookup.columns });
  const returnUnmatched = constantOf(ctx, args.named.get('return_unmatched'));
  const keep = returnUnmatched?.kind === 'literal' && returnUnmatched.value === true;
  const extraKeys = extra.map(e => columnOf(ctx, e, { columns: input.columns }));
  const residualColumns = new Map<string, { side: 'left' | 'right'; source: string }>([
    ['__ip', { side: 'left', source: source.name }],
    ['__range', { side: 'right', source: range.name }],
  ]);
  const residual = call('ipv4_is_in_range', [column('__ip', source.type), column('__range', range.type)], 'bool');
  const outputs: JoinOutput[] = out.map(c => {
    const left = input.columns.some(x => x.name === c.name);
    return { name: c.name, type: c.type, side: left ? 'left' : 'right', source: c.name };
  });
  const keys = extraKeys.map(k => column(k.name, k.type));
  const j = join(keep ? 'leftouter' : 'inner', input, lookup, keys, keys, outputs);
  return { ...j, residual, residualColumns };
}

// ---------------------------------------------------------------- rolling_percentile

function rollingPercentile(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.EvaluateOperator, args: Args): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const [valueNode, pNode, indexNode, binNode, windowNode, ...dimNodes] = args.positional;
  if (!valueNode || !pNode || !indexNode || !binNode || !windowNode) throw ctx.error(node, 'rolling_percentile needs value, percentile, index, bin size and window size');
  const value = lowerScalar(ctx, valueNode, scope);
  const p = constantOf(ctx, pNode)!;
  const index = columnOf(ctx, indexNode, scope);
  const binSize = constantOf(ctx, binNode)!;
  const windowSize = convert(constantOf(ctx, windowNode)!, 'long');
  const dims = dimNodes.map(d => columnOf(ctx, d, scope));
  const resultCol = out[out.length - 1]!;
  const binned = project(input, [
    { name: '__bin', expr: call('bin', [column(index.name, index.type), binSize], index.type) },
    ...dims.map(d => ({ name: d.name, expr: column(d.name, d.type) })),
    { name: '__value', expr: value },
  ]);
  const bins = aggregate(binned, [{ name: '__bin', expr: column('__bin', index.type) }, ...dims.map(d => ({ name: d.name, expr: column(d.name, d.type) }))], []);
  // Each bin with the rows of the window that ends with it: bin - (window - 1) * size <= row bin <= bin.
  const spanType: KustoType = index.type === 'datetime' ? 'timespan' : index.type;
  const lowest = call('sub', [column('__b', index.type), call('mul', [binSize, call('sub', [windowSize, literal(1n, 'long')], 'long')], spanType)], index.type);
  const residual = call('and', [
    call('ge', [column('__r', index.type), lowest], 'bool'),
    call('le', [column('__r', index.type), column('__b', index.type)], 'bool'),
  ], 'bool');
  const residualColumns = new Map<string, { side: 'left' | 'right'; source: string }>([
    ['__b', { side: 'left', source: '__bin' }],
    ['__r', { side: 'right', source: '__bin' }],
  ]);
  const keys = dims.map(d => column(d.name, d.type));
  const pairs = {
    ...join('inner', bins, binned, keys, keys, [
      { name: '__bin', type: index.type, side: 'left', source: '__bin' },
      ...dims.map(d => ({ name: d.name, type: d.type, side: 'left' as const, source: d.name })),
      { name: '__value', type: value.type, side: 'right', source: '__value' },
    ]),
    residual, residualColumns, nullSafe: true,
  };
  const grouped = aggregate(pairs, [{ name: '__bin', expr: column('__bin', index.type) }, ...dims.map(d => ({ name: d.name, expr: column(d.name, d.type) }))], [
    { fn: 'percentile', args: [column('__value', value.type), p], outputs: [{ name: '__p', type: value.type }] },
  ]);
  const result = project(grouped, out.map(c => {
    if (c.name === index.name) return { name: c.name, expr: column('__bin', index.type) };
    if (c === resultCol) return { name: c.name, expr: convert(column('__p', value.type), c.type) };
    return { name: c.name, expr: column(c.name, c.type) };
  }));
  return sort(result, [
    ...dims.map(d => ({ expr: column(d.name, d.type), descending: false, nullsFirst: true })),
    { expr: column(index.name, index.type), descending: false, nullsFirst: true },
  ]);
}

// ---------------------------------------------------------------- activity_counts_metrics

function activityCounts(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.EvaluateOperator, args: Args): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const [idNode, timeNode, startNode, endNode, windowNode, ...dimNodes] = args.positional;
  if (!idNode || !timeNode || !startNode || !endNode || !windowNode) throw ctx.error(node, 'activity_counts_metrics needs id, timeline, start, end and window');
  const id = lowerScalar(ctx, idNode, scope);
  const time = columnOf(ctx, timeNode, scope);
  const start = convert(constantOf(ctx, startNode)!, time.type);
  const end = convert(constantOf(ctx, endNode)!, time.type);
  const step = constantOf(ctx, windowNode)!;
  const dims = dimNodes.map(d => columnOf(ctx, d, scope));
  const dimExprs = dims.map(d => ({ name: d.name, expr: column(d.name, d.type) }));
  const timeCol = column(time.name, time.type);
  const inRange = call('and', [call('ge', [timeCol, start], 'bool'), call('le', [timeCol, end], 'bool')], 'bool');
  const rows = project(filter(input, inRange), [
    { name: '__bin', expr: call('bin_at', [timeCol, step, start], time.type) },
    { name: '__id', expr: id },
    ...dimExprs,
  ]);
  const binCol = column('__bin', time.type);
  const dimCols = dims.map(d => column(d.name, d.type));
  const perBin = aggregate(rows, [{ name: '__bin', expr: binCol }, ...dimExprs], [
    { fn: 'count', args: [], outputs: [{ name: '__count', type: 'long' }] },
    { fn: 'dcount', args: [column('__id', id.type)], outputs: [{ name: '__dcount', type: 'long' }] },
  ]);
  const firstSeen = aggregate(rows, [{ name: '__id', expr: column('__id', id.type) }, ...dimExprs], [
    { fn: 'min', args: [binCol], outputs: [{ name: '__first', type: time.type }] },
  ]);
  const newPerBin = aggregate(firstSeen, [{ name: '__first', expr: column('__first', time.type) }, ...dimExprs], [
    { fn: 'count', args: [], outputs: [{ name: '__new', type: 'long' }] },
  ]);
  const joined = {
    ...join('leftouter', perBin, newPerBin, [binCol, ...dimCols], [column('__first', time.type), ...dimCols], [
      { name: '__bin', type: time.type, side: 'left', source: '__bin' },
      ...dims.map(d => ({ name: d.name, type: d.type, side: 'left' as const, source: d.name })),
      { name: '__count', type: 'long', side: 'left', source: '__count' },
      { name: '__dcount', type: 'long', side: 'left', source: '__dcount' },
      { name: '__new', type: 'long', side: 'right', source: '__new' },
    ]),
    nullSafe: true,
  };
  const filled = project(joined, [
    { name: '__bin', expr: binCol }, ...dimExprs,
    { name: '__count', expr: column('__count', 'long') }, { name: '__dcount', expr: column('__dcount', 'long') },
    { name: '__new', expr: call('coalesce', [column('__new', 'long'), literal(0n, 'long')], 'long') },
  ]);
  const running = window(filled, dimCols, [{ expr: binCol, descending: false, nullsFirst: true }], [
    { name: '__total', type: 'long', fn: 'sum', args: [column('__new', 'long')], frame: 'running' },
  ]);
  const names = ['count', 'dcount', 'new_dcount', 'aggregated_dcount'];
  const sources = ['__count', '__dcount', '__new', '__total'];
  const result = project(running, out.map(c => {
    if (c.name === time.name) return { name: c.name, expr: binCol };
    const i = names.indexOf(c.name);
    if (i >= 0) return { name: c.name, expr: convert(column(sources[i]!, 'long'), c.type) };
    return { name: c.name, expr: column(c.name, c.type) };
  }));
  return sort(result, [...dimCols.map(d => ({ expr: d, descending: false, nullsFirst: true })), { expr: column(time.name, time.type), descending: false, nullsFirst: true }]);
}

// ---------------------------------------------------------------- sliding_window_counts

function slidingWindowCounts(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.EvaluateOperator, args: Args): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const [idNode, timeNode, startNode, endNode, lookbackNode, binNode, ...dimNodes] = args.positional;
  if (!idNode || !timeNode || !startNode || !endNode || !lookbackNode || !binNode) throw ctx.error(node, 'sliding_window_counts needs id, timeline, start, end, lookback window and bin');
  const id = lowerScalar(ctx, idNode, scope);
  const time = columnOf(ctx, timeNode, scope);
  const start = convert(constantOf(ctx, startNode)!, time.type);
  const end = convert(constantOf(ctx, endNode)!, time.type);
  const lookback = constantOf(ctx, lookbackNode)!;
  const step = constantOf(ctx, binNode)!;
  const dims = dimNodes.map(d => columnOf(ctx, d, scope));
  const dimExprs = dims.map(d => ({ name: d.name, expr: column(d.name, d.type) }));
  const dimCols = dims.map(d => column(d.name, d.type));
  const timeCol = column(time.name, time.type);
  const inRange = call('and', [call('ge', [timeCol, start], 'bool'), call('le', [timeCol, end], 'bool')], 'bool');
  const rows = project(filter(input, inRange), [
    { name: '__bin', expr: call('bin_at', [timeCol, step, start], time.type) },
    { name: '__id', expr: id },
    ...dimExprs,
  ]);
  const bins = allBins(rows, time.type, start, end, step, dims);
  // A bin counts the rows of the lookback window that ends with it.
  const residual = call('and', [
    call('gt', [column('__r', time.type), call('sub', [column('__b', time.type), lookback], time.type)], 'bool'),
    call('le', [column('__r', time.type), column('__b', time.type)], 'bool'),
  ], 'bool');
  const pairs = {
    ...join('leftouter', bins, rows, dimCols, dimCols, [
      { name: '__bin', type: time.type, side: 'left', source: '__bin' },
      ...dims.map(d => ({ name: d.name, type: d.type, side: 'left' as const, source: d.name })),
      { name: '__id', type: id.type, side: 'right', source: '__id' },
      { name: '__hit', type: time.type, side: 'right', source: '__bin' },
    ]),
    residual,
    residualColumns: new Map<string, { side: 'left' | 'right'; source: string }>([['__b', { side: 'left', source: '__bin' }], ['__r', { side: 'right', source: '__bin' }]]),
    nullSafe: true,
  };
  const grouped = aggregate(pairs, [{ name: '__bin', expr: column('__bin', time.type) }, ...dimExprs], [
    { fn: 'countif', args: [call('isnotnull', [column('__hit', time.type)], 'bool')], outputs: [{ name: '__count', type: 'long' }] },
    { fn: 'dcountif', args: [column('__id', id.type), call('isnotnull', [column('__hit', time.type)], 'bool')], outputs: [{ name: '__dcount', type: 'long' }] },
  ]);
  const result = project(grouped, out.map(c => {
    if (c.name === time.name) return { name: c.name, expr: column('__bin', time.type) };
    if (c.name.toLowerCase() === 'count') return { name: c.name, expr: column('__count', 'long') };
    if (c.name.toLowerCase() === 'dcount') return { name: c.name, expr: column('__dcount', 'long') };
    return { name: c.name, expr: column(c.name, c.type) };
  }));
  return sort(result, [...dimCols.map(d => ({ expr: d, descending: false, nullsFirst: true })), { expr: column(time.name, time.type), descending: false, nullsFirst: true }]);
}

/** Every bin from start to end (inclusive), for each combination of the dimensions that has rows. */
function allBins(rows: RelNode, type: KustoType, start: ScalarExpr, end: ScalarExpr, step: ScalarExpr, dims: { name: string; type: KustoType }[]): RelNode {
  const axis = range('__bin', type, start, end, step);
  if (dims.length === 0) return axis;
  const combos = aggregate(rows, dims.map(d => ({ name: d.name, expr: column(d.name, d.type) })), []);
  return join('inner', axis, combos, [], [], [
    { name: '__bin', type, side: 'left', source: '__bin' },
    ...dims.map(d => ({ name: d.name, type: d.type, side: 'right' as const, source: d.name })),
  ]);
}

// ---------------------------------------------------------------- pivot

/** The conditional form of each aggregate pivot supports, and where its condition goes. */
const CONDITIONAL: Record<string, string> = {
  count: 'countif', sum: 'sumif', avg: 'avgif', min: 'minif', max: 'maxif', dcount: 'dcountif', any: 'anyif',
  make_list: 'make_list_if', make_set: 'make_set_if', make_bag: 'make_bag_if', stdev: 'stdevif', variance: 'varianceif',
};

function pivot(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.EvaluateOperator, args: Args): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const [pivotNode, aggNode, ...groupNodes] = args.positional;
  if (!pivotNode) throw ctx.error(node, 'pivot needs a column');
  const pivotColumn = columnOf(ctx, pivotNode, scope);
  const pivotText = convert(column(pivotColumn.name, pivotColumn.type), 'string');
  let aggCall: Kusto.Language.Syntax.FunctionCallExpression | undefined;
  let groupExprs = groupNodes;
  if (aggNode && kindName(aggNode) === 'FunctionCallExpression') aggCall = aggNode as Kusto.Language.Syntax.FunctionCallExpression;
  else if (aggNode) groupExprs = [aggNode, ...groupNodes];
  let agg: { fn: string; args: ScalarExpr[]; type: KustoType } = { fn: 'count', args: [], type: 'long' };
  if (aggCall) {
    const lowered = lowerAggregateCall(ctx, aggCall, scope, [{ name: '__pivot', type: 'dynamic' }], new Set());
    agg = { fn: lowered.fn, args: [...lowered.args], type: scalarType(ctx, aggCall) };
  }
  const conditional = CONDITIONAL[agg.fn];
  if (!conditional) throw ctx.unsupported(aggNode ?? node, `pivot with ${agg.fn}()`);
  // The group columns: those named, or every column but the pivot column and the aggregated ones.
  let groups: { name: string; type: KustoType }[];
  if (groupExprs.length) groups = groupExprs.map(g => columnOf(ctx, g, scope));
  else {
    const used = new Set<string>([pivotColumn.name]);
    for (const a of agg.args) if (a.kind === 'column') used.add(a.name);
    groups = input.columns.filter(c => !used.has(c.name));
  }
  let values: string[];
  if (node.Schema) {
    values = out.filter(c => !groups.some(g => g.name === c.name)).map(c => c.name);
  } else {
    const rows = probeAnswer(ctx, node, `pivot@${ctx.spanOf(node).start}:${node.TextStart}`, () => pivotValuesPlan(input, pivotText), 'evaluate pivot without an output schema');
    values = rows.map(r => String(r[0] ?? '')).filter(v => !groups.some(g => g.name === v));
  }
  const aggregations = values.map(v => {
    const when = call('eq', [pivotText, literal(v, 'string')], 'bool');
    const fnArgs = agg.fn === 'count' ? [when] : [agg.args[0]!, when, ...agg.args.slice(1)];
    const type = out.find(c => c.name === v)?.type ?? agg.type;
    return { fn: conditional, args: fnArgs, outputs: [{ name: v, type }] };
  });
  return aggregate(input, groups.map(g => ({ name: g.name, expr: column(g.name, g.type) })), aggregations);
}

/** The probe of pivot: the distinct values of the pivot column, in the order they first appear. */
function pivotValuesPlan(input: RelNode, value: ScalarExpr): RelNode {
  const numbered = window(project(input, [{ name: 'value', expr: value }]), [], [], [{ name: '__row', type: 'long', fn: 'row_number', args: [] }]);
  const firsts = aggregate(numbered, [{ name: 'value', expr: column('value', 'string') }], [
    { fn: 'min', args: [column('__row', 'long')], outputs: [{ name: 'first', type: 'long' }] },
  ]);
  return sort(firsts, [{ expr: column('first', 'long'), descending: false, nullsFirst: false }]);
}

// ---------------------------------------------------------------- dcount_intersect

/** dcount_intersect(h1, h2, ...): per row, s0 = dcount(h1), s1 = dcount(h1 ∩ h2), s2 = dcount(h1 ∩ h2 ∩ h3)... */
function dcountIntersect(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.EvaluateOperator, args: Args): RelNode {
  const out = tableColumns(ctx, node);
  const scope: RowScope = { columns: input.columns };
  const sketches = args.positional.map(a => convert(lowerScalar(ctx, a, scope), 'dynamic'));
  const added = out.slice(input.columns.length);
  if (added.length !== sketches.length) throw ctx.error(node, `internal: dcount_intersect has ${added.length} outputs for ${sketches.length} sketches`, 'CH900');
  return project(input, [
    ...input.columns.map(c => ({ name: c.name, expr: column(c.name, c.type) as ScalarExpr })),
    ...added.map((c, i) => ({ name: c.name, expr: convert(call('hll_intersect_count', sketches.slice(0, i + 1), 'long'), c.type) })),
  ]);
}

// ---------------------------------------------------------------- narrow

/** narrow: one row (Row, Column, Value) per cell, Value as text. */
function narrow(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.EvaluateOperator): RelNode {
  const out = tableColumns(ctx, node);
  const numbered = window(input, [], [], [{ name: '__row', type: 'long', fn: 'row_number', args: [] }]);
  const cols: ColumnDef[] = out.length === 3 ? out : [{ name: 'Row', type: 'long' }, { name: 'Column', type: 'string' }, { name: 'Value', type: 'string' }];
  const parts = input.columns.map(c => project(numbered, [
    { name: cols[0]!.name, expr: convert(call('sub', [column('__row', 'long'), literal(1n, 'long')], 'long'), cols[0]!.type) },
    { name: cols[1]!.name, expr: literal(c.name, 'string') },
    { name: cols[2]!.name, expr: convert(column(c.name, c.type), cols[2]!.type) },
  ]));
  if (parts.length === 0) return values(cols, []);
  const all = parts.length === 1 ? parts[0]! : union(parts, cols);
  return sort(all, [{ expr: column(cols[0]!.name, cols[0]!.type), descending: false, nullsFirst: true }]);
}

export { asBool, nullOf };
