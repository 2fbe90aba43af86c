// DuckDB: String functions. Kusto strings are never null: a missing string is "", and functions
// that take strings convert other scalar types with tostring() first.
import type { SqlArg } from '../../dialect.js';
import { bind } from './arrays.js';
import { constString, constValue, s, stringListSql, toStringSql, type FunctionTable } from './common.js';

const str = (a: SqlArg | undefined) => (a ? toStringSql(a) : "''");
const int = (a: SqlArg) => `CAST(${a.sql} AS BIGINT)`;

export const STRING_MACROS: Record<string, string> = {
  /** The elements of a JSON array that are strings (other elements become null). */
  kql_json_strings: `(j) AS list_transform(kql_list(j), __x -> CASE WHEN json_type(__x) = 'VARCHAR' THEN json_extract_string(__x, '$') END)`,
  /**
   * indexof(s, m, start, length, occurrence): the occurrence-th match at or after start (a negative
   * start counts from the end); each search looks at `length` characters (-1: all) from where the
   * previous match started + 1. -1 when not found, null for a bad length or occurrence.
   */
  kql_indexof: `(s, m, st, ln, occ) AS ${bind("{'s': s, 'm': m, 'st': CAST(st AS BIGINT), 'ln': CAST(ln AS BIGINT), 'occ': CAST(occ AS BIGINT)}", '__io',
    `CASE WHEN __io.occ < 0 OR __io.ln < -1 THEN NULL ELSE ${bind('CASE WHEN __io.st < 0 THEN greatest(length(__io.s) + __io.st, 0) ELSE __io.st END', '__ist',
      `CASE WHEN __ist > length(__io.s) THEN -1 ELSE ${bind('list_filter(range(__ist, length(__io.s) - length(__io.m) + 1), __p -> substr(__io.s, __p + 1, length(__io.m)) = __io.m)', '__ips',
        `list_reduce(list_concat([{'w': __ist, 'r': CAST(-2 AS BIGINT)}], list_transform(range(greatest(__io.occ, 1)), __k -> {'w': CAST(NULL AS BIGINT), 'r': CAST(NULL AS BIGINT)})),
          (__a, __b) -> CASE WHEN __a.r = -1 THEN __a ELSE ${bind('list_filter(__ips, __p -> __p >= __a.w AND (__io.ln = -1 OR __p + length(__io.m) <= __a.w + __io.ln))[1]', '__f',
            "{'w': __f + 1, 'r': coalesce(__f, -1)}")} END).r`)} END`)} END`)}`,
  /** Occurrences of m in s, overlapping ones included. */
  kql_countof: `(s, m) AS ${bind("{'s': s, 'm': m}", '__co', "CASE WHEN __co.m = '' THEN 0 ELSE len(list_filter(range(0, length(__co.s) - length(__co.m) + 1), __p -> substr(__co.s, __p + 1, length(__co.m)) = __co.m)) END")}`,
  /**
   * replace_strings: each lookup in turn replaces its matches in the text that earlier lookups
   * left unreplaced; replacements are never matched again. A lookup without a (string)
   * rewrite still claims its matches, unchanged.
   */
  kql_replace_strings: `(text, looks, reps) AS array_to_string(list_transform(list_reduce(list_concat([{'segs': [{'t': text, 'f': false}], 'l': CAST(NULL AS VARCHAR), 'r': CAST(NULL AS VARCHAR)}],
      list_transform(looks, (__l, __i) -> {'segs': CAST(NULL AS STRUCT(t VARCHAR, f BOOLEAN)[]), 'l': __l, 'r': coalesce(reps[__i], __l)})),
    (__acc, __e) -> {'segs': flatten(list_transform(__acc.segs, __g -> CASE WHEN __g.f OR __e.l IS NULL OR __e.l = '' THEN [__g] ELSE
        ${bind("string_split(__g.t, __e.l)", '__pcs', "flatten(list_transform(__pcs, (__pc, __j) -> CASE WHEN __j < len(__pcs) THEN [{'t': __pc, 'f': false}, {'t': __e.r, 'f': true}] ELSE [{'t': __pc, 'f': false}] END))")} END)),
      'l': CAST(NULL AS VARCHAR), 'r': CAST(NULL AS VARCHAR)}).segs, __g -> __g.t), '')`,
  /** The fields of the first record of CSV text ("" escapes a quote inside a quoted field). */
  kql_parse_csv: `(s) AS ${bind(`regexp_extract(s, '^((?:"(?:[^"]|"")*"|[^"\\r\\n])*)', 1)`, '__rec',
    `list_transform(regexp_extract_all(',' || __rec, ',("(?:[^"]|"")*"|[^,]*)', 1), __f -> CASE WHEN starts_with(__f, '"') AND ends_with(__f, '"') AND length(__f) >= 2
      THEN replace(substr(__f, 2, length(__f) - 2), '""', '"') ELSE __f END)`)}`,
};

