// Kusto literal text → normalised IR literal values. We parse the token text ourselves rather than
// trust the Bridge.NET runtime values: that is exact to the 100-ns tick and handles hex longs.
import type { KustoType } from '../schema/kusto-types.js';
import type { LiteralValue } from '../ir/scalar.js';

export const TICKS_PER_MS = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
const TICKS_PER_MINUTE = 60n * TICKS_PER_SECOND;
const TICKS_PER_HOUR = 60n * TICKS_PER_MINUTE;
const TICKS_PER_DAY = 24n * TICKS_PER_HOUR;

const UNIT_TICKS: Record<string, bigint> = {
  d: TICKS_PER_DAY, day: TICKS_PER_DAY, days: TICKS_PER_DAY,
  h: TICKS_PER_HOUR, hr: TICKS_PER_HOUR, hrs: TICKS_PER_HOUR, hour: TICKS_PER_HOUR, hours: TICKS_PER_HOUR,
  m: TICKS_PER_MINUTE, min: TICKS_PER_MINUTE, mins: TICKS_PER_MINUTE, minute: TICKS_PER_MINUTE, minutes: TICKS_PER_MINUTE,
  s: TICKS_PER_SECOND, sec: TICKS_PER_SECOND, secs: TICKS_PER_SECOND, second: TICKS_PER_SECOND, seconds: TICKS_PER_SECOND,
  ms: TICKS_PER_MS, milli: TICKS_PER_MS, millis: TICKS_PER_MS, millisecond: TICKS_PER_MS, milliseconds: TICKS_PER_MS,
  microsecond: 10n, microseconds: 10n, micro: 10n, micros: 10n,
  nanosecond: 0n, nanoseconds: 0n,
  tick: 1n, ticks: 1n,
};

/** Multiplies a decimal number text by an integer, exactly, rounding half away from zero. */
function decimalTimes(numberText: string, factor: bigint): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(numberText);
  if (!m) throw new Error(`bad number ${numberText}`);
  const [, sign, intPart = '', fracPart = '', expText] = m;
  let digits = (intPart || '0') + fracPart;
  let scale = fracPart.length - (expText ? Number(expText) : 0);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const scaled = BigInt(digits) * factor;
  const div = 10n ** BigInt(scale);
  let q = scaled / div;
  if ((scaled % div) * 2n >= div) q += 1n;
  return sign === '-' ? -q : q;
}

/** `d.hh:mm:ss.fffffff`, `hh:mm`, `hh:mm:ss` → ticks. */
function parseClockTimespan(text: string): bigint | undefined {
  const m = /^([+-])?(?:(\d+)\.)?(\d+):(\d+)(?::(\d+)(?:\.(\d{1,7}))?)?$/.exec(text);
  if (!m) return undefined;
  const [, sign, d = '0', h, mi, s = '0', frac = ''] = m;
  const ticks = BigInt(d) * TICKS_PER_DAY + BigInt(h!) * TICKS_PER_HOUR + BigInt(mi!) * TICKS_PER_MINUTE + BigInt(s) * TICKS_PER_SECOND + BigInt((frac + '0000000').slice(0, 7));
  return sign === '-' ? -ticks : ticks;
}

/** A timespan in any Kusto spelling: 30m, 1.5h, 14d, 2 days? no: `2days`, 00:30:00, 1.02:03:04. */
export function parseTimespan(text: string): bigint | undefined {
  const t = text.trim();
  const unit = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]+)$/i.exec(t);
  if (unit) {
    const factor = UNIT_TICKS[unit[2]!.toLowerCase()];
    if (factor === undefined) return undefined;
    return decimalTimes(unit[1]!, factor);
  }
  const clock = parseClockTimespan(t);
  if (clock !== undefined) return clock;
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return decimalTimes(t, TICKS_PER_DAY); // time(2) is two days
  return undefined;
}

const EPOCH_TICKS_OFFSET = 0n;

