// Temporary DuckDB macros for Kusto's series_*() functions. A series is a dynamic (JSON) array of
// numbers; the macros read it as a DOUBLE[] (any element that is not a number becomes null), compute
// element by element with list lambdas, and write it back as a JSON array. Non-finite doubles are
// written as the JSON strings "NaN", "Infinity" and "-Infinity" (and read back as numbers).

import { macroStatements } from './geo-macros.js';

const macros: Record<string, string> = {
  // ---- reading and writing series ----
  /** One JSON element as a double: numbers (and the strings NaN/Infinity/-Infinity); anything else null. */
  kql_s_num: `(e) AS CASE json_type(e) WHEN 'BIGINT' THEN CAST(e AS DOUBLE) WHEN 'UBIGINT' THEN CAST(e AS DOUBLE) WHEN 'DOUBLE' THEN CAST(e AS DOUBLE)
    WHEN 'VARCHAR' THEN (CASE json_extract_string(e, '$') WHEN 'NaN' THEN CAST('NaN' AS DOUBLE) WHEN 'Infinity' THEN CAST('inf' AS DOUBLE)
      WHEN '-Infinity' THEN CAST('-inf' AS DOUBLE) ELSE NULL END) ELSE NULL END`,
  kql_s_isint: `(e) AS coalesce(json_type(e) IN ('BIGINT', 'UBIGINT'), false)`,
  /** The elements of a JSON array (null when the value is not an array). */
  kql_s_list: `(j) AS CASE WHEN json_type(j) = 'ARRAY' THEN CAST(j AS JSON[]) ELSE NULL END`,
  kql_s_dbl: `(j) AS list_transform(kql_s_list(j), e -> kql_s_num(e))`,
  /** True when every non-null element is a JSON integer (Kusto then keeps long results). */
  kql_s_allint: `(j) AS coalesce(list_bool_and(list_transform(kql_s_list(j), e -> e IS NULL OR json_type(e) IN ('BIGINT', 'UBIGINT', 'NULL'))), true)`,
  /** A double as a JSON value, non-finite values as strings. */
  kql_s_jnum: `(v) AS CASE WHEN v IS NULL THEN CAST(NULL AS JSON) WHEN isnan(v) THEN CAST('"NaN"' AS JSON)
    WHEN isinf(v) THEN CAST(CASE WHEN v > 0 THEN '"Infinity"' ELSE '"-Infinity"' END AS JSON) ELSE to_json(v) END`,
  kql_s_out: `(l) AS to_json(list_transform(l, v -> kql_s_jnum(v)))`,
  /** Element pairs of two series, or of a series and a scalar (broadcast); the shorter series is padded with nulls. */
  kql_s_pairs: `(a, b) AS CASE
    WHEN json_type(a) = 'ARRAY' AND json_type(b) = 'ARRAY' THEN list_transform(list_zip(CAST(a AS JSON[]), CAST(b AS JSON[])), p -> [p[1], p[2]])
    WHEN json_type(a) = 'ARRAY' THEN list_transform(CAST(a AS JSON[]), e -> [e, b])
    WHEN json_type(b) = 'ARRAY' THEN list_transform(CAST(b AS JSON[]), e -> [a, e])
    ELSE NULL END`,
  /** Pairs truncated to the shorter series (dot product, cosine similarity). */
  kql_s_pairs_short: `(a, b) AS CASE
    WHEN json_type(a) = 'ARRAY' AND json_type(b) = 'ARRAY' THEN list_transform(list_zip(CAST(a AS JSON[]), CAST(b AS JSON[]), true), p -> [p[1], p[2]])
    WHEN json_type(a) = 'ARRAY' THEN list_transform(CAST(a AS JSON[]), e -> [e, b])
    WHEN json_type(b) = 'ARRAY' THEN list_transform(CAST(b AS JSON[]), e -> [a, e])
    ELSE NULL END`,

  // ---- safe scalar math (DuckDB raises errors where Kusto gives NaN or infinities) ----
  kql_s_ln: `(v) AS CASE WHEN v > 0 THEN ln(v) WHEN v = 0 THEN CAST('-inf' AS DOUBLE) WHEN v < 0 THEN CAST('NaN' AS DOUBLE) ELSE v END`,
  kql_s_sqrt: `(v) AS CASE WHEN v >= 0 THEN sqrt(v) WHEN v < 0 THEN CAST('NaN' AS DOUBLE) ELSE v END`,
  kql_s_asin: `(v) AS CASE WHEN v BETWEEN -1 AND 1 THEN asin(v) WHEN v IS NULL THEN NULL ELSE CAST('NaN' AS DOUBLE) END`,
  kql_s_acos: `(v) AS CASE WHEN v BETWEEN -1 AND 1 THEN acos(v) WHEN v IS NULL THEN NULL ELSE CAST('NaN' AS DOUBLE) END`,
  kql_s_exp: `(v) AS CASE WHEN v > 709.782712893384 THEN CAST('inf' AS DOUBLE) WHEN v < -745.2 THEN 0.0 ELSE exp(v) END`,
  kql_s_div: `(a, b) AS CASE WHEN b = 0 THEN (CASE WHEN a > 0 THEN CAST('inf' AS DOUBLE) WHEN a < 0 THEN CAST('-inf' AS DOUBLE) WHEN a = 0 THEN CAST('NaN' AS DOUBLE) ELSE a END) ELSE a / b END`,
  kql_s_pow: `(a, b) AS CASE WHEN a < 0 AND b <> floor(b) THEN CAST('NaN' AS DOUBLE) WHEN a = 0 AND b < 0 THEN CAST('inf' AS DOUBLE) ELSE pow(a, b) END`,

  // ---- aggregates over one or two series ----
  kql_series_sum: `(j) AS list_sum(kql_s_dbl(j))`,
  kql_series_product: `(j) AS list_product(kql_s_dbl(j))`,
  kql_series_magnitude: `(j) AS sqrt(list_sum(list_transform(kql_s_dbl(j), v -> v * v)))`,
  kql_series_dot_product: `(a, b) AS CASE WHEN (json_type(a) = 'ARRAY' AND json_array_length(a) = 0) OR (json_type(b) = 'ARRAY' AND json_array_length(b) = 0) THEN NULL
    ELSE list_sum(list_transform(kql_s_pairs_short(a, b), q -> kql_s_num(q[1]) * kql_s_num(q[2]))) END`,
  kql_series_cosine_similarity: `(a, b, m1, m2) AS kql_series_dot_product(a, b)
    / (coalesce(m1, sqrt(list_sum(list_transform(kql_s_pairs_short(a, b), q -> kql_s_num(q[1]) * kql_s_num(q[1]))))) * coalesce(m2, sqrt(list_sum(list_transform(kql_s_pairs_short(a, b), q -> kql_s_num(q[2]) * kql_s_num(q[2]))))))`,
  /** Pearson correlation; null when the lengths differ or an element is not a number. */
  kql_series_pearson_correlation: `(a, b) AS (SELECT CASE WHEN len(x) IS NULL OR len(y) IS NULL OR len(x) <> len(y) OR len(x) = 0
      OR list_count(x) <> len(x) OR list_count(y) <> len(y) THEN NULL
    ELSE list_sum(list_transform(list_zip(dx, dy), p -> p[1] * p[2])) / sqrt(list_sum(list_transform(dx, v -> v * v)) * list_sum(list_transform(dy, v -> v * v))) END
    FROM (SELECT x, y, list_transform(x, v -> v - mx) AS dx, list_transform(y, v -> v - my) AS dy
      FROM (SELECT x, y, list_avg(x) AS mx, list_avg(y) AS my FROM (SELECT kql_s_dbl(a) AS x, kql_s_dbl(b) AS y))))`,
  /**
   * min, min_idx, max, max_idx, avg, stdev, variance (sample), sum, len. Without ignore_nonfinite, a
   * null or non-finite element makes every statistic null; with it, those elements are skipped (their
   * positions still count for the indexes).
   */
  kql_series_stats_dynamic: `(j, ignore_nonfinite) AS (SELECT CASE WHEN l IS NULL THEN NULL ELSE json_object(
      'min', kql_s_jnum(mn), 'min_idx', CASE WHEN ok THEN list_position(l, mn) - 1 END,
      'max', kql_s_jnum(mx), 'max_idx', CASE WHEN ok THEN list_position(l, mx) - 1 END,
      'avg', kql_s_jnum(av), 'stdev', kql_s_jnum(sqrt(va)), 'variance', kql_s_jnum(va),
      'sum', kql_s_jnum(sm), 'len', CASE WHEN ok THEN n END) END
    FROM (SELECT l, ok, n, mn, mx, av, sm, CASE WHEN len(f) > 1 THEN list_sum(list_transform(f, v -> (v - av) ^ 2)) / (len(f) - 1) WHEN len(f) = 1 THEN 0.0 END AS va
      FROM (SELECT l, ok, n, f, list_min(f) AS mn, list_max(f) AS mx, list_avg(f) AS av, list_sum(f) AS sm
      FROM (SELECT l, ok, len(l) AS n, CASE WHEN ok THEN list_filter(l, v -> isfinite(v)) END AS f
        FROM (SELECT l, coalesce(ignore_nonfinite, false) OR coalesce(list_bool_and(list_transform(l, v -> coalesce(isfinite(v), false))), true) AS ok
          FROM (SELECT kql_s_dbl(j) AS l))))))`,

  // ---- filling missing values ----
  /** Marks the elements that are missing: null (placeholder null) or equal to the placeholder. */
  kql_s_missing: `(e, ph) AS CASE WHEN ph IS NULL OR json_type(ph) = 'NULL' THEN (e IS NULL OR json_type(e) = 'NULL')
    ELSE coalesce(kql_s_num(e) = kql_s_num(ph), false) OR coalesce(e = ph, false) END`,
  kql_series_fill_const: `(j, c, ph) AS to_json(list_transform(kql_s_list(j), e -> CASE WHEN kql_s_missing(e, ph) THEN
      (CASE WHEN kql_s_allint(j) AND kql_s_num(c) = trunc(kql_s_num(c)) THEN to_json(CAST(kql_s_num(c) AS BIGINT)) ELSE c END) ELSE e END))`,
  kql_series_fill_forward: `(j, ph) AS (SELECT CASE WHEN json_type(j) = 'ARRAY' THEN coalesce(to_json(list(fv ORDER BY ix)), CAST('[]' AS JSON)) END
    FROM (SELECT ix, CASE WHEN miss THEN last_value(CASE WHEN miss THEN NULL ELSE el END IGNORE NULLS) OVER (ORDER BY ix ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) ELSE el END AS fv
      FROM (SELECT el, ix, kql_s_missing(el, ph) AS miss FROM (SELECT unnest(kql_s_list(j)) AS el, generate_subscripts(kql_s_list(j), 1) AS ix))))`,
  kql_series_fill_backward: `(j, ph) AS (SELECT CASE WHEN json_type(j) = 'ARRAY' THEN coalesce(to_json(list(fv ORDER BY ix)), CAST('[]' AS JSON)) END
    FROM (SELECT ix, CASE WHEN miss THEN first_value(CASE WHEN miss THEN NULL ELSE el END IGNORE NULLS) OVER (ORDER BY ix ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) ELSE el END AS fv
      FROM (SELECT el, ix, kql_s_missing(el, ph) AS miss FROM (SELECT unnest(kql_s_list(j)) AS el, generate_subscripts(kql_s_list(j), 1) AS ix))))`,
  /**
   * Linear interpolation between the nearest present neighbours; the edges take the nearest value
   * (fill_edges) and a series with no value at all becomes the constant. Integer series stay integers
   * (interpolated values are truncated).
   */
  kql_series_fill_linear: `(j, ph, edges, c) AS (SELECT CASE WHEN json_type(j) = 'ARRAY' THEN coalesce(to_json(list(fv ORDER BY ix)), CAST('[]' AS JSON)) END
    FROM (SELECT ix, CASE WHEN NOT miss THEN el
        WHEN NOT anyv THEN (CASE WHEN c IS NULL OR json_type(c) = 'NULL' THEN el
          WHEN isint AND kql_s_num(c) = trunc(kql_s_num(c)) THEN to_json(CAST(kql_s_num(c) AS BIGINT)) ELSE kql_s_jnum(kql_s_num(c)) END)
        WHEN lo IS NULL OR hi IS NULL THEN (CASE WHEN coalesce(edges, true) THEN coalesce(elo, ehi) ELSE el END)
        WHEN isint THEN to_json(CAST(trunc(kql_s_num(elo) + (kql_s_num(ehi) - kql_s_num(elo)) * (ix - lo) / (hi - lo)) AS BIGINT))
        ELSE kql_s_jnum(kql_s_num(elo) + (kql_s_num(ehi) - kql_s_num(elo)) * (ix - lo) / (hi - lo)) END AS fv
      FROM (SELECT el, ix, miss, kql_s_allint(j) AS isint, bool_or(NOT miss) OVER () AS anyv,
          last_value(CASE WHEN miss THEN NULL ELSE ix END IGNORE NULLS) OVER (ORDER BY ix ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS lo,
          last_value(CASE WHEN miss THEN NULL ELSE el END IGNORE NULLS) OVER (ORDER BY ix ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS elo,
          first_value(CASE WHEN miss THEN NULL ELSE ix END IGNORE NULLS) OVER (ORDER BY ix ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS hi,
          first_value(CASE WHEN miss THEN NULL ELSE el END IGNORE NULLS) OVER (ORDER BY ix ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS ehi
        FROM (SELECT el, ix, kql_s_missing(el, ph) AS miss FROM (SELECT unnest(kql_s_list(j)) AS el, generate_subscripts(kql_s_list(j), 1) AS ix)))))`,

  // ---- filters ----
  /** y[i] = (sum b[k] x[i-k] - sum_{k>0} a[k] y[i-k]) / a[0] */
  kql_series_iir: `(j, num, den) AS (SELECT kql_s_out(list_reduce(list_transform(xs, v -> [v]),
      (y, v, i) -> list_append(y, (list_sum(list_transform(bs, (bk, k) -> bk * coalesce(xs[i - k + 1], 0)))
        - coalesce(list_sum(list_transform(list_slice(den_, 2, len(den_)), (ak, k) -> ak * coalesce(y[i - k], 0))), 0)) / den_[1]),
      CAST([] AS DOUBLE[])))
    FROM (SELECT list_transform(kql_s_dbl(j), v -> coalesce(v, 0)) AS xs, kql_s_dbl(num) AS bs, kql_s_dbl(den) AS den_))`,
  /** FIR filter; normalize divides by the sum of the coefficients; center shifts by half the filter length. */
  kql_series_fir: `(j, f, normalize, center) AS (SELECT CASE WHEN xs IS NULL OR bs IS NULL THEN NULL
      WHEN coalesce(normalize, NOT hasneg) AND hasneg THEN NULL
      ELSE kql_s_out(list_transform(xs, (v, i) -> list_sum(list_transform(bs, (bk, k) -> bk * coalesce(xs[i + shift - k + 1], 0))) / (CASE WHEN coalesce(normalize, NOT hasneg) THEN list_sum(bs) ELSE 1 END))) END
    FROM (SELECT xs, bs, coalesce(list_bool_or(list_transform(bs, v -> v < 0)), false) AS hasneg,
        CASE WHEN coalesce(center, false) THEN len(bs) // 2 ELSE 0 END AS shift
      FROM (SELECT list_transform(kql_s_dbl(j), v -> coalesce(v, 0)) AS xs, kql_s_dbl(f) AS bs)))`,

  // ---- regression, periods, decomposition, outliers ----
  /** Linear regression of the non-null values on their positions 1..n: {a: interception, b: slope}. */
  kql_s_linreg: `(l) AS (SELECT {'a': my - coalesce(bb, 0) * mx, 'b': coalesce(bb, 0)}
    FROM (SELECT my, mx, list_sum(list_transform(ll, (gv, gi) -> (gi - mx) * (gv - my)))
        / nullif(list_sum(list_transform(ll, (gv, gi) -> CASE WHEN gv IS NOT NULL THEN (gi - mx) ^ 2 END)), 0) AS bb
      FROM (SELECT ll, list_avg(ll) AS my, list_avg(list_transform(ll, (gv, gi) -> CASE WHEN gv IS NOT NULL THEN gi END)) AS mx FROM (SELECT l AS ll))))`,
  /** series_fit_line as a struct: rsquare, slope, variance and rvariance (sample), interception, line_fit. */
  kql_s_fitline: `(j) AS (SELECT CASE WHEN y IS NULL THEN NULL ELSE {'rsquare': 1 - ssr / nullif(sst, 0), 'slope': reg.b, 'variance': sst / nullif(list_count(y) - 1, 0),
      'rvariance': ssr / nullif(list_count(y) - 1, 0), 'interception': reg.a, 'line_fit': fit} END
    FROM (SELECT y, reg, fit, sst, list_sum(list_transform(y, (fv, fi) -> (fv - fit[fi]) ^ 2)) AS ssr
      FROM (SELECT y, reg, list_transform(y, (fv, fi) -> reg.a + reg.b * fi) AS fit, list_sum(list_transform(y, fv -> (fv - ym) ^ 2)) AS sst
        FROM (SELECT y, list_avg(y) AS ym, kql_s_linreg(y) AS reg FROM (SELECT kql_s_dbl(j) AS y)))))`,
  /** The q-quantile (0..1) of a sorted list without nulls, interpolated linearly. */
  kql_s_quantile: `(sl, q) AS CASE WHEN len(sl) = 0 THEN NULL ELSE sl[CAST(floor(1 + (len(sl) - 1) * q) AS BIGINT)]
    + (1 + (len(sl) - 1) * q - floor(1 + (len(sl) - 1) * q)) * (sl[CAST(ceil(1 + (len(sl) - 1) * q) AS BIGINT)] - sl[CAST(floor(1 + (len(sl) - 1) * q) AS BIGINT)]) END`,
  /**
   * Periodicity score of period p of a centred series d (deviations from the mean, nulls as 0) with
   * sum of squares ss: the autocorrelation at lag p normalized by the number of overlapping points,
   * clipped to [0, 1].
   */
  kql_s_acf: `(d, ss, p) AS greatest(0.0, least(1.0, coalesce(
    list_sum(list_transform(list_slice(d, 1, len(d) - p), (av, ai) -> av * d[ai + p])) / nullif(ss, 0) * len(d) / (len(d) - p), 0.0)))`,
  kql_s_centred: `(l) AS list_transform([list_avg(l)], cm -> list_transform(l, cv -> coalesce(cv - cm, 0.0)))[1]`,
  /** Values clipped to Tukey's fences (quartiles ± 1.5 IQR), so that a few spikes do not look periodic. */
  kql_s_winsorized: `(l) AS list_transform([list_sort(list_filter(l, wv -> wv IS NOT NULL))], ws ->
      list_transform([[kql_s_quantile(ws, 0.25), kql_s_quantile(ws, 0.75)]], wq ->
        list_transform(l, wv -> greatest(wq[1] - 1.5 * (wq[2] - wq[1]), least(wq[2] + 1.5 * (wq[2] - wq[1]), wv))))[1])[1]`,
  /**
   * Candidate periods between pmin and pmax (at least 4, at most half the series), best first: local
   * maxima of the autocorrelation score of the winsorized series, without multiples of a better
   * period and without multiples of a period that scores at least 90% as well. A list of {s, p}.
   */
  kql_s_periods: `(pl, pmin, pmax) AS (SELECT list_filter(c, pc -> NOT coalesce(list_bool_or(list_transform(c, pb -> pb.p < pc.p AND pc.p % pb.p = 0 AND pb.s >= 0.9 * pc.s))
        OR list_bool_or(list_transform(c, pb -> pb.s > pc.s AND pc.p % pb.p = 0)), false))
    FROM (SELECT list_reverse_sort(list_filter(sc, (ps, pi) -> ps.s > 0 AND (pi = 1 OR ps.s >= sc[pi - 1].s) AND (pi = len(sc) OR ps.s >= sc[pi + 1].s))) AS c
      FROM (SELECT list_transform(range(lo, hi + 1), pp -> {'s': kql_s_acf(cd, ss, pp), 'p': pp}) AS sc
        FROM (SELECT cd, list_sum(list_transform(cd, cv -> cv * cv)) AS ss, CAST(greatest(4, ceil(pmin)) AS BIGINT) AS lo, CAST(least(floor(pmax), (len(cd) - 1) // 2) AS BIGINT) AS hi
          FROM (SELECT kql_s_centred(kql_s_winsorized(pl0)) AS cd FROM (SELECT pl AS pl0))))))`,
  kql_s_best_period: `(bl, th) AS (SELECT CASE WHEN len(c) > 0 AND c[1].s >= th THEN c[1].p ELSE 0 END FROM (SELECT kql_s_periods(bl, 4, len(bl)) AS c))`,
  /** Tukey / custom Tukey outlier scores of a DOUBLE[]; nulls and the ignored value score 0. */
  kql_s_outliers: `(ol, kind, ignore_val, pmin, pmax) AS (SELECT list_transform(xs, ov -> CASE WHEN ov IS NULL OR coalesce(ov = iv, false) THEN 0.0
        WHEN ov > q3 + eps THEN kql_s_div(ov - q3, iqr) WHEN ov < q1 - eps THEN kql_s_div(ov - q1, iqr) ELSE 0.0 END)
    FROM (SELECT xs, iv, q1, q3, eps, CASE WHEN q3 - q1 <= eps THEN 0.0 ELSE q3 - q1 END AS iqr
    FROM (SELECT xs, iv, q1, q3, 1e-9 * (1 + abs(q1) + abs(q3)) AS eps
    FROM (SELECT xs, iv, kql_s_quantile(vals, lo) AS q1, kql_s_quantile(vals, hi) AS q3
      FROM (SELECT xs, iv, list_sort(list_filter(xs, fv -> fv IS NOT NULL AND NOT coalesce(fv = iv, false))) AS vals,
          CASE WHEN lower(coalesce(kind, 'ctukey')) = 'tukey' THEN 0.25 ELSE coalesce(pmin, 10.0) / 100 END AS lo,
          CASE WHEN lower(coalesce(kind, 'ctukey')) = 'tukey' THEN 0.75 ELSE coalesce(pmax, 90.0) / 100 END AS hi
        FROM (SELECT ol AS xs, CAST(ignore_val AS DOUBLE) AS iv))))))`,
  kql_series_outliers: `(j, kind, ignore_val, pmin, pmax) AS kql_s_out(kql_s_outliers(kql_s_dbl(j), kind, ignore_val, pmin, pmax))`,
  /**
   * series_decompose as a struct of DOUBLE[]: baseline, seasonal, trend, residual. The last test_points
   * are left out of the learning; seasonal = median of the points in the same phase; trend = avg,
   * linefit or none.
   */
  kql_s_decompose: `(y, season, trend, test_points, sthresh) AS (SELECT CASE WHEN ys IS NULL THEN NULL ELSE
      {'baseline': base, 'seasonal': seas, 'trend': tr, 'residual': list_transform(ys, (rv, ri) -> rv - base[ri])} END
    FROM (SELECT ys, seas, tr, list_transform(seas, (bv, bi) -> bv + tr[bi]) AS base
      FROM (SELECT ys, seas, CASE tmode WHEN 'none' THEN list_transform(ys, tv -> 0.0)
          WHEN 'linefit' THEN list_transform(ys, (tv, ti) -> reg.a + reg.b * ti)
          ELSE list_transform(ys, tv -> coalesce(dmean, 0.0)) END AS tr
        FROM (SELECT ys, seas, tmode, CASE WHEN tmode = 'linefit' THEN kql_s_linreg(list_slice(des, 1, ntrain)) END AS reg, list_avg(list_slice(des, 1, ntrain)) AS dmean
          FROM (SELECT ys, ntrain, tmode, seas, list_transform(ys, (dv, di) -> dv - seas[di]) AS des
            FROM (SELECT ys, ntrain, tmode, CASE WHEN per > 0 THEN list_transform(ys, (sv, si) -> coalesce(med[(si - 1) % per + 1], 0.0)) ELSE list_transform(ys, sv -> 0.0) END AS seas
              FROM (SELECT ys, ntrain, tmode, per, CASE WHEN per > 0 THEN list_transform(range(per), mk -> list_median(list_filter(list_slice(ys, 1, ntrain), (mv, mi) -> (mi - 1) % per = mk))) END AS med
                FROM (SELECT ys, ntrain, tmode, CASE WHEN coalesce(season, -1) < 0 THEN kql_s_best_period(list_slice(ys, 1, ntrain), coalesce(sthresh, 0.6)) ELSE season END AS per
                  FROM (SELECT ys, greatest(len(ys) - coalesce(test_points, 0), 0) AS ntrain, lower(coalesce(trend, 'avg')) AS tmode FROM (SELECT y AS ys))))))))))`,
  kql_series_decompose: `(j, season, trend, test_points, sthresh) AS (SELECT CASE WHEN d IS NULL THEN NULL
      ELSE json_array(kql_s_out(d.baseline), kql_s_out(d.seasonal), kql_s_out(d.trend), kql_s_out(d.residual)) END
    FROM (SELECT kql_s_decompose(yy, season, trend, test_points, sthresh) AS d FROM (SELECT kql_s_dbl(j) AS yy)))`,
  kql_series_decompose_forecast: `(j, points, season, trend, sthresh) AS kql_series_decompose(j, season, trend, points, sthresh)`,
  /** [ad_flag, ad_score, baseline]: outlier scores of the residual, flagged beyond the threshold. */
  kql_series_decompose_anomalies: `(j, threshold, season, trend, test_points, method, sthresh) AS (SELECT CASE WHEN d IS NULL THEN NULL
      ELSE json_array(to_json(list_transform(sc, av -> CASE WHEN av > th THEN 1 WHEN av < -th THEN -1 ELSE 0 END)),
        kql_s_out(sc), kql_s_out(d.baseline)) END
    FROM (SELECT d, th, kql_s_outliers(d.residual, method, NULL, 10.0, 90.0) AS sc
      FROM (SELECT kql_s_decompose(yy, season, trend, test_points, sthresh) AS d, coalesce(threshold, 1.5) AS th FROM (SELECT kql_s_dbl(j) AS yy))))`,
  /** The seasonal component; period -1 detects it (score threshold 0.7), a period below 1 gives zeros. */
  kql_series_seasonal: `(j, period) AS (SELECT CASE WHEN yy IS NULL THEN NULL
      ELSE kql_s_out(kql_s_decompose(yy, CASE WHEN coalesce(period, -1) = -1 THEN -1 WHEN period > 0 THEN period ELSE 0 END, 'none', 0, 0.7).seasonal) END
    FROM (SELECT kql_s_dbl(j) AS yy))`,
  kql_series_fit_line: `(j) AS (SELECT CASE WHEN f IS NULL THEN NULL ELSE json_array(f.rsquare, f.slope, f.variance, f.rvariance, f.interception, kql_s_out(f.line_fit)) END
    FROM (SELECT kql_s_fitline(j) AS f))`,
  kql_series_fit_line_dynamic: `(j) AS (SELECT CASE WHEN f IS NULL THEN NULL ELSE json_object('rsquare', f.rsquare, 'slope', f.slope, 'variance', f.variance,
      'rvariance', f.rvariance, 'interception', f.interception, 'line_fit', kql_s_out(f.line_fit)) END
    FROM (SELECT kql_s_fitline(j) AS f))`,
  /** series_stats as [min, min_idx, max, max_idx, avg, stdev, variance]. */
  kql_series_stats: `(j, ignore_nonfinite) AS (SELECT CASE WHEN st IS NULL THEN NULL ELSE json_array(json_extract(st, '$.min'), json_extract(st, '$.min_idx'), json_extract(st, '$.max'), json_extract(st, '$.max_idx'), json_extract(st, '$.avg'), json_extract(st, '$.stdev'), json_extract(st, '$.variance')) END
    FROM (SELECT kql_series_stats_dynamic(j, ignore_nonfinite) AS st))`,
  /** [periods, scores]: the best num periods, padded with zeros. */
  kql_series_periods_detect: `(j, pmin, pmax, num) AS (SELECT CASE WHEN yy IS NULL THEN NULL ELSE json_array(
      to_json(list_transform(range(1, nn + 1), k -> coalesce(CAST(c[k].p AS DOUBLE), 0.0))),
      to_json(list_transform(range(1, nn + 1), k -> coalesce(c[k].s, 0.0)))) END
    FROM (SELECT yy, nn, kql_s_periods(yy, pmin, pmax) AS c FROM (SELECT kql_s_dbl(j) AS yy, CAST(num AS BIGINT) AS nn)))`,
  kql_series_periods_validate: `(j, periods) AS (SELECT CASE WHEN yy IS NULL THEN NULL ELSE json_array(to_json(ps),
      to_json(list_transform(ps, vp -> CASE WHEN vp >= 4 AND vp <= len(yy) / 2 THEN kql_s_acf(cd, ss, CAST(round(vp) AS BIGINT)) ELSE 0.0 END))) END
    FROM (SELECT yy, ps, cd, list_sum(list_transform(cd, cv -> cv * cv)) AS ss FROM (SELECT yy, ps, kql_s_centred(yy) AS cd FROM (SELECT kql_s_dbl(j) AS yy, periods AS ps))))`,
  /**
   * Discrete Fourier transform (O(n²)): [real, imaginary]. The inverse divides by n. Missing imaginary
   * parts are zeros.
   */
  kql_s_dft: `(re, im, inv) AS (SELECT CASE WHEN xr IS NULL THEN NULL ELSE json_array(
      kql_s_out(list_transform(range(len(xr)), fk -> list_sum(list_transform(xr, (fv, fi) -> fv * cos(2 * pi() * fk * (fi - 1) / len(xr)) - sgn * xi[fi] * sin(2 * pi() * fk * (fi - 1) / len(xr)))) * scale)),
      kql_s_out(list_transform(range(len(xr)), fk -> list_sum(list_transform(xr, (fv, fi) -> sgn * fv * sin(2 * pi() * fk * (fi - 1) / len(xr)) + xi[fi] * cos(2 * pi() * fk * (fi - 1) / len(xr)))) * scale))) END
    FROM (SELECT xr, CASE WHEN inv THEN 1.0 ELSE -1.0 END AS sgn, CASE WHEN inv THEN 1.0 / greatest(len(xr), 1) ELSE 1.0 END AS scale,
        CASE WHEN yi IS NULL THEN list_transform(xr, fz -> 0.0) ELSE list_transform(xr, (fz, fj) -> coalesce(yi[fj], 0.0)) END AS xi
      FROM (SELECT list_transform(kql_s_dbl(re), fv -> coalesce(fv, 0.0)) AS xr, list_transform(kql_s_dbl(im), fv -> coalesce(fv, 0.0)) AS yi)))`,
  kql_series_fft: `(re, im) AS kql_s_dft(re, im, false)`,
  kql_series_ifft: `(re, im) AS kql_s_dft(re, im, true)`,
  /** Line fit of positions lo..hi (1-based, inclusive) of y: {a, b, ssr, sst, m}. */
  kql_s_segfit: `(y, lo, hi) AS list_transform([list_transform(range(lo, hi + 1), sgi -> [CAST(sgi AS DOUBLE), y[sgi]])], sgp ->
      list_transform([[len(sgp), list_sum(list_transform(sgp, sgq -> sgq[1])), list_sum(list_transform(sgp, sgq -> sgq[2])), list_sum(list_transform(sgp, sgq -> sgq[1] * sgq[1])),
        list_sum(list_transform(sgp, sgq -> sgq[1] * sgq[2])), list_sum(list_transform(sgp, sgq -> sgq[2] * sgq[2]))]], sgs ->
        list_transform([coalesce((sgs[1] * sgs[5] - sgs[2] * sgs[3]) / nullif(sgs[1] * sgs[4] - sgs[2] * sgs[2], 0), 0.0)], sgb ->
          list_transform([(sgs[3] - sgb * sgs[2]) / sgs[1]], sga -> {'a': sga, 'b': sgb, 'm': sgs[1],
            'ssr': greatest(0.0, sgs[6] - sga * sgs[3] - sgb * sgs[5]), 'sst': greatest(0.0, sgs[6] - sgs[3] * sgs[3] / sgs[1])})[1])[1])[1])[1]`,
  /**
   * Two-segment linear regression: the split (zero-based index of the first point of the right
   * segment, each segment at least 2 points) with the least total residual; positions are 1..n.
   */
  kql_s_fit2: `(j) AS (SELECT CASE WHEN best IS NULL THEN NULL ELSE {'rsquare': 1 - (best.l.ssr + best.r.ssr) / nullif(sst, 0), 'split_idx': best.s - 1,
      'variance': sst / nullif(n - 1, 0), 'rvariance': (best.l.ssr + best.r.ssr) / nullif(n - 1, 0),
      'line_fit': list_transform(range(1, n + 1), tfx -> CASE WHEN tfx < best.s THEN best.l.a + best.l.b * tfx ELSE best.r.a + best.r.b * tfx END),
      'right_rsquare': 1 - best.r.ssr / nullif(best.r.sst, 0), 'right_slope': best.r.b, 'right_interception': best.r.a,
      'right_variance': best.r.sst / nullif(best.r.m - 1, 0), 'right_rvariance': best.r.ssr / nullif(best.r.m - 1, 0),
      'left_rsquare': 1 - best.l.ssr / nullif(best.l.sst, 0), 'left_slope': best.l.b, 'left_interception': best.l.a,
      'left_variance': best.l.sst / nullif(best.l.m - 1, 0), 'left_rvariance': best.l.ssr / nullif(best.l.m - 1, 0)} END
    FROM (SELECT n, sst, list_sort(list_transform(range(3, n), tfs -> {'t': kql_s_segfit(ys, 1, tfs - 1).ssr + kql_s_segfit(ys, tfs, n).ssr, 's': tfs,
        'l': kql_s_segfit(ys, 1, tfs - 1), 'r': kql_s_segfit(ys, tfs, n)}))[1] AS best
      FROM (SELECT ys, len(ys) AS n, list_sum(list_transform(ys, tfv -> (tfv - ym) ^ 2)) AS sst
        FROM (SELECT ys, list_avg(ys) AS ym FROM (SELECT list_transform(kql_s_dbl(j), tfv -> coalesce(tfv, 0.0)) AS ys)))))`,
  kql_series_fit_2lines: `(j) AS (SELECT CASE WHEN f IS NULL THEN NULL ELSE json_array(f.rsquare, f.split_idx, f.variance, f.rvariance, kql_s_out(f.line_fit),
      f.right_rsquare, f.right_slope, f.right_interception, f.right_variance, f.right_rvariance, f.left_rsquare, f.left_slope, f.left_interception, f.left_variance, f.left_rvariance) END
    FROM (SELECT kql_s_fit2(j) AS f))`,
  kql_series_fit_2lines_dynamic: `(j) AS (SELECT CASE WHEN f IS NULL THEN NULL ELSE json_object('rsquare', f.rsquare, 'split_idx', f.split_idx, 'variance', f.variance,
      'rvariance', f.rvariance, 'line_fit', kql_s_out(f.line_fit), 'right', json_object('rsquare', f.right_rsquare, 'slope', f.right_slope, 'interception', f.right_interception,
        'variance', f.right_variance, 'rvariance', f.right_rvariance), 'left', json_object('rsquare', f.left_rsquare, 'slope', f.left_slope, 'interception', f.left_interception,
        'variance', f.left_variance, 'rvariance', f.left_rvariance)) END
    FROM (SELECT kql_s_fit2(j) AS f))`,
};

