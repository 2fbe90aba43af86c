import { describe, expect, it } from 'vitest';
import { useGeoSeriesEngine } from './geoseries-helpers.js';

const { row, sql } = useGeoSeriesEngine();

describe('series element-wise functions', () => {
  it('keeps integers where Kusto does, broadcasts numbers and pads unequal lengths with null', async () => {
    expect(await row('print series_abs(dynamic([-6.5, 0, -8])), series_sign(dynamic([-6, 0, 8.5])), series_add(dynamic([1, 2, 3]), 10), series_multiply(2.5, dynamic([1, 2])), series_subtract(dynamic([1, 2]), dynamic([1, 2, 3])), series_divide(dynamic([1, -1, 0]), 0), series_pow(dynamic([2, -8]), dynamic([3, 0.5]))'))
      .toEqual([[6.5, 0, 8], [-1, 0, 1], [11, 12, 13], [2.5, 5], [0, 0, null], ['Infinity', '-Infinity', 'NaN'], [8, 'NaN']]);
  });
  it('takes series computed by toscalar() (arguments holding subqueries)', async () => {
    expect(await row('let m = toscalar(print x = dynamic([1, 2])); print series_add(m, 1), series_sum(m)')).toEqual([[2, 3], 3]);
  });
  it('compares element by element and applies math functions', async () => {
    expect(await row('print series_greater(dynamic([1, 2, 4]), dynamic([4, 2, 1])), series_less_equals(dynamic([1, 2, 4]), 2), series_equals(dynamic([1, "a", 3]), dynamic([1, 2])), series_log(dynamic([1, 0, -1])), series_exp(dynamic([0])), series_floor(dynamic([-1.5, 2.5])), series_acos(dynamic([1, 2]))'))
      .toEqual([[false, false, true], [true, true, false], [true, null, null], [0, '-Infinity', 'NaN'], [1], [-2, 2], [0, 'NaN']]);
  });
});

describe('series aggregates', () => {
  it('sums, multiplies, measures and correlates', async () => {
    expect(await row('print series_sum(dynamic([1, 2, 3, 4])), series_product(dynamic([1, 2, 3, 4])), series_magnitude(dynamic([3, 4])), series_dot_product(dynamic([1, 2, 4]), 2), series_dot_product(dynamic([1, 2]), dynamic([3, 4, 5])), series_dot_product(dynamic([]), dynamic([1])), round(series_cosine_similarity(dynamic([0.1,0.2,0.1,0.2]), dynamic([1,2,3,4])), 12), series_pearson_correlation(dynamic([1, 2, 3]), dynamic([3, 2, 1])), series_pearson_correlation(dynamic([1, 2]), dynamic([1, 2, 3]))'))
      .toEqual([10, 24, 5, 14, 11, null, 0.923760430703, -1, null]);
  });
  it('computes series_stats_dynamic, null with non-finite values unless they are ignored', async () => {
    expect(await row('print series_stats_dynamic(dynamic([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29])), series_stats_dynamic(dynamic([1, null, 3])), series_stats_dynamic(dynamic([1, null, 3]), true)'))
      .toEqual([
        { min: 2, min_idx: 8, max: 87, max_idx: 3, avg: 32.8, stdev: 28.503633853548266, variance: 812.4571428571428, sum: 492, len: 15 },
        { min: null, min_idx: null, max: null, max_idx: null, avg: null, stdev: null, variance: null, sum: null, len: null },
        { min: 1, min_idx: 0, max: 3, max_idx: 2, avg: 2, stdev: 1.4142135623730951, variance: 2, sum: 4, len: 3 },
      ]);
  });
  it('fits a line (series_fit_line_dynamic)', async () => {
    expect(await row('print f = series_fit_line_dynamic(dynamic([2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30])) | project round(todouble(f.rsquare), 6), round(todouble(f.slope), 6), round(todouble(f.variance), 6), round(todouble(f.rvariance), 6), round(todouble(f.interception), 6), round(todouble(f.line_fit[0]), 6)'))
      .toEqual([0.982901, 2.730769, 98.628788, 1.68648, -1.666667, 1.064103]);
  });
});

