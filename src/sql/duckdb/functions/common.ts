// Helpers shared by the DuckDB function tables: constants of arguments, Kusto's tostring() and
// dynamic forms of typed values, term patterns for has.
import type { KustoType } from '../../../schema/kusto-types.js';
import type { ScalarTemplate, SqlArg, SqlContext } from '../../dialect.js';

export type FunctionTable = Record<string, ScalarTemplate>;

/** The constant string value of an argument, if it is a literal. */
export function constString(a: SqlArg | undefined): string | undefined {
  return a && a.ir.kind === 'literal' && typeof a.ir.value === 'string' ? a.ir.value : undefined;
}

export function constValue(a: SqlArg | undefined): unknown {
  return a && a.ir.kind === 'literal' ? a.ir.value : undefined;
}

export function escapeRegex(text: string): string {
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
    case 'decimal':
      // Without the trailing zeros of the fixed scale: 1.500000000000000000 is "1.5".
      return `coalesce(regexp_replace(regexp_replace(CAST(${a.sql} AS VARCHAR), '(\\.[0-9]*?)0+$', '\\1'), '\\.$', ''), '')`;
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
export function lowered(a: SqlArg, ctx: SqlContext): string {
  const c = constString(a);
  return c !== undefined ? ctx.param(c.toLowerCase(), 'string') : `lower(${a.sql})`;
}

export const TICKS: Record<string, bigint> = {
  microsecond: 10n, millisecond: 10_000n, second: 10_000_000n, minute: 600_000_000n, hour: 36_000_000_000n, day: 864_000_000_000n, week: 6_048_000_000_000n,
};

export function typedCast(sql: string, type: KustoType, ctx: SqlContext): string {
  return `CAST(${sql} AS ${ctx.sqlType(type)})`;
}

export function conversion(target: KustoType): ScalarTemplate {
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
export function comparison(op: string): ScalarTemplate {
  return ([a, b]) => `(${a!.sql} ${op} ${b!.sql})`;
}

export function arithmetic(op: '+' | '-' | '*' | '/' | '%'): ScalarTemplate {
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

export function stringPredicate(build: (h: string, n: SqlArg, ctx: SqlContext) => string): ScalarTemplate {
  return ([h, n], _call, ctx) => build(h!.sql, n!, ctx);
}

/** Whether a constant needle needs a term boundary checked before (prefix) and after (suffix) it. */
export function boundaries(needle: string, prefix = true, suffix = true): { start: boolean; end: boolean } {
  return { start: prefix && TERM_CHAR.test(needle), end: suffix && TERM_CHAR_END.test(needle) };
}

/**
 * Term matching (has and its kin) for a constant needle, as two conjuncts: a plain substring test,
 * which the database pushes into the table scan and which rules out almost every row, then the
 * boundary check by regular expression on what is left. A needle that starts and ends with
 * punctuation has no boundary to check: the substring test is the whole answer.
 */
export function hasTemplate(caseSensitive: boolean, prefix: boolean, suffix: boolean): ScalarTemplate {
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
    const pre = substringTest(h!.sql, needle, caseSensitive, ctx);
    const { start, end } = boundaries(needle, prefix, suffix);
    if (!start && !end) return pre;
    return `(${pre} AND regexp_matches(${h!.sql}, ${ctx.param(termPattern(needle, caseSensitive, prefix, suffix), 'string')}))`;
  };
}

export function substringTest(h: string, needle: string, caseSensitive: boolean, ctx: SqlContext): string {
  return caseSensitive ? `contains(${h}, ${ctx.param(needle, 'string')})` : `contains(lower(${h}), ${ctx.param(needle.toLowerCase(), 'string')})`;
}

export function inList(caseInsensitive: boolean): ScalarTemplate {
  return ([x, ...values], _call, ctx) => {
    if (values.length === 0) return 'false';
    if (!caseInsensitive) return `(${x!.sql} IN (${values.map(v => v.sql).join(', ')}))`;
    return `(lower(${x!.sql}) IN (${values.map(v => lowered(v, ctx)).join(', ')}))`;
  };
}

/** Kusto string functions treat a null string as empty; DuckDB would propagate NULL. */
export const s = (a: SqlArg | undefined) => (a ? a.sql : "''");


/** A dynamic (JSON) value as a DuckDB JSON[] list; null when it is not an array. */
export function jsonListSql(sql: string): string {
  return `(CASE WHEN json_type(${sql}) = 'ARRAY' THEN CAST(${sql} AS JSON[]) END)`;
}

/** One VARCHAR[] of the values of string arguments and of the elements of dynamic-array arguments. */
export function stringListSql(args: readonly SqlArg[]): string {
  const parts = args.map(a => {
    if (a.type !== 'dynamic') return `[${toStringSql(a)}]`;
    return `(CASE WHEN json_type(${a.sql}) = 'ARRAY' THEN list_transform(CAST(${a.sql} AS JSON[]), __x -> kql_dynamic_tostring(__x)) ELSE [kql_dynamic_tostring(${a.sql})] END)`;
  });
  if (parts.length === 0) return 'CAST([] AS VARCHAR[])';
  return parts.length === 1 ? parts[0]! : `list_concat(${parts.join(', ')})`;
}
