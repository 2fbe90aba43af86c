// Temporary DuckDB macros the function templates rely on: Kusto value formatting, dynamic (JSON)
// conversions and mv-expand lists. Created per connection, never stored in the user's database.

import { IP_MACROS } from './functions/ip.js';
import { ARRAY_MACROS } from './functions/arrays.js';
import { ENCODING_MACROS } from './functions/encoding.js';
import { STRING_MACROS } from './functions/strings.js';
import { PARSING_MACROS } from './functions/parsing.js';
import { MATH_MACROS } from './functions/math.js';
import { SKETCH_MACROS } from './functions/sketches.js';
import { PUNYCODE_MACROS } from './functions/punycode.js';

const TICKS_PER_DAY = 864000000000n;
const TICKS_PER_HOUR = 36000000000n;
const TICKS_PER_MINUTE = 600000000n;
const TICKS_PER_SECOND = 10000000n;

const macros: Record<string, string> = {
  // Kusto prints reals in their shortest round-trip form, without a trailing ".0".
  kql_real_tostring: `(x) AS CASE WHEN x IS NULL THEN '' WHEN isnan(x) THEN 'NaN' WHEN isinf(x) THEN (CASE WHEN x > 0 THEN '∞' ELSE '-∞' END)
    ELSE replace(regexp_replace(CAST(x AS VARCHAR), '\\.0$', ''), 'e', 'E') END`,
  kql_datetime_tostring: `(ts) AS CASE WHEN ts IS NULL THEN '' ELSE strftime(ts, '%Y-%m-%dT%H:%M:%S.%f') || '0Z' END`,
  kql_timespan_tostring: `(t) AS CASE WHEN t IS NULL THEN '' ELSE
    (CASE WHEN t < 0 THEN '-' ELSE '' END)
    || (CASE WHEN abs(t) >= ${TICKS_PER_DAY} THEN CAST(abs(t) // ${TICKS_PER_DAY} AS VARCHAR) || '.' ELSE '' END)
    || lpad(CAST((abs(t) // ${TICKS_PER_HOUR}) % 24 AS VARCHAR), 2, '0') || ':'
    || lpad(CAST((abs(t) // ${TICKS_PER_MINUTE}) % 60 AS VARCHAR), 2, '0') || ':'
    || lpad(CAST((abs(t) // ${TICKS_PER_SECOND}) % 60 AS VARCHAR), 2, '0')
    || (CASE WHEN abs(t) % ${TICKS_PER_SECOND} <> 0 THEN '.' || lpad(CAST(abs(t) % ${TICKS_PER_SECOND} AS VARCHAR), 7, '0') ELSE '' END) END`,
  // tostring() of a dynamic value: a JSON string gives its text, anything else its JSON, null "".
  kql_dynamic_tostring: `(j) AS coalesce(json_extract_string(j, '$'), '')`,
  // A JSON value read as a Kusto scalar type (null when it does not convert).
  kql_from_json_string: `(j) AS coalesce(json_extract_string(j, '$'), '')`,
  kql_from_json_long: `(j) AS CASE WHEN json_type(j) IN ('BIGINT', 'UBIGINT') THEN TRY_CAST(j AS BIGINT)
    WHEN json_type(j) = 'DOUBLE' THEN TRY_CAST(trunc(CAST(j AS DOUBLE)) AS BIGINT)
    WHEN json_type(j) = 'VARCHAR' THEN TRY_CAST(json_extract_string(j, '$') AS BIGINT)
    WHEN json_type(j) = 'BOOLEAN' THEN CAST(CAST(j AS BOOLEAN) AS BIGINT) ELSE NULL END`,
  kql_from_json_int: `(j) AS TRY_CAST(kql_from_json_long(j) AS INTEGER)`,
  kql_from_json_real: `(j) AS CASE WHEN json_type(j) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(j AS DOUBLE)
    WHEN json_type(j) = 'VARCHAR' THEN TRY_CAST(json_extract_string(j, '$') AS DOUBLE)
    WHEN json_type(j) = 'BOOLEAN' THEN CAST(CAST(j AS BOOLEAN) AS DOUBLE) ELSE NULL END`,
  kql_from_json_decimal: `(j) AS TRY_CAST(json_extract_string(j, '$') AS DECIMAL(38,18))`,
  kql_from_json_bool: `(j) AS CASE WHEN json_type(j) = 'BOOLEAN' THEN CAST(j AS BOOLEAN)
    WHEN json_type(j) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(j AS DOUBLE) <> 0
    WHEN json_type(j) = 'VARCHAR' THEN TRY_CAST(json_extract_string(j, '$') AS BOOLEAN) ELSE NULL END`,
  kql_from_json_datetime: `(j) AS CASE WHEN json_type(j) = 'VARCHAR' THEN kql_string_todatetime(json_extract_string(j, '$')) ELSE NULL END`,
  kql_from_json_timespan: `(j) AS CASE WHEN json_type(j) = 'VARCHAR' THEN kql_string_totimespan(json_extract_string(j, '$'))
    WHEN json_type(j) IN ('BIGINT', 'UBIGINT') THEN CAST(j AS BIGINT) ELSE NULL END`,
  kql_from_json_guid: `(j) AS TRY_CAST(json_extract_string(j, '$') AS UUID)`,
  // Kusto accepts ISO 8601 (with a T or a space, with or without Z or an offset), RFC 822 / 1123,
  // RFC 850, the sortable form with one-digit month and day, and month/day/year.
  kql_string_todatetime: `(s) AS CASE WHEN s IS NULL OR trim(s) = '' THEN NULL
    WHEN regexp_matches(trim(s), '^\\d{4}-.*([+-]\\d{2}:?\\d{2}|[Zz])$') THEN CAST(TRY_CAST(trim(s) AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)
    ELSE coalesce(TRY_CAST(trim(s) AS TIMESTAMP), CAST(try_strptime(regexp_replace(trim(s), '\\s*(GMT|UTC|Z)$', ''), [
      '%a, %d %b %y %H:%M:%S', '%a, %d %b %y %H:%M', '%a, %d %b %Y %H:%M:%S', '%a, %d %b %Y %H:%M',
      '%d %b %y %H:%M:%S', '%d %b %y %H:%M', '%d %b %Y %H:%M:%S', '%d %b %Y %H:%M',
      '%A, %d-%b-%y %H:%M:%S', '%A, %d-%b-%y %H:%M', '%d-%b-%y %H:%M:%S', '%d-%b-%y %H:%M',
      '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M',
      '%m-%d-%Y', '%m/%d/%Y', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p']) AS TIMESTAMP)) END`,
  // [-][d.]hh:mm[:ss[.fffffff]] → ticks
  kql_string_totimespan: `(s) AS CASE WHEN regexp_matches(trim(s), '^-?(\\d+\\.)?\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?$') THEN
    (CASE WHEN starts_with(trim(s), '-') THEN -1 ELSE 1 END) * (
      coalesce(TRY_CAST(regexp_extract(trim(s), '^-?(\\d+)\\.\\d{1,2}:', 1) AS BIGINT), 0) * ${TICKS_PER_DAY}
      + CAST(regexp_extract(trim(s), '(\\d{1,2}):(\\d{2})', 1) AS BIGINT) * ${TICKS_PER_HOUR}
      + CAST(regexp_extract(trim(s), '(\\d{1,2}):(\\d{2})', 2) AS BIGINT) * ${TICKS_PER_MINUTE}
      + coalesce(TRY_CAST(regexp_extract(trim(s), '\\d{1,2}:\\d{2}:(\\d{2})', 1) AS BIGINT), 0) * ${TICKS_PER_SECOND}
      + coalesce(TRY_CAST(rpad(regexp_extract(trim(s), ':\\d{2}\\.(\\d{1,7})$', 1), 7, '0') AS BIGINT), 0))
    ELSE NULL END`,
  // The rows mv-expand makes of one dynamic value: array elements, one-property bags, or the value.
  kql_mv_list: `(j) AS CASE WHEN j IS NULL OR json_type(j) = 'NULL' THEN [CAST(NULL AS JSON)]
    WHEN json_type(j) = 'ARRAY' THEN CAST(j AS JSON[])
    WHEN json_type(j) = 'OBJECT' THEN list_transform(map_entries(CAST(j AS MAP(VARCHAR, JSON))), __e -> CAST(json_object(__e.key, __e.value) AS JSON))
    ELSE [j] END`,
  kql_mv_list_array: `(j) AS CASE WHEN j IS NULL OR json_type(j) = 'NULL' THEN [CAST(NULL AS JSON)]
    WHEN json_type(j) = 'ARRAY' THEN CAST(j AS JSON[])
    WHEN json_type(j) = 'OBJECT' THEN list_transform(map_entries(CAST(j AS MAP(VARCHAR, JSON))), __e -> CAST(json_array(__e.key, __e.value) AS JSON))
    ELSE [j] END`,
  // parse_json: valid JSON text becomes that value; other text stays a (JSON) string.
  kql_parse_json: `(s) AS CASE WHEN s IS NULL THEN NULL WHEN json_valid(s) THEN CAST(s AS JSON) ELSE to_json(s) END`,
  // Kusto's modulo has the sign of the divisor... of its absolute value: -14 % 12 == 10.
  kql_mod: `(a, b) AS ((a % b) + abs(b)) % abs(b)`,
  // has with a needle computed at run time (the compiler builds constant patterns itself).
  kql_has: `(h, n) AS CASE WHEN n = '' THEN true WHEN NOT contains(lower(h), lower(n)) THEN false ELSE regexp_matches(h,
    '(?i)' || (CASE WHEN regexp_matches(n, '^[\\pL\\pN]') THEN '(?:^|[^\\pL\\pN])' ELSE '' END) || regexp_escape(n)
    || (CASE WHEN regexp_matches(n, '[\\pL\\pN]$') THEN '(?:$|[^\\pL\\pN])' ELSE '' END)) END`,
  // Kusto's bin() floors to a multiple of the bin size (negative values round down).
  kql_floor_multiple: `(x, m) AS x - (((x % m) + m) % m)`,
  kql_bin_datetime: `(ts, span_ticks) AS make_timestamp(kql_floor_multiple(epoch_us(ts), CAST(span_ticks // 10 AS BIGINT)))`,
  kql_bin_datetime_at: `(ts, span_ticks, origin) AS make_timestamp(epoch_us(origin) + kql_floor_multiple(epoch_us(ts) - epoch_us(origin), CAST(span_ticks // 10 AS BIGINT)))`,
  kql_datetime_add_ticks: `(ts, t) AS make_timestamp(epoch_us(ts) + CAST(t // 10 AS BIGINT))`,
  kql_datetime_diff_ticks: `(a, b) AS (epoch_us(a) - epoch_us(b)) * 10`,
};

const all: Record<string, string> = { ...macros, ...IP_MACROS, ...ARRAY_MACROS, ...ENCODING_MACROS, ...STRING_MACROS, ...PARSING_MACROS, ...MATH_MACROS, ...SKETCH_MACROS, ...PUNYCODE_MACROS };

export const DUCKDB_MACROS: readonly string[] = Object.entries(all).map(([name, body]) => `CREATE OR REPLACE TEMP MACRO ${name}${body}`);
