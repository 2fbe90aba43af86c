// Kusto's semantics, item by item (string operators, nulls, joins, lets, summarize, dynamic values,
// timespans...). Expected values follow the Kusto documentation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';

let engine: Engine;
beforeAll(async () => {
  engine = await Engine.open();
});
afterAll(() => engine.close());

const NOW = new Date('2026-01-15T12:00:00Z');

async function rows(kql: string): Promise<unknown[][]> {
  return (await engine.query(kql, { now: NOW })).rows.map(r => [...r]);
}
async function one(kql: string): Promise<unknown> {
  const r = await rows(kql);
  expect(r).toHaveLength(1);
  return r[0]![0];
}

describe('string operators', () => {
  const S = 'print s = "C:\\\\Windows\\\\System32\\\\cmd.exe /c whoami /all; net-user"';
  it.each([
    ['has matches a whole term, case-insensitively', `${S} | project s has "WHOAMI"`, true],
    ['has does not match part of a term', `${S} | project s has "who"`, false],
    ['has with punctuation matches at term boundaries', `${S} | project s has "cmd.exe"`, true],
    ['has needs the term to end at a boundary', `${S} | project s has "System3"`, false],
    ['!has', `${S} | project s !has "who"`, true],
    ['has_cs is case-sensitive', `${S} | project s has_cs "WHOAMI"`, false],
    ['has_cs matches exact case', `${S} | project s has_cs "whoami"`, true],
    ['has_any: one of the terms', `${S} | project s has_any ("foo", "net")`, true],
    ['has_any: none of the terms', `${S} | project s has_any ("foo", "bar")`, false],
    ['has_all: every term', `${S} | project s has_all ("whoami", "user", "cmd")`, true],
    ['has_all: one missing', `${S} | project s has_all ("whoami", "users")`, false],
    ['contains is a case-insensitive substring', `${S} | project s contains "SYSTEM3"`, true],
    ['contains_cs is case-sensitive', `${S} | project s contains_cs "SYSTEM3"`, false],
    ['!contains', `${S} | project s !contains "powershell"`, true],
    ['!contains_cs', `${S} | project s !contains_cs "CMD"`, true],
    ['startswith is case-insensitive', `${S} | project s startswith "c:\\\\windows"`, true],
    ['startswith_cs', `${S} | project s startswith_cs "c:\\\\windows"`, false],
    ['!startswith', `${S} | project s !startswith "D:"`, true],
    ['endswith is case-insensitive', `${S} | project s endswith "NET-USER"`, true],
    ['endswith_cs', `${S} | project s endswith_cs "NET-USER"`, false],
    ['!endswith_cs', `${S} | project s !endswith_cs "NET-USER"`, true],
    ['== is case-sensitive', 'print r = "Abc" == "abc"', false],
    ['!= is case-sensitive', 'print r = "Abc" != "abc"', true],
    ['=~ is case-insensitive', 'print r = "Abc" =~ "aBC"', true],
    ['!~', 'print r = "Abc" !~ "aBC"', false],
    ['in is case-sensitive', 'print r = "Abc" in ("abc", "x")', false],
    ['!in', 'print r = "Abc" !in ("abc", "x")', true],
    ['in~ is case-insensitive', 'print r = "Abc" in~ ("abc", "x")', true],
    ['!in~', 'print r = "Abc" !in~ ("abc", "x")', false],
    ['matches regex', 'print r = "cdn.update-check.top" matches regex @"(?i)\\.(top|xyz)$"', true],
  ])('%s', async (_name, kql, expected) => {
    expect(await one(kql)).toBe(expected);
  });
});

describe('between, nulls and empty strings', () => {
  it('between and !between on numbers and datetimes are inclusive', async () => {
    expect(await rows('print a = 5 between (1 .. 5), b = 6 !between (1 .. 5), c = datetime(2026-01-01 10:00) between (datetime(2026-01-01) .. 10h), d = 1.5 between (1 .. 2)'))
      .toEqual([[true, true, true, true]]);
  });

  it('strings are never null: a missing value is ""', async () => {
    expect(await rows('print s = tostring(dynamic({"a":1}).b), e = isempty(tostring(dynamic(null))), n = isnull(""), t = strcat("a", tostring(int(null)), "b")'))
      .toEqual([['', true, false, 'ab']]);
  });

  it('null compares as Kusto says: null == null is null, 5 == null is false, null != 5 is true', async () => {
    expect(await rows('datatable(v:int)[5, int(null)] | extend gt = v > 3, eq = v == int(null), ne = v != 5, ne2 = v != int(null)')).toEqual([
      [5, true, false, false, true],
      [null, null, null, true, null],
    ]);
  });

  it('isempty, isnotempty, isnull, isnotnull, coalesce', async () => {
    expect(await rows('print a = isempty(""), b = isnotempty("x"), c = isnull(long(null)), d = isnotnull(0), e = coalesce("", "x"), f = coalesce(long(null), 7)'))
      .toEqual([[true, true, true, true, 'x', 7n]]);
  });
});