/** Element-wise functions of one series: name → SQL of the element v (a DOUBLE). */
const UNARY: Record<string, string> = {
  series_acos: 'kql_s_acos(v)',
  series_asin: 'kql_s_asin(v)',
  series_atan: 'atan(v)',
  series_cos: 'cos(v)',
  series_sin: 'sin(v)',
  series_tan: 'tan(v)',
  series_ceiling: 'ceil(v)',
  series_floor: 'floor(v)',
  series_exp: 'kql_s_exp(v)',
  series_log: 'kql_s_ln(v)',
};
for (const [name, body] of Object.entries(UNARY)) macros[`kql_${name}`] = `(j) AS kql_s_out(list_transform(kql_s_dbl(j), v -> ${body}))`;

/** abs and sign keep integer elements as integers. */
macros['kql_series_abs'] = `(j) AS to_json(list_transform(kql_s_list(j), e -> CASE WHEN kql_s_isint(e) THEN to_json(abs(CAST(e AS BIGINT))) ELSE kql_s_jnum(abs(kql_s_num(e))) END))`;
macros['kql_series_sign'] = `(j) AS to_json(list_transform(kql_s_list(j), e -> CASE WHEN kql_s_isint(e) THEN to_json(CAST(sign(CAST(e AS BIGINT)) AS BIGINT)) ELSE kql_s_jnum(sign(kql_s_num(e))) END))`;

