import { describe, expect, it } from 'vitest';
import { useEngine } from './helpers.js';

const { row, rows } = useEngine();

describe('aggregates', () => {
  it('make_set skips nulls, keeps first-appearance order and adds array elements', async () => {
    expect(await row("datatable (Val: int, Arr1: dynamic)[1, dynamic(['A1', 'A2', 'A3']), 5, dynamic(['A2', 'C1']), int(null), dynamic(['C2', 'A3']), 5, dynamic(['C2', 'A1'])] | summarize make_set(Val), make_set(Arr1), make_set(Val, 1), make_list(Val)"))
      .toEqual([[1, 5], ['A1', 'A2', 'A3', 'C1', 'C2'], [1], [1, 5, 5]]);
  });
  it('make_list appends the elements of array values (one level), as make_set does', async () => {
    expect(await row("datatable(k:long, d:dynamic)[1, dynamic([1, [2, 3]]), 2, dynamic(4), 3, dynamic({'a': 5}), 4, dynamic(null), 5, dynamic([])] | summarize make_list(d), make_list(pack_array(k, k)), make_list_if(d, k < 3, 2)"))
      .toEqual([[1, [2, 3], 4, { a: 5 }], [1, 1, 2, 2, 3, 3, 4, 4, 5, 5], [1, [2, 3]]]);
  });
  it('covariance and its variants are named after both arguments (covariance_x_y), and later operators see that name', async () => {
    expect(await row('datatable(x:real, y:real)[1, 2, 3, 5] | summarize covariance(x, y), covariancep(x, y), covarianceif(x, y, x > 0), covariancepif(x, y, true) | project covariance_x_y, covariancep_x_y, covarianceif_x_y, covariancepif_x_y'))
      .toEqual([3, 1.5, 3, 1.5]);
  });
  it('make_bag takes top-level keys of bags only', async () => {
    expect(await row("datatable(b: dynamic)[dynamic({'a': 1, 'n': {'x': 1}}), dynamic({'n': {'y': 2}, 'c': 3}), dynamic([1])] | summarize make_bag(b)"))
      .toEqual([{ a: 1, n: { x: 1 }, c: 3 }]);
  });
  it('nearest-rank percentiles', async () => {
    expect(await row('range x from 1 to 4 step 1 | summarize percentile(x, 90), percentiles(x, 0, 50, 100), percentiles_array(x, dynamic([25, 75]))'))
      .toEqual([4n, 1n, 2n, 4n, [1, 3]]);
  });
  it('weighted percentiles', async () => {
    expect(await row('datatable (ReqCount:long, LatencyBucket:long)[8, 10, 6, 20, 3, 30, 1, 40] | summarize percentilesw(LatencyBucket, ReqCount, 50, 75, 99.9), percentilesw_array(LatencyBucket, ReqCount, dynamic([50, 99.9]))'))
      .toEqual([20n, 20n, 40n, [20, 40]]);
  });
  it('arg_max falls back to a row when every value is null', async () => {
    expect(await rows('datatable(Fruit: string, Color: string, Version: int)["Apple", "Red", 1, "Apple", "Green", int(null), "Banana", "Yellow", int(null)] | summarize arg_max(Version, Color) by Fruit | order by Fruit asc'))
      .toEqual([['Apple', 1, 'Red'], ['Banana', null, 'Yellow']]);
  });
  it('covariance, variance and stdev families', async () => {
    expect(await row('datatable(x:real, y:real)[1.0, 14.0, 2.0, 10.0, 3.0, 17.0, 4.0, 20.0, 5.0, 50.0] | summarize covariance(x, y), covariancep(x, y), covarianceif(x, y, x > 1), variancep(x), stdevp(x)'))
      .toEqual([20.5, 16.4, 20.5, 2, Math.sqrt(2)]);
  });
  it('hll and tdigest are exact', async () => {
    expect(await row('range x from 1 to 10 step 1 | extend y = x + 10 | summarize hx = hll(x), hy = hll(y), tx = tdigest(x), ty = tdigest(y) | project dcount_hll(hll_merge(hx, hy)), percentile_tdigest(merge_tdigest(tx, ty), 100, typeof(long)), rank_tdigest(tx, 7), percentrank_tdigest(tx, 5)'))
      .toEqual([20n, 20n, 7, 50]);
    expect(await row('datatable(V:real, W:long)[1.0, 1, 2.0, 2] | summarize TD=tdigest(V, W) | project percentile_tdigest(TD, 50)')).toEqual([2]);
  });
  it('dcount is exact and ignores nulls', async () => {
    expect(await row('datatable(s: string, n: long)["a", 1, "b", long(null), "a", 2] | summarize dcount(s), dcount(n), dcountif(s, n > 1), count_distinct(s)'))
      .toEqual([2n, 2n, 1n, 2n]);
  });
});

describe('window functions', () => {
  it('ranks, sums and neighbours over the serialized order', async () => {
    expect(await rows("datatable(A:string, D:long)['LH', 3, 'LY', 100, 'BA', 2] | sort by D asc | extend R=row_rank_min(D), Q=row_rank_dense(D), c = row_cumsum(D), p = prev(A), n = next(D, 1, -1)"))
      .toEqual([['BA', 2n, 1n, 1n, 2n, '', 3n], ['LH', 3n, 2n, 2n, 5n, 'BA', 100n], ['LY', 100n, 3n, 3n, 105n, 'LH', -1n]]);
  });
  it('restart: numbering, sums and ranks start afresh where the restart condition holds', async () => {
    const T = "datatable(C:string, V:long)['A', 5, 'A', 10, 'A', 10, 'A', 20, 'B', 5, 'B', 7, 'B', 7] | sort by C asc, V asc";
    expect(await rows(`${T} | extend n = row_number(1, C != prev(C)), s = row_cumsum(V, C != prev(C)), m = row_rank_min(V, C != prev(C)), d = row_rank_dense(V, C != prev(C))`))
      .toEqual([
        ['A', 5n, 1n, 5n, 1n, 1n], ['A', 10n, 2n, 15n, 2n, 2n], ['A', 10n, 3n, 25n, 2n, 2n], ['A', 20n, 4n, 45n, 4n, 3n],
        ['B', 5n, 1n, 5n, 1n, 1n], ['B', 7n, 2n, 12n, 2n, 2n], ['B', 7n, 3n, 19n, 2n, 2n],
      ]);
    // project and where too; a restart on the first row changes nothing.
    expect(await rows(`${T} | project C, n = row_number(10, V == 5) | where n > 10`)).toEqual([['A', 11n], ['A', 12n], ['A', 13n], ['B', 11n], ['B', 12n]]);
  });
  it('rejects what one SELECT cannot compute rather than computing it wrongly', async () => {
    await expect(rows("datatable(A:string, D:long)['LH', 3] | serialize | extend R=row_rank_min(D)")).rejects.toThrow(/row_rank_min/);
  });
});
