// Lowering of scalar function calls: user and database functions (expanded from their bodies),
// the built-ins that need rewriting (ago, iff, case, ...), and the generic path that passes a Kusto
// function through to the IR under its canonical name for the dialect to implement.
import type { KustoType } from '../schema/kusto-types.js';
import { kustoType } from '../schema/kusto-types.js';
import { arith, call, column, literal, nullOf, type ScalarExpr } from '../ir/scalar.js';
import { elements, kindName, type Expression, nodeText } from '../kql/syntax.js';
import { toArray } from '../kql/kusto-language.js';
import { scalarType, tableColumns, type Bound, type LowerContext } from './context.js';
import { asBool, lowerScalar, type RowScope } from './scalar.js';
import { convert } from './convert.js';
import { expandUserFunction, isUserFunction } from './user-functions.js';
import { AGGREGATE_NAMES } from './aggregates.js';

/** Deprecated or alternative spellings → the canonical function name. */
export const FUNCTION_ALIASES: Record<string, string> = {
  iif: 'iff',
  makeset: 'make_set',
  makelist: 'make_list',
  parsejson: 'parse_json',
  todynamic: 'parse_json',
  toobject: 'parse_json',
  extractjson: 'extract_json',
  argmax: 'arg_max',
  argmin: 'arg_min',
  base64_decodestring: 'base64_decode_tostring',
  base64_encodestring: 'base64_encode_tostring',
  extractall: 'extract_all',
  notempty: 'isnotempty',
  notnull: 'isnotnull',
  isnotnull: 'isnotnull',
  todouble: 'toreal',
  toboolean: 'tobool',
  floor: 'bin',
  tolong: 'tolong',
  toint: 'toint',
  bag_pack: 'pack',
  pack_dictionary: 'pack',
  array_length: 'array_length',
  strcat_delim: 'strcat_delim',
  make_dictionary: 'make_bag',
  ceiling: 'ceiling',
  take_any: 'any',
  takeany: 'any',
  take_anyif: 'anyif',
  countof: 'countof',
  getyear: 'getyear',
  datepart: 'datetime_part',
  mvexpand: 'mv-expand',
  dcount_hll: 'dcount_hll',
  series_fill_const: 'series_fill_const',
  bag_keys: 'bag_keys',
  percentrank_tdigest: 'percentrank_tdigest',
  range: 'range',
  isfinite: 'isfinite',
  ipv4_is_private: 'ipv4_is_private',
  format_bytes: 'format_bytes',
  pack_array: 'pack_array',
  repeat: 'repeat',
  endofmonth: 'endofmonth',
  todecimal: 'todecimal',
  url_decode: 'url_decode',
  hash_sha256: 'hash_sha256',
  dayofweek: 'dayofweek',
  make_string: 'unicode_codepoints_to_string',
  to_utf8: 'unicode_codepoints_from_string',
  array_iif: 'array_iff',
  bag_merge: 'bag_merge',
};

/** Names of both an aggregate and a scalar function (hll_merge(h1, h2)): scalar outside summarize. */
const SCALAR_TOO = new Set(['hll_merge', 'tdigest_merge', 'merge_tdigest']);

/** Functions over the serialized row order; they become window expressions. */
const WINDOW_FUNCTIONS = new Set(['row_number', 'prev', 'next', 'row_cumsum', 'row_rank_dense', 'row_rank_min', 'row_window_session']);

export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return FUNCTION_ALIASES[lower] ?? lower;
}

export function callArguments(node: Kusto.Language.Syntax.FunctionCallExpression): Expression[] {
  return elements<Expression>(node.ArgumentList?.Expressions);
}

/** The type named by typeof(T) in an argument list. */
export function typeOfArgument(ctx: LowerContext, node: Expression): KustoType {
  const text = nodeText(node);
  const m = /^typeof\s*\(\s*([a-z0-9_]+)\s*\)$/i.exec(text);
  const t = m ? kustoType(m[1]!) : undefined;
  if (!t) throw ctx.error(node, `expected typeof(scalar type), got ${text}`);
  return t;
}

