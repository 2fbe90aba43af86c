// DuckDB: Datetime functions. Datetimes are TIMESTAMP (UTC, microseconds), timespans BIGINT ticks.
// Weeks start on Sunday (startofweek, datetime_diff('week')); week_of_year is ISO 8601.
import type { SqlArg, SqlContext } from '../../dialect.js';
import { bind } from './arrays.js';
import { constString, TICKS, toStringSql, type FunctionTable } from './common.js';

const int = (a: SqlArg) => `CAST(${a.sql} AS BIGINT)`;

/** A period name as Kusto accepts it (case-insensitive), normalized. */
function period(a: SqlArg | undefined): string | undefined {
  const p = constString(a);
  return p === undefined ? undefined : p.toLowerCase().replace(/[^a-z_]/g, '');
}

/** The start of the Sunday-based week of a timestamp. */
const weekStart = (d: string) => `(date_trunc('day', ${d}) - to_days(CAST(dayofweek(${d}) AS INTEGER)))`;

function partSql(p: string, d: string): string | undefined {
  switch (p) {
    case 'year': return `year(${d})`;
    case 'quarter': return `quarter(${d})`;
    case 'month': return `month(${d})`;
    case 'week_of_year': case 'weekofyear': case 'week': return `weekofyear(${d})`;
    case 'day': return `day(${d})`;
    case 'dayofyear': return `dayofyear(${d})`;
    case 'hour': return `hour(${d})`;
    case 'minute': return `minute(${d})`;
    case 'second': return `second(${d})`;
    case 'millisecond': return `(date_part('microseconds', ${d}) // 1000) % 1000`;
    case 'microsecond': return `date_part('microseconds', ${d}) % 1000000`;
    case 'nanosecond': return `(date_part('microseconds', ${d}) % 1000000) * 1000`;
    default: return undefined;
  }
}

const PERIODS = ['year', 'quarter', 'month', 'week_of_year', 'day', 'dayofyear', 'hour', 'minute', 'second', 'millisecond', 'microsecond', 'nanosecond'];

function diffSql(p: string, a: string, b: string): string | undefined {
  switch (p) {
    case 'year': case 'quarter': case 'month': case 'day': case 'hour': case 'minute': case 'second': case 'millisecond': case 'microsecond':
      return `date_diff('${p}', ${b}, ${a})`;
    case 'week':
      return `(date_diff('day', ${weekStart(b)}, ${weekStart(a)}) // 7)`;
    case 'nanosecond':
      return `(epoch_us(${a}) - epoch_us(${b})) * 1000`;
    default:
      return undefined;
  }
}

function addSql(p: string, n: string, d: string): string | undefined {
  switch (p) {
    case 'year': return `(${d} + to_years(CAST(${n} AS INTEGER)))`;
    case 'quarter': return `(${d} + to_months(CAST(${n} * 3 AS INTEGER)))`;
    case 'month': return `(${d} + to_months(CAST(${n} AS INTEGER)))`;
    case 'week': return `(${d} + to_days(CAST(${n} * 7 AS INTEGER)))`;
    case 'day': return `(${d} + to_days(CAST(${n} AS INTEGER)))`;
    case 'hour': return `kql_datetime_add_ticks(${d}, ${n} * ${TICKS.hour})`;
    case 'minute': return `kql_datetime_add_ticks(${d}, ${n} * ${TICKS.minute})`;
    case 'second': return `kql_datetime_add_ticks(${d}, ${n} * ${TICKS.second})`;
    case 'millisecond': return `kql_datetime_add_ticks(${d}, ${n} * ${TICKS.millisecond})`;
    case 'microsecond': return `kql_datetime_add_ticks(${d}, ${n} * ${TICKS.microsecond})`;
    case 'nanosecond': return `kql_datetime_add_ticks(${d}, ${n} // 100)`;
    default: return undefined;
  }
}

const DIFF_PERIODS = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond', 'microsecond', 'nanosecond'];

/** A CASE over the run-time value of a period argument. */
function byPeriod(arg: SqlArg, periods: string[], build: (p: string) => string | undefined): string {
  const whens = periods.map(p => `WHEN '${p.replace(/_/g, '')}' THEN ${build(p)}`).join(' ');
  return `CASE regexp_replace(lower(${arg.sql}), '[^a-z]', '', 'g') ${whens} ELSE NULL END`;
}

/** Splits a .NET-style custom format into runs of one pattern letter and literal text. */
export function formatTokens(format: string, letters: string): { kind: 'field' | 'text'; text: string }[] {
  const out: { kind: 'field' | 'text'; text: string }[] = [];
  const text = (t: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === 'text') last.text += t;
    else out.push({ kind: 'text', text: t });
  };
  for (let i = 0; i < format.length;) {
    const c = format[i]!;
    if (c === '\\' && i + 1 < format.length) {
      text(format[i + 1]!);
      i += 2;
    } else if (c === '"' || c === "'") {
      const end = format.indexOf(c, i + 1);
      text(end < 0 ? format.slice(i + 1) : format.slice(i + 1, end));
      i = end < 0 ? format.length : end + 1;
    } else if (letters.includes(c)) {
      let j = i;
      while (j < format.length && format[j] === c) j++;
      out.push({ kind: 'field', text: format.slice(i, j) });
      i = j;
    } else {
      text(c);
      i++;
    }
  }
  return out;
}

