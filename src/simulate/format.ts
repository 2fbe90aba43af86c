// Cheap text for the simulator's JSON: Kusto datetimes (ISO-8601 UTC, 7 fractional digits) from
// 100-ns ticks, and JSON string literals. The simulator keeps times as ticks since the start of the
// simulated period (a JS number: exact up to 28 years), so sorting and arithmetic stay integer.

export const MS = 10_000;
export const SEC = 10_000_000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

const D2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const D3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const D4 = Array.from({ length: 10000 }, (_, i) => String(i).padStart(4, '0'));

/** Formats ticks relative to an origin (ms since the Unix epoch, a whole minute) as Kusto datetimes. */
export class Clock {
  private readonly minutes: (string | undefined)[] = [];

  constructor(readonly originMs: number) {
    if (originMs % 60_000 !== 0) throw new Error('the simulated period must start on a whole minute');
  }

  /**
   * "2026-03-08T10:12:00.1234560Z" for ticks since the origin (before it too). Kusto's form has 7
   * fractional digits; the simulator's times stop at microseconds (the last digit is 0), the
   * precision chainhunt's store keeps, so that times in labels.json equal times in query results.
   */
  fmt(ticks: number): string {
    ticks -= ((ticks % 10) + 10) % 10;
    const minute = Math.floor(ticks / MIN);
    let prefix = minute >= 0 ? this.minutes[minute] : undefined;
    if (prefix === undefined) {
      prefix = new Date(this.originMs + minute * 60_000).toISOString().slice(0, 17);
      if (minute >= 0) this.minutes[minute] = prefix;
    }
    const inMinute = ticks - minute * MIN;
    const sec = Math.floor(inMinute / SEC);
    const rest = inMinute - sec * SEC;
    const ms = Math.floor(rest / MS);
    return prefix + D2[sec] + '.' + D3[ms] + D4[rest - ms * MS] + 'Z';
  }

  /** The same instant as a Date (millisecond precision). */
  date(ticks: number): Date {
    return new Date(this.originMs + Math.floor(ticks / MS));
  }
}

const NON_ASCII = /[\u0080-\uffff]/g;
const HAS_NON_ASCII = /[\u0080-\uffff]/;
const escapeChar = (c: string) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

/**
 * JSON text in pure ASCII: characters beyond ASCII are written as \\uXXXX escapes, so that every
 * output line is one byte per character (the writer encodes with latin1, a plain copy).
 */
export function ascii(json: string): string {
  return HAS_NON_ASCII.test(json) ? json.replace(NON_ASCII, escapeChar) : json;
}

const PRINTABLE = /^[\x20-\x7e]*$/;

/** A JSON string literal, in ASCII. */
export function J(s: string): string {
  // Most values are printable ASCII: only backslashes (Windows paths) and quotes need escaping.
  if (!PRINTABLE.test(s)) return ascii(JSON.stringify(s));
  if (s.indexOf('\\') >= 0) s = s.replaceAll('\\', '\\\\');
  if (s.indexOf('"') >= 0) s = s.replaceAll('"', '\\"');
  return '"' + s + '"';
}

/**
 * Flattens a string built by concatenation (a rope) in place and returns it. Fragments reused for
 * millions of rows are flattened once, so that writing a row copies a few flat pieces instead of
 * walking the same rope every time. (Converting to a number flattens the string in V8.)
 */
export function flat(s: string): string {
  void ((s as unknown as number) | 0);
  return s;
}