export function lowerFunctionCall(ctx: LowerContext, node: Kusto.Language.Syntax.FunctionCallExpression, scope: RowScope): ScalarExpr {
  const symbol = node.ReferencedSymbol;
  if (isUserFunction(node)) {
    const result: Bound = expandUserFunction(ctx, node, scope);
    if (result.kind === 'scalar') return result.expr;
    throw ctx.error(node, `function ${symbol?.Name} returns a table and cannot be used as a scalar here`);
  }
  const name = canonicalName(node.Name?.SimpleName ?? symbol?.Name ?? '');
  const args = callArguments(node);
  // A function returning several values (array_sort_asc(a1, a2)) is lowered to a dynamic array of them.
  const type = node.ResultType?.Name === 'tuple' ? 'dynamic' : scalarType(ctx, node);
  const span = ctx.spanOf(node);
  const lower = (e: Expression) => lowerScalar(ctx, e, scope);

  if (AGGREGATE_NAMES.has(name) && !SCALAR_TOO.has(name)) {
    throw ctx.error(node, `the aggregate ${name}() can only be used in summarize, make-series or similar operators`, 'CH103');
  }
  if (WINDOW_FUNCTIONS.has(name)) {
    return { kind: 'window', fn: name, args: args.map(lower), type, span };
  }

  switch (name) {
    case 'ago': {
      const span = args.length ? lower(args[0]!) : literal(0n, 'timespan');
      return arith('sub', [literal(ctx.now, 'datetime'), convert(span, 'timespan')], 'datetime');
    }
    case 'now': {
      const now = literal(ctx.now, 'datetime');
      return args.length ? arith('add', [now, convert(lower(args[0]!), 'timespan')], 'datetime') : now;
    }
    case 'iff': {
      const [c, a, b] = args.map(lower) as [ScalarExpr, ScalarExpr, ScalarExpr];
      return { kind: 'case', branches: [{ when: asBool(ctx, c), then: convert(a, type) }], otherwise: convert(b, type), type };
    }
    case 'case': {
      const lowered = args.map(lower);
      const branches: { when: ScalarExpr; then: ScalarExpr }[] = [];
      for (let i = 0; i + 1 < lowered.length; i += 2) branches.push({ when: asBool(ctx, lowered[i]!), then: convert(lowered[i + 1]!, type) });
      return { kind: 'case', branches, otherwise: convert(lowered[lowered.length - 1]!, type), type };
    }
    case 'not':
      return call('not', [asBool(ctx, lower(args[0]!))], 'bool');
    case 'column_ifexists': {
      const colName = String(args[0]!.ConstantValue ?? args[0]!.LiteralValue ?? '');
      const col = scope.columns.find(c => c.name === colName);
      return col ? convert(column(col.name, col.type), type) : convert(lower(args[1]!), type);
    }
    case 'extract': {
      // extract(regex, group, text [, typeof(T)])
      const lowered = args.slice(0, 3).map(lower);
      const e = call('extract', [lowered[0]!, lowered[1]!, convert(lowered[2]!, 'string')], 'string', span);
      return args.length > 3 ? convert(e, typeOfArgument(ctx, args[3]!)) : e;
    }
    case 'pack_all': {
      const ignoreNulls = args.length > 0 ? lower(args[0]!) : literal(false, 'bool');
      const pairs: ScalarExpr[] = [];
      for (const c of scope.columns) pairs.push(literal(c.name, 'string'), column(c.name, c.type));
      return call('pack_all', [ignoreNulls, ...pairs], 'dynamic', span);
    }
    case 'bag_pack_columns': {
      // bag_pack_columns(c1, c2...): a bag keyed by the column names.
      const pairs: ScalarExpr[] = [];
      for (const a of args) {
        const named = a as Kusto.Language.Syntax.NameReference;
        pairs.push(literal(named.SimpleName ?? nodeText(a).trim(), 'string'), lower(a));
      }
      return call('pack', pairs, 'dynamic', span);
    }
    case 'bin_at':
    case 'bin':
      return call(name, args.map(lower), type, span);
    case 'column_names_of': {
      // column_names_of(T): the names of a tabular argument's columns (the binder knows them).
      const columns = tableColumns(ctx, args[0] as Expression & { ResultType?: Kusto.Language.Symbols.TypeSymbol | null });
      return literal(JSON.stringify(columns.map(c => c.name)), 'dynamic');
    }
    case 'bin_auto':
      return binAuto(ctx, node, lower(args[0]!), type);
    case 'isnull':
    case 'isnotnull':
    case 'isempty':
    case 'isnotempty':
      return call(name, [lower(args[0]!)], 'bool');
    case 'tostring':
    case 'tolong':
    case 'toint':
    case 'toreal':
    case 'todecimal':
    case 'tobool':
    case 'todatetime':
    case 'totimespan':
    case 'toguid':
      return convert(lower(args[0]!), type);
    case 'parse_json':
      return call('parse_json', [lower(args[0]!)], 'dynamic', span);
    case 'new_guid':
    case 'rand':
      return call(name, args.map(lower), type, span);
    default:
      break;
  }
  // Generic path: arguments coerced where a parameter accepts only strings (Kusto converts implicitly).
  // A typeof(T) argument only sets the result type, which the binder has already worked out.
  const lowered = args.filter(a => kindName(a) !== 'TypeOfLiteralExpression').map(lower);
  coerceStringParameters(node, lowered);
  return call(name, lowered, type, span);
}

/** A dynamic argument passed to a string-only parameter is converted with tostring(), as Kusto does. */
function coerceStringParameters(node: Kusto.Language.Syntax.FunctionCallExpression, lowered: ScalarExpr[]): void {
  const signature = node.ReferencedSignature;
  if (!signature) return;
  for (let i = 0; i < lowered.length; i++) {
    const p = paramAt(signature, i);
    if (!p) continue;
    const declared = toArray(p.DeclaredTypes).map(t => t.Name);
    if (declared.length === 1 && declared[0] === 'string' && lowered[i]!.type !== 'string') lowered[i] = convert(lowered[i]!, 'string');
  }
}

function paramAt(signature: Kusto.Language.Symbols.Signature, index: number): Kusto.Language.Symbols.Parameter | undefined {
  const params = toArray(signature.Parameters);
  if (params.length === 0) return undefined;
  if (index < params.length) return params[index];
  const last = params[params.length - 1]!;
  return last.IsRepeatable ? last : undefined;
}

export { nullOf };

/** bin_auto(x): bin_at(x, query_bin_auto_size, query_bin_auto_at), the two set by set statements (at defaults to 0). */
function binAuto(ctx: LowerContext, node: Kusto.Language.Syntax.FunctionCallExpression, x: ScalarExpr, type: KustoType): ScalarExpr {
  const sizeNode = ctx.options.get('query_bin_auto_size');
  if (!sizeNode) throw ctx.error(node, 'bin_auto() needs the bin size: set query_bin_auto_size=... before the query');
  const temporal = x.type === 'datetime' || x.type === 'timespan';
  const size = lowerScalar(ctx, sizeNode, { columns: [] });
  const sized = temporal ? convert(size, 'timespan') : size;
  const atNode = ctx.options.get('query_bin_auto_at');
  if (!atNode) return call('bin', [x, sized], type, ctx.spanOf(node));
  return call('bin_at', [x, sized, convert(lowerScalar(ctx, atNode, { columns: [] }), x.type)], type, ctx.spanOf(node));
}
