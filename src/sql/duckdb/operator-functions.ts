// DuckDB templates of the IR functions that only operators produce (parse-kv, bag_unpack,
// ipv4_lookup...); general scalar functions live in functions/.
import type { ScalarTemplate } from '../dialect.js';
import { toDynamicSql } from './functions/index.js';

export const OPERATOR_FUNCTIONS: Readonly<Record<string, ScalarTemplate>> = {
  // parse-kv with regex=: the second group of the match whose first group is the key.
  kv_regex_value: ([text, re, key]) =>
    `list_extract(regexp_extract_all(${text!.sql}, ${re!.sql}, 2), list_position(regexp_extract_all(${text!.sql}, ${re!.sql}, 1), ${key!.sql}))`,
  // dcount_intersect: how many values the hll sketches (JSON arrays of the distinct values) share.
  hll_intersect_count: args => {
    const lists = args.map(a => `coalesce(CAST(${a.sql} AS JSON[]), [])`);
    const common = lists.slice(1).reduce((acc, l) => `list_intersect(${acc}, ${l})`, `list_distinct(${lists[0]})`);
    return `CAST(len(${common}) AS BIGINT)`;
  },
  // find's pack_: a bag of the given (name, value) pairs, leaving out null and empty values.
  pack_nonempty: args => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) {
      const v = args[i + 1]!;
      const value = v.type === 'string' ? `CASE WHEN ${v.sql} = '' THEN NULL ELSE to_json(${v.sql}) END` : toDynamicSql(v);
      parts.push(args[i]!.sql, value);
    }
    return parts.length ? `json_merge_patch('{}', json_object(${parts.join(', ')}))` : `'{}'::JSON`;
  },
};
