// DuckDB: Punycode (RFC 3492 Bootstring) encoding and decoding of strings and of domain names
// (IDNA labels with the "xn--" prefix). The encoder and decoder are SQL macros folding over the
// code points; failures give "".
import type { SqlArg } from '../../dialect.js';
import { bind } from './arrays.js';
import { toStringSql, type FunctionTable } from './common.js';

const str = (a: SqlArg | undefined) => (a ? toStringSql(a) : "''");

const B = (x: string) => `CAST(${x} AS BIGINT)`;
/** The encoder's state: n, delta, bias, h, out (and the event fields m, j, all typed). */
const encState = (n: string, delta: string, bias: string, h: string, out: string) =>
  `{'n': ${B(n)}, 'delta': ${B(delta)}, 'bias': ${B(bias)}, 'h': ${B(h)}, 'out': CAST(${out} AS VARCHAR), 'm': CAST(NULL AS BIGINT), 'j': CAST(NULL AS BIGINT)}`;
/** The decoder's state. */
const decState = (n: string, i: string, bias: string, out: string, oldi: string, w: string, k: string, ok: string) =>
  `{'n': ${B(n)}, 'i': ${B(i)}, 'bias': ${B(bias)}, 'out': CAST(${out} AS BIGINT[]), 'oldi': ${B(oldi)}, 'w': ${B(w)}, 'k': ${B(k)}, 'ok': CAST(${ok} AS BOOLEAN), 'd': CAST(NULL AS BIGINT)}`;

