// DuckDB: Kusto's dynamic-array and property-bag functions (array_*, set_*, bag_*, zip, repeat...).
// Arrays are JSON values; they are read as DuckDB JSON[] lists (a JSON null element is a SQL NULL)
// and written back with to_json(). Elements compare by their JSON text, which keeps Kusto's typing
// ("1" is not 1). A function given a value that is not an array (or not a bag) returns null.
import type { SqlArg } from '../../dialect.js';
import { constValue, toDynamicSql, toStringSql, type FunctionTable } from './common.js';

/** `body` with `name` bound to the value of `expr`, computed once (a lambda over a one-element list). */
export const bind = (expr: string, name: string, body: string) => `list_transform([${expr}], ${name} -> ${body})[1]`;

const list = (a: SqlArg) => `kql_list(${a.sql})`;
const isArray = (a: SqlArg) => `(json_type(${a.sql}) = 'ARRAY')`;
/** An argument as JSON: dynamic as is, other types as their dynamic form. */
const dyn = (a: SqlArg | undefined) => (a ? toDynamicSql(a) : 'CAST(NULL AS JSON)');
const int = (a: SqlArg) => `CAST(${a.sql} AS BIGINT)`;

export const ARRAY_MACROS: Record<string, string> = {
  kql_list: `(__j) AS CASE WHEN json_type(__j) = 'ARRAY' THEN CAST(__j AS JSON[]) END`,
  /** The JSON text of an element, the key elements compare by ('null' for a null element). */
  kql_jkey: `(__x) AS coalesce(CAST(__x AS VARCHAR), 'null')`,
  /** A list without repeated elements, in first-appearance order. */
  kql_list_distinct: `(__l) AS list_filter(__l, (__x, __i) -> list_position(list_transform(__l, __y -> kql_jkey(__y)), kql_jkey(__x)) = __i)`,
  kql_list_keys: `(__l) AS list_transform(__l, __y -> kql_jkey(__y))`,
  /** Kusto's truth of a JSON value: a bool, or a number other than 0; null for anything else. */
  kql_json_truth: `(c) AS CASE json_type(c) WHEN 'BOOLEAN' THEN CAST(c AS BOOLEAN) WHEN 'BIGINT' THEN CAST(c AS DOUBLE) <> 0
    WHEN 'UBIGINT' THEN CAST(c AS DOUBLE) <> 0 WHEN 'DOUBLE' THEN CAST(c AS DOUBLE) <> 0 ELSE NULL END`,
  /** Sort key of an element: numbers, then strings, then everything else; nulls get class `null_class`. */
  kql_sort_key: `(__x, null_class) AS {'c': CASE WHEN __x IS NULL OR json_type(__x) = 'NULL' THEN null_class
      WHEN json_type(__x) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN 0 WHEN json_type(__x) = 'VARCHAR' THEN 1 ELSE 2 END,
    'n': CASE WHEN json_type(__x) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(__x AS DOUBLE) ELSE 0 END,
    's': CASE WHEN json_type(__x) = 'VARCHAR' THEN json_extract_string(__x, '$') ELSE coalesce(CAST(__x AS VARCHAR), '') END}`,
  /** Positions (1-based) of the elements of a list in ascending / descending order. */
  kql_sort_positions_asc: `(__l, nulls_last) AS list_transform(list_sort(list_transform(__l, (__x, __i) -> {'k': kql_sort_key(__x, CASE WHEN nulls_last THEN 9 ELSE -1 END), 'i': __i}), 'ASC'), __e -> __e.i)`,
  kql_sort_positions_desc: `(__l, nulls_last) AS list_transform(list_sort(list_transform(__l, (__x, __i) -> {'k': kql_sort_key(__x, CASE WHEN nulls_last THEN -1 ELSE 9 END), 'i': -__i}), 'DESC'), __e -> -__e.i)`,
  /** A JSON object from {key, value} entries (the first of repeated keys wins; null values kept). */
  kql_bag_from_entries: `(__e) AS CAST('{' || coalesce(array_to_string(list_transform(list_filter(__e, (__x, __i) -> __x.key IS NOT NULL
      AND list_position(list_transform(__e, __y -> __y.key), __x.key) = __i), __x -> to_json(__x.key) || ':' || coalesce(CAST(__x.value AS VARCHAR), 'null')), ','), '') || '}' AS JSON)`,
  kql_bag_entries: `(__j) AS CASE WHEN json_type(__j) = 'OBJECT' THEN list_transform(map_entries(CAST(__j AS MAP(VARCHAR, JSON))), __e -> {'key': __e.key, 'value': __e.value}) END`,
  /** A bag without `k` (a top-level key). */
  kql_bag_remove: `(__j, __k) AS CASE WHEN json_type(__j) = 'OBJECT' THEN kql_bag_from_entries(list_filter(kql_bag_entries(__j), __e -> __e.key <> __k)) ELSE __j END`,
  /** A bag with `k` (a top-level key) set to `v`. */
  kql_bag_set: `(__j, __k, v) AS CASE WHEN json_type(__j) = 'OBJECT' THEN kql_bag_from_entries(list_concat(list_transform(kql_bag_entries(__j), __e -> CASE WHEN __e.key = __k THEN {'key': __k, 'value': v} ELSE __e END), [{'key': __k, 'value': v}])) END`,
  /** JSON with the properties of every bag sorted by name, to a depth of 6 levels. */
  ...sortedJsonMacros(6),
};

