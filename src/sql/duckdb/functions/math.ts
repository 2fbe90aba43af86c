// DuckDB: Math functions, bit operations, special functions (erf, gamma, beta) and bin().
// Domain errors give null (log of a negative number, sqrt of a negative, acos(2)) as in Kusto,
// where DuckDB would raise an error.
import type { SqlArg } from '../../dialect.js';
import { bind } from './arrays.js';
import { type FunctionTable } from './common.js';

const real = (a: SqlArg) => `CAST(${a.sql} AS DOUBLE)`;
const long = (a: SqlArg) => `CAST(${a.sql} AS BIGINT)`;

export const MATH_MACROS: Record<string, string> = {
  /** erf by its everywhere-positive series, for 0 <= x < 3. */
  kql_erf_series: `(x) AS CASE WHEN x = 0 THEN CAST(0 AS DOUBLE) ELSE ${bind('x', '__ex',
    '2 / sqrt(pi()) * exp(-__ex * __ex) * list_sum(list_transform(range(120), __n -> __ex * exp(__n * ln(4 * __ex * __ex) + lgamma(__n + 1) - lgamma(2 * __n + 2))))')} END`,
  /** erfc by its continued fraction, for x >= 3. */
  kql_erfc_cf: `(x) AS ${bind('CAST(x AS DOUBLE)', '__cx',
    'exp(-__cx * __cx) / sqrt(pi()) / list_reduce(list_concat([__cx], list_transform(range(80, 0, -1), __k -> CAST(__k AS DOUBLE))), (__f, __k) -> __cx + (__k / 2) / __f)')}`,
  kql_erf: `(x) AS ${bind('CAST(x AS DOUBLE)', '__e1', 'CASE WHEN __e1 IS NULL OR isnan(__e1) THEN __e1 WHEN abs(__e1) < 3 THEN sign(__e1) * kql_erf_series(abs(__e1)) ELSE sign(__e1) * (1 - kql_erfc_cf(abs(__e1))) END')}`,
  kql_erfc: `(x) AS ${bind('CAST(x AS DOUBLE)', '__e2', 'CASE WHEN __e2 IS NULL OR isnan(__e2) THEN __e2 WHEN abs(__e2) < 3 THEN 1 - sign(__e2) * kql_erf_series(abs(__e2)) WHEN __e2 > 0 THEN kql_erfc_cf(__e2) ELSE 2 - kql_erfc_cf(-__e2) END')}`,
  /**
   * The regularized incomplete beta function I_x(a, b), by its power series
   * x^a (1-x)^b / (a B(a,b)) * (1 + sum B(a+1, n+1) / B(a+b, n+1) x^(n+1)), on the side of
   * (a+1)/(a+b+2) where it converges fast (I_x(a,b) = 1 - I_(1-x)(b,a) on the other).
   */
  kql_beta_series: `(x, a, b) AS ${bind("{'x': CAST(x AS DOUBLE), 'a': CAST(a AS DOUBLE), 'b': CAST(b AS DOUBLE)}", '__bs',
    `exp(__bs.a * ln(__bs.x) + __bs.b * ln(1 - __bs.x) - ln(__bs.a) - (lgamma(__bs.a) + lgamma(__bs.b) - lgamma(__bs.a + __bs.b)))
      * (1 + list_sum(list_transform(range(2000), __n -> exp(lgamma(__bs.a + 1) + lgamma(__n + 1.0) - lgamma(__bs.a + __n + 2)
          - (lgamma(__bs.a + __bs.b) + lgamma(__n + 1.0) - lgamma(__bs.a + __bs.b + __n + 1)) + (__n + 1) * ln(__bs.x)))))`)}`,
  kql_beta_cdf: `(x, a, b) AS ${bind("{'x': CAST(x AS DOUBLE), 'a': CAST(a AS DOUBLE), 'b': CAST(b AS DOUBLE)}", '__bc',
    `CASE WHEN __bc.x < 0 OR __bc.x > 1 OR __bc.a <= 0 OR __bc.b <= 0 THEN CAST('NaN' AS DOUBLE) WHEN __bc.x = 0 THEN CAST(0 AS DOUBLE) WHEN __bc.x = 1 THEN CAST(1 AS DOUBLE)
      WHEN __bc.x < (__bc.a + 1) / (__bc.a + __bc.b + 2) THEN kql_beta_series(__bc.x, __bc.a, __bc.b) ELSE 1 - kql_beta_series(1 - __bc.x, __bc.b, __bc.a) END`)}`,
  kql_beta_pdf: `(x, a, b) AS ${bind("{'x': CAST(x AS DOUBLE), 'a': CAST(a AS DOUBLE), 'b': CAST(b AS DOUBLE)}", '__bp',
    `CASE WHEN __bp.x < 0 OR __bp.x > 1 OR __bp.a <= 0 OR __bp.b <= 0 THEN CAST('NaN' AS DOUBLE)
      ELSE exp((__bp.a - 1) * ln(__bp.x) + (__bp.b - 1) * ln(1 - __bp.x) - (lgamma(__bp.a) + lgamma(__bp.b) - lgamma(__bp.a + __bp.b))) END`)}`,
  /** The inverse of beta_cdf, by bisection. */
  kql_beta_inv: `(p, a, b) AS ${bind("{'p': CAST(p AS DOUBLE), 'a': CAST(a AS DOUBLE), 'b': CAST(b AS DOUBLE)}", '__bv',
    `CASE WHEN __bv.p < 0 OR __bv.p > 1 THEN NULL WHEN __bv.a <= 0 OR __bv.b <= 0 THEN CAST('NaN' AS DOUBLE) ELSE
      list_reduce(list_concat([{'lo': CAST(0 AS DOUBLE), 'hi': CAST(1 AS DOUBLE)}], list_transform(range(52), __i -> {'lo': CAST(NULL AS DOUBLE), 'hi': CAST(NULL AS DOUBLE)})),
        (__r, __i) -> CASE WHEN kql_beta_cdf((__r.lo + __r.hi) / 2, __bv.a, __bv.b) < __bv.p THEN {'lo': (__r.lo + __r.hi) / 2, 'hi': __r.hi} ELSE {'lo': __r.lo, 'hi': (__r.lo + __r.hi) / 2} END)
      .lo END`)}`,
  /** A 64-bit left shift that drops the bits shifted out, as .NET does (the count taken mod 64). */
  kql_shift_left: `(v, n) AS CASE WHEN n < 0 THEN NULL ELSE kql_u64_signed(CAST((CAST(kql_i64_unsigned(v) AS UHUGEINT) << CAST(n % 64 AS UHUGEINT)) & kql_u64_mask() AS UBIGINT)) END`,
};

