// DuckDB: String functions.
import { constString, s, toStringSql, type FunctionTable } from './common.js';

export const STRINGS_FUNCTIONS: FunctionTable = {
  strlen: ([a]) => `length(${s(a)})`,
  tolower: ([a]) => `lower(${s(a)})`,
  toupper: ([a]) => `upper(${s(a)})`,
  strcat: args => (args.length === 0 ? "''" : `concat(${args.map(toStringSql).join(', ')})`),
  strcat_delim: ([d, ...rest]) => `concat_ws(${toStringSql(d!)}, ${rest.map(toStringSql).join(', ')})`,
  substring: ([str, start, len]) => {
    const from = `greatest(${start!.sql}, 0) + 1`;
    return len ? `coalesce(substr(${str!.sql}, ${from}, greatest(${len.sql}, 0)), '')` : `coalesce(substr(${str!.sql}, ${from}), '')`;
  },
  replace_string: ([a, b, c]) => `replace(${a!.sql}, ${b!.sql}, ${c!.sql})`,
  replace_regex: ([a, re, rep]) => `regexp_replace(${a!.sql}, ${re!.sql}, ${rep!.sql}, 'g')`,
  replace: ([re, rep, a]) => `regexp_replace(${a!.sql}, ${re!.sql}, ${rep!.sql}, 'g')`,
  trim: ([re, a]) => `regexp_replace(${a!.sql}, '^(?:' || ${re!.sql} || ')+|(?:' || ${re!.sql} || ')+$', '', 'g')`,
  trim_start: ([re, a]) => `regexp_replace(${a!.sql}, '^(?:' || ${re!.sql} || ')+', '')`,
  trim_end: ([re, a]) => `regexp_replace(${a!.sql}, '(?:' || ${re!.sql} || ')+$', '')`,
  reverse: ([a]) => `reverse(${toStringSql(a!)})`,
  indexof: ([a, lookup, start]) => {
    if (!start) return `(strpos(${a!.sql}, ${lookup!.sql}) - 1)`;
    return `CASE WHEN strpos(substr(${a!.sql}, ${start.sql} + 1), ${lookup!.sql}) = 0 THEN -1 ELSE strpos(substr(${a!.sql}, ${start.sql} + 1), ${lookup!.sql}) - 1 + ${start.sql} END`;
  },
  countof: ([a, search, kind]) => {
    if (kind && constString(kind) === 'regex') return `len(regexp_extract_all(${a!.sql}, ${search!.sql}))`;
    return `((length(${a!.sql}) - length(replace(${a!.sql}, ${search!.sql}, ''))) // greatest(length(${search!.sql}), 1))`;
  },
  extract: ([re, group, text]) => `regexp_extract(${text!.sql}, ${re!.sql}, CAST(${group!.sql} AS INTEGER))`,
  extract_all: ([re, a, b]) => {
    const text = b ?? a!;
    if (b) return `to_json(regexp_extract_all(${text.sql}, ${re!.sql}, CAST(json_extract(${a!.sql}, '$[0]') AS INTEGER)))`;
    // With a capture group the first group is returned, otherwise the whole match.
    const groups = constString(re) !== undefined ? (/\((?!\?)/.test(constString(re)!) ? '1' : '0') : `CASE WHEN regexp_matches(replace(${re!.sql}, '(?', ''), '\\(') THEN 1 ELSE 0 END`;
    return `CASE WHEN regexp_matches(${text.sql}, ${re!.sql}) THEN to_json(regexp_extract_all(${text.sql}, ${re!.sql}, ${groups})) ELSE NULL END`;
  },
  split: ([a, d, index]) => {
    const list = `string_split(${a!.sql}, ${d!.sql})`;
    if (index) return `to_json(CASE WHEN ${index.sql} >= 0 AND ${index.sql} < len(${list}) THEN [${list}[${index.sql} + 1]] ELSE [] END)`;
    return `to_json(${list})`;
  },
  strcat_array: ([arr, d]) => `coalesce(array_to_string(list_transform(CAST(${arr!.sql} AS JSON[]), x -> kql_dynamic_tostring(x)), ${d!.sql}), '')`,
  strrep: ([a, n, d]) => (d ? `array_to_string(list_transform(range(${n!.sql}), i -> ${toStringSql(a!)}), ${d.sql})` : `repeat(${toStringSql(a!)}, CAST(${n!.sql} AS BIGINT))`),
  url_decode: ([a]) => `coalesce(url_decode(${a!.sql}), '')`,
  url_encode: ([a]) => `url_encode(${a!.sql})`,
  url_encode_component: ([a]) => `url_encode(${a!.sql})`,
  base64_encode_tostring: ([a]) => `to_base64(encode(${a!.sql}))`,
  base64_decode_tostring: ([a]) => `coalesce(TRY_CAST(from_base64(${a!.sql}) AS VARCHAR), '')`,
  hash_sha256: ([a]) => `sha256(${toStringSql(a!)})`,
  hash_sha1: ([a]) => `sha1(${toStringSql(a!)})`,
  hash_md5: ([a]) => `md5(${toStringSql(a!)})`,
  hash: ([a, mod]) => (mod ? `CAST(hash(${a!.sql}) % CAST(${mod.sql} AS UBIGINT) AS BIGINT)` : `CAST(hash(${a!.sql}) >> 1 AS BIGINT)`),
  tohex: ([a, len]) => (len ? `lpad(lower(hex(${a!.sql})), CAST(${len.sql} AS INTEGER), '0')` : `lower(hex(${a!.sql}))`),
  coalesce: (args, call) => {
    if (call.type === 'string') return `coalesce(${args.map(a => `nullif(${a.sql}, '')`).join(', ')}, '')`;
    return `coalesce(${args.map(a => a.sql).join(', ')})`;
  },
  isnan: ([a]) => `isnan(${a!.sql})`,
  isinf: ([a]) => `isinf(${a!.sql})`,
  isfinite: ([a]) => `isfinite(${a!.sql})`,
  isascii: ([a]) => `NOT regexp_matches(${a!.sql}, '[^\\x00-\\x7F]')`,
  gettype: ([a]) => (a!.type === 'dynamic'
    ? `CASE json_type(${a!.sql}) WHEN 'ARRAY' THEN 'array' WHEN 'OBJECT' THEN 'dictionary' WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN 'long' WHEN 'UBIGINT' THEN 'long' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' ELSE 'null' END`
    : `'${a!.type === 'bool' ? 'bool' : a!.type}'`),
  new_guid: () => 'uuid()',
  rand: ([n]) => (n ? `CAST(floor(random() * ${n.sql}) AS BIGINT)` : 'random()'),
};
