// DuckDB: Comparisons, logic, null/empty tests and string predicates (has, contains, in...).
import type { SqlArg } from '../../dialect.js';
import type { SqlContext } from '../../dialect.js';
import { boundaries, comparison, constString, escapeRegex, hasTemplate, inList, lowered, stringPredicate, substringTest, toStringSql, type FunctionTable } from './common.js';

/**
 * has_any over constant needles: one regular expression that checks the term boundaries of all
 * the needles that need them at once. With one or two needles a cheap substring test goes first
 * and spares most rows the regex; with more, the repeated lower() of every row costs more than the
 * single regex it would spare (measured by bench:query's H and J).
 */
const MAX_PREFILTER_NEEDLES = 2;

function hasAnyConstant(h: string, needles: string[], ctx: SqlContext): string {
  if (needles.includes('')) return 'true';
  const unique = [...new Set(needles.map(n => n.toLowerCase()))];
  const prefilter = () => `(${unique.map(n => substringTest(h, n, false, ctx)).join(' OR ')})`;
  const groups = new Map<string, string[]>();
  const plain: string[] = [];
  for (const n of unique) {
    const { start, end } = boundaries(n);
    if (!start && !end) plain.push(n);
    else groups.set(`${start}:${end}`, [...(groups.get(`${start}:${end}`) ?? []), n]);
  }
  if (groups.size === 0) return prefilter();
  const alternatives = [...groups].map(([key, ns]) => {
    const [start, end] = key.split(':').map(b => b === 'true');
    return `${start ? '(?:^|[^\\pL\\pN])' : ''}(?:${ns.map(escapeRegex).join('|')})${end ? '(?:$|[^\\pL\\pN])' : ''}`;
  });
  const regex = `regexp_matches(${h}, ${ctx.param(`(?i)${alternatives.length === 1 ? alternatives[0] : `(?:${alternatives.join('|')})`}`, 'string')})`;
  const matches = plain.length ? `(${plain.map(n => substringTest(h, n, false, ctx)).join(' OR ')} OR ${regex})` : regex;
  return unique.length > MAX_PREFILTER_NEEDLES ? matches : `(${prefilter()} AND ${matches})`;
}

const isNullLiteral = (a: SqlArg) => a.ir.kind === 'literal' && a.ir.value === null;
const isValueLiteral = (a: SqlArg) => a.ir.kind === 'literal' && a.ir.value !== null;

function equality(a: SqlArg, b: SqlArg, negated: boolean): string {
  if (a.type === 'string' && b.type === 'string') return `(${a.sql} ${negated ? '<>' : '='} ${b.sql})`;
  if (isNullLiteral(b) || isNullLiteral(a)) {
    const other = isNullLiteral(b) ? a : b;
    return `CASE WHEN ${other.sql} IS NULL THEN CAST(NULL AS BOOLEAN) ELSE ${negated} END`;
  }
  // One side a value: plain comparisons the database can push into a scan.
  if (isValueLiteral(b) || isValueLiteral(a)) {
    const other = isValueLiteral(b) ? a : b;
    return negated ? `(${a.sql} <> ${b.sql} OR ${other.sql} IS NULL)` : `(${a.sql} = ${b.sql} AND ${other.sql} IS NOT NULL)`;
  }
  return `CASE WHEN ${a.sql} IS NULL AND ${b.sql} IS NULL THEN CAST(NULL AS BOOLEAN) ELSE ${negated ? `${a.sql} IS DISTINCT FROM ${b.sql}` : `${a.sql} IS NOT DISTINCT FROM ${b.sql}`} END`;
}