/** Ticks since the Unix epoch for an ISO-like or RFC datetime text; undefined if it does not parse. */
export function parseDatetime(text: string): bigint | undefined {
  const t = text.trim();
  // Spaces around the date's dashes are allowed: formatted queries carry datetime(2017 - 08 - 01).
  const m = /^(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (m) {
    const [, Y, Mo, D, h = '0', mi = '0', s = '0', frac = '', tz] = m;
    const ms = Date.UTC(Number(Y), Number(Mo) - 1, Number(D), Number(h), Number(mi), Number(s));
    if (Number.isNaN(ms)) return undefined;
    let ticks = BigInt(ms) * TICKS_PER_MS + BigInt((frac + '0000000').slice(0, 7));
    if (tz && tz.toUpperCase() !== 'Z') {
      const sign = tz[0] === '-' ? -1n : 1n;
      const digits = tz.slice(1).replace(':', '');
      ticks -= sign * (BigInt(digits.slice(0, 2)) * TICKS_PER_HOUR + BigInt(digits.slice(2, 4)) * TICKS_PER_MINUTE);
    }
    return ticks + EPOCH_TICKS_OFFSET;
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(AM|PM)?)?$/i.exec(t);
  if (us) {
    const [, Mo, D, Y, hText = '0', mi = '0', s = '0', frac = '', ampm] = us;
    let h = Number(hText);
    if (ampm && ampm.toUpperCase() === 'PM' && h < 12) h += 12;
    if (ampm && ampm.toUpperCase() === 'AM' && h === 12) h = 0;
    const ms = Date.UTC(Number(Y), Number(Mo) - 1, Number(D), h, Number(mi), Number(s));
    if (Number.isNaN(ms)) return undefined;
    return BigInt(ms) * TICKS_PER_MS + BigInt((frac + '0000000').slice(0, 7));
  }
  const ms = Date.parse(/(GMT|UTC|Z|[+-]\d{4})$/i.test(t) ? t : `${t} GMT`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * TICKS_PER_MS;
}

/** The text inside `name( ... )`, or undefined when the literal is not in that form. */
function innerOf(text: string): string | undefined {
  const m = /^[a-z0-9_]+\s*\(([\s\S]*)\)$/i.exec(text.trim());
  return m ? m[1]!.trim() : undefined;
}

function parseLong(text: string): bigint | undefined {
  const t = text.trim();
  if (/^[+-]?0x[0-9a-f]+$/i.test(t)) return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t.replace(/^\+/, ''));
  if (/^[+-]?\d+$/.test(t)) return BigInt(t);
  if (/^[+-]?\d+\.0*$/.test(t)) return BigInt(t.replace(/\.0*$/, ''));
  return undefined;
}

function parseReal(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'nan') return NaN;
  if (t === '+inf' || t === 'inf' || t === '+infinity' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (/^[+-]?0x[0-9a-f]+$/i.test(t)) return Number(parseLong(t));
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  return undefined;
}

/** The text of a quoted literal body ("..." or '...'); other text as it is. */
function unquote(body: string): string {
  const m = /^(["'])([^"'\\]*)\1$/.exec(body);
  return m ? m[2]!.trim() : body;
}

export class LiteralSyntaxError extends Error {}

/**
 * The value of a literal token of the given Kusto type. `text` is the whole token: `1.5h`,
 * `datetime(2020-01-01)`, `int(null)`, `0x1F`, `guid(...)`, `true`.
 */
export function literalValue(type: KustoType, text: string): LiteralValue {
  const inner = innerOf(text);
  // datetime("01/16/2022 00:00:00"): the literal's text may also be given as a quoted string.
  const raw = inner ?? text.trim();
  const body = type === 'string' || type === 'dynamic' ? raw : unquote(raw);
  if (body.toLowerCase() === 'null' && (inner !== undefined || type !== 'string')) return type === 'string' ? '' : null;
  const fail = (): never => {
    throw new LiteralSyntaxError(`cannot read ${type} literal ${text}`);
  };
  switch (type) {
    case 'bool': {
      const b = body.toLowerCase();
      if (b === 'true' || b === '1') return true;
      if (b === 'false' || b === '0') return false;
      return fail();
    }
    case 'int':
    case 'long':
      return parseLong(body) ?? fail();
    case 'real':
      return parseReal(body) ?? fail();
    case 'decimal':
      return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(body) ? body : fail();
    case 'datetime':
      return parseDatetime(body) ?? fail();
    case 'timespan':
      return parseTimespan(body) ?? fail();
    case 'guid':
      return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(body) ? body.toLowerCase() : fail();
    case 'string':
      return body;
    case 'dynamic':
      return body;
  }
}