function sortedJsonMacros(depth: number): Record<string, string> {
  const out: Record<string, string> = { kql_sorted_json0: `(__j) AS CAST(__j AS VARCHAR)` };
  for (let d = 1; d <= depth; d++) {
    const inner = `kql_sorted_json${d - 1}`;
    // Lambda parameters are named per level: a macro's argument may mention the outer level's.
    out[`kql_sorted_json${d}`] = `(__j) AS CASE json_type(__j)
      WHEN 'OBJECT' THEN '{' || coalesce(array_to_string(list_transform(list_sort(map_keys(CAST(__j AS MAP(VARCHAR, JSON)))), __k${d} -> to_json(__k${d}) || ':' || ${inner}(json_extract(__j, '$."' || replace(replace(__k${d}, '\\', '\\\\'), '"', '\\"') || '"'))), ','), '') || '}'
      WHEN 'ARRAY' THEN '[' || coalesce(array_to_string(list_transform(CAST(__j AS JSON[]), __x${d} -> coalesce(${inner}(__x${d}), 'null')), ','), '') || ']'
      ELSE CAST(__j AS VARCHAR) END`;
  }
  return out;
}

/** A JSON path (`$.a.b`, `$['a']['b']`) or a plain key, as the list of its property names. */
function keyPath(key: string): string[] {
  const t = key.trim();
  if (!t.startsWith('$')) return [key];
  const parts: string[] = [];
  const re = /\.([^.[\]]+)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < t.length) {
    const m = re.exec(t);
    if (!m) return [];
    parts.push(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return parts;
}

const jsonPathOf = (keys: string[]) => '$' + keys.map(k => `."${k.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join('');

/** SQL for a bag with the value at `path` removed (nested bags rebuilt on the way). */
function removePath(bag: string, path: string[], param: (v: string) => string): string {
  const [head, ...rest] = path;
  if (head === undefined) return bag;
  const k = param(head);
  if (rest.length === 0) return `kql_bag_remove(${bag}, ${k})`;
  const child = `json_extract(${bag}, ${param(jsonPathOf([head]))})`;
  return `CASE WHEN json_type(${child}) = 'OBJECT' THEN kql_bag_set(${bag}, ${k}, ${removePath(child, rest, param)}) ELSE ${bag} END`;
}

/** SQL for a bag with `path` set to `value` (missing nested bags are created). */
function setPath(bag: string, path: string[], value: string, param: (v: string) => string): string {
  const [head, ...rest] = path;
  if (head === undefined) return bag;
  const k = param(head);
  if (rest.length === 0) return `kql_bag_set(${bag}, ${k}, ${value})`;
  const child = `json_extract(${bag}, ${param(jsonPathOf([head]))})`;
  return `kql_bag_set(${bag}, ${k}, ${setPath(`(CASE WHEN json_type(${child}) = 'OBJECT' THEN ${child} ELSE CAST('{}' AS JSON) END)`, rest, value, param)})`;
}

/** The constant strings of a dynamic-array literal argument, if it is one. */
function constStrings(a: SqlArg | undefined): string[] | undefined {
  const v = constValue(a);
  if (typeof v !== 'string' || a!.type !== 'dynamic') return undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) && parsed.every(x => typeof x === 'string') ? parsed as string[] : undefined;
  } catch {
    return undefined;
  }
}

function sortTemplate(descending: boolean): FunctionTable[string] {
  return args => {
    // The last argument is nulls_last when it is a bool.
    let nullsLast = 'true';
    let arrays = args;
    if (args.length > 1 && args[args.length - 1]!.type === 'bool') {
      nullsLast = `coalesce(${args[args.length - 1]!.sql}, true)`;
      arrays = args.slice(0, -1);
    }
    const first = arrays[0]!;
    const positions = `kql_sort_positions_${descending ? 'desc' : 'asc'}(${list(first)}, ${nullsLast})`;
    const sorted = (a: SqlArg) => `CASE WHEN ${isArray(a)} AND json_array_length(${a.sql}) = json_array_length(${first.sql})
      THEN to_json(list_transform(${positions}, __p -> ${list(a)}[__p])) END`;
    if (arrays.length === 1) return sorted(first);
    // Several arrays: a tuple, returned as a dynamic array of the sorted arrays.
    return `json_array(${arrays.map(sorted).join(', ')})`;
  };
}

function shiftTemplate(direction: 1 | -1): FunctionTable[string] {
  return ([arr, n, fill]) => bind(list(arr!), '__sl', `to_json(list_transform(range(len(__sl)), __i -> CASE WHEN __i + ${direction} * ${int(n!)} BETWEEN 0 AND len(__sl) - 1
      THEN __sl[__i + ${direction} * ${int(n!)} + 1] ELSE ${dyn(fill)} END))`);
}

function rotateTemplate(direction: 1 | -1): FunctionTable[string] {
  return ([arr, n]) => bind(list(arr!), '__rl', `to_json(CASE WHEN len(__rl) = 0 THEN __rl ELSE ${bind(`(((${direction} * ${int(n!)}) % len(__rl)) + len(__rl)) % len(__rl)`, '__rk',
    'list_concat(list_slice(__rl, __rk + 1, len(__rl)), list_slice(__rl, 1, __rk))')} END)`);
}

/** A list of the JSON lists of the arguments (null when one of them is not an array). */
function lists(args: SqlArg[]): string {
  return `CASE WHEN ${args.map(isArray).join(' AND ')} THEN [${args.map(list).join(', ')}] END`;
}

export const ARRAY_FUNCTIONS: FunctionTable = {
  array_length: ([a]) => `CASE WHEN ${isArray(a!)} THEN CAST(json_array_length(${a!.sql}) AS BIGINT) END`,
  array_concat: args => `CASE WHEN ${args.map(isArray).join(' AND ')} THEN to_json(list_concat(${args.map(list).join(', ')}${args.length === 1 ? ', []' : ''})) END`,
  array_reverse: ([a]) => `to_json(list_reverse(${list(a!)}))`,
  array_slice: ([a, start, end]) => bind(list(a!), '__sl', `to_json(${bind(`CASE WHEN ${int(start!)} < 0 THEN greatest(len(__sl) + ${int(start!)}, 0) ELSE ${int(start!)} END`, '__ss',
    bind(`CASE WHEN ${int(end!)} < 0 THEN len(__sl) + ${int(end!)} ELSE least(${int(end!)}, len(__sl) - 1) END`, '__se', 'CASE WHEN __se < __ss THEN [] ELSE list_slice(__sl, __ss + 1, __se + 1) END'))})`),
  array_iff: ([c, t, f]) => {
    const pick = (v: SqlArg) => (v.type === 'dynamic' ? `CASE WHEN ${isArray(v)} THEN ${list(v)}[__i] ELSE ${v.sql} END` : toDynamicSql(v));
    return `to_json(list_transform(${list(c!)}, (__x, __i) -> CASE kql_json_truth(__x) WHEN true THEN ${pick(t!)} WHEN false THEN ${pick(f!)} ELSE NULL END))`;
  },
  array_iif: (args, call, ctx) => ARRAY_FUNCTIONS.array_iff!(args, call, ctx),
  array_index_of: ([a, v, start, length, occurrence]) => {
    const needle = `kql_jkey(${dyn(v)})`;
    const st = start ? int(start) : '0';
    const ln = length ? int(length) : '-1';
    const occ = occurrence ? int(occurrence) : '1';
    return bind(`kql_list_keys(${list(a!)})`, '__ik', `CASE WHEN __ik IS NULL OR ${ln} < -1 OR ${occ} < 0 THEN NULL ELSE ${bind(`CASE WHEN ${st} < 0 THEN greatest(len(__ik) + ${st}, 0) ELSE ${st} END`, '__ixs',
      `coalesce(list_filter(range(__ixs, CASE WHEN ${ln} = -1 THEN len(__ik) ELSE least(__ixs + ${ln}, len(__ik)) END), __j -> __ik[__j + 1] = ${needle})[greatest(${occ}, 1)], -1)`)} END`);
  },
  array_rotate_left: rotateTemplate(1),
  array_rotate_right: rotateTemplate(-1),
  array_shift_left: shiftTemplate(1),
  array_shift_right: shiftTemplate(-1),
  array_sort_asc: sortTemplate(false),
  array_sort_desc: sortTemplate(true),
  array_split: ([a, idx]) => {
    const indices = idx!.type === 'dynamic'
      ? `list_transform(kql_list(${idx!.sql}), __x -> CAST(__x AS BIGINT))`
      : `[${int(idx!)}]`;
    return bind(list(a!), '__sp', bind(`list_concat([0], list_sort(list_transform(${indices}, __x -> least(greatest(CASE WHEN __x < 0 THEN len(__sp) + __x ELSE __x END, 0), len(__sp)))), [len(__sp)])`, '__sb',
      'to_json(list_transform(range(len(__sb) - 1), __k -> list_slice(__sp, __sb[__k + 1] + 1, __sb[__k + 2])))'));
  },
  array_sum: ([a]) => `list_sum(list_transform(${list(a!)}, __x -> CASE WHEN json_type(__x) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(__x AS DOUBLE) END))`,
  set_has_element: ([a, v]) => `list_contains(kql_list_keys(${list(a!)}), kql_jkey(${dyn(v)}))`,
  set_union: args => `CASE WHEN ${args.map(isArray).join(' AND ')} THEN to_json(kql_list_distinct(list_concat(${args.map(list).join(', ')}${args.length === 1 ? ', []' : ''}))) END`,
  set_intersect: ([first, ...rest]) => `CASE WHEN ${[first!, ...rest].map(isArray).join(' AND ')} THEN to_json(list_filter(kql_list_distinct(${list(first!)}),
    __x -> ${rest.map(r => `list_contains(kql_list_keys(${list(r)}), kql_jkey(__x))`).join(' AND ') || 'true'})) END`,
  set_difference: ([first, ...rest]) => `CASE WHEN ${[first!, ...rest].map(isArray).join(' AND ')} THEN to_json(list_filter(kql_list_distinct(${list(first!)}),
    __x -> ${rest.map(r => `NOT list_contains(kql_list_keys(${list(r)}), kql_jkey(__x))`).join(' AND ') || 'true'})) END`,
  jaccard_index: ([a, b]) => bind(`kql_list_keys(kql_list_distinct(${list(a!)}))`, '__ja', bind(`kql_list_keys(kql_list_distinct(${list(b!)}))`, '__jb',
    `CAST(len(list_filter(__ja, __x -> list_contains(__jb, __x))) AS DOUBLE) / len(kql_list_distinct(list_concat(__ja, __jb)))`)),
  zip: args => bind(lists(args), '__zl', `to_json(list_transform(range(list_max(list_transform(__zl, __l -> len(__l)))), __i -> list_transform(__zl, __l -> __l[__i + 1])))`),
  repeat: ([v, n]) => `CASE WHEN ${int(n!)} >= 0 THEN to_json(list_transform(range(${int(n!)}), __i -> ${dyn(v)})) END`,
  // ---- property bags
  bag_keys: ([a]) => `CASE WHEN json_type(${a!.sql}) = 'OBJECT' THEN to_json(json_keys(${a!.sql})) END`,
  bag_has_key: ([a, k], _call, ctx) => {
    const key = constValue(k);
    const path = typeof key === 'string' ? ctx.param(jsonPathOf(keyPath(key)), 'string')
      : `CASE WHEN starts_with(${k!.sql}, '$') THEN ${k!.sql} ELSE '$."' || replace(replace(${k!.sql}, '\\', '\\\\'), '"', '\\"') || '"' END`;
    return `(json_type(${a!.sql}) = 'OBJECT' AND json_exists(${a!.sql}, ${path}))`;
  },
  bag_merge: args => `kql_bag_from_entries(list_concat(${args.map(a => `coalesce(kql_bag_entries(${a.sql}), [])`).join(', ')}))`,
  bag_remove_keys: ([a, keys], _call, ctx) => {
    const consts = constStrings(keys);
    if (consts) {
      let sql = a!.sql;
      for (const key of consts) sql = removePath(sql, keyPath(key), v => ctx.param(v, 'string'));
      return `CASE WHEN json_type(${a!.sql}) = 'OBJECT' THEN ${sql} END`;
    }
    return `CASE WHEN json_type(${a!.sql}) = 'OBJECT' THEN kql_bag_from_entries(list_filter(kql_bag_entries(${a!.sql}),
      __e -> NOT list_contains(list_transform(kql_list(${keys!.sql}), __x -> kql_dynamic_tostring(__x)), __e.key))) END`;
  },
  bag_set_key: ([a, k, v], _call, ctx) => {
    const key = constValue(k);
    if (typeof key === 'string') {
      return `CASE WHEN json_type(${a!.sql}) = 'OBJECT' THEN ${setPath(a!.sql, keyPath(key), dyn(v), x => ctx.param(x, 'string'))} END`;
    }
    return `kql_bag_set(${a!.sql}, ${toStringSql(k!)}, ${dyn(v)})`;
  },
  bag_zip: ([keys, values]) => `CASE WHEN ${isArray(keys!)} THEN kql_bag_from_entries(list_filter(list_transform(${list(keys!)}, (__k, __i) ->
      {'key': CASE WHEN json_type(__k) = 'VARCHAR' THEN json_extract_string(__k, '$') END, 'value': CASE WHEN ${isArray(values!)} THEN ${list(values!)}[__i] END}), __e -> __e.key IS NOT NULL)) END`,
  dynamic_to_json: ([a]) => (a!.type === 'dynamic' ? `coalesce(kql_sorted_json6(${a!.sql}), '')` : toStringSql(a!)),
  pack_all: ([ignore, ...pairs]) => {
    const entries: string[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) entries.push(`{'key': ${pairs[i]!.sql}, 'value': ${toDynamicSql(pairs[i + 1]!)}}`);
    const all = `[${entries.join(', ')}]`;
    if (!ignore || constValue(ignore) === false) return `kql_bag_from_entries(${all})`;
    const filtered = `list_filter(${all}, __e -> __e.value IS NOT NULL AND json_type(__e.value) <> 'NULL' AND CAST(__e.value AS VARCHAR) <> '""')`;
    if (constValue(ignore) === true) return `kql_bag_from_entries(${filtered})`;
    return `kql_bag_from_entries(CASE WHEN ${ignore.sql} THEN ${filtered} ELSE ${all} END)`;
  },
};