export const PUNYCODE_MACROS: Record<string, string> = {
  kql_puny_adapt: `(delta, numpoints, first) AS ${bind('CASE WHEN first THEN delta // 700 ELSE delta // 2 END', '__pa0', bind('__pa0 + __pa0 // numpoints', '__pa1',
    bind(`list_reduce(list_concat([{'d': CAST(__pa1 AS BIGINT), 'k': CAST(0 AS BIGINT)}], list_transform(range(12), __i -> {'d': CAST(NULL AS BIGINT), 'k': CAST(NULL AS BIGINT)})),
      (__a, __e) -> CASE WHEN __a.d > 455 THEN {'d': __a.d // 35, 'k': __a.k + 36} ELSE __a END)`, '__pa2', '__pa2.k + (36 * __pa2.d) // (__pa2.d + 38)')))}`,
  kql_puny_digit: `(d) AS CASE WHEN d < 26 THEN chr(CAST(97 + d AS INTEGER)) ELSE chr(CAST(22 + d AS INTEGER)) END`,
  kql_puny_threshold: `(k, bias) AS CASE WHEN k <= bias THEN 1 WHEN k >= bias + 26 THEN 26 ELSE k - bias END`,
  /** The variable-length digits of q. */
  kql_puny_digits: `(q, bias) AS list_reduce(list_concat([{'q': CAST(q AS BIGINT), 'k': CAST(36 AS BIGINT), 's': '', 'done': false}],
      list_transform(range(14), __i -> {'q': CAST(NULL AS BIGINT), 'k': CAST(NULL AS BIGINT), 's': CAST(NULL AS VARCHAR), 'done': CAST(NULL AS BOOLEAN)})),
    (__a, __e) -> CASE WHEN __a.done THEN __a ELSE ${bind('kql_puny_threshold(__a.k, bias)', '__pt',
      `CASE WHEN __a.q < __pt THEN {'q': CAST(0 AS BIGINT), 'k': CAST(0 AS BIGINT), 's': __a.s || kql_puny_digit(__a.q), 'done': true}
        ELSE {'q': (__a.q - __pt) // (36 - __pt), 'k': __a.k + 36, 's': __a.s || kql_puny_digit(__pt + (__a.q - __pt) % (36 - __pt)), 'done': false} END`)} END).s`,
  kql_puny_encode: `(s) AS ${bind("list_transform(string_split(s, ''), __c -> CAST(unicode(__c) AS BIGINT))", '__pc', bind('len(list_filter(__pc, __c -> __c < 128))', '__pb',
    `CASE WHEN s = '' THEN '' ELSE list_reduce(list_concat([${encState('128', '0', '72', '__pb',
      "array_to_string(list_transform(list_filter(__pc, __c -> __c < 128), __c -> chr(CAST(__c AS INTEGER))), '') || CASE WHEN __pb > 0 THEN '-' ELSE '' END")}],
      flatten(list_transform(list_sort(list_distinct(list_filter(__pc, __c -> __c >= 128))), __m -> list_transform(range(1, len(__pc) + 1),
        __j -> {'n': CAST(NULL AS BIGINT), 'delta': CAST(NULL AS BIGINT), 'bias': CAST(NULL AS BIGINT), 'h': CAST(NULL AS BIGINT), 'out': CAST(NULL AS VARCHAR), 'm': CAST(__m AS BIGINT), 'j': CAST(__j AS BIGINT)})))),
      (__st, __e) -> ${bind(`CASE WHEN __e.j = 1 THEN ${encState('__e.m', '__st.delta + (__e.m - __st.n) * (__st.h + 1)', '__st.bias', '__st.h', '__st.out')} ELSE __st END`, '__s1',
        bind(`CASE WHEN __pc[__e.j] < __s1.n THEN ${encState('__s1.n', '__s1.delta + 1', '__s1.bias', '__s1.h', '__s1.out')}
          WHEN __pc[__e.j] = __s1.n THEN ${encState('__s1.n', '0', 'kql_puny_adapt(__s1.delta, __s1.h + 1, __s1.h = __pb)', '__s1.h + 1', '__s1.out || kql_puny_digits(__s1.delta, __s1.bias)')}
          ELSE __s1 END`, '__s2',
          `CASE WHEN __e.j = len(__pc) THEN ${encState('__s2.n + 1', '__s2.delta + 1', '__s2.bias', '__s2.h', '__s2.out')} ELSE __s2 END`))}).out END`))}`,
  kql_puny_decode: `(s) AS ${bind("CASE WHEN contains(s, '-') THEN {'basic': left(s, strpos(reverse(s), '-') * -1 + length(s)), 'rest': right(s, strpos(reverse(s), '-') - 1)} ELSE {'basic': '', 'rest': s} END", '__pd',
    bind(`list_reduce(list_concat([${decState('128', '0', '72', "list_transform(string_split(__pd.basic, ''), __c -> CAST(unicode(__c) AS BIGINT))", '0', '1', '36', 'NOT regexp_matches(__pd.basic, \'[^\\x00-\\x7F]\')')}],
        list_transform(string_split(__pd.rest, ''), __c -> {'n': CAST(NULL AS BIGINT), 'i': CAST(NULL AS BIGINT), 'bias': CAST(NULL AS BIGINT), 'out': CAST(NULL AS BIGINT[]), 'oldi': CAST(NULL AS BIGINT),
          'w': CAST(NULL AS BIGINT), 'k': CAST(NULL AS BIGINT), 'ok': CAST(NULL AS BOOLEAN),
          'd': CAST(CASE WHEN __c BETWEEN 'a' AND 'z' THEN unicode(__c) - 97 WHEN __c BETWEEN 'A' AND 'Z' THEN unicode(__c) - 65 WHEN __c BETWEEN '0' AND '9' THEN unicode(__c) - 22 END AS BIGINT)})),
      (__st, __e) -> CASE WHEN NOT __st.ok OR __e.d IS NULL THEN ${decState('__st.n', '__st.i', '__st.bias', '__st.out', '__st.oldi', '__st.w', '__st.k', 'false')} ELSE
        ${bind('__st.i + __e.d * __st.w', '__pi', bind('kql_puny_threshold(__st.k, __st.bias)', '__pt',
          `CASE WHEN __e.d >= __pt THEN ${decState('__st.n', '__pi', '__st.bias', '__st.out', '__st.oldi', '__st.w * (36 - __pt)', '__st.k + 36', 'true')}
            ELSE ${bind('len(__st.out) + 1', '__pl', bind('__st.n + __pi // __pl', '__pn', bind('__pi % __pl', '__pp',
              decState('__pn', '__pp + 1', 'kql_puny_adapt(__pi - __st.oldi, __pl, __st.oldi = 0)', 'list_concat(list_slice(__st.out, 1, __pp), [__pn], list_slice(__st.out, __pp + 1, len(__st.out)))',
                '__pp + 1', '1', '36', '__pn < 1114112'))))} END`))} END)`, '__pr',
      "CASE WHEN __pr.ok AND __pr.w = 1 THEN array_to_string(list_transform(__pr.out, __c -> chr(CAST(__c AS INTEGER))), '') ELSE '' END"))}`,
  /** Domain labels are split at the IDNA full stops (. 。 ｡ ．). */
  kql_puny_domain_encode: `(d) AS array_to_string(list_transform(regexp_split_to_array(d, '[.\u3002\uff61\uff0e]'), __l -> CASE WHEN regexp_matches(__l, '[^\\x00-\\x7F]') THEN 'xn--' || kql_puny_encode(__l) ELSE __l END), '.')`,
  kql_puny_domain_decode: `(d) AS array_to_string(list_transform(string_split(d, '.'), __l -> CASE WHEN lower(left(__l, 4)) = 'xn--' THEN kql_puny_decode(substr(__l, 5)) ELSE __l END), '.')`,
};

export const PUNYCODE_FUNCTIONS: FunctionTable = {
  punycode_from_string: ([a]) => `coalesce(kql_puny_encode(${str(a)}), '')`,
  punycode_to_string: ([a]) => `coalesce(kql_puny_decode(${str(a)}), '')`,
  punycode_domain_to_string: ([a]) => `coalesce(kql_puny_domain_encode(${str(a)}), '')`,
  punycode_domain_from_string: ([a]) => `coalesce(kql_puny_domain_decode(${str(a)}), '')`,
};
