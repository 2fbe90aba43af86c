import { describe, expect, it } from 'vitest';
import { useEngine } from './helpers.js';

const { row } = useEngine();

describe('array functions', () => {
  it('slices, rotates, shifts and splits', async () => {
    expect(await row('let a = dynamic([1,2,3,4,5]); print array_slice(a, 2, -1), array_slice(a, -3, -2), array_rotate_left(a, 2), array_rotate_right(a, -2), array_shift_left(a, 2), array_shift_right(a, -2, -1), array_split(a, dynamic([1,3])), array_split(a, 2)'))
      .toEqual([[3, 4, 5], [3, 4], [3, 4, 5, 1, 2], [3, 4, 5, 1, 2], [3, 4, 5, null, null], [3, 4, 5, -1, -1], [[1], [2, 3], [4, 5]], [[1, 2], [3, 4, 5]]]);
  });
  it('finds elements with start, length and occurrence', async () => {
    expect(await row('let arr=dynamic(["this", "is", "an", "example", "an", "example"]); print array_index_of(arr,"an"), array_index_of(arr,"example",1,3), array_index_of(arr,"example",1,2), array_index_of(arr, "an", 1, -1, 2), array_index_of(arr, "an", -3), array_index_of(arr, "is", -4), array_index_of(dynamic([1, "1"]), "1"), array_index_of(arr, "an", 0, -2)'))
      .toEqual([2n, 3n, 3n - 4n, 4n, 4n, -1n, 1n, null]);
  });
  it('sorts numbers, strings and nulls', async () => {
    expect(await row('print array_sort_asc(dynamic([10, 2, null, "b", "a", 1.5])), array_sort_desc(dynamic([10, 2, null, 1.5])), array_sort_asc(dynamic([null, "x", "a"]), false), strcat_array(array_sort_asc(split("John,Paul,Jane,Kao", ",")), ",")'))
      .toEqual([[1.5, 2, 10, 'a', 'b', null], [10, 2, 1.5, null], [null, 'a', 'x'], 'Jane,John,Kao,Paul']);
  });
  it('sorts companion arrays by the first (as a tuple)', async () => {
    expect(await row('print array_sort_asc(dynamic([3, 1, 2]), dynamic(["c", "a", "b"]))[1]')).toEqual([['a', 'b', 'c']]);
  });
  it('computes element-wise iff, sums, zips and repeats', async () => {
    expect(await row('print array_iff(dynamic([true, false, 1, 0, "x"]), dynamic([1, 2, 3, 4, 5]), 0), array_iff(dynamic([true, true, true]), dynamic([1, 2]), dynamic([3, 4])), array_sum(dynamic([1, 2.5, 3])), zip(dynamic([1, 3, 5]), dynamic([2, 4])), repeat("x", 2), repeat(1, -1), array_concat(dynamic([1]), dynamic([2, 3])), array_reverse(dynamic([1, 2]))'))
      .toEqual([[1, 0, 3, 0, null], [1, 2, null], 6.5, [[1, 2], [3, 4], [5, null]], ['x', 'x'], null, [1, 2, 3], [2, 1]]);
  });
  it('computes sets in order of first appearance', async () => {
    expect(await row('print set_union(dynamic([3, 1, 3]), dynamic([2, 1])), set_intersect(dynamic([1, 2, 3, 2]), dynamic([2, 3, 4])), set_difference(dynamic([1, 2, 3]), dynamic([2]), dynamic([3])), set_has_element(dynamic(["a", 1]), "a"), set_has_element(dynamic(["1"]), 1), jaccard_index(dynamic([1, 2, 3]), dynamic([1, 2, 3, 4]))'))
      .toEqual([[3, 1, 2], [2, 3], [1], true, false, 0.75]);
  });
  it('returns null for values that are not arrays', async () => {
    expect(await row('datatable(o: dynamic, n: dynamic, a: dynamic)[dynamic({"a": 1}), dynamic(5), dynamic([1])] | project array_length(o), array_reverse(n), bag_keys(a), bag_set_key(a, "k", 1)'))
      .toEqual([null, null, null, null]);
  });
});

describe('property bag functions', () => {
  it('reads keys and paths', async () => {
    expect(await row("let b = dynamic({'key1': 123, 'key2': {'prop1': 'abc'}}); print bag_keys(b), bag_has_key(b, 'key1'), bag_has_key(b, '$.key2.prop1'), bag_has_key(b, 'nope')"))
      .toEqual([['key1', 'key2'], true, true, false]);
  });
  it('merges, sets and removes keys', async () => {
    expect(await row("print bag_merge(dynamic({'A1': 12, 'B1': 2}), dynamic({'A1': 1, 'C1': 3})), bag_set_key(dynamic({'k': 1}), '$.a.b', 'x'), bag_set_key(dynamic({'k': 1}), 'k', 2), bag_remove_keys(dynamic({'k': 1, 'n': {'p': 1, 'q': 2}}), dynamic(['$.n.p', 'zz']))"))
      .toEqual([{ A1: 12, B1: 2, C1: 3 }, { k: 1, a: { b: 'x' } }, { k: 2 }, { k: 1, n: { q: 2 } }]);
  });
  it('zips keys and values and packs columns', async () => {
    expect(await row("datatable(k: dynamic, v: dynamic, s: dynamic)[dynamic(['a', 8, 'b']), dynamic(1), dynamic('a')] | project bag_zip(k, dynamic([1, '2', 2.5])), bag_zip(dynamic(['a', 'b']), v), bag_zip(s, dynamic([1]))"))
      .toEqual([{ a: 1, b: 2.5 }, { a: null, b: null }, null]);
    expect(await row("print Id = 'A', Value = 5 | project bag_pack_columns(Id, Value)")).toEqual([{ Id: 'A', Value: 5 }]);
  });
  it('packs all columns, optionally without nulls and empty strings', async () => {
    expect(await row("datatable(S: string, T: string, N: long)['x', '', long(null)] | project pack_all(), pack_all(true)"))
      .toEqual([{ S: 'x', T: '', N: null }, { S: 'x' }]);
  });
  it('writes canonical JSON with sorted keys', async () => {
    expect(await row("print dynamic_to_json(dynamic({'b': 1, 'a': [2, {'y': 1, 'x': 2}]}))")).toEqual(['{"a":[2,{"x":2,"y":1}],"b":1}']);
  });
});