/** A math function that is null outside its domain (where DuckDB would fail). */
const guarded = (fn: string, ok: (x: string) => string) => ([a]: SqlArg[]) => bind(real(a!), '__m', `CASE WHEN ${ok('__m')} THEN ${fn}(__m) END`);

export const MATH_FUNCTIONS: FunctionTable = {
  abs: ([a]) => `abs(${a!.sql})`,
  ceiling: ([a]) => `ceil(${a!.sql})`,
  sqrt: guarded('sqrt', x => `${x} >= 0`),
  pow: ([a, b]) => `pow(${real(a!)}, ${real(b!)})`,
  exp: ([a]) => `exp(${real(a!)})`,
  exp2: ([a]) => `pow(2, ${real(a!)})`,
  exp10: ([a]) => `pow(10, ${real(a!)})`,
  // log(0) is -infinity; negative numbers have no logarithm.
  log: ([a]) => bind(real(a!), '__m', "CASE WHEN __m > 0 THEN ln(__m) WHEN __m = 0 THEN CAST('-Infinity' AS DOUBLE) END"),
  log2: ([a]) => bind(real(a!), '__m', "CASE WHEN __m > 0 THEN log2(__m) WHEN __m = 0 THEN CAST('-Infinity' AS DOUBLE) END"),
  log10: ([a]) => bind(real(a!), '__m', "CASE WHEN __m > 0 THEN log10(__m) WHEN __m = 0 THEN CAST('-Infinity' AS DOUBLE) END"),
  loggamma: ([a]) => bind(real(a!), '__m', 'CASE WHEN __m > 0 THEN lgamma(__m) END'),
  gamma: ([a]) => `gamma(${real(a!)})`,
  erf: ([a]) => `kql_erf(${a!.sql})`,
  erfc: ([a]) => `kql_erfc(${a!.sql})`,
  beta_cdf: ([x, a, b]) => `kql_beta_cdf(${x!.sql}, ${a!.sql}, ${b!.sql})`,
  beta_pdf: ([x, a, b]) => `kql_beta_pdf(${x!.sql}, ${a!.sql}, ${b!.sql})`,
  beta_inv: ([p, a, b]) => `kql_beta_inv(${p!.sql}, ${a!.sql}, ${b!.sql})`,
  sign: ([a], call) => `CAST(sign(${a!.sql}) AS ${call.type === 'real' ? 'DOUBLE' : call.type === 'int' ? 'INTEGER' : 'BIGINT'})`,
  round: ([a, p]) => (p ? `round(${a!.sql}, CAST(${p.sql} AS INTEGER))` : `round(${a!.sql})`),
  sin: ([a]) => `sin(${real(a!)})`,
  cos: ([a]) => `cos(${real(a!)})`,
  tan: ([a]) => `tan(${real(a!)})`,
  asin: guarded('asin', x => `${x} BETWEEN -1 AND 1`),
  acos: guarded('acos', x => `${x} BETWEEN -1 AND 1`),
  atan: ([a]) => `atan(${real(a!)})`,
  atan2: ([a, b]) => `atan2(${real(a!)}, ${real(b!)})`,
  cot: ([a]) => bind(real(a!), '__m', 'CASE WHEN tan(__m) <> 0 THEN 1 / tan(__m) END'),
  pi: () => 'pi()',
  degrees: ([a]) => `degrees(${real(a!)})`,
  radians: ([a]) => `radians(${real(a!)})`,
  max_of: args => `greatest(${args.map(a => a.sql).join(', ')})`,
  min_of: args => `least(${args.map(a => a.sql).join(', ')})`,
  binary_and: ([a, b]) => `(${long(a!)} & ${long(b!)})`,
  binary_or: ([a, b]) => `(${long(a!)} | ${long(b!)})`,
  binary_xor: ([a, b]) => `xor(${long(a!)}, ${long(b!)})`,
  binary_not: ([a]) => `(~${long(a!)})`,
  binary_shift_left: ([a, n]) => `kql_shift_left(${long(a!)}, ${long(n!)})`,
  binary_shift_right: ([a, n]) => `CASE WHEN ${long(n!)} < 0 THEN NULL ELSE ${long(a!)} >> (${long(n!)} % 64) END`,
  bitset_count_ones: ([a]) => `CAST(bit_count(${long(a!)}) AS BIGINT)`,
  bin: ([x, size], call) => {
    if (x!.type === 'datetime') return `kql_bin_datetime(${x!.sql}, ${size!.sql})`;
    if (x!.type === 'timespan' || call.type === 'long' || call.type === 'int') return `CAST(kql_floor_multiple(${x!.sql}, ${size!.sql}) AS ${call.type === 'int' ? 'INTEGER' : 'BIGINT'})`;
    return `(floor(${x!.sql} / ${size!.sql}) * ${size!.sql})`;
  },
  bin_at: ([x, size, at], call) => {
    if (x!.type === 'datetime') return `kql_bin_datetime_at(${x!.sql}, ${size!.sql}, ${at!.sql})`;
    if (x!.type === 'timespan' || call.type === 'long') return `(${at!.sql} + kql_floor_multiple(${x!.sql} - ${at!.sql}, ${size!.sql}))`;
    return `(${at!.sql} + floor((${x!.sql} - ${at!.sql}) / ${size!.sql}) * ${size!.sql})`;
  },
};