export const PREDICATES_FUNCTIONS: FunctionTable = {
  // Kusto: null == null is null, null == value is false (and != is true); strings are never null.
  eq: ([a, b]) => equality(a!, b!, false),
  ne: ([a, b]) => equality(a!, b!, true),
  lt: comparison('<'),
  le: comparison('<='),
  gt: comparison('>'),
  ge: comparison('>='),
  between: ([x, lo, hi]) => `(${x!.sql} BETWEEN ${lo!.sql} AND ${hi!.sql})`,
  and: ([a, b]) => `(${a!.sql} AND ${b!.sql})`,
  or: ([a, b]) => `(${a!.sql} OR ${b!.sql})`,
  not: ([a]) => `(NOT ${a!.sql})`,
  isnull: ([a]) => (a!.type === 'string' ? 'false' : `(${a!.sql} IS NULL)`),
  isnotnull: ([a]) => (a!.type === 'string' ? 'true' : `(${a!.sql} IS NOT NULL)`),
  isempty: ([a]) => (a!.type === 'string' ? `(coalesce(${a!.sql}, '') = '')` : a!.type === 'dynamic' ? `(kql_dynamic_tostring(${a!.sql}) = '')` : `(${a!.sql} IS NULL)`),
  isnotempty: ([a]) => (a!.type === 'string' ? `(coalesce(${a!.sql}, '') <> '')` : a!.type === 'dynamic' ? `(kql_dynamic_tostring(${a!.sql}) <> '')` : `(${a!.sql} IS NOT NULL)`),
  eq_ci: stringPredicate((h, n, ctx) => `(lower(${h}) = ${lowered(n, ctx)})`),
  contains: stringPredicate((h, n, ctx) => `contains(lower(${h}), ${lowered(n, ctx)})`),
  contains_cs: stringPredicate((h, n) => `contains(${h}, ${n.sql})`),
  startswith: stringPredicate((h, n, ctx) => `starts_with(lower(${h}), ${lowered(n, ctx)})`),
  startswith_cs: stringPredicate((h, n) => `starts_with(${h}, ${n.sql})`),
  endswith: stringPredicate((h, n, ctx) => `ends_with(lower(${h}), ${lowered(n, ctx)})`),
  endswith_cs: stringPredicate((h, n) => `ends_with(${h}, ${n.sql})`),
  has: hasTemplate(false, true, true),
  has_cs: hasTemplate(true, true, true),
  hasprefix: hasTemplate(false, true, false),
  hasprefix_cs: hasTemplate(true, true, false),
  hassuffix: hasTemplate(false, false, true),
  hassuffix_cs: hasTemplate(true, false, true),
  has_dynamic_needle: ([h, n]) => `kql_has(${h!.sql}, ${n!.sql})`,
  has_any: (args, call, ctx) => {
    const [h, ...needles] = args;
    if (needles.length === 0) return 'false';
    const constants = needles.map(constString);
    if (constants.some(c => c === undefined)) return `(${needles.map(n => PREDICATES_FUNCTIONS.has!([h!, n], call, ctx)).join(' OR ')})`;
    return hasAnyConstant(h!.sql, constants as string[], ctx);
  },
  has_all: (args, call, ctx) => {
    const [h, ...needles] = args;
    if (needles.length === 0) return 'true';
    return `(${needles.map(n => PREDICATES_FUNCTIONS.has!([h!, n], call, ctx)).join(' AND ')})`;
  },
  has_any_array: ([h, arr]) => `coalesce(list_bool_or(list_transform(list_transform(kql_list(${arr!.sql}), __e -> kql_dynamic_tostring(__e)), __n -> kql_has(${h!.sql}, __n))), false)`,
  has_all_array: ([h, arr]) => `coalesce(list_bool_and(list_transform(list_transform(kql_list(${arr!.sql}), __e -> kql_dynamic_tostring(__e)), __n -> kql_has(${h!.sql}, __n))), true)`,
  like: stringPredicate((h, n) => `(${h} ILIKE ${n.sql})`),
  like_cs: stringPredicate((h, n) => `(${h} LIKE ${n.sql})`),
  matches_regex: stringPredicate((h, n) => `regexp_matches(${h}, ${n.sql})`),
  in: inList(false),
  in_ci: inList(true),
  // x in (dynamic array): the elements read as x's type (those that do not convert never match).
  in_array: ([x, arr]) => (x!.type === 'dynamic'
    ? `list_contains(kql_list_keys(kql_list(${arr!.sql})), kql_jkey(${x!.sql}))`
    : `coalesce(list_contains(list_transform(kql_list(${arr!.sql}), __e -> kql_from_json_${x!.type}(__e)), ${x!.sql}), false)`),
  in_array_ci: ([x, arr]) => `coalesce(list_contains(list_transform(kql_list(${arr!.sql}), __e -> lower(kql_dynamic_tostring(__e))), lower(${toStringSql(x!)})), false)`,
};
