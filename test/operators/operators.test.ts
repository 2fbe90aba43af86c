// Tabular operators and plugins with Kusto semantics: exact results on small inputs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { parseAndBind } from '../../src/kql/bind.js';
import { lowerQuery, lowerQueryWithProbes, ProbeNeeded } from '../../src/lower/query.js';
import { SqlCompiler } from '../../src/sql/compiler.js';
import { duckdbDialect } from '../../src/sql/duckdb/dialect.js';
import type { QueryResult } from '../../src/store/result.js';

let engine: Engine;

beforeAll(async () => {
  engine = await Engine.open();
  await engine.store.insertObjects('DeviceProcessEvents', [
    { Timestamp: '2024-01-01T00:00:00Z', DeviceName: 'pc1', FileName: 'cmd.exe', ProcessCommandLine: 'cmd /c whoami', AccountName: 'administrator', SHA1: 'aaa' },
    { Timestamp: '2024-01-01T01:00:00Z', DeviceName: 'pc2', FileName: 'notepad.exe', ProcessCommandLine: 'notepad.exe report.txt', AccountName: 'bob', SHA1: 'bbb' },
  ]);
  await engine.store.insertObjects('DeviceFileEvents', [
    { Timestamp: '2024-01-02T00:00:00Z', DeviceName: 'pc1', FileName: 'payload.zip', SHA1: 'aaa', InitiatingProcessFileName: 'cmd.exe' },
  ]);
});

afterAll(() => engine.close());

async function rows(kql: string): Promise<unknown[][]> {
  const r = await engine.query(kql, { now: new Date('2024-01-10T00:00:00Z') });
  return r.rows.map(row => [...row]);
}

async function result(kql: string): Promise<QueryResult> {
  return engine.query(kql, { now: new Date('2024-01-10T00:00:00Z') });
}

/** Runs a query through the probe loop (what Engine.query does with bag_unpack once wired). */
async function probed(kql: string): Promise<QueryResult> {
  const code = parseAndBind(kql);
  const run = async (plan: Parameters<SqlCompiler['compile']>[0]) => engine.store.run(new SqlCompiler(duckdbDialect).compile(plan));
  const lowered = await lowerQueryWithProbes(code, kql, 0n, async plan => (await run(plan)).rows);
  return run(lowered.plan);
}

const names = (r: QueryResult) => r.columns.map(c => c.name);

describe('make-series', () => {
  const data = `datatable(t:datetime, k:string, v:long)[
    datetime(2020-01-01 01:00), "a", 1, datetime(2020-01-03), "a", 5,
    datetime(2020-01-02 05:00), "b", 2, datetime(2020-01-02 07:00), "b", 3]`;

  it('fills the bins of each group, with the default for empty bins', async () => {
    const r = await result(`${data} | make-series s=sum(v), c=count() default=-1 on t from datetime(2020-01-01) to datetime(2020-01-04) step 1d by k | order by k asc`);
    expect(names(r)).toEqual(['k', 's', 'c', 't']);
    const axis = ['2020-01-01T00:00:00.0000000Z', '2020-01-02T00:00:00.0000000Z', '2020-01-03T00:00:00.0000000Z'];
    expect(r.rows).toEqual([
      ['a', [1, 0, 5], [1, -1, 1], axis],
      ['b', [0, 5, 0], [-1, 2, -1], axis],
    ]);
  });

  it('takes its bounds from the data when from/to are absent', async () => {
    expect(await rows(`${data} | make-series count() on t step 1d`)).toEqual([
      [[1, 2, 1], ['2020-01-01T00:00:00.0000000Z', '2020-01-02T00:00:00.0000000Z', '2020-01-03T00:00:00.0000000Z']],
    ]);
  });

  it('supports in range() on a numeric axis', async () => {
    expect(await rows('range x from 1 to 10 step 1 | make-series sum(x) on x in range(0, 10, 3)')).toEqual([[[3, 12, 21, 9], [0, 3, 6, 9]]]);
  });

  it('gives no rows for an empty input, and one row of defaults with kind=nonempty', async () => {
    expect(await rows(`${data} | take 0 | make-series count() on t from datetime(2020-01-01) to datetime(2020-01-03) step 1d`)).toEqual([]);
    expect(await rows(`${data} | take 0 | make-series kind=nonempty count() default=7 on t from datetime(2020-01-01) to datetime(2020-01-03) step 1d`)).toEqual([
      [[7, 7], ['2020-01-01T00:00:00.0000000Z', '2020-01-02T00:00:00.0000000Z']],
    ]);
  });
});

