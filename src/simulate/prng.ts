// Seeded pseudo-random numbers for the simulator: xoshiro128** seeded through splitmix32. Every
// random choice the simulator makes comes from an Rng derived from the seed and a label, never from
// Math.random or the clock, so the same seed and options give the same bytes.

/** A 32-bit hash of a string (FNV-1a followed by a murmur3 finaliser). */
export function hash32(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Lower-case hex of a given length derived from a string alone (stable hashes of known binaries). */
export function hashHex(text: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += hash32(text, i * 0x9e3779b9).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

const HEX = '0123456789abcdef';

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A generator for a seed and any number of labels: derive(seed, 'org'), derive(seed, 'slice', 17). */
  static derive(seed: number, ...labels: (string | number)[]): Rng {
    return new Rng(hash32(labels.join('\u0001'), seed >>> 0) ^ Math.imul(seed | 0, 0x9e3779b1));
  }

  constructor(seed: number) {
    // splitmix32 fills the state; an all-zero state is impossible because splitmix32 never yields
    // four zeros in a row.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** The next 32-bit unsigned integer (xoshiro128**). */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform in [0, 1). */
  f(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). n may exceed 2^32 (uses two draws then). */
  int(n: number): number {
    if (n <= 4294967296) return Math.floor(this.f() * n);
    return Math.floor((this.u32() * 4294967296 + this.u32()) / 18446744073709551616 * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.f() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Picks by weight: items as [item, weight] pairs. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let x = this.f() * total;
    for (const [item, w] of items) {
      x -= w;
      if (x < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** A Poisson-distributed count with the given mean (Knuth; the simulator's means are small). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.f();
    while (p > limit) {
      k++;
      p *= this.f();
    }
    return k;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.f();
    const v = this.f();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      let x = this.u32();
      for (let i = 0; i < 8 && out.length < length; i++) {
        out += HEX[x & 15];
        x >>>= 4;
      }
    }
    return out;
  }

  /** A version-4 GUID, lower case. */
  guid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${HEX[8 + (this.u32() & 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Shuffles a copy (Fisher–Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