/** Element-wise functions of two series (or a series and a number): name → [integer SQL or null, double SQL] of a and b. */
const BINARY: Record<string, [string | null, string]> = {
  series_add: ['a + b', 'a + b'],
  series_subtract: ['a - b', 'a - b'],
  series_multiply: ['a * b', 'a * b'],
  series_divide: [null, 'kql_s_div(a, b)'],
  series_pow: [null, 'kql_s_pow(a, b)'],
};
for (const [name, [intBody, dblBody]] of Object.entries(BINARY)) {
  const dbl = `kql_s_jnum(${dblBody.replace(/\ba\b/g, 'kql_s_num(q[1])').replace(/\bb\b/g, 'kql_s_num(q[2])')})`;
  const int = intBody && `to_json(${intBody.replace(/\ba\b/g, 'CAST(q[1] AS BIGINT)').replace(/\bb\b/g, 'CAST(q[2] AS BIGINT)')})`;
  const element = int ? `CASE WHEN kql_s_isint(q[1]) AND kql_s_isint(q[2]) THEN ${int} ELSE ${dbl} END` : dbl;
  macros[`kql_${name}`] = `(a, b) AS to_json(list_transform(kql_s_pairs(a, b), q -> ${element}))`;
}
const COMPARISONS: Record<string, string> = {
  series_greater: '>',
  series_greater_equals: '>=',
  series_less: '<',
  series_less_equals: '<=',
  series_equals: '=',
  series_not_equals: '<>',
};
for (const [name, op] of Object.entries(COMPARISONS)) {
  macros[`kql_${name}`] = `(a, b) AS to_json(list_transform(kql_s_pairs(a, b), q -> kql_s_num(q[1]) ${op} kql_s_num(q[2])))`;
}

export const SERIES_MACROS: readonly string[] = macroStatements(macros, 's');

/** The series functions implemented by a macro kql_<name> that takes the arguments as they are. */
export const SERIES_MACRO_FUNCTIONS: readonly string[] = [...Object.keys(UNARY), 'series_abs', 'series_sign', ...Object.keys(BINARY), ...Object.keys(COMPARISONS)];