/** Whether a search string can overlap itself (then occurrences may overlap). */
function selfOverlaps(m: string): boolean {
  for (let k = 1; k < m.length; k++) if (m.slice(0, k) === m.slice(m.length - k)) return true;
  return false;
}

/** Capture groups of an RE2 pattern: their count and the index of each named group. */
export function regexGroups(pattern: string): { count: number; names: Map<string, number> } {
  let count = 0;
  const names = new Map<string, number>();
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (c !== '(') continue;
    if (pattern[i + 1] !== '?') {
      count++;
      continue;
    }
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(i));
    if (named) {
      count++;
      names.set(named[1]!, count);
    }
  }
  return { count, names };
}

export const STRINGS_FUNCTIONS: FunctionTable = {
  strlen: ([a]) => `CAST(length(${str(a)}) AS BIGINT)`,
  tolower: ([a]) => `lower(${str(a)})`,
  toupper: ([a]) => `upper(${str(a)})`,
  strcat: args => (args.length === 0 ? "''" : `concat(${args.map(toStringSql).join(', ')})`),
  strcat_delim: ([d, ...rest]) => `concat_ws(${toStringSql(d!)}, ${rest.map(toStringSql).join(', ')})`,
  substring: ([src, start, len]) => bind(str(src), '__ss', bind(`CASE WHEN ${int(start!)} < 0 THEN greatest(length(__ss) + ${int(start!)}, 0) ELSE ${int(start!)} END`, '__sst',
    len ? `coalesce(substr(__ss, __sst + 1, greatest(${int(len)}, 0)), '')` : "coalesce(substr(__ss, __sst + 1), '')")),
  replace_string: ([a, b, c]) => `replace(${str(a)}, ${str(b)}, ${str(c)})`,
  replace_regex: ([a, re, rep]) => `regexp_replace(${str(a)}, ${str(re)}, ${str(rep)}, 'g')`,
  replace: ([re, rep, a]) => `regexp_replace(${str(a)}, ${str(re)}, ${str(rep)}, 'g')`,
  // Array elements that are not strings are ignored.
  replace_strings: ([text, looks, reps]) => `kql_replace_strings(${str(text)}, kql_json_strings(${looks!.sql}), kql_json_strings(${reps!.sql}))`,
  translate: ([search, repl, src]) => bind(`{'s': ${str(search)}, 'r': ${str(repl)}}`, '__tr',
    `CASE WHEN __tr.r = '' THEN translate(${str(src)}, __tr.s, '') ELSE translate(${str(src)}, __tr.s, rpad(__tr.r, CAST(greatest(length(__tr.s), length(__tr.r)) AS INTEGER), right(__tr.r, 1))) END`),
  trim: ([re, a]) => `regexp_replace(${str(a)}, '^(?:' || ${str(re)} || ')+|(?:' || ${str(re)} || ')+$', '', 'g')`,
  trim_start: ([re, a]) => `regexp_replace(${str(a)}, '^(?:' || ${str(re)} || ')+', '')`,
  trim_end: ([re, a]) => `regexp_replace(${str(a)}, '(?:' || ${str(re)} || ')+$', '')`,
  reverse: ([a]) => `reverse(${str(a)})`,
  strcmp: ([a, b]) => `CASE WHEN ${str(a)} < ${str(b)} THEN -1 WHEN ${str(a)} > ${str(b)} THEN 1 ELSE 0 END`,
  indexof: ([a, lookup, start, length, occurrence]) => {
    if (!start) return `(strpos(${str(a)}, ${str(lookup)}) - 1)`;
    return `kql_indexof(${str(a)}, ${str(lookup)}, ${start.sql}, ${length ? length.sql : '-1'}, ${occurrence ? occurrence.sql : '1'})`;
  },
  indexof_regex: ([a, re, start, length, occurrence]) => {
    const st = start ? int(start) : '0';
    const ln = length ? int(length) : '-1';
    const occ = occurrence ? int(occurrence) : '1';
    // The occurrence-th (non-overlapping) match in the window [start, start + length).
    return bind(`{'s': ${str(a)}, 'r': ${str(re)}}`, '__ir', `CASE WHEN ${st} < 0 OR ${ln} < -1 OR ${occ} < 0 THEN NULL ELSE ${bind(
      `CASE WHEN ${ln} = -1 THEN substr(__ir.s, ${st} + 1) ELSE substr(__ir.s, ${st} + 1, ${ln}) END`, '__iw',
      bind("{'m': regexp_extract_all(__iw, __ir.r, 0), 'p': regexp_split_to_array(__iw, __ir.r)}", '__ix',
        `CASE WHEN len(__ix.m) < greatest(${occ}, 1) THEN -1 ELSE ${st} + list_sum(list_transform(range(greatest(${occ}, 1)), __k -> length(__ix.p[__k + 1])))
          + coalesce(list_sum(list_transform(range(greatest(${occ}, 1) - 1), __k -> length(__ix.m[__k + 1]))), 0) END`))} END`);
  },
  countof: ([a, search, kind]) => {
    const k = kind ? constString(kind) : 'normal';
    if (k === 'regex') return `CAST(len(regexp_extract_all(${str(a)}, ${str(search)}, 0)) AS BIGINT)`;
    const m = constString(search);
    if (m !== undefined && m !== '' && !selfOverlaps(m)) return `CAST((length(${str(a)}) - length(replace(${str(a)}, ${str(search)}, ''))) // ${m.length} AS BIGINT)`;
    if (kind && k === undefined) {
      return `CAST(CASE WHEN ${kind.sql} = 'regex' THEN len(regexp_extract_all(${str(a)}, ${str(search)}, 0)) ELSE kql_countof(${str(a)}, ${str(search)}) END AS BIGINT)`;
    }
    return `CAST(kql_countof(${str(a)}, ${str(search)}) AS BIGINT)`;
  },
  extract: ([re, group, text]) => `regexp_extract(${str(text)}, ${str(re)}, CAST(${group!.sql} AS INTEGER))`,
  extract_all: ([re, a, b]) => {
    const text = str(b ?? a);
    const pattern = constString(re);
    const groupsArg = b ? a : undefined;
    const info = pattern !== undefined ? regexGroups(pattern) : undefined;
    const matches = (g: string) => `regexp_extract_all(__et, __er, ${g})`;
    const wrap = (body: string) => bind(`{'t': ${text}, 'r': ${str(re)}}`, '__ex',
      `CASE WHEN regexp_matches(__ex.t, __ex.r) THEN ${body.replace(/__et/g, '__ex.t').replace(/__er/g, '__ex.r')} ELSE NULL END`);
    const tuples = (groups: string[]) => bind(`[${groups.map(matches).join(', ')}]`, '__eg',
      'to_json(list_transform(range(len(__eg[1])), __i -> list_transform(__eg, __l -> __l[__i + 1])))');
    if (groupsArg) {
      // Selected groups, by number or by name: an array of arrays.
      const sel = constValue(groupsArg);
      let groups: string[] | undefined;
      if (typeof sel === 'string' && info) {
        try {
          const parsed: unknown = JSON.parse(sel);
          if (Array.isArray(parsed)) groups = parsed.map(g => String(typeof g === 'string' ? (info.names.get(g) ?? -1) : g));
        } catch {
          groups = undefined;
        }
      }
      if (groups && groups.every(g => Number(g) >= 0)) return wrap(tuples(groups));
      return wrap(`to_json(regexp_extract_all(__et, __er, CAST(json_extract(${groupsArg.sql}, '$[0]') AS INTEGER)))`);
    }
    if (info) {
      if (info.count <= 1) return wrap(`to_json(${matches(String(info.count))})`);
      return wrap(tuples(Array.from({ length: info.count }, (_, i) => String(i + 1))));
    }
    // A pattern known only at run time: its first group when it has one, else the whole match.
    return wrap(`to_json(${matches("CASE WHEN regexp_matches(replace(__er, '(?', ''), '\\(') THEN 1 ELSE 0 END")})`);
  },
  split: ([a, d, index]) => {
    const list = `string_split(${str(a)}, ${str(d)})`;
    if (index) return bind(list, '__sp', `to_json(CASE WHEN ${int(index)} >= 0 AND ${int(index)} < len(__sp) THEN [__sp[${int(index)} + 1]] ELSE [] END)`);
    return `to_json(${list})`;
  },
  strcat_array: ([arr, d]) => `coalesce(array_to_string(list_transform(kql_list(${arr!.sql}), __x -> kql_dynamic_tostring(__x)), ${str(d)}), '')`,
  strrep: ([a, n, d]) => {
    const count = `greatest(${int(n!)}, 0)`;
    return d ? `array_to_string(list_transform(range(${count}), __i -> ${toStringSql(a!)}), ${str(d)})` : `repeat(${toStringSql(a!)}, ${count})`;
  },
  has_any_index: ([src, values]) => `CAST(coalesce(list_position(list_transform(${stringListSql([values!])}, __v -> kql_has(${str(src)}, __v)), true), 0) - 1 AS BIGINT)`,
  regex_quote: ([a]) => `regexp_replace(${str(a)}, '([.*+?^$|(){}\\[\\]\\\\])', '\\\\\\1', 'g')`,
  tohex: ([a, len]) => (len ? `lpad(lower(hex(${a!.sql})), CAST(${len.sql} AS INTEGER), '0')` : `lower(hex(${a!.sql}))`),
  coalesce: (args, call) => {
    if (call.type === 'string') return `coalesce(${args.map(a => `nullif(${a.sql}, '')`).join(', ')}, '')`;
    return `coalesce(${args.map(a => a.sql).join(', ')})`;
  },
  isnan: ([a]) => `isnan(${a!.sql})`,
  isinf: ([a]) => `isinf(${a!.sql})`,
  isfinite: ([a]) => `isfinite(${a!.sql})`,
  isascii: ([a]) => `NOT regexp_matches(${s(a)}, '[^\\x00-\\x7F]')`,
  gettype: ([a]) => (a!.type === 'dynamic'
    ? `CASE json_type(${a!.sql}) WHEN 'ARRAY' THEN 'array' WHEN 'OBJECT' THEN 'dictionary' WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN 'long' WHEN 'UBIGINT' THEN 'long' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' ELSE 'null' END`
    : `'${a!.type === 'bool' ? 'bool' : a!.type}'`),
  new_guid: () => 'uuid()',
  // assert(): true, or the query fails with the message.
  assert: ([c, msg]) => `CASE WHEN ${c!.sql} THEN true ELSE error('assertion failed: ' || ${str(msg)}) END`,
  rand: ([n]) => (n ? `CAST(floor(random() * ${n.sql}) AS BIGINT)` : 'random()'),
};
