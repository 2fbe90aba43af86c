// DuckDB: Comparisons, logic, null/empty tests and string predicates (has, contains, in...).
import { comparison, hasTemplate, inList, lowered, stringPredicate, type FunctionTable } from './common.js';

export const PREDICATES_FUNCTIONS: FunctionTable = {
  eq: comparison('='),
  ne: ([a, b]) => (b!.ir.kind === 'literal' && b!.ir.value === null ? 'CAST(NULL AS BOOLEAN)' : `(${a!.sql} IS DISTINCT FROM ${b!.sql})`),
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
    return `(${needles.map(n => PREDICATES_FUNCTIONS.has!([h!, n], call, ctx)).join(' OR ')})`;
  },
  has_all: (args, call, ctx) => {
    const [h, ...needles] = args;
    if (needles.length === 0) return 'true';
    return `(${needles.map(n => PREDICATES_FUNCTIONS.has!([h!, n], call, ctx)).join(' AND ')})`;
  },
  has_any_array: ([h, arr]) => `list_bool_or(list_transform(CAST(${arr!.sql} AS VARCHAR[]), n -> kql_has(${h!.sql}, n)))`,
  has_all_array: ([h, arr]) => `list_bool_and(list_transform(CAST(${arr!.sql} AS VARCHAR[]), n -> kql_has(${h!.sql}, n)))`,
  like: stringPredicate((h, n) => `(${h} ILIKE ${n.sql})`),
  like_cs: stringPredicate((h, n) => `(${h} LIKE ${n.sql})`),
  matches_regex: stringPredicate((h, n) => `regexp_matches(${h}, ${n.sql})`),
  in: inList(false),
  in_ci: inList(true),
  in_array: ([x, arr]) => `list_contains(CAST(${arr!.sql} AS ${x!.type === 'string' ? 'VARCHAR' : x!.type === 'real' ? 'DOUBLE' : x!.type === 'long' || x!.type === 'int' ? 'BIGINT' : 'VARCHAR'}[]), ${x!.sql})`,
  in_array_ci: ([x, arr]) => `list_contains(list_transform(CAST(${arr!.sql} AS VARCHAR[]), v -> lower(v)), lower(${x!.sql}))`,
};