describe('mv-apply', () => {
  it('runs the subquery per row and joins its result to the row', async () => {
    const r = await result(`datatable (id: int, Arr: dynamic)[0, dynamic([5, 1, 3]), 1, dynamic([4, 10, 8, 7])]
      | mv-apply v=Arr to typeof(long) on (top 2 by v | summarize Top2=make_list(v)) | order by id asc`);
    expect(names(r)).toEqual(['id', 'Arr', 'Top2']);
    expect(r.rows).toEqual([[0, [5, 1, 3], [5, 3]], [1, [4, 10, 8, 7], [10, 8]]]);
  });

  it('keeps the item index and filters per row', async () => {
    expect(await rows(`datatable (row: int, Arr: dynamic)[0, dynamic([5, 1, 3]), 1, dynamic([4, 10])]
      | mv-apply with_itemindex=i value=Arr to typeof(long) on (where i >= 1) | order by row asc, i asc`)).toEqual([
      [0, [5, 1, 3], 1n, 1n], [0, [5, 1, 3], 3n, 2n], [1, [4, 10], 10n, 1n],
    ]);
  });
});

describe('partition', () => {
  it('applies the subquery to each partition', async () => {
    expect(await rows(`datatable(k:string, v:long)["a", 1, "a", 3, "a", 2, "b", 9, "b", 8]
      | partition hint.strategy=native by k (top 2 by v) | order by k asc, v desc`)).toEqual([
      ['a', 3n], ['a', 2n], ['b', 9n], ['b', 8n],
    ]);
  });
});

describe('scan', () => {
  it('computes a running sum', async () => {
    expect(await rows('range x from 1 to 5 step 1 | scan declare (cx:long=0) with (step s1: true => cx = x + s1.cx;)')).toEqual([
      [1n, 1n], [2n, 3n], [3n, 6n], [4n, 10n], [5n, 15n],
    ]);
  });

  it('promotes sequences between steps and numbers the matches', async () => {
    const events = `datatable (Ts: timespan, Event: string) [0m, "A", 1m, "Start", 2m, "B", 3m, "D", 4m, "Stop", 6m, "C", 8m, "Start", 11m, "E", 12m, "Stop"]`;
    expect(await rows(`${events} | sort by Ts asc | scan with_match_id=m with (
        step s1: Event == "Start";
        step s2: Event != "Start" and Event != "Stop" and Ts - s1.Ts <= 5m;
        step s3: Event == "Stop" and Ts - s1.Ts <= 5m;)`)).toEqual([
      ['00:01:00', 'Start', 0n], ['00:02:00', 'B', 0n], ['00:03:00', 'D', 0n], ['00:04:00', 'Stop', 0n],
      ['00:08:00', 'Start', 1n], ['00:11:00', 'E', 1n], ['00:12:00', 'Stop', 1n],
    ]);
  });

  it('starts a new session when a step with output=none takes the sequence', async () => {
    expect(await rows(`datatable (Ts: timespan)[0m, 1m, 32m, 36m, 75m] | sort by Ts asc
      | scan with_match_id=sid declare (start: timespan) with (
          step s: true => start = iff(isnull(s.start), Ts, s.start);
          step e output=none: Ts - s.start > 30m;)`)).toEqual([
      ['00:00:00', '00:00:00', 0n], ['00:01:00', '00:00:00', 0n], ['00:32:00', '00:32:00', 1n], ['00:36:00', '00:32:00', 1n], ['01:15:00', '01:15:00', 2n],
    ]);
  });

  it('runs per partition inside partition', async () => {
    expect(await rows(`datatable(u:int, t:long, e:string)[1, 1, "in", 2, 2, "in", 1, 5, "out", 2, 4, "out"]
      | partition hint.strategy=native by u (sort by t asc | scan declare (s:long, d:long) with (
          step a output=none: e == "in" => s = t;
          step b: e == "out" => s = a.s, d = t - a.s;))
      | project u, s, d | order by u asc`)).toEqual([[1, 1n, 4n], [2, 2n, 2n]]);
  });
});

