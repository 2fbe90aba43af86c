// Coercion of incoming values to the schema's Kusto types, as Defender exports write them:
// datetimes with 7 fractional digits and offsets, numbers given as strings, dynamic columns given as
// JSON text or as objects. A value that does not fit is reported, never silently changed.
import type { KustoType } from '../schema/kusto-types.js';
import { parseDatetime, parseTimespan } from '../lower/literals.js';

export type Coerced = null | boolean | number | bigint | string;

export class CoercionError extends Error {}

function fail(value: unknown, type: KustoType): never {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 80 ? value.slice(0, 77) + '...' : value) : String(value);
  throw new CoercionError(`${shown} is not a valid ${type}`);
}

const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GUID = /^[{(]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[)}]?$/i;

/**
 * The value in the normalised form the store writes: string → string (never null), int → number,
 * long → bigint, real → number, bool → boolean, datetime and timespan → 100-ns ticks (bigint),
 * dynamic → JSON text, guid → lower-case text, decimal → decimal text.
 */
export function coerce(value: unknown, type: KustoType): Coerced {
  if (value === undefined || value === null) return type === 'string' ? '' : null;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'object') return JSON.stringify(value);
      return String(value);
    case 'int':
    case 'long': {
      let n: bigint;
      if (typeof value === 'bigint') n = value;
      else if (typeof value === 'number' && Number.isInteger(value)) n = BigInt(value);
      else if (typeof value === 'string' && value.trim() === '') return null;
      else if (typeof value === 'string' && INTEGER.test(value.trim())) n = BigInt(value.trim());
      else if (typeof value === 'string' && REAL.test(value.trim()) && Number.isInteger(Number(value))) n = BigInt(Number(value));
      else return fail(value, type);
      if (type === 'int') {
        if (n < -2147483648n || n > 2147483647n) fail(value, type);
        return Number(n);
      }
      if (n < -9223372036854775808n || n > 9223372036854775807n) fail(value, type);
      return n;
    }
    case 'real':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      if (typeof value === 'string') {
        const t = value.trim();
        if (t === '') return null;
        if (REAL.test(t)) return Number(t);
        if (/^(nan|[+-]?inf(inity)?)$/i.test(t)) return t.toLowerCase() === 'nan' ? NaN : t.startsWith('-') ? -Infinity : Infinity;
      }
      return fail(value, type);
    case 'decimal':
      if (typeof value === 'number' || typeof value === 'bigint') return String(value);
      if (typeof value === 'string' && REAL.test(value.trim())) return value.trim();
      return fail(value, type);
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      if (typeof value === 'string') {
        const t = value.trim().toLowerCase();
        if (t === 'true' || t === '1') return true;
        if (t === 'false' || t === '0') return false;
        if (t === '') return null;
      }
      return fail(value, type);
    case 'datetime': {
      if (typeof value === 'string') {
        if (value.trim() === '') return null;
        const ticks = parseDatetime(value);
        if (ticks !== undefined) return ticks;
      }
      if (value instanceof Date && !Number.isNaN(value.getTime())) return BigInt(value.getTime()) * 10_000n;
      return fail(value, type);
    }
    case 'timespan': {
      if (typeof value === 'string') {
        if (value.trim() === '') return null;
        const ticks = parseTimespan(value);
        if (ticks !== undefined) return ticks;
      }
      if (typeof value === 'bigint') return value;
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      return fail(value, type);
    }
    case 'dynamic':
      if (typeof value === 'string') {
        const t = value.trim();
        if (t === '') return null;
        // Dynamic columns arrive as JSON text or as values; text that is not JSON is a string value.
        if (/^[[{"]|^(true|false|null|-?\d)/.test(t)) {
          try {
            return JSON.stringify(JSON.parse(t));
          } catch {
            // not JSON after all
          }
        }
        return JSON.stringify(value);
      }
      return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
    case 'guid':
      if (typeof value === 'string' && GUID.test(value.trim())) return value.trim().replace(/[{}()]/g, '').toLowerCase();
      return fail(value, type);
  }
}