describe('timespans, datetimes, now and ago', () => {
  it('reads timespan literals in every unit', async () => {
    expect(await rows('print a = 30m, b = 14d, c = 1.5h, d = 10s, e = 100ms, f = 2tick, g = time(1.02:03:04)'))
      .toEqual([['00:30:00', '14.00:00:00', '01:30:00', '00:00:10', '00:00:00.1000000', '00:00:00.0000002', '1.02:03:04']]);
  });

  it('does datetime arithmetic', async () => {
    expect(await rows('print a = datetime(2026-01-01) + 1d, b = datetime(2026-01-02) - datetime(2026-01-01 12:00), c = (datetime(2026-01-02) - datetime(2026-01-01)) / 1h, d = 2 * 1h'))
      .toEqual([['2026-01-02T00:00:00.0000000Z', '12:00:00', 24, '02:00:00']]);
  });

  it('reads datetime literals in the forms real queries write them', async () => {
    expect(await rows('print a = datetime("01/16/2022 00:00:00"), b = datetime(2022-01-16T08:30:00Z), c = datetime(\'2022-01-16 08:30\'), d = datetime(1/16/2022 8:30 PM), e = datetime(2017 - 08 - 01)'))
      .toEqual([['2022-01-16T00:00:00.0000000Z', '2022-01-16T08:30:00.0000000Z', '2022-01-16T08:30:00.0000000Z', '2022-01-16T20:30:00.0000000Z', '2017-08-01T00:00:00.0000000Z']]);
  });

  it('now() and ago() see one instant per query', async () => {
    expect(await rows('print a = now(), b = ago(1d), c = now() - ago(2h)')).toEqual([['2026-01-15T12:00:00.0000000Z', '2026-01-14T12:00:00.0000000Z', '02:00:00']]);
  });

  it('bin() floors numbers, datetimes and timespans', async () => {
    expect(await rows('print a = bin(7, 5), b = bin(-7, 5), c = bin(datetime(2026-01-15 13:47), 1h), d = bin(90m, 1h), e = bin(4.7, 1)'))
      .toEqual([[5n, -10n, '2026-01-15T13:00:00.0000000Z', '01:00:00', 4]]);
  });
});

describe('let, functions, materialize, union', () => {
  it('let binds scalars, tables and lambdas', async () => {
    expect(await rows(`let n = 2;
let T = datatable(x:long)[1, 2, 3];
let twice = (v:long) { v * n };
T | where x >= n | extend y = twice(x)`)).toEqual([[2n, 4n], [3n, 6n]]);
  });

  it('materialize() shares a sub-plan used twice', async () => {
    expect(await rows(`let T = materialize(range x from 1 to 4 step 1);
T | join kind=inner (T | project x, y = x * 10) on x | summarize sum(y)`)).toEqual([[100n]]);
  });

  it('union aligns columns by name and fills the gaps', async () => {
    const r = await engine.query('union (print a = 1), (print b = "x") | order by a asc');
    expect(r.columns.map(c => c.name)).toEqual(['a', 'b']);
    expect(r.rows).toEqual([[null, 'x'], [1n, '']]);
  });
});

