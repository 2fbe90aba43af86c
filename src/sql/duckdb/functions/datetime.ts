// DuckDB: Datetime functions.
import { constString, TICKS, type FunctionTable } from './common.js';

export const DATETIME_FUNCTIONS: FunctionTable = {
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
};