describe('parse-kv', () => {
  it('extracts typed values by delimiters', async () => {
    expect(await rows(`print str="ThreadId:458745723, Machine:Node001, Text: The service is up, Level: Info"
      | parse-kv str as (Text: string, ThreadId:long, Machine: string) with (pair_delimiter=',', kv_delimiter=':') | project-away str`))
      .toEqual([['The service is up', 458745723n, 'Node001']]);
  });

  it('handles quotes, escapes and greedy values', async () => {
    expect(await rows(`print str='a=1 b="x \\\\"y\\\\" z" c=3' | parse-kv str as (a:long, b:string, c:long) with (quote='"', escape='\\\\') | project-away str`))
      .toEqual([[1n, 'x "y" z', 3n]]);
    expect(await rows(`print str='name=John Doe phone=555 5555' | parse-kv str as (name:string, phone:string) with (pair_delimiter=' ', kv_delimiter='=', greedy=true) | project-away str`))
      .toEqual([['John Doe', '555 5555']]);
  });

  it('uses the groups of a regex', async () => {
    expect(await rows(`print str='"k1: v1" "k2: v2"' | parse-kv str as (k2:string, k3:string) with (regex=@'"(\\w+)\\s*:\\s*([^"]*)"') | project-away str`))
      .toEqual([['v2', '']]);
  });
});

describe('project-by-names and top-nested', () => {
  it('selects columns by names, wildcards and arrays', async () => {
    const r = await result(`datatable(Name:string, Age:int, City:string, Country:string)['Peter', 39, 'New York', 'USA'] | project-by-names "C*", dynamic(["Name"])`);
    expect(names(r)).toEqual(['City', 'Country', 'Name']);
    expect(r.rows).toEqual([['New York', 'USA', 'Peter']]);
  });

  it('keeps the top groups within each parent group', async () => {
    expect(await rows(`datatable(a:string, b:long, c:string)["x", 1, "p", "x", 2, "q", "x", 2, "q", "y", 5, "p", "z", 1, "p"]
      | top-nested 2 of a by s=sum(b), top-nested 1 of c by n=count()`)).toEqual([
      ['x', 5n, 'q', 2n], ['y', 5n, 'p', 1n],
    ]);
  });
});

describe('search and find', () => {
  it('searches terms in every column of every table', async () => {
    const r = await result('search "administrator" and "cmd" | project $table, DeviceName');
    expect(r.rows).toEqual([['DeviceProcessEvents', 'pc1']]);
  });

  it('searches named tables with column:term and wildcards', async () => {
    expect(await rows('search in (DeviceProcessEvents, DeviceFileEvents) FileName:"*.zip" or ProcessCommandLine:"report*" | project $table, FileName | order by FileName asc'))
      .toEqual([['DeviceProcessEvents', 'notepad.exe'], ['DeviceFileEvents', 'payload.zip']]);
  });

  it('finds rows across tables and projects columns', async () => {
    const r = await result(`find in (DeviceProcessEvents, DeviceFileEvents) where SHA1 == "aaa" project DeviceName, FileName | order by FileName asc`);
    expect(names(r)).toEqual(['source_', 'DeviceName', 'FileName']);
    expect(r.rows).toEqual([['DeviceProcessEvents', 'pc1', 'cmd.exe'], ['DeviceFileEvents', 'pc1', 'payload.zip']]);
  });
});

describe('plugins', () => {
  it('bag_unpack with an output schema needs no data', async () => {
    expect(await rows(`datatable(d:dynamic, Desc:string)[dynamic({"Name": "John", "Age":20}), "S"] | evaluate bag_unpack(d) : (*, Name:string, Age:long)`))
      .toEqual([['S', 'John', 20n]]);
  });

  it('bag_unpack without a schema asks for a probe of the keys', async () => {
    const kql = `datatable(d:dynamic, x:long)[dynamic({"b": "u", "a": 1}), 1, dynamic({"a": 2.5, "c": [1]}), 2] | evaluate bag_unpack(d, 'p_')`;
    expect(() => lowerQuery(parseAndBind(kql), kql, 0n)).toThrow(ProbeNeeded);
    const r = await probed(kql);
    expect(r.columns).toEqual([{ name: 'x', type: 'long' }, { name: 'p_a', type: 'dynamic' }, { name: 'p_b', type: 'string' }, { name: 'p_c', type: 'dynamic' }]);
    expect(r.rows).toEqual([[1n, 1, 'u', null], [2n, 2.5, '', [1]]]);
  });

  it('ipv4_lookup matches ranges, optionally keeping unmatched rows', async () => {
    const q = (extra: string) => `let R = datatable(network:string, name:string)["10.0.0.0/8", "ten", "192.168.1.0/24", "home"];
      datatable(ip:string)["10.1.2.3", "192.168.1.9", "8.8.8.8"] | evaluate ipv4_lookup(R, ip, network${extra}) | order by ip asc`;
    expect(await rows(q(''))).toEqual([['10.1.2.3', '10.0.0.0/8', 'ten'], ['192.168.1.9', '192.168.1.0/24', 'home']]);
    expect(await rows(q(', return_unmatched = true'))).toEqual([['10.1.2.3', '10.0.0.0/8', 'ten'], ['192.168.1.9', '192.168.1.0/24', 'home'], ['8.8.8.8', '', '']]);
  });

  it('rolling_percentile and activity_counts_metrics', async () => {
    expect(await rows(`range i from 0 to 5 step 1 | extend t = datetime(2020-01-01) + 1d * (i / 2), v = i
      | evaluate rolling_percentile(v, 50, t, 1d, 2)`)).toEqual([
      ['2020-01-01T00:00:00.0000000Z', 0n], ['2020-01-02T00:00:00.0000000Z', 1n], ['2020-01-03T00:00:00.0000000Z', 3n],
    ]);
    expect(await rows(`datatable(u:string, t:datetime)["a", datetime(2020-01-01), "b", datetime(2020-01-01), "a", datetime(2020-01-02), "c", datetime(2020-01-02), "c", datetime(2020-01-02)]
      | evaluate activity_counts_metrics(u, t, datetime(2020-01-01), datetime(2020-01-02), 1d)`)).toEqual([
      ['2020-01-01T00:00:00.0000000Z', 2n, 2n, 2n, 2n], ['2020-01-02T00:00:00.0000000Z', 3n, 2n, 1n, 3n],
    ]);
  });
});