describe('series filling and filters', () => {
  it('fills missing values forward, backward, with a constant and linearly', async () => {
    expect(await row('print series_fill_forward(dynamic([null, 1, null, 3, null])), series_fill_backward(dynamic([null, 1, null, 3, null])), series_fill_const(dynamic([1, null, 2.5]), 0), series_fill_const(dynamic([1, -1, 2]), 0, -1), series_fill_linear(dynamic([null, 111, null, 36, 41, null, null, 16, 61, 33, null, null])), series_fill_linear(dynamic([null, 1.5, null, 2.5, null]), double(null), false), series_fill_linear(dynamic([null, null]), double(null), true, 3.5)'))
      .toEqual([[null, 1, 1, 3, 3], [1, 1, 3, 3, null], [1, 0, 2.5], [1, 0, 2], [111, 111, 73, 36, 41, 32, 24, 16, 61, 33, 33, 33], [null, 1.5, 2, 2.5, null], [3.5, 3.5]]);
  });
  it('applies IIR and FIR filters', async () => {
    expect(await row('print series_iir(dynamic([1, 2, 3, 4]), dynamic([1]), dynamic([1, -1])), series_fir(dynamic([0, 0, 10, 20, 10, 0]), dynamic([1, 1, 1])), series_fir(dynamic([0, 0, 10, 20, 10, 0]), dynamic([1, 1, 1]), true, true), series_fir(dynamic([0, 2, 2, 3]), dynamic([1, -1]), false), series_fir(dynamic([1, 2]), dynamic([1, -1]), true)'))
      .toEqual([[1, 3, 6, 10], [0, 0, 10 / 3, 10, 40 / 3, 10], [0, 10 / 3, 10, 40 / 3, 10, 10 / 3], [0, 2, 0, 1], null]);
  });
});

describe('series seasonality and anomalies', () => {
  it('extracts the seasonal component (detected or given period) and outlier scores', async () => {
    expect(await row('print series_seasonal(dynamic([2, 5, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1])), series_seasonal(dynamic([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6])), series_seasonal(dynamic([1, 2, 3, 4, 10, 2, 3, 4]), 4), series_outliers(dynamic([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]))'))
      .toEqual([[1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [5.5, 2, 3, 4, 5.5, 2, 3, 4],
        [-0.055555555555555663, 0, 0, 0, 0, 0, 0, 0, 0, 5.055555555555568]]);
  });
  // Functions with several output columns return a JSON array of the components (the lowering spreads it).
  it('returns tuples as arrays: stats, line fit, periods', async () => {
    expect(await sql(`SELECT kql_series_stats('[23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29]'::JSON, NULL)`)).toEqual([2, 8, 87, 3, 32.8, 28.503633853548266, 812.4571428571428]);
    expect(await sql(`SELECT kql_series_fit_line('[1, 2, 3]'::JSON)`)).toEqual([1, 1, 1, 0, 0, [1, 2, 3]]);
    expect(await sql(`SELECT kql_series_periods_detect('[1,5,2,8,1,5,2,8,1,5,2,8,1,5,2,8,1,5,2,8]'::JSON, 0, 10, 2)`)).toEqual([[4, 6], [1, 0.6666666666666667]]);
    expect(await sql(`SELECT kql_series_fft('[1, 0, 0, 0]'::JSON, NULL)`)).toEqual([[1, 1, 1, 1], [0, 0, 0, 0]]);
    expect(await sql(`SELECT kql_series_fit_2lines('[1,2,3,4,10,8,6,4]'::JSON)`)).toEqual([1, 4, 9.357142857142858, 0, [1, 2, 3, 4, 10, 8, 6, 4], 1, -2, 20, 6.666666666666667, 0, 1, 1, 0, 1.6666666666666667, 0]);
    expect(await sql(`SELECT kql_series_periods_validate('[1,5,2,8,1,5,2,8,1,5,2,8,1,5,2,8,1,5,2,8]'::JSON, [4.0, 5.0, 3.0])`)).toEqual([[4, 5, 3], [1, 0, 0]]);
  });
  it('decomposes a series and flags the residual outliers', async () => {
    const season = [1, 5, 2, 8];
    const repeat = (n: number) => Array.from({ length: n }, (_, i) => season[i % 4]!);
    expect(await sql(`SELECT kql_series_decompose('[${repeat(20)}]'::JSON, -1, NULL, NULL, NULL)`)).toEqual([repeat(20), repeat(20), Array(20).fill(0), Array(20).fill(0)]);
    const spiked = repeat(20);
    spiked[10] = 40;
    expect(await sql(`SELECT kql_series_decompose_anomalies('[${spiked}]'::JSON, NULL, 4, NULL, NULL, NULL, NULL)`)).toEqual([
      spiked.map((_, i) => (i === 10 ? 1 : 0)),
      spiked.map((_, i) => (i === 10 ? 'Infinity' : 0)),
      repeat(20).map(v => v + 1.9),
    ]);
    expect(await sql(`SELECT kql_series_decompose('[1,2,3,4,5,6,7,8]'::JSON, 0, 'linefit', 2, NULL)`)).toEqual([[1, 2, 3, 4, 5, 6, 7, 8], Array(8).fill(0), [1, 2, 3, 4, 5, 6, 7, 8], Array(8).fill(0)]);
  });
});
