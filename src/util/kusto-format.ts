// Kusto's value forms: datetimes as ISO-8601 UTC with 7 fractional digits, timespans in .NET's
// constant format [-][d.]hh:mm:ss[.fffffff]. Both take 100-ns ticks since the Unix epoch.

const TICKS_PER_MS = 10_000n;
const TICKS_PER_SECOND = 10_000_000n;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

export function formatDatetime(ticks: bigint): string {
  const ms = floorDiv(ticks, TICKS_PER_MS);
  const sub = ticks - ms * TICKS_PER_MS; // 0..9999 ticks below the millisecond
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return String(ticks);
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ (or ±YYYYYY for far years)
  const base = iso.slice(0, iso.indexOf('.'));
  const frac = iso.slice(iso.indexOf('.') + 1, iso.indexOf('.') + 4) + sub.toString().padStart(4, '0');
  return `${base}.${frac}Z`;
}

export function formatTimespan(ticks: bigint): string {
  const negative = ticks < 0n;
  let t = negative ? -ticks : ticks;
  const frac = t % TICKS_PER_SECOND;
  t /= TICKS_PER_SECOND;
  const s = t % 60n;
  t /= 60n;
  const m = t % 60n;
  t /= 60n;
  const h = t % 24n;
  const d = t / 24n;
  const two = (n: bigint) => n.toString().padStart(2, '0');
  let out = `${negative ? '-' : ''}${d > 0n ? `${d}.` : ''}${two(h)}:${two(m)}:${two(s)}`;
  if (frac > 0n) out += `.${frac.toString().padStart(7, '0')}`;
  return out;
}