describe('joins', () => {
  const X = "let X = datatable(Key:string, Value1:long)['a',1, 'b',2, 'b',3, 'c',4];";
  const Y = "let Y = datatable(Key:string, Value2:long)['b',10, 'c',20, 'c',30, 'd',40];";
  const sortedRows = async (kql: string) => (await rows(kql)).sort((p, q) => JSON.stringify(p, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)).localeCompare(JSON.stringify(q, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))));
  it.each([
    ['default (innerunique) keeps one left row per key', '', [['b', 2n, 'b', 10n], ['c', 4n, 'c', 20n], ['c', 4n, 'c', 30n]]],
    ['inner', 'kind=inner', [['b', 2n, 'b', 10n], ['b', 3n, 'b', 10n], ['c', 4n, 'c', 20n], ['c', 4n, 'c', 30n]]],
    ['leftouter', 'kind=leftouter', [['a', 1n, '', null], ['b', 2n, 'b', 10n], ['b', 3n, 'b', 10n], ['c', 4n, 'c', 20n], ['c', 4n, 'c', 30n]]],
    ['rightouter', 'kind=rightouter', [['', null, 'd', 40n], ['b', 2n, 'b', 10n], ['b', 3n, 'b', 10n], ['c', 4n, 'c', 20n], ['c', 4n, 'c', 30n]]],
    ['fullouter', 'kind=fullouter', [['', null, 'd', 40n], ['a', 1n, '', null], ['b', 2n, 'b', 10n], ['b', 3n, 'b', 10n], ['c', 4n, 'c', 20n], ['c', 4n, 'c', 30n]]],
    ['leftanti', 'kind=leftanti', [['a', 1n]]],
    ['rightanti', 'kind=rightanti', [['d', 40n]]],
    ['leftsemi', 'kind=leftsemi', [['b', 2n], ['b', 3n], ['c', 4n]]],
    ['rightsemi', 'kind=rightsemi', [['b', 10n], ['c', 20n], ['c', 30n]]],
  ])('%s', async (_name, kind, expected) => {
    expect(await sortedRows(`${X}${Y} X | join ${kind} Y on Key`)).toEqual(expected);
  });

  it('$left.X == $right.Y and hint.* parameters', async () => {
    const r = await engine.query("let L = datatable(a:string)['k']; let R = datatable(b:string, v:long)['k', 1]; L | join hint.strategy=broadcast hint.shufflekey=a kind=inner R on $left.a == $right.b");
    expect(r.columns.map(c => c.name)).toEqual(['a', 'b', 'v']);
    expect(r.rows).toEqual([['k', 'k', 1n]]);
  });
});

describe('summarize and aggregates', () => {
  const T = 'datatable(k:string, v:long, t:datetime)["a", 1, datetime(2026-01-01 00:10), "a", 3, datetime(2026-01-01 00:50), "b", 5, datetime(2026-01-01 01:20), "a", long(null), datetime(2026-01-01 02:00)]';
  it('count, countif, dcount, sum, avg, min, max by a key', async () => {
    expect(await rows(`${T} | summarize count(), countif(v > 1), dcount(v), sum(v), avg(v), min(v), max(v) by k | order by k asc`))
      .toEqual([['a', 3n, 1n, 2n, 4n, 2, 1n, 3n], ['b', 1n, 1n, 1n, 5n, 5, 5n, 5n]]);
  });

  it('by bin() and arg_max/arg_min', async () => {
    expect(await rows(`${T} | summarize n = count() by bin(t, 1h) | order by t asc`))
      .toEqual([['2026-01-01T00:00:00.0000000Z', 2n], ['2026-01-01T01:00:00.0000000Z', 1n], ['2026-01-01T02:00:00.0000000Z', 1n]]);
    expect(await rows(`${T} | summarize arg_max(v, t) by k | order by k asc`)).toEqual([['a', 3n, '2026-01-01T00:50:00.0000000Z'], ['b', 5n, '2026-01-01T01:20:00.0000000Z']]);
    expect(await rows(`${T} | summarize arg_min(v, *) by k | order by k asc`)).toEqual([['a', 1n, '2026-01-01T00:10:00.0000000Z'], ['b', 5n, '2026-01-01T01:20:00.0000000Z']]);
  });

  it('make_set ignores nulls and caps its size; make_list keeps duplicates; any', async () => {
    const [[set, capped, list, anyv]] = (await rows(`${T} | where k == "a" | summarize make_set(v), make_set(k, 1), make_list(k), any(k)`)) as unknown[][] as [[number[], string[], string[], string]];
    expect([...set].sort()).toEqual([1, 3]);
    expect(capped).toEqual(['a']);
    expect(list).toEqual(['a', 'a', 'a']);
    expect(anyv).toBe('a');
  });

  it('deprecated spellings work: makeset, makelist, argmax', async () => {
    expect(await rows(`${T} | where k == "b" | summarize makeset(k), makelist(v), argmax(v, k)`)).toEqual([[['b'], [5], 5n, 'b']]);
  });
});

