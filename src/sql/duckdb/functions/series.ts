// DuckDB: Kusto's series_*() functions over dynamic numeric arrays. The work is done by the
// macros of ../series-macros.ts; these templates pass the arguments as JSON values (a number given
// where a series is expected is broadcast by the macros) and fill in the optional arguments.
import type { SqlArg } from '../../dialect.js';
import { SERIES_MACRO_FUNCTIONS } from '../series-macros.js';
import { toDynamicSql, type FunctionTable } from './common.js';
import { bindingSubqueriesIn } from './geo.js';

const json = (a: SqlArg | undefined) => (a ? toDynamicSql(a) : 'CAST(NULL AS JSON)');
const real = (a: SqlArg | undefined) => (a ? `CAST(${a.sql} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)');
const bool = (a: SqlArg | undefined) => (a ? `CAST(${a.sql} AS BOOLEAN)` : 'CAST(NULL AS BOOLEAN)');
const long = (a: SqlArg | undefined) => (a ? `CAST(${a.sql} AS BIGINT)` : 'CAST(NULL AS BIGINT)');
const text = (a: SqlArg | undefined) => (a ? `nullif(${a.sql}, '')` : 'CAST(NULL AS VARCHAR)');

export const SERIES_FUNCTIONS: FunctionTable = bindingSubqueriesIn({
  ...Object.fromEntries(SERIES_MACRO_FUNCTIONS.map(name => [name, (args: SqlArg[]) => `kql_${name}(${args.map(json).join(', ')})`])),
  series_sum: ([a]) => `kql_series_sum(${json(a)})`,
  series_product: ([a]) => `kql_series_product(${json(a)})`,
  series_magnitude: ([a]) => `kql_series_magnitude(${json(a)})`,
  series_dot_product: ([a, b]) => `kql_series_dot_product(${json(a)}, ${json(b)})`,
  series_cosine_similarity: ([a, b, m1, m2]) => `kql_series_cosine_similarity(${json(a)}, ${json(b)}, ${real(m1)}, ${real(m2)})`,
  series_pearson_correlation: ([a, b]) => `kql_series_pearson_correlation(${json(a)}, ${json(b)})`,
  series_stats_dynamic: ([a, ignore]) => `kql_series_stats_dynamic(${json(a)}, ${bool(ignore)})`,
  series_fill_const: ([a, c, ph]) => `kql_series_fill_const(${json(a)}, ${json(c)}, ${json(ph)})`,
  series_fill_forward: ([a, ph]) => `kql_series_fill_forward(${json(a)}, ${json(ph)})`,
  series_fill_backward: ([a, ph]) => `kql_series_fill_backward(${json(a)}, ${json(ph)})`,
  series_fill_linear: ([a, ph, edges, c]) => `kql_series_fill_linear(${json(a)}, ${json(ph)}, ${bool(edges)}, ${c ? json(c) : "CAST('0' AS JSON)"})`,
  series_iir: ([a, num, den]) => `kql_series_iir(${json(a)}, ${json(num)}, ${json(den)})`,
  series_fir: ([a, f, normalize, center]) => `kql_series_fir(${json(a)}, ${json(f)}, ${bool(normalize)}, ${bool(center)})`,
  series_outliers: ([a, kind, ignore, pmin, pmax]) => `kql_series_outliers(${json(a)}, ${text(kind)}, ${real(ignore)}, ${real(pmin)}, ${real(pmax)})`,
  series_seasonal: ([a, period]) => `kql_series_seasonal(${json(a)}, ${long(period)})`,
  series_fit_line_dynamic: ([a]) => `kql_series_fit_line_dynamic(${json(a)})`,
  series_fit_2lines_dynamic: ([a]) => `kql_series_fit_2lines_dynamic(${json(a)})`,

  // Functions that return several columns (a tuple): a JSON array of the components in the binder's
  // column order, for the lowering to spread over the output columns.
  series_stats: ([a, ignore]) => `kql_series_stats(${json(a)}, ${bool(ignore)})`,
  series_fit_line: ([a]) => `kql_series_fit_line(${json(a)})`,
  series_decompose: ([a, season, trend, testPoints, sthresh]) =>
    `kql_series_decompose(${json(a)}, ${long(season)}, ${text(trend)}, ${long(testPoints)}, ${real(sthresh)})`,
  series_decompose_anomalies: ([a, threshold, season, trend, testPoints, method, sthresh]) =>
    `kql_series_decompose_anomalies(${json(a)}, ${real(threshold)}, ${long(season)}, ${text(trend)}, ${long(testPoints)}, ${text(method)}, ${real(sthresh)})`,
  series_decompose_forecast: ([a, points, season, trend, sthresh]) =>
    `kql_series_decompose_forecast(${json(a)}, ${long(points)}, ${long(season)}, ${text(trend)}, ${real(sthresh)})`,
  series_fft: ([re, im]) => `kql_series_fft(${json(re)}, ${json(im)})`,
  series_ifft: ([re, im]) => `kql_series_ifft(${json(re)}, ${json(im)})`,
  series_fit_2lines: ([a]) => `kql_series_fit_2lines(${json(a)})`,
  series_periods_detect: ([a, pmin, pmax, num]) => `kql_series_periods_detect(${json(a)}, ${real(pmin)}, ${real(pmax)}, ${long(num)})`,
  series_periods_validate: ([a, ...periods]) => `kql_series_periods_validate(${json(a)}, [${periods.map(real).join(', ')}])`,
});

/** The series functions whose result is a tuple (several output columns); see the templates above. */
export const SERIES_TUPLE_FUNCTIONS: readonly string[] = ['series_stats', 'series_fit_line', 'series_decompose', 'series_decompose_anomalies', 'series_decompose_forecast', 'series_periods_detect', 'series_periods_validate', 'series_fft', 'series_ifft', 'series_fit_2lines'];