const pad = (sql: string, n: number) => (n <= 1 ? `CAST(${sql} AS VARCHAR)` : `lpad(CAST(${sql} AS VARCHAR), ${n}, '0')`);

/** Fraction-of-second fields: f..fffffff (always n digits), F..FFFFFFF (trailing zeros dropped). */
function fraction(field: string, frac7: string): string {
  const n = Math.min(field.length, 7);
  const digits = `left(${frac7}, ${n})`;
  return field[0] === 'f' ? digits : `rtrim(${digits}, '0')`;
}

function formatDatetimeSql(format: string, d: string, ctx: SqlContext): string {
  const parts = formatTokens(format, 'dfFhHmMsyt').map(t => {
    if (t.kind === 'text') return ctx.param(t.text, 'string');
    const n = t.text.length;
    switch (t.text[0]) {
      case 'd': return n >= 3 ? (n === 3 ? 'strftime(__dt, \'%a\')' : 'strftime(__dt, \'%A\')') : pad('day(__dt)', n);
      case 'f': case 'F': return fraction(t.text, "lpad(CAST((date_part('microseconds', __dt) % 1000000) * 10 AS VARCHAR), 7, '0')");
      case 'h': return pad('((hour(__dt) + 11) % 12) + 1', Math.min(n, 2));
      case 'H': return pad('hour(__dt)', Math.min(n, 2));
      case 'm': return pad('minute(__dt)', Math.min(n, 2));
      case 'M': return n >= 3 ? (n === 3 ? 'strftime(__dt, \'%b\')' : 'strftime(__dt, \'%B\')') : pad('month(__dt)', n);
      case 's': return pad('second(__dt)', Math.min(n, 2));
      case 'y': return n <= 2 ? pad('year(__dt) % 100', n) : pad('year(__dt)', n);
      case 't': return n === 1 ? "CASE WHEN hour(__dt) < 12 THEN 'A' ELSE 'P' END" : "CASE WHEN hour(__dt) < 12 THEN 'AM' ELSE 'PM' END";
      default: return ctx.param(t.text, 'string');
    }
  });
  return bind(d, '__dt', `CASE WHEN __dt IS NULL THEN '' ELSE concat(${parts.join(', ') || "''"}) END`);
}

function formatTimespanSql(format: string, t: string, ctx: SqlContext): string {
  const parts = formatTokens(format, 'dfFhHmst').map(tok => {
    if (tok.kind === 'text') return ctx.param(tok.text, 'string');
    const n = tok.text.length;
    switch (tok.text[0]) {
      case 'd': return pad(`abs(__ts) // ${TICKS.day}`, n);
      case 'f': case 'F': return fraction(tok.text, `lpad(CAST(abs(__ts) % ${TICKS.second} AS VARCHAR), 7, '0')`);
      case 'h': case 'H': return pad(`(abs(__ts) // ${TICKS.hour}) % 24`, Math.min(n, 2));
      case 'm': return pad(`(abs(__ts) // ${TICKS.minute}) % 60`, Math.min(n, 2));
      case 's': return pad(`(abs(__ts) // ${TICKS.second}) % 60`, Math.min(n, 2));
      default: return ctx.param(tok.text, 'string');
    }
  });
  return bind(t, '__ts', `CASE WHEN __ts IS NULL THEN '' ELSE concat(${parts.join(', ') || "''"}) END`);
}

/** Applies a time-zone conversion when the zone is known (null otherwise, where DuckDB would fail). */
function withTimezone(tz: SqlArg, build: (zone: string) => string): string {
  const name = constString(tz);
  if (name !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
    } catch {
      return 'CAST(NULL AS TIMESTAMP)';
    }
    return build(tz.sql);
  }
  const zone = toStringSql(tz);
  return `CASE WHEN ${zone} IN (SELECT name FROM pg_timezone_names()) THEN ${build(zone)} END`;
}

