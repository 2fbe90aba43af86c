// DuckDB implementations of the IR's scalar functions, with Kusto's semantics: case-insensitive
// string operators, term matching for has, strings never null, 100-ns timespans, dynamic as JSON.
import type { KustoType } from '../../schema/kusto-types.js';
import type { ScalarExpr } from '../../ir/scalar.js';
import type { ScalarTemplate, SqlArg, SqlContext } from '../dialect.js';

type Table = Record<string, ScalarTemplate>;

/** The constant string value of an argument, if it is a literal. */
export function constString(a: SqlArg | undefined): string | undefined {
  return a && a.ir.kind === 'literal' && typeof a.ir.value === 'string' ? a.ir.value : undefined;
}

function constValue(a: SqlArg | undefined): ScalarExpr extends never ? never : unknown {
  return a && a.ir.kind === 'literal' ? a.ir.value : undefined;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const TERM_CHAR = /^[\p{L}\p{N}]/u;
const TERM_CHAR_END = /[\p{L}\p{N}]$/u;

/** The RE2 pattern for Kusto's term match of a constant needle (has, hasprefix, hassuffix). */
export function termPattern(needle: string, caseSensitive: boolean, prefix = true, suffix = true): string {
  const start = prefix && TERM_CHAR.test(needle) ? '(?:^|[^\\pL\\pN])' : '';
  const end = suffix && TERM_CHAR_END.test(needle) ? '(?:$|[^\\pL\\pN])' : '';
  return `${caseSensitive ? '' : '(?i)'}${start}${escapeRegex(needle)}${end}`;
}

/** SQL that renders any Kusto-typed value as Kusto's tostring() does. */
export function toStringSql(a: SqlArg): string {
  switch (a.type) {
    case 'string':
      return a.sql;
    case 'real':
      return `kql_real_tostring(${a.sql})`;
    case 'datetime':
      return `kql_datetime_tostring(${a.sql})`;
    case 'timespan':
      return `kql_timespan_tostring(${a.sql})`;
    case 'dynamic':
      return `kql_dynamic_tostring(${a.sql})`;
    case 'bool':
      return `coalesce(CASE WHEN ${a.sql} THEN 'true' ELSE 'false' END, '')`;
    default:
      return `coalesce(CAST(${a.sql} AS VARCHAR), '')`;
  }
}

/** SQL for a Kusto value seen as a dynamic (JSON) value: datetimes and timespans as Kusto strings. */
export function toDynamicSql(a: SqlArg): string {
  switch (a.type) {
    case 'dynamic':
      return a.sql;
    case 'datetime':
    case 'timespan':
      return `CASE WHEN ${a.sql} IS NULL THEN NULL ELSE to_json(${toStringSql(a)}) END`;
    case 'guid':
      return `to_json(CAST(${a.sql} AS VARCHAR))`;
    case 'decimal':
      return `to_json(CAST(${a.sql} AS DOUBLE))`;
    case 'real':
      return `CASE WHEN isnan(${a.sql}) OR isinf(${a.sql}) THEN to_json(CAST(${a.sql} AS VARCHAR)) ELSE to_json(${a.sql}) END`;
    default:
      return `to_json(${a.sql})`;
  }
}

/** Lower-cases a string argument, at compile time when it is a constant. */
function lowered(a: SqlArg, ctx: SqlContext): string {
  const c = constString(a);
  return c !== undefined ? ctx.param(c.toLowerCase(), 'string') : `lower(${a.sql})`;
}

const TICKS: Record<string, bigint> = {
  microsecond: 10n, millisecond: 10_000n, second: 10_000_000n, minute: 600_000_000n, hour: 36_000_000_000n, day: 864_000_000_000n, week: 6_048_000_000_000n,
};

function typedCast(sql: string, type: KustoType, ctx: SqlContext): string {
  return `CAST(${sql} AS ${ctx.sqlType(type)})`;
}

function conversion(target: KustoType): ScalarTemplate {
  return ([a], call, ctx) => {
    if (!a) return 'NULL';
    if (a.type === target) return a.sql;
    switch (target) {
      case 'string':
        return toStringSql(a);
      case 'dynamic':
        return toDynamicSql(a);
      case 'long':
      case 'int': {
        const t = ctx.sqlType(target);
        if (a.type === 'dynamic') return target === 'long' ? `kql_from_json_long(${a.sql})` : `kql_from_json_int(${a.sql})`;
        if (a.type === 'real' || a.type === 'decimal') return `TRY_CAST(trunc(${a.sql}) AS ${t})`;
        if (a.type === 'string') return `coalesce(TRY_CAST(trim(${a.sql}) AS ${t}), TRY_CAST(trunc(TRY_CAST(trim(${a.sql}) AS DOUBLE)) AS ${t}))`;
        if (a.type === 'datetime') return `CAST(epoch_us(${a.sql}) * 10 AS ${t})`;
        if (a.type === 'bool') return `CAST(${a.sql} AS ${t})`;
        return `TRY_CAST(${a.sql} AS ${t})`;
      }
      case 'real':
        if (a.type === 'dynamic') return `kql_from_json_real(${a.sql})`;
        if (a.type === 'string') return `TRY_CAST(trim(${a.sql}) AS DOUBLE)`;
        if (a.type === 'datetime') return `CAST(epoch_us(${a.sql}) * 10 AS DOUBLE)`;
        return `TRY_CAST(${a.sql} AS DOUBLE)`;
      case 'decimal':
        if (a.type === 'dynamic') return `kql_from_json_decimal(${a.sql})`;
        return `TRY_CAST(${a.sql} AS DECIMAL(38,18))`;
      case 'bool':
        if (a.type === 'dynamic') return `kql_from_json_bool(${a.sql})`;
        if (a.type === 'string') return `TRY_CAST(trim(${a.sql}) AS BOOLEAN)`;
        return `(${a.sql} <> 0)`;
      case 'datetime':
        if (a.type === 'dynamic') return `kql_from_json_datetime(${a.sql})`;
        if (a.type === 'string') return `kql_string_todatetime(${a.sql})`;
        if (a.type === 'long' || a.type === 'int') return `make_timestamp(CAST((${a.sql}) // 10 AS BIGINT))`;
        return 'CAST(NULL AS TIMESTAMP)';
      case 'timespan':
        if (a.type === 'dynamic') return `kql_from_json_timespan(${a.sql})`;
        if (a.type === 'string') return `kql_string_totimespan(${a.sql})`;
        if (a.type === 'long' || a.type === 'int') return `CAST(${a.sql} AS BIGINT)`;
        if (a.type === 'real') return `CAST(round(${a.sql}) AS BIGINT)`;
        return 'CAST(NULL AS BIGINT)';
      case 'guid':
        if (a.type === 'dynamic') return `kql_from_json_guid(${a.sql})`;
        return `TRY_CAST(${a.sql} AS UUID)`;
    }
    void call;
    return typedCast(a.sql, target, ctx);
  };
}

/** Comparison that treats datetime vs timespan mixes and dynamic operands the Kusto way. */
function comparison(op: string): ScalarTemplate {
  return ([a, b]) => `(${a!.sql} ${op} ${b!.sql})`;
}

function arithmetic(op: '+' | '-' | '*' | '/' | '%'): ScalarTemplate {
  return ([a, b], call) => {
    const ta = a!.type;
    const tb = b!.type;
    const A = a!.sql;
    const B = b!.sql;
    if (op === '+') {
      if (ta === 'datetime' && tb === 'timespan') return `kql_datetime_add_ticks(${A}, ${B})`;
      if (ta === 'timespan' && tb === 'datetime') return `kql_datetime_add_ticks(${B}, ${A})`;
    }
    if (op === '-') {
      if (ta === 'datetime' && tb === 'datetime') return `kql_datetime_diff_ticks(${A}, ${B})`;
      if (ta === 'datetime' && tb === 'timespan') return `kql_datetime_add_ticks(${A}, -(${B}))`;
    }
    if (call.type === 'timespan' && (op === '*' || op === '/')) {
      // timespan * number, number * timespan, timespan / number: ticks stay whole
      return `CAST(round((${A}) ${op} (${B})) AS BIGINT)`;
    }
    if (op === '/') {
      if (ta === 'timespan' && tb === 'timespan') return `(CAST(${A} AS DOUBLE) / ${B})`;
      if (call.type === 'long' || call.type === 'int') return `(${A} // nullif(${B}, 0))`;
      return `(CAST(${A} AS DOUBLE) / ${B})`;
    }
    if (op === '%') {
      if (call.type === 'real') return `fmod(${A}, ${B})`;
      return `kql_mod(${A}, nullif(${B}, 0))`;
    }
    if (call.type === 'long' && (ta === 'int' || tb === 'int')) return `(CAST(${A} AS BIGINT) ${op} CAST(${B} AS BIGINT))`;
    return `(${A} ${op} ${B})`;
  };
}

function stringPredicate(build: (h: string, n: SqlArg, ctx: SqlContext) => string): ScalarTemplate {
  return ([h, n], _call, ctx) => build(h!.sql, n!, ctx);
}

function hasTemplate(caseSensitive: boolean, prefix: boolean, suffix: boolean): ScalarTemplate {
  return ([h, n], _call, ctx) => {
    const needle = constString(n);
    if (needle === undefined) {
      if (prefix && suffix && !caseSensitive) return `kql_has(${h!.sql}, ${n!.sql})`;
      const ci = caseSensitive ? "''" : "'(?i)'";
      const start = prefix ? `(CASE WHEN regexp_matches(${n!.sql}, '^[\\pL\\pN]') THEN '(?:^|[^\\pL\\pN])' ELSE '' END)` : "''";
      const end = suffix ? `(CASE WHEN regexp_matches(${n!.sql}, '[\\pL\\pN]$') THEN '(?:$|[^\\pL\\pN])' ELSE '' END)` : "''";
      return `regexp_matches(${h!.sql}, ${ci} || ${start} || regexp_escape(${n!.sql}) || ${end})`;
    }
    if (needle === '') return 'true';
    const pattern = ctx.param(termPattern(needle, caseSensitive, prefix, suffix), 'string');
    // A plain substring test first: cheap, and it rules out almost every row.
    const pre = caseSensitive
      ? `contains(${h!.sql}, ${ctx.param(needle, 'string')})`
      : `contains(lower(${h!.sql}), ${ctx.param(needle.toLowerCase(), 'string')})`;
    return `(CASE WHEN ${pre} THEN regexp_matches(${h!.sql}, ${pattern}) ELSE false END)`;
  };
}

function inList(caseInsensitive: boolean): ScalarTemplate {
  return ([x, ...values], _call, ctx) => {
    if (values.length === 0) return 'false';
    if (!caseInsensitive) return `(${x!.sql} IN (${values.map(v => v.sql).join(', ')}))`;
    return `(lower(${x!.sql}) IN (${values.map(v => lowered(v, ctx)).join(', ')}))`;
  };
}

/** Kusto string functions treat a null string as empty; DuckDB would propagate NULL. */
const s = (a: SqlArg | undefined) => (a ? a.sql : "''");

const functions: Table = {
  // ---- conversions
  tostring: conversion('string'),
  tolong: conversion('long'),
  toint: conversion('int'),
  toreal: conversion('real'),
  todecimal: conversion('decimal'),
  tobool: conversion('bool'),
  todatetime: conversion('datetime'),
  totimespan: conversion('timespan'),
  toguid: conversion('guid'),
  as_dynamic: conversion('dynamic'),
  parse_json: ([a]) => (a!.type === 'dynamic' ? a!.sql : a!.type === 'string' ? `kql_parse_json(${a!.sql})` : toDynamicSql(a!)),

  // ---- comparison and logic
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

  // ---- arithmetic
  add: arithmetic('+'),
  sub: arithmetic('-'),
  mul: arithmetic('*'),
  div: arithmetic('/'),
  mod: arithmetic('%'),
  neg: ([a]) => `(-${a!.sql})`,

  // ---- string predicates
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
    return `(${needles.map(n => functions.has!([h!, n], call, ctx)).join(' OR ')})`;
  },
  has_all: (args, call, ctx) => {
    const [h, ...needles] = args;
    if (needles.length === 0) return 'true';
    return `(${needles.map(n => functions.has!([h!, n], call, ctx)).join(' AND ')})`;
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

  // ---- strings
  strlen: ([a]) => `length(${s(a)})`,
  tolower: ([a]) => `lower(${s(a)})`,
  toupper: ([a]) => `upper(${s(a)})`,
  strcat: args => (args.length === 0 ? "''" : `concat(${args.map(toStringSql).join(', ')})`),
  strcat_delim: ([d, ...rest]) => `concat_ws(${toStringSql(d!)}, ${rest.map(toStringSql).join(', ')})`,
  substring: ([str, start, len]) => {
    const from = `greatest(${start!.sql}, 0) + 1`;
    return len ? `coalesce(substr(${str!.sql}, ${from}, greatest(${len.sql}, 0)), '')` : `coalesce(substr(${str!.sql}, ${from}), '')`;
  },
  replace_string: ([a, b, c]) => `replace(${a!.sql}, ${b!.sql}, ${c!.sql})`,
  replace_regex: ([a, re, rep]) => `regexp_replace(${a!.sql}, ${re!.sql}, ${rep!.sql}, 'g')`,
  replace: ([re, rep, a]) => `regexp_replace(${a!.sql}, ${re!.sql}, ${rep!.sql}, 'g')`,
  trim: ([re, a]) => `regexp_replace(${a!.sql}, '^(?:' || ${re!.sql} || ')+|(?:' || ${re!.sql} || ')+$', '', 'g')`,
  trim_start: ([re, a]) => `regexp_replace(${a!.sql}, '^(?:' || ${re!.sql} || ')+', '')`,
  trim_end: ([re, a]) => `regexp_replace(${a!.sql}, '(?:' || ${re!.sql} || ')+$', '')`,
  reverse: ([a]) => `reverse(${toStringSql(a!)})`,
  indexof: ([a, lookup, start]) => {
    if (!start) return `(strpos(${a!.sql}, ${lookup!.sql}) - 1)`;
    return `CASE WHEN strpos(substr(${a!.sql}, ${start.sql} + 1), ${lookup!.sql}) = 0 THEN -1 ELSE strpos(substr(${a!.sql}, ${start.sql} + 1), ${lookup!.sql}) - 1 + ${start.sql} END`;
  },
  countof: ([a, search, kind]) => {
    if (kind && constString(kind) === 'regex') return `len(regexp_extract_all(${a!.sql}, ${search!.sql}))`;
    return `((length(${a!.sql}) - length(replace(${a!.sql}, ${search!.sql}, ''))) // greatest(length(${search!.sql}), 1))`;
  },
  extract: ([re, group, text]) => `regexp_extract(${text!.sql}, ${re!.sql}, CAST(${group!.sql} AS INTEGER))`,
  extract_all: ([re, a, b]) => {
    const text = b ?? a!;
    if (b) return `to_json(regexp_extract_all(${text.sql}, ${re!.sql}, CAST(json_extract(${a!.sql}, '$[0]') AS INTEGER)))`;
    return `CASE WHEN regexp_matches(${text.sql}, ${re!.sql}) THEN to_json(regexp_extract_all(${text.sql}, ${re!.sql}, CASE WHEN regexp_matches(${re!.sql}, '\\((?!\\?)') THEN 1 ELSE 0 END)) ELSE NULL END`;
  },
  split: ([a, d, index]) => {
    const list = `string_split(${a!.sql}, ${d!.sql})`;
    if (index) return `to_json(CASE WHEN ${index.sql} >= 0 AND ${index.sql} < len(${list}) THEN [${list}[${index.sql} + 1]] ELSE [] END)`;
    return `to_json(${list})`;
  },
  strcat_array: ([arr, d]) => `coalesce(array_to_string(list_transform(CAST(${arr!.sql} AS JSON[]), x -> kql_dynamic_tostring(x)), ${d!.sql}), '')`,
  strrep: ([a, n, d]) => (d ? `array_to_string(list_transform(range(${n!.sql}), i -> ${toStringSql(a!)}), ${d.sql})` : `repeat(${toStringSql(a!)}, CAST(${n!.sql} AS BIGINT))`),
  url_decode: ([a]) => `coalesce(url_decode(${a!.sql}), '')`,
  url_encode: ([a]) => `url_encode(${a!.sql})`,
  url_encode_component: ([a]) => `url_encode(${a!.sql})`,
  base64_encode_tostring: ([a]) => `to_base64(encode(${a!.sql}))`,
  base64_decode_tostring: ([a]) => `coalesce(TRY_CAST(from_base64(${a!.sql}) AS VARCHAR), '')`,
  hash_sha256: ([a]) => `sha256(${toStringSql(a!)})`,
  hash_sha1: ([a]) => `sha1(${toStringSql(a!)})`,
  hash_md5: ([a]) => `md5(${toStringSql(a!)})`,
  hash: ([a, mod]) => (mod ? `CAST(hash(${a!.sql}) % CAST(${mod.sql} AS UBIGINT) AS BIGINT)` : `CAST(hash(${a!.sql}) >> 1 AS BIGINT)`),
  tohex: ([a, len]) => (len ? `lpad(lower(hex(${a!.sql})), CAST(${len.sql} AS INTEGER), '0')` : `lower(hex(${a!.sql}))`),
  coalesce: (args, call) => {
    if (call.type === 'string') return `coalesce(${args.map(a => `nullif(${a.sql}, '')`).join(', ')}, '')`;
    return `coalesce(${args.map(a => a.sql).join(', ')})`;
  },
  isnan: ([a]) => `isnan(${a!.sql})`,
  isinf: ([a]) => `isinf(${a!.sql})`,
  isfinite: ([a]) => `isfinite(${a!.sql})`,
  isascii: ([a]) => `NOT regexp_matches(${a!.sql}, '[^\\x00-\\x7F]')`,
  gettype: ([a]) => (a!.type === 'dynamic'
    ? `CASE json_type(${a!.sql}) WHEN 'ARRAY' THEN 'array' WHEN 'OBJECT' THEN 'dictionary' WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN 'long' WHEN 'UBIGINT' THEN 'long' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' ELSE 'null' END`
    : `'${a!.type === 'bool' ? 'bool' : a!.type}'`),
  new_guid: () => 'uuid()',
  rand: ([n]) => (n ? `CAST(floor(random() * ${n.sql}) AS BIGINT)` : 'random()'),

  // ---- math
  abs: ([a]) => `abs(${a!.sql})`,
  ceiling: ([a]) => `ceil(${a!.sql})`,
  sqrt: ([a]) => `sqrt(${a!.sql})`,
  pow: ([a, b]) => `pow(${a!.sql}, ${b!.sql})`,
  exp: ([a]) => `exp(${a!.sql})`,
  exp2: ([a]) => `pow(2, ${a!.sql})`,
  exp10: ([a]) => `pow(10, ${a!.sql})`,
  log: ([a]) => `CASE WHEN ${a!.sql} > 0 THEN ln(${a!.sql}) ELSE NULL END`,
  log2: ([a]) => `CASE WHEN ${a!.sql} > 0 THEN log2(${a!.sql}) ELSE NULL END`,
  log10: ([a]) => `CASE WHEN ${a!.sql} > 0 THEN log10(${a!.sql}) ELSE NULL END`,
  sign: ([a]) => `sign(${a!.sql})`,
  round: ([a, p]) => (p ? `round(${a!.sql}, CAST(${p.sql} AS INTEGER))` : `round(${a!.sql})`),
  sin: ([a]) => `sin(${a!.sql})`,
  cos: ([a]) => `cos(${a!.sql})`,
  tan: ([a]) => `tan(${a!.sql})`,
  asin: ([a]) => `asin(${a!.sql})`,
  acos: ([a]) => `acos(${a!.sql})`,
  atan: ([a]) => `atan(${a!.sql})`,
  atan2: ([a, b]) => `atan2(${a!.sql}, ${b!.sql})`,
  cot: ([a]) => `cot(${a!.sql})`,
  pi: () => 'pi()',
  degrees: ([a]) => `degrees(${a!.sql})`,
  radians: ([a]) => `radians(${a!.sql})`,
  max_of: args => `greatest(${args.map(a => a.sql).join(', ')})`,
  min_of: args => `least(${args.map(a => a.sql).join(', ')})`,
  bin: ([x, size], call) => {
    if (x!.type === 'datetime') return `kql_bin_datetime(${x!.sql}, ${size!.sql})`;
    if (x!.type === 'timespan' || call.type === 'long' || call.type === 'int') return `CAST(kql_floor_multiple(${x!.sql}, ${size!.sql}) AS ${call.type === 'int' ? 'INTEGER' : 'BIGINT'})`;
    return `(floor(${x!.sql} / ${size!.sql}) * ${size!.sql})`;
  },
  bin_at: ([x, size, at], call) => {
    if (x!.type === 'datetime') return `kql_bin_datetime_at(${x!.sql}, ${size!.sql}, ${at!.sql})`;
    if (x!.type === 'timespan' || call.type === 'long') return `(${at!.sql} + kql_floor_multiple(${x!.sql} - ${at!.sql}, ${size!.sql}))`;
    return `(${at!.sql} + floor((${x!.sql} - ${at!.sql}) / ${size!.sql}) * ${size!.sql})`;
  },

  // ---- datetime
  startofday: ([d, off]) => (off ? `date_trunc('day', ${d!.sql}) + to_days(CAST(${off.sql} AS INTEGER))` : `date_trunc('day', ${d!.sql})`),
  startofweek: ([d, off]) => `(date_trunc('day', ${d!.sql}) - to_days(CAST(dayofweek(${d!.sql}) AS INTEGER))${off ? ` + to_days(7 * CAST(${off.sql} AS INTEGER))` : ''})`,
  startofmonth: ([d, off]) => `(date_trunc('month', ${d!.sql})${off ? ` + to_months(CAST(${off.sql} AS INTEGER))` : ''})`,
  startofyear: ([d, off]) => `(date_trunc('year', ${d!.sql})${off ? ` + to_years(CAST(${off.sql} AS INTEGER))` : ''})`,
  endofday: ([d, off]) => `(date_trunc('day', ${d!.sql})${off ? ` + to_days(CAST(${off.sql} AS INTEGER))` : ''} + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)`,
  endofweek: ([d, off]) => `(date_trunc('day', ${d!.sql}) - to_days(CAST(dayofweek(${d!.sql}) AS INTEGER))${off ? ` + to_days(7 * CAST(${off.sql} AS INTEGER))` : ''} + INTERVAL 7 DAY - INTERVAL 1 MICROSECOND)`,
  endofmonth: ([d, off]) => `(date_trunc('month', ${d!.sql})${off ? ` + to_months(CAST(${off.sql} AS INTEGER))` : ''} + INTERVAL 1 MONTH - INTERVAL 1 MICROSECOND)`,
  endofyear: ([d, off]) => `(date_trunc('year', ${d!.sql})${off ? ` + to_years(CAST(${off.sql} AS INTEGER))` : ''} + INTERVAL 1 YEAR - INTERVAL 1 MICROSECOND)`,
  dayofweek: ([d]) => `(CAST(dayofweek(${d!.sql}) AS BIGINT) * ${TICKS.day})`,
  dayofmonth: ([d]) => `CAST(day(${d!.sql}) AS INTEGER)`,
  dayofyear: ([d]) => `CAST(dayofyear(${d!.sql}) AS INTEGER)`,
  hourofday: ([d]) => `CAST(hour(${d!.sql}) AS INTEGER)`,
  getmonth: ([d]) => `CAST(month(${d!.sql}) AS INTEGER)`,
  monthofyear: ([d]) => `CAST(month(${d!.sql}) AS INTEGER)`,
  getyear: ([d]) => `CAST(year(${d!.sql}) AS INTEGER)`,
  weekofyear: ([d]) => `CAST(weekofyear(${d!.sql}) AS INTEGER)`,
  week_of_year: ([d]) => `CAST(weekofyear(${d!.sql}) AS INTEGER)`,
  datetime_add: ([part, n, d]) => {
    const p = (constString(part) ?? 'day').toLowerCase();
    const unit = { year: 'YEAR', quarter: 'QUARTER', month: 'MONTH', week: 'WEEK', day: 'DAY', hour: 'HOUR', minute: 'MINUTE', second: 'SECOND', millisecond: 'MILLISECOND', microsecond: 'MICROSECOND' }[p];
    if (!unit) return 'CAST(NULL AS TIMESTAMP)';
    return `(${d!.sql} + to_${unit === 'QUARTER' ? 'months' : unit.toLowerCase() + 's'}(CAST(${n!.sql} ${unit === 'QUARTER' ? '* 3 ' : ''}AS ${['MILLISECOND', 'MICROSECOND', 'SECOND'].includes(unit) ? 'BIGINT' : 'INTEGER'})))`;
  },
  datetime_diff: ([part, a, b]) => {
    const p = (constString(part) ?? 'day').toLowerCase();
    return `date_diff(${JSON.stringify(p).replace(/"/g, "'")}, ${b!.sql}, ${a!.sql})`;
  },
  datetime_part: ([part, d]) => `CAST(date_part(${constString(part) ? `'${constString(part)!.toLowerCase().replace(/[^a-z]/g, '')}'` : part!.sql}, ${d!.sql}) AS INTEGER)`,
  make_datetime: args => {
    const [y, mo, d, h, mi, sec] = args;
    return `make_timestamp(CAST(${y!.sql} AS BIGINT), CAST(${mo!.sql} AS BIGINT), CAST(${d!.sql} AS BIGINT), CAST(${h ? h.sql : '0'} AS BIGINT), CAST(${mi ? mi.sql : '0'} AS BIGINT), CAST(${sec ? sec.sql : '0'} AS DOUBLE))`;
  },
  make_timespan: args => {
    const nums = args.map(a => `CAST(${a.sql} AS DOUBLE)`);
    if (nums.length === 2) return `CAST(round((${nums[0]} * 3600 + ${nums[1]} * 60) * 10000000) AS BIGINT)`;
    if (nums.length === 3) return `CAST(round((${nums[0]} * 3600 + ${nums[1]} * 60 + ${nums[2]}) * 10000000) AS BIGINT)`;
    return `CAST(round((${nums[0]} * 86400 + ${nums[1]} * 3600 + ${nums[2]} * 60 + ${nums[3]}) * 10000000) AS BIGINT)`;
  },
  unixtime_seconds_todatetime: ([a]) => `make_timestamp(CAST(round(${a!.sql} * 1000000) AS BIGINT))`,
  unixtime_milliseconds_todatetime: ([a]) => `make_timestamp(CAST(round(${a!.sql} * 1000) AS BIGINT))`,
  unixtime_microseconds_todatetime: ([a]) => `make_timestamp(CAST(${a!.sql} AS BIGINT))`,
  unixtime_nanoseconds_todatetime: ([a]) => `make_timestamp(CAST(${a!.sql} // 1000 AS BIGINT))`,
  ingestion_time: () => 'CAST(NULL AS TIMESTAMP)',

  // ---- dynamic
  dyn_get: ([x, key], _call, ctx) => {
    const k = constValue(key);
    if (typeof k === 'string') return `json_extract(${x!.sql}, ${ctx.param(`$."${k.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`, 'string')})`;
    if (typeof k === 'bigint') return `json_extract(${x!.sql}, ${ctx.param(k < 0n ? `$[#${k}]` : `$[${k}]`, 'string')})`;
    if (key!.type === 'string') return `json_extract(${x!.sql}, '$."' || replace(replace(${key!.sql}, '\\', '\\\\'), '"', '\\"') || '"')`;
    return `json_extract(${x!.sql}, CASE WHEN ${key!.sql} < 0 THEN '$[#' || CAST(${key!.sql} AS VARCHAR) || ']' ELSE '$[' || CAST(${key!.sql} AS VARCHAR) || ']' END)`;
  },
  array_length: ([a]) => `CASE WHEN json_type(${a!.sql}) = 'ARRAY' THEN CAST(json_array_length(${a!.sql}) AS BIGINT) ELSE NULL END`,
  pack_array: args => `json_array(${args.map(toDynamicSql).join(', ')})`,
  pack: args => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) parts.push(toStringSql(args[i]!), toDynamicSql(args[i + 1]!));
    return `json_object(${parts.join(', ')})`;
  },
  pack_all: ([ignoreNulls, ...pairs]) => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) parts.push(pairs[i]!.sql, toDynamicSql(pairs[i + 1]!));
    const obj = `json_object(${parts.join(', ')})`;
    return ignoreNulls && constValue(ignoreNulls) === true ? `json_merge_patch('{}', ${obj})` : obj;
  },
  bag_keys: ([a]) => `to_json(json_keys(${a!.sql}))`,
  bag_has_key: ([a, k]) => `(json_extract(${a!.sql}, '$."' || ${k!.sql} || '"') IS NOT NULL)`,
  bag_merge: args => args.map(a => a.sql).reduce((acc, x) => `json_merge_patch(${x}, ${acc})`),
  array_concat: args => `to_json(flatten([${args.map(a => `CAST(${a.sql} AS JSON[])`).join(', ')}]))`,
  array_slice: ([a, start, end]) => `to_json(list_slice(CAST(${a!.sql} AS JSON[]), (CASE WHEN ${start!.sql} < 0 THEN json_array_length(${a!.sql}) + ${start!.sql} ELSE ${start!.sql} END) + 1, CASE WHEN ${end!.sql} < 0 THEN json_array_length(${a!.sql}) + ${end!.sql} + 1 ELSE ${end!.sql} + 1 END))`,
  array_reverse: ([a]) => `to_json(list_reverse(CAST(${a!.sql} AS JSON[])))`,
  array_index_of: ([a, v]) => `CAST(coalesce(list_position(list_transform(CAST(${a!.sql} AS JSON[]), x -> kql_dynamic_tostring(x)), ${toStringSql(v!)}), 0) - 1 AS BIGINT)`,
  array_sum: ([a]) => `list_sum(CAST(${a!.sql} AS DOUBLE[]))`,
  set_has_element: ([a, v]) => `list_contains(list_transform(CAST(${a!.sql} AS JSON[]), x -> kql_dynamic_tostring(x)), ${toStringSql(v!)})`,
  range: ([start, stop, step], _call, ctx) => {
    const st = step ? step.sql : ctx.param(1n, 'long');
    if (start!.type === 'datetime') return `to_json(list_transform(generate_series(${start!.sql}, ${stop!.sql}, to_microseconds(CAST((${st}) // 10 AS BIGINT))), x -> kql_datetime_tostring(x)))`;
    if (start!.type === 'timespan') return `to_json(list_transform(generate_series(${start!.sql}, ${stop!.sql}, ${st}), x -> kql_timespan_tostring(x)))`;
    return `to_json(generate_series(${start!.sql}, ${stop!.sql}, ${st}))`;
  },
  extract_json: ([path, json, typed]) => {
    void typed;
    return `kql_dynamic_tostring(json_extract(kql_parse_json(${json!.sql}), ${path!.sql}))`;
  },
};

export const DUCKDB_FUNCTIONS: Readonly<Table> = functions;
export { TICKS };
