// Incoming values as fields of the CSV that DuckDB's reader loads into a table: the same checks and
// the same stored values as coerce() (src/ingest/coerce.ts), written straight to text. Loading CSV
// through DuckDB's parallel reader is much faster than appending values one call at a time.
// Null is an empty unquoted field; the empty string is "".
import type { KustoType } from '../schema/kusto-types.js';
import { coerce, CoercionError } from './coerce.js';
import { formatDatetime } from '../util/kusto-format.js';

const INTEGER = /^-?\d{1,19}$/;
const MAX_LONG = 9223372036854775807n;
const MIN_LONG = -9223372036854775808n;
// 2026-03-08T10:12:00.1234567Z (the Defender export form): rearranged without date arithmetic.
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$/;

export function quote(s: string): string {
  if (s === '') return '""';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 44 || c === 10 || c === 13) return `"${s.replace(/"/g, '""')}"`;
  }
  return s;
}

function daysIn(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** A datetime as DuckDB's '%Y-%m-%d %H:%M:%S.%f' (microseconds; finer digits are dropped, as the store does). */
function datetimeField(value: unknown): string {
  if (typeof value === 'string') {
    const m = ISO_UTC.exec(value);
    if (m) {
      const y = +m[1]!, mo = +m[2]!, d = +m[3]!, h = +m[4]!, mi = +m[5]!, s = +m[6]!;
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h < 24 && mi < 60 && s < 60) {
        return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}.${((m[7] ?? '') + '000000').slice(0, 6)}`;
      }
    }
  }
  // Offsets, other spellings, Date objects: the general parser.
  const ticks = coerce(value, 'datetime');
  if (ticks === null) return '';
  const iso = formatDatetime(ticks as bigint); // YYYY-MM-DDTHH:MM:SS.fffffffZ
  return `${iso.slice(0, 10)} ${iso.slice(11, 26)}`;
}

/** The CSV field for a value of a column of the given type; throws CoercionError when it does not fit. */
export function csvField(value: unknown, type: KustoType): string {
  if (value === undefined || value === null) return type === 'string' ? '""' : '';
  switch (type) {
    case 'string':
      return quote(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
    case 'long':
    case 'int':
      if (typeof value === 'number' && Number.isSafeInteger(value)) {
        if (type === 'int' && (value < -2147483648 || value > 2147483647)) break;
        return String(value);
      }
      if (typeof value === 'string' && INTEGER.test(value)) {
        if (type === 'int') {
          const n = Number(value);
          if (n < -2147483648 || n > 2147483647) break;
          return value;
        }
        const n = BigInt(value);
        if (n > MAX_LONG || n < MIN_LONG) break;
        return value;
      }
      break;
    case 'real':
      if (typeof value === 'number') return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
      break;
    case 'bool':
      if (typeof value === 'boolean') return value ? 'true' : 'false';
      break;
    case 'datetime':
      return datetimeField(value);
    case 'dynamic':
      if (typeof value === 'object') return quote(JSON.stringify(value));
      break;
    default:
      break;
  }
  // Every other form (numbers as strings, "True", timespans, guids...) goes through coerce().
  const v = coerce(value, type);
  if (v === null) return '';
  switch (type) {
    case 'real': {
      const n = v as number;
      return Number.isFinite(n) ? String(n) : Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
    }
    case 'bool':
      return v ? 'true' : 'false';
    case 'dynamic':
    case 'guid':
    case 'decimal':
      return quote(String(v));
    default:
      return String(v);
  }
}

export { CoercionError };