export const DATETIME_FUNCTIONS: FunctionTable = {
  startofday: ([d, off]) => (off ? `date_trunc('day', ${d!.sql}) + to_days(CAST(${off.sql} AS INTEGER))` : `date_trunc('day', ${d!.sql})`),
  startofweek: ([d, off]) => `(${weekStart(d!.sql)}${off ? ` + to_days(7 * CAST(${off.sql} AS INTEGER))` : ''})`,
  startofmonth: ([d, off]) => `(date_trunc('month', ${d!.sql})${off ? ` + to_months(CAST(${off.sql} AS INTEGER))` : ''})`,
  startofyear: ([d, off]) => `(date_trunc('year', ${d!.sql})${off ? ` + to_years(CAST(${off.sql} AS INTEGER))` : ''})`,
  endofday: ([d, off]) => `(date_trunc('day', ${d!.sql})${off ? ` + to_days(CAST(${off.sql} AS INTEGER))` : ''} + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)`,
  endofweek: ([d, off]) => `(${weekStart(d!.sql)}${off ? ` + to_days(7 * CAST(${off.sql} AS INTEGER))` : ''} + INTERVAL 7 DAY - INTERVAL 1 MICROSECOND)`,
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
    const p = period(part);
    // (An unknown period is checked first: arguments a template does not use must stay unread.)
    if (p !== undefined) return addSql(p, '0', 'd') === undefined ? 'CAST(NULL AS TIMESTAMP)' : addSql(p, int(n!), d!.sql)!;
    return byPeriod(part!, DIFF_PERIODS, q => addSql(q, int(n!), d!.sql));
  },
  datetime_diff: ([part, a, b]) => {
    const p = period(part);
    const sql = p !== undefined ? (diffSql(p, 'a', 'b') === undefined ? 'NULL' : diffSql(p, a!.sql, b!.sql)!) : byPeriod(part!, DIFF_PERIODS, q => diffSql(q, a!.sql, b!.sql));
    return `CAST(${sql} AS BIGINT)`;
  },
  datetime_part: ([part, d]) => {
    const p = period(part);
    const sql = p !== undefined ? (partSql(p, 'd') === undefined ? 'NULL' : partSql(p, d!.sql)!) : byPeriod(part!, PERIODS, q => partSql(q, d!.sql));
    return `CAST(${sql} AS INTEGER)`;
  },
  format_datetime: ([d, f], _call, ctx) => {
    const format = constString(f);
    if (format !== undefined) return formatDatetimeSql(format, d!.sql, ctx);
    return `kql_datetime_tostring(${d!.sql})`;
  },
  format_timespan: ([t, f], _call, ctx) => {
    const format = constString(f);
    if (format !== undefined) return formatTimespanSql(format, t!.sql, ctx);
    return `kql_timespan_tostring(${t!.sql})`;
  },
  // A local time that does not exist (skipped by a daylight-saving change) is read with the offset
  // in force after the change, as Kusto does.
  datetime_local_to_utc: ([d, tz]) => withTimezone(tz!, z => bind(`{'d': ${d!.sql}, 'z': ${z}}`, '__lz', bind("timezone('UTC', timezone(__lz.z, __lz.d))", '__lu',
    "__lu - (timezone(__lz.z, timezone('UTC', __lu)) - __lz.d)"))),
  datetime_utc_to_local: ([d, tz]) => withTimezone(tz!, z => `timezone(${z}, timezone('UTC', ${d!.sql}))`),
  around: ([v, center, delta]) => (v!.type === 'datetime'
    ? `(${v!.sql} BETWEEN kql_datetime_add_ticks(${center!.sql}, -(${delta!.sql})) AND kql_datetime_add_ticks(${center!.sql}, ${delta!.sql}))`
    : `(${v!.sql} BETWEEN ${center!.sql} - ${delta!.sql} AND ${center!.sql} + ${delta!.sql})`),
  make_datetime: args => {
    const [y, mo, d, h, mi, sec] = args;
    return `try(make_timestamp(CAST(${y!.sql} AS BIGINT), CAST(${mo!.sql} AS BIGINT), CAST(${d!.sql} AS BIGINT), CAST(${h ? h.sql : '0'} AS BIGINT), CAST(${mi ? mi.sql : '0'} AS BIGINT), CAST(${sec ? sec.sql : '0'} AS DOUBLE)))`;
  },
  make_timespan: args => {
    const nums = args.map(a => `CAST(${a.sql} AS DOUBLE)`);
    if (nums.length === 1) return `CAST(round(${nums[0]} * ${TICKS.day}) AS BIGINT)`;
    if (nums.length === 2) return `CAST(round((${nums[0]} * 3600 + ${nums[1]} * 60) * 10000000) AS BIGINT)`;
    if (nums.length === 3) return `CAST(round((${nums[0]} * 3600 + ${nums[1]} * 60 + ${nums[2]}) * 10000000) AS BIGINT)`;
    return `CAST(round((${nums[0]} * 86400 + ${nums[1]} * 3600 + ${nums[2]} * 60 + ${nums[3]}) * 10000000) AS BIGINT)`;
  },
  unixtime_seconds_todatetime: ([a]) => `make_timestamp(CAST(round(${a!.sql} * 1000000) AS BIGINT))`,
  unixtime_milliseconds_todatetime: ([a]) => `make_timestamp(CAST(round(${a!.sql} * 1000) AS BIGINT))`,
  unixtime_microseconds_todatetime: ([a]) => `make_timestamp(CAST(${a!.sql} AS BIGINT))`,
  unixtime_nanoseconds_todatetime: ([a]) => `make_timestamp(CAST(${a!.sql} // 1000 AS BIGINT))`,
  ingestion_time: () => 'CAST(NULL AS TIMESTAMP)',
};