describe('dynamic values', () => {
  it('x.a, x["a"], x[0], negative indexes, parse_json and todynamic', async () => {
    expect(await rows(`print d = parse_json('{"a": {"b": [10, 20, 30]}, "c d": "x"}')
| project a = d.a.b[0], b = d["c d"], c = d.a.b[-1], e = todynamic('[1,2]')[1], f = parsejson('{"k":true}').k`)).toEqual([[10, 'x', 30, 2, true]]);
  });

  it('tostring of dynamic values, and extractjson', async () => {
    expect(await rows(`print a = tostring(dynamic({"k": [1, "x"]})), b = tostring(dynamic("text")), c = tostring(dynamic(12)), d = extractjson("$.k", '{"k": "v"}')`))
      .toEqual([['{"k":[1,"x"]}', 'text', '12', 'v']]);
  });

  it('a dynamic(...) literal nested in another is its value, not its source text', async () => {
    expect(await rows(`print a = dynamic({'y': dynamic({}), 'x': dynamic({'c': 1, 'b': [dynamic(2)]})}) | project b = dynamic_to_json(a), c = a.x.c`))
      .toEqual([['{"x":{"b":[2],"c":1},"y":{}}', 1]]);
  });

  it('a real in a dynamic literal stays a real even when it is whole (1.0 is not the long 1)', async () => {
    expect(await rows(`print a = gettype(dynamic([1.0])[0]), b = gettype(dynamic([1])[0]), c = series_fill_linear(dynamic([1.0, null, 4.0])), d = series_fill_linear(dynamic([1, null, 4]))`))
      .toEqual([['real', 'long', [1, 2.5, 4], [1, 2, 4]]]);
  });

  it('column_names_of() of a table, a tabular let and a function call', async () => {
    expect(await rows(`let T = datatable(A:string, B:int) []; let F = (n:int) { print C = n, D = "" }; print a = column_names_of(T), b = column_names_of(F(1)), c = column_names_of(DeviceProcessEvents)[0]`))
      .toEqual([[['A', 'B'], ['C', 'D'], 'Timestamp']]);
  });

  it('mv-expand arrays (and the deprecated mvexpand)', async () => {
    expect(await rows('datatable(i:long, a:dynamic)[1, dynamic(["x", "y"]), 2, dynamic([])] | mv-expand a')).toEqual([[1n, 'x'], [1n, 'y']]);
    expect(await rows('print a = dynamic([3, 4]) | mvexpand a to typeof(long)')).toEqual([[3n], [4n]]);
  });
});

describe('scalar functions', () => {
  it('iff/iif and case', async () => {
    expect(await rows('print a = iff(1 > 0, "y", "n"), b = iif(false, 1, 2), c = case(5 < 3, "lt", 5 == 5, "eq", "other")')).toEqual([['y', 2n, 'eq']]);
  });

  it('string functions', async () => {
    expect(await rows(`print a = extract("id=(\\\\d+)", 1, "x id=42 y"), b = strcat("a", 1, true), c = split("a,b,c", ","), d = tolower("AbC"), e = toupper("aBc"),
  f = replace_string("a.b.c", ".", "/"), g = substring("abcdef", 2, 3), h = strlen("héllo"), i = trim(@"\\s", "  x  "), j = substring("abc", 1)`))
      .toEqual([['42', 'a1true', ['a', 'b', 'c'], 'abc', 'ABC', 'a/b/c', 'cde', 5n, 'x', 'bc']]);
  });
});

describe('tabular operators', () => {
  const T = 'datatable(a:long, b:string, c:real)[3, "x", 1.5, 1, "y", 2.5, 2, "x", 3.5]';
  it('where, extend, project, project-away, project-rename, project-reorder', async () => {
    const r = await engine.query(`${T} | where a > 1 | extend d = a * 2 | project-away c | project-rename B = b | project-reorder d | order by a asc`);
    expect(r.columns.map(c => c.name)).toEqual(['d', 'a', 'B']);
    expect(r.rows).toEqual([[4n, 2n, 'x'], [6n, 3n, 'x']]);
  });

  it('sort/order (default descending), top, take/limit, distinct, count', async () => {
    expect(await rows(`${T} | sort by a | project a`)).toEqual([[3n], [2n], [1n]]);
    expect(await rows(`${T} | top 2 by c asc | project a`)).toEqual([[3n], [1n]]);
    expect(await rows(`${T} | order by a asc | take 1 | project a`)).toEqual([[1n]]);
    expect(await rows(`${T} | order by a asc | limit 2 | project a`)).toEqual([[1n], [2n]]);
    expect((await rows(`${T} | distinct b`)).map(r => r[0]).sort()).toEqual(['x', 'y']);
    expect(await rows(`${T} | count`)).toEqual([[3n]]);
  });

  it('print and range', async () => {
    expect(await rows('range i from 1 to 10 step 4')).toEqual([[1n], [5n], [9n]]);
    expect(await rows('range t from datetime(2026-01-01) to datetime(2026-01-01 02:00) step 1h')).toEqual([
      ['2026-01-01T00:00:00.0000000Z'], ['2026-01-01T01:00:00.0000000Z'], ['2026-01-01T02:00:00.0000000Z'],
    ]);
  });
});