describe('joins, order and subqueries', () => {
  it('joins with a where condition beyond equality', async () => {
    expect(await rows(`datatable(a:long, t:long)[1, 2, 1, 5, 2, 1] | join kind=inner (datatable(b:long, u:long)[1, 3, 2, 0]) where $left.a == $right.b and $left.t < $right.u`))
      .toEqual([[1n, 2n, 1n, 3n]]);
  });

  it('union kind=inner keeps the common columns; where tests window functions over the serialized rows', async () => {
    const r = await result(`let A = datatable(x:long, y:string)[1, "a"]; let B = datatable(x:long, z:string)[2, "b"];
      union kind=inner withsource=T A, B | order by x asc`);
    expect(names(r)).toEqual(['T', 'x']);
    expect(r.rows).toEqual([['A', 1n], ['B', 2n]]);
    expect(await rows('datatable(x:long)[5, 6, 7] | sort by x asc | where row_number() == 2')).toEqual([[6n]]);
  });

  it('union keeps a column renamed for its type apart from an input column that already has that name (which keeps it)', async () => {
    const r = await result(`let A = datatable(x:long)[1]; let B = datatable(x:int)[2]; let C = datatable(x_long:long)[3];
      union withsource=T A, B, C | order by T asc`);
    expect(names(r)).toEqual(['T', 'x_long1', 'x_int', 'x_long']);
    expect(r.rows).toEqual([['A', 1n, null, null], ['B', null, 2, null], ['C', null, null, 3n]]);
    expect(await rows(`let A = datatable(x:long)[1]; let C = datatable(x_long:long)[3]; let B = datatable(x:int)[2]; union A, B, C | where isnotnull(x_long1) | project x_long1`)).toEqual([[1n]]);
  });

  it('keeps columns whose names differ only in case apart', async () => {
    expect(await rows('datatable(A:string, a:string)["x", "y"] | extend B = strcat(A, a), b = 1')).toEqual([['x', 'y', 'xy', 1n]]);
  });

  it('keeps the sorted order through mv-expand and a projection that drops the sort key', async () => {
    expect(await rows(`datatable(a:long, b:dynamic)[3, dynamic([1,2]), 1, dynamic([3,4]), 2, dynamic([5])] | sort by a asc | mv-expand b | project-away a | take 3`))
      .toEqual([[3], [4], [5]]);
  });

  it('toscalar of a scalar, and percentiles in an invoked function', async () => {
    expect(await rows('let n = toscalar(2); range z from 1 to 5 step n')).toEqual([[1n], [3n], [5n]]);
    expect(await rows(`let f = (T:(x:long)) { let hi = toscalar(T | summarize percentiles(x, 90)); T | where x < hi | count };
      range x from 1 to 10 step 1 | invoke f()`)).toEqual([[8n]]);
  });

  it('parses kind=regex greedily, and lazily with the U flag', async () => {
    const text = 'print s="name=A, x=1, y=2"';
    expect(await rows(`${text} | parse kind=regex s with * "name=" v ',' * | project v`)).toEqual([['A, x=1']]);
    expect(await rows(`${text} | parse kind=regex flags=U s with * "name=" v ',' * | project v`)).toEqual([['A']]);
  });
});

