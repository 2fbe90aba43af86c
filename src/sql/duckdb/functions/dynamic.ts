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
  pack_array: args => `json_array(${args.map(toDynamicSql).join(', ')})`,
  pack: args => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) parts.push(toStringSql(args[i]!), toDynamicSql(args[i + 1]!));
    return `json_object(${parts.join(', ')})`;
  },
  // At most 1,048,576 elements (Kusto truncates longer series); the step defaults to 1, or 1h for
  // datetimes and timespans.
  range: ([start, stop, step]) => {
    const isTime = start!.type === 'datetime' || start!.type === 'timespan';
    const st = step ? (isTime ? `CAST(${step.sql} AS BIGINT)` : step.sql) : isTime ? '36000000000' : '1';
    // The index of the last element: -1 (none) when the step goes away from stop.
    const count = (span: string, step: string, real = false) => `CASE WHEN (${step}) = 0 OR (${span}) * sign(${step}) < 0 THEN -1
      ELSE least(${real ? `floor(abs(${span}) / abs(${step}))` : `abs(${span}) // abs(${step})`}, 1048575) END`;
    if (start!.type === 'datetime') {
      return `to_json(list_transform(generate_series(0, CAST(${count(`epoch_us(${stop!.sql}) * 10 - epoch_us(${start!.sql}) * 10`, st)} AS BIGINT)),
        __i -> kql_datetime_tostring(kql_datetime_add_ticks(${start!.sql}, __i * (${st})))))`;
    }
    if (start!.type === 'timespan') {
      return `to_json(list_transform(generate_series(0, CAST(${count(`${stop!.sql} - ${start!.sql}`, st)} AS BIGINT)),
        __i -> kql_timespan_tostring(${start!.sql} + __i * (${st}))))`;
    }
    if (start!.type === 'real' || start!.type === 'decimal' || stop!.type === 'real' || step?.type === 'real') {
      return `to_json(list_transform(generate_series(0, CAST(${count(`${stop!.sql} - ${start!.sql}`, st, true)} AS BIGINT)),
        __i -> CAST(${start!.sql} AS DOUBLE) + __i * (${st})))`;
    }
    return `to_json(list_transform(generate_series(0, CAST(${count(`${stop!.sql} - ${start!.sql}`, st)} AS BIGINT)),
      __i -> ${start!.sql} + __i * (${st})))`;
  },
  // extract_json(path, json [, typeof(T)]): the value at the path, as T (string by default).
  extract_json: ([path, json], call) => {
    const value = `json_extract(kql_parse_json(${json!.type === 'string' ? json!.sql : toStringSql(json!)}), ${path!.sql})`;
    return call.type === 'dynamic' ? value : `kql_from_json_${call.type}(${value})`;
  },
};
