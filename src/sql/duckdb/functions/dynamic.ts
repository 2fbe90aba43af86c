// DuckDB: Functions over dynamic values (JSON arrays and property bags).
import { constValue, toDynamicSql, toStringSql, type FunctionTable } from './common.js';

export const DYNAMIC_FUNCTIONS: FunctionTable = {
  dyn_get: ([x, key], _call, ctx) => {
    const k = constValue(key);
    if (typeof k === 'string') return `json_extract(${x!.sql}, ${ctx.param(`$."${k.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`, 'string')})`;
    if (typeof k === 'bigint') return `json_extract(${x!.sql}, ${ctx.param(k < 0n ? `$[#${k}]` : `$[${k}]`, 'string')})`;
    if (key!.type === 'string') return `json_extract(${x!.sql}, '$."' || replace(replace(${key!.sql}, '\\', '\\\\'), '"', '\\"') || '"')`;
    return `json_extract(${x!.sql}, CASE WHEN ${key!.sql} < 0 THEN '$[#' || CAST(${key!.sql} AS VARCHAR) || ']' ELSE '$[' || CAST(${key!.sql} AS VARCHAR) || ']' END)`;
  },
  array_length: ([a]) => `CASE WHEN json_type(${a!.sql}) = 'ARRAY' THEN CAST(json_array_length(${a!.sql}) AS BIGINT) ELSE NULL END`,
  pack_array: args => `json_array(${args.map(toDynamicSql).join(', ')})`,
  pack: args => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) parts.push(toStringSql(args[i]!), toDynamicSql(args[i + 1]!));
    return `json_object(${parts.join(', ')})`;
  },
  pack_all: ([ignoreNulls, ...pairs]) => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) parts.push(pairs[i]!.sql, toDynamicSql(pairs[i + 1]!));
    const obj = `json_object(${parts.join(', ')})`;
    return ignoreNulls && constValue(ignoreNulls) === true ? `json_merge_patch('{}', ${obj})` : obj;
  },
  bag_keys: ([a]) => `to_json(json_keys(${a!.sql}))`,
  bag_has_key: ([a, k]) => `(json_extract(${a!.sql}, '$."' || ${k!.sql} || '"') IS NOT NULL)`,
  bag_merge: args => args.map(a => a.sql).reduce((acc, x) => `json_merge_patch(${x}, ${acc})`),
  array_concat: args => `to_json(flatten([${args.map(a => `CAST(${a.sql} AS JSON[])`).join(', ')}]))`,
  array_slice: ([a, start, end]) => `to_json(list_slice(CAST(${a!.sql} AS JSON[]), (CASE WHEN ${start!.sql} < 0 THEN json_array_length(${a!.sql}) + ${start!.sql} ELSE ${start!.sql} END) + 1, CASE WHEN ${end!.sql} < 0 THEN json_array_length(${a!.sql}) + ${end!.sql} + 1 ELSE ${end!.sql} + 1 END))`,
  array_reverse: ([a]) => `to_json(list_reverse(CAST(${a!.sql} AS JSON[])))`,
  array_index_of: ([a, v]) => `CAST(coalesce(list_position(list_transform(CAST(${a!.sql} AS JSON[]), x -> kql_dynamic_tostring(x)), ${toStringSql(v!)}), 0) - 1 AS BIGINT)`,
  array_sum: ([a]) => `list_sum(CAST(${a!.sql} AS DOUBLE[]))`,
  set_has_element: ([a, v]) => `list_contains(list_transform(CAST(${a!.sql} AS JSON[]), x -> kql_dynamic_tostring(x)), ${toStringSql(v!)})`,
  range: ([start, stop, step], _call, ctx) => {
    const st = step ? step.sql : ctx.param(1n, 'long');
    if (start!.type === 'datetime') return `to_json(list_transform(generate_series(${start!.sql}, ${stop!.sql}, to_microseconds(CAST((${st}) // 10 AS BIGINT))), x -> kql_datetime_tostring(x)))`;
    if (start!.type === 'timespan') return `to_json(list_transform(generate_series(${start!.sql}, ${stop!.sql}, ${st}), x -> kql_timespan_tostring(x)))`;
    return `to_json(generate_series(${start!.sql}, ${stop!.sql}, ${st}))`;
  },
  extract_json: ([path, json, typed]) => {
    void typed;
    return `kql_dynamic_tostring(json_extract(kql_parse_json(${json!.sql}), ${path!.sql}))`;
  },
};