describe('more plugins and operators', () => {
  it('pivot turns values into columns (probe), with a conditional aggregate per value', async () => {
    const r = await probed(`datatable(State:string, EventType:string, Deaths:long)["AL","Wind",1,"AK","Wind",2,"AL","Rain",3,"AL","Wind",4]
      | evaluate pivot(State, sum(Deaths)) | order by EventType desc`);
    expect(names(r)).toEqual(['EventType', 'AL', 'AK']);
    expect(r.rows).toEqual([['Wind', 5n, 2n], ['Rain', 3n, 0n]]);
  });

  it('dcount_intersect counts the values hll sketches share', async () => {
    expect(await rows(`range x from 1 to 30 step 1 | summarize a = hll(iif(x % 2 == 0, x, 0)), b = hll(iif(x % 3 == 0, x, 0))
      | evaluate dcount_intersect(a, b) | project s0, s1`)).toEqual([[16n, 6n]]);
  });

  it('narrow, sample-distinct, top-hitters and as', async () => {
    expect(await rows('datatable(a:long, b:string)[1, "x", 2, "y"] | evaluate narrow() | order by Row asc, Column asc')).toEqual([
      [0n, 'a', '1'], [0n, 'b', 'x'], [1n, 'a', '2'], [1n, 'b', 'y'],
    ]);
    expect(await rows('datatable(a:string)["x", "y", "x"] | sample-distinct 5 of a | order by a asc')).toEqual([['x'], ['y']]);
    expect(await rows('datatable(a:string, b:long)["x", 1, "y", 2, "x", 3, "y", 1] | top-hitters 1 of a by b')).toEqual([['x', 4n]]);
    expect(await rows('range x from 1 to 3 step 1 | as T | where x > toscalar(T | summarize min(x))')).toEqual([[2n], [3n]]);
  });

  it('declare pattern: the body of the matching values', async () => {
    expect(await rows(`declare pattern p = (a:string) { ("x") = { print v = 1 }; ("y") = { print v = 2 }; };
      p("y")`)).toEqual([[2n]]);
  });

  it('print spreads tuple-valued functions over columns', async () => {
    const r = await result('print array_sort_asc(dynamic([3, 1, 2]), dynamic(["c", "a", "b"]))');
    expect(r.rows).toEqual([[[1, 2, 3], ['a', 'b', 'c']]]);
  });
});

describe('graphs', () => {
  const edges = `datatable(s:string, d:string, k:string)["a", "b", "x", "b", "c", "y", "c", "d", "x", "e", "f", "x"]`;
  const nodes = `datatable(name:string, age:long)["a", 1, "b", 2, "c", 3, "d", 4]`;

  it('matches fixed patterns with properties of nodes and edges', async () => {
    expect(await rows(`${edges} | make-graph s --> d with ${nodes} on name
      | graph-match (x)-[e1]->(y)-[e2]->(z) where e1.k == "x" project x.name, y.age, z.name, e2.k`)).toEqual([['a', 2n, 'c', 'y']]);
  });

  it('matches variable-length paths with list functions', async () => {
    expect(await rows(`${edges} | make-graph s --> d with ${nodes} on name
      | graph-match (x)-[p*1..3]->(y) where x.name == "a" and all(p, k != "z")
        project y = y.name, kinds = map(p, k), via = map(inner_nodes(p), name) | order by y asc`)).toEqual([
      ['b', ['x'], []], ['c', ['x', 'y'], ['b']], ['d', ['x', 'y', 'x'], ['b', 'c']],
    ]);
  });

  it('finds shortest paths and degrees', async () => {
    expect(await rows(`${edges} | make-graph s --> d with_node_id=name
      | graph-shortest-paths (x)-[p*1..5]->(y) where x.name == "a" and y.name == "d" project path = map(p, k), deg = node_degree_out(x)`)).toEqual([[['x', 'y', 'x'], 1n]]);
  });

  it('marks components and turns the graph back into tables', async () => {
    expect(await rows(`${edges} | make-graph s --> d with_node_id=name | graph-mark-components with_component_id=c | graph-to-table nodes | order by name asc`)).toEqual([
      ['a', 0n], ['b', 0n], ['c', 0n], ['d', 0n], ['e', 1n], ['f', 1n],
    ]);
    expect(await rows(`${edges} | make-graph s --> d with ${nodes} on name | graph-to-table nodes | order by name asc`)).toEqual([
      ['a', 1n], ['b', 2n], ['c', 3n], ['d', 4n], ['e', null], ['f', null],
    ]);
  });
});

