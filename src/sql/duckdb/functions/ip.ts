// DuckDB: IPv4 / IPv6 functions (parse, compare, ranges, formatting) and the IPv4 text matches
// (has_ipv4, has_ipv4_prefix...). Addresses are parsed by SQL macros: IPv4 as a BIGINT, IPv6 as a
// UHUGEINT (IPv4 addresses seen as IPv6 are ::ffff:a.b.c.d), with the prefix of IP-prefix notation.
import type { SqlArg } from '../../dialect.js';
import { stringListSql, toStringSql, type FunctionTable } from './common.js';

const str = (a: SqlArg | undefined) => (a ? toStringSql(a) : "''");

/** The longs of a prefix argument, or 32/128 when absent. */
const prefixArg = (a: SqlArg | undefined, dflt: number) => (a ? `CAST(${a.sql} AS BIGINT)` : String(dflt));

/** `body` with `name` bound to the value of `expr`, computed once (a lambda over a one-element list). */
const bind = (expr: string, name: string, body: string) => `list_transform([${expr}], ${name} -> ${body})[1]`;

const V4 = '%V4%';

export const IP_MACROS: Record<string, string> = {
  // {a, b, c, d, m} of "a.b.c.d[/m]", all '' when the text is not of that form.
  kql_ip4_parts: `(s) AS regexp_extract(trim(s), '^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,3}))?$', ['a', 'b', 'c', 'd', 'm'])`,
  kql_ip4_addr_of: `(p) AS CASE WHEN p.a = '' OR CAST(p.a AS INTEGER) > 255 OR CAST(p.b AS INTEGER) > 255 OR CAST(p.c AS INTEGER) > 255 OR CAST(p.d AS INTEGER) > 255
      OR (p.m <> '' AND CAST(p.m AS INTEGER) > 32) THEN NULL
    ELSE CAST(p.a AS BIGINT) * 16777216 + CAST(p.b AS BIGINT) * 65536 + CAST(p.c AS BIGINT) * 256 + CAST(p.d AS BIGINT) END`,
  /** {addr, prefix} of an IPv4 string "a.b.c.d[/n]" (prefix 32 without /n); both null if invalid. */
  kql_ip4_info: `(s) AS ${bind('kql_ip4_parts(s)', '__ip4p', bind('kql_ip4_addr_of(__ip4p)', '__ip4a',
    "{'addr': __ip4a, 'prefix': CASE WHEN __ip4a IS NULL THEN NULL WHEN __ip4p.m = '' THEN CAST(32 AS BIGINT) ELSE CAST(__ip4p.m AS BIGINT) END}"))}`,
  kql_ip4_addr: `(s) AS kql_ip4_info(s).addr`,
  kql_ip4_prefix: `(s) AS kql_ip4_info(s).prefix`,
  kql_ip4_mask: `(p) AS CASE WHEN p IS NULL OR p < 0 OR p > 32 THEN NULL WHEN p = 0 THEN 0 ELSE (4294967295 >> (32 - p)) << (32 - p) END`,
  kql_ip4_net: `(addr, p) AS addr & kql_ip4_mask(p)`,
  kql_ip4_text: `(n) AS CAST(n >> 24 AS VARCHAR) || '.' || CAST((n >> 16) & 255 AS VARCHAR) || '.' || CAST((n >> 8) & 255 AS VARCHAR) || '.' || CAST(n & 255 AS VARCHAR)`,
  /** An IPv4 string's address with its own prefix applied, further narrowed to `p` bits. */
  kql_ip4_masked: `(s, p) AS ${bind('kql_ip4_info(s)', '__ip4i', 'kql_ip4_net(__ip4i.addr, least(__ip4i.prefix, p))')}`,
  kql_ip4_compare: `(a, b, p) AS CASE WHEN p < 0 OR p > 32 THEN NULL ELSE ${bind("{'x': kql_ip4_info(a), 'y': kql_ip4_info(b)}", '__ip4c',
    bind('least(__ip4c.x.prefix, __ip4c.y.prefix, p)', '__ip4m', 'CAST(sign(kql_ip4_net(__ip4c.x.addr, __ip4m) - kql_ip4_net(__ip4c.y.addr, __ip4m)) AS BIGINT)'))} END`,
  kql_ip4_in_range: `(ip, r) AS (kql_ip4_compare(ip, r, 32) = 0)`,
  /** The words of a text that are IPv4 addresses (words are split at letters, digits and dots). */
  kql_ip4_words: `(s) AS list_filter(list_transform(regexp_split_to_array(s, '[^\\pL\\pN.]+'), __w -> rtrim(__w, '.')), __w -> regexp_full_match(__w, '${V4}') AND kql_ip4_addr(__w) IS NOT NULL)`,
  kql_has_ip4: `(s, ip) AS ${bind('kql_ip4_addr(ip)', '__hip4', `CASE WHEN __hip4 IS NULL OR contains(ip, '/') THEN false WHEN NOT contains(s, trim(ip)) THEN false
    ELSE coalesce(list_bool_or(list_transform(kql_ip4_words(s), __w -> kql_ip4_addr(__w) = __hip4)), false) END`)}`,
  /** A valid prefix is a whole address or 1-3 octets each followed by a dot. */
  kql_ip4_valid_prefix: `(p) AS (regexp_full_match(p, '${V4}') AND kql_ip4_addr(p) IS NOT NULL)
    OR (regexp_full_match(p, '(\\d{1,3}\\.){1,3}') AND list_bool_and(list_transform(string_split(rtrim(p, '.'), '.'), __o -> CAST(__o AS INTEGER) <= 255)))`,
  kql_has_ip4_prefix: `(s, p) AS CASE WHEN NOT kql_ip4_valid_prefix(p) THEN false WHEN NOT contains(s, p) THEN false
    ELSE coalesce(list_bool_or(list_transform(kql_ip4_words(s), __w -> CASE WHEN ends_with(p, '.') THEN starts_with(__w, p) ELSE __w = p END)), false) END`,
  kql_ip4_is_private: `(s) AS ${bind('kql_ip4_masked(s, 32)', 'ip4v', `CASE WHEN ip4v IS NULL THEN NULL ELSE
    (ip4v & 4278190080) = 167772160 OR (ip4v & 4293918720) = 2886729728 OR (ip4v & 4294901760) = 3232235520 END`)}`,
  /** The CIDR blocks that exactly cover the addresses a..b. */
  kql_ip4_range_cidrs: `(a, b) AS CASE WHEN a IS NULL OR b IS NULL OR a > b THEN NULL ELSE list_reduce(list_transform(range(64), __i -> {'cur': CAST(NULL AS BIGINT), 'out': CAST(NULL AS VARCHAR[])}),
      (__st, __i) -> CASE WHEN __st.cur > b THEN __st ELSE ${bind('least(CASE WHEN __st.cur = 0 THEN 32 ELSE CAST(log2(__st.cur & -__st.cur) AS BIGINT) END, CAST(floor(log2(b - __st.cur + 1)) AS BIGINT))', '__bits',
        "{'cur': __st.cur + (CAST(1 AS BIGINT) << __bits), 'out': list_append(__st.out, kql_ip4_text(__st.cur) || '/' || CAST(32 - __bits AS VARCHAR))}")} END,
      {'cur': CAST(a AS BIGINT), 'out': CAST([] AS VARCHAR[])}).out END`,
  // ---- IPv6: UHUGEINT values
  kql_ip6_max: `() AS CAST('340282366920938463463374607431768211455' AS UHUGEINT)`,
  /** {a, m}: the address text and its /prefix ('' when absent). */
  kql_ip6_parts: `(s) AS regexp_extract(trim(s), '^([^/]+)(?:/(\\d{1,3}))?$', ['a', 'm'])`,
  /** The eight 16-bit groups of an IPv6 text (an embedded trailing IPv4 becomes two groups), or null. */
  kql_ip6_groups: `(a) AS ${bind(`CASE WHEN regexp_matches(a, ':${V4}$')
        THEN ${bind(`kql_ip4_addr(regexp_extract(a, '${V4}$', 1))`, '__ip6n', `regexp_replace(a, '${V4}$', '') || printf('%x:%x', __ip6n >> 16, __ip6n & 65535)`)}
        ELSE a END`, '__ip6t', `CASE
      WHEN __ip6t IS NULL OR NOT contains(__ip6t, ':') THEN NULL
      WHEN len(string_split(__ip6t, '::')) > 2 THEN NULL
      WHEN contains(__ip6t, '::') THEN ${bind(`[CASE WHEN split_part(__ip6t, '::', 1) = '' THEN [] ELSE string_split(split_part(__ip6t, '::', 1), ':') END,
          CASE WHEN split_part(__ip6t, '::', 2) = '' THEN [] ELSE string_split(split_part(__ip6t, '::', 2), ':') END]`,
          '__ip6h', "CASE WHEN len(__ip6h[1]) + len(__ip6h[2]) > 7 THEN NULL ELSE list_concat(__ip6h[1], list_transform(range(8 - len(__ip6h[1]) - len(__ip6h[2])), __z -> '0'), __ip6h[2]) END")}
      ELSE string_split(__ip6t, ':') END`)}`,
  kql_ip6_value: `(g) AS CASE WHEN g IS NULL OR len(g) <> 8 OR NOT list_bool_and(list_transform(g, __x -> regexp_full_match(__x, '[0-9a-fA-F]{1,4}'))) THEN NULL
    ELSE list_reduce(list_transform(g, __x -> CAST(CAST('0x' || __x AS INTEGER) AS UHUGEINT)), (__acc, __x) -> __acc * CAST(65536 AS UHUGEINT) + __x) END`,
  /** The IPv4 part of an IPv4 text, or of ::a.b.c.d and ::ffff:a.b.c.d (both read as IPv4-mapped); else null. */
  kql_ip6_v4: `(a) AS nullif(regexp_extract(a, '^(?:::(?:[fF]{4}:)?)?${V4}$', 1), '')`,
  /** {addr, prefix} of an IPv6 (or IPv4, as ::ffff:a.b.c.d) string with optional /n; both null if invalid. */
  kql_ip6_info: `(s) AS ${bind('kql_ip6_parts(s)', '__ip6p', bind('kql_ip6_v4(__ip6p.a)', '__ip6v4',
    bind('CASE WHEN __ip6v4 IS NOT NULL THEN CAST(281470681743360 + kql_ip4_addr(__ip6v4) AS UHUGEINT) ELSE kql_ip6_value(kql_ip6_groups(__ip6p.a)) END', '__ip6a',
      `{'addr': __ip6a, 'prefix': CASE WHEN __ip6a IS NULL THEN NULL
        WHEN __ip6v4 IS NOT NULL THEN (CASE WHEN __ip6p.m = '' THEN 128 WHEN CAST(__ip6p.m AS INTEGER) > 32 THEN NULL ELSE 96 + CAST(__ip6p.m AS BIGINT) END)
        WHEN __ip6p.m = '' THEN 128 WHEN CAST(__ip6p.m AS INTEGER) > 128 THEN NULL ELSE CAST(__ip6p.m AS BIGINT) END}`)))}`,
  kql_ip6_mask: `(p) AS CASE WHEN p IS NULL OR p < 0 OR p > 128 THEN NULL WHEN p = 0 THEN CAST(0 AS UHUGEINT) ELSE (kql_ip6_max() >> CAST(128 - p AS UHUGEINT)) << CAST(128 - p AS UHUGEINT) END`,
  kql_ip6_net: `(v, p) AS v & kql_ip6_mask(p)`,
  kql_ip6_masked: `(s, p) AS ${bind('kql_ip6_info(s)', '__ip6i', 'kql_ip6_net(__ip6i.addr, least(__ip6i.prefix, p))')}`,
  kql_ip6_text: `(v) AS array_to_string(list_transform(range(7, -1, -1), __i -> lower(lpad(hex(CAST((v >> CAST(16 * __i AS UHUGEINT)) & CAST(65535 AS UHUGEINT) AS INTEGER)), 4, '0'))), ':')`,
  kql_ip6_cmp: `(x, y) AS CASE WHEN x IS NULL OR y IS NULL THEN NULL WHEN x > y THEN 1 WHEN x < y THEN -1 ELSE 0 END`,
  kql_ip6_compare: `(a, b, p) AS CASE WHEN p < 0 OR p > 128 THEN NULL ELSE ${bind("{'x': kql_ip6_info(a), 'y': kql_ip6_info(b)}", '__ip6c',
    bind('least(__ip6c.x.prefix, __ip6c.y.prefix, p)', '__ip6m', 'CAST(kql_ip6_cmp(kql_ip6_net(__ip6c.x.addr, __ip6m), kql_ip6_net(__ip6c.y.addr, __ip6m)) AS BIGINT)'))} END`,
  kql_ip6_in_range: `(ip, r) AS (kql_ip6_compare(ip, r, 128) = 0)`,
};

for (const k of Object.keys(IP_MACROS)) IP_MACROS[k] = IP_MACROS[k]!.split(V4).join('(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})');

/** ipv4_is_in_any_range / ipv6_is_in_any_range: ranges given as strings or dynamic arrays of strings. */
function inAnyRange(fn: string): FunctionTable[string] {
  return ([ip, ...ranges]) => {
    const list = stringListSql(ranges);
    return `CASE WHEN ${fn === 'kql_ip4_in_range' ? 'kql_ip4_info' : 'kql_ip6_info'}(${str(ip)}).addr IS NULL THEN NULL ELSE coalesce(list_bool_or(list_transform(${list}, __r -> ${fn}(${str(ip)}, __r))), false) END`;
  };
}

function hasAny(fn: string): FunctionTable[string] {
  return ([source, ...needles]) => `coalesce(list_bool_or(list_transform(${stringListSql(needles)}, __n -> ${fn}(${str(source)}, __n))), false)`;
}

export const IP_FUNCTIONS: FunctionTable = {
  parse_ipv4: ([ip]) => `kql_ip4_masked(${str(ip)}, 32)`,
  parse_ipv4_mask: ([ip, p]) => `CASE WHEN ${prefixArg(p, 32)} BETWEEN 0 AND 32 THEN kql_ip4_masked(${str(ip)}, ${prefixArg(p, 32)}) ELSE NULL END`,
  ipv4_compare: ([a, b, p]) => `kql_ip4_compare(${str(a)}, ${str(b)}, ${prefixArg(p, 32)})`,
  ipv4_is_match: ([a, b, p]) => `(kql_ip4_compare(${str(a)}, ${str(b)}, ${prefixArg(p, 32)}) = 0)`,
  ipv4_is_in_range: ([ip, r]) => `kql_ip4_in_range(${str(ip)}, ${str(r)})`,
  ipv4_is_in_any_range: inAnyRange('kql_ip4_in_range'),
  ipv4_is_private: ([ip]) => `kql_ip4_is_private(${str(ip)})`,
  ipv4_netmask_suffix: ([ip]) => `CAST(kql_ip4_prefix(${str(ip)}) AS INTEGER)`,
  ipv4_range_to_cidr_list: ([a, b]) => `to_json(kql_ip4_range_cidrs(kql_ip4_addr(${str(a)}), kql_ip4_addr(${str(b)})))`,
  format_ipv4: ([ip, p]) => {
    const bits = prefixArg(p, 32);
    const addr = ip!.type === 'string' || ip!.type === 'dynamic'
      ? `kql_ip4_masked(${str(ip)}, ${bits})`
      : `CASE WHEN ${ip!.sql} BETWEEN 0 AND 4294967295 THEN kql_ip4_net(CAST(${ip!.sql} AS BIGINT), ${bits}) END`;
    return `coalesce(CASE WHEN ${bits} BETWEEN 0 AND 32 THEN kql_ip4_text(${addr}) END, '')`;
  },
  format_ipv4_mask: ([ip, p]) => {
    const bits = prefixArg(p, 32);
    const isText = ip!.type === 'string' || ip!.type === 'dynamic';
    const addr = isText
      ? `kql_ip4_masked(${str(ip)}, ${bits})`
      : `CASE WHEN ${ip!.sql} BETWEEN 0 AND 4294967295 THEN kql_ip4_net(CAST(${ip!.sql} AS BIGINT), ${bits}) END`;
    const len = isText ? `least(kql_ip4_prefix(${str(ip)}), ${bits})` : bits;
    return `coalesce(CASE WHEN ${bits} BETWEEN 0 AND 32 THEN kql_ip4_text(${addr}) || '/' || CAST(${len} AS VARCHAR) END, '')`;
  },
  has_ipv4: ([s, ip]) => `kql_has_ip4(${str(s)}, ${str(ip)})`,
  has_ipv4_prefix: ([s, p]) => `kql_has_ip4_prefix(${str(s)}, ${str(p)})`,
  has_any_ipv4: hasAny('kql_has_ip4'),
  has_any_ipv4_prefix: hasAny('kql_has_ip4_prefix'),
  parse_ipv6: ([ip]) => `coalesce(kql_ip6_text(kql_ip6_masked(${str(ip)}, 128)), '')`,
  parse_ipv6_mask: ([ip, p]) => `coalesce(CASE WHEN ${prefixArg(p, 128)} BETWEEN 0 AND 128 THEN kql_ip6_text(kql_ip6_masked(${str(ip)}, ${prefixArg(p, 128)})) END, '')`,
  ipv6_compare: ([a, b, p]) => `kql_ip6_compare(${str(a)}, ${str(b)}, ${prefixArg(p, 128)})`,
  ipv6_is_match: ([a, b, p]) => `(kql_ip6_compare(${str(a)}, ${str(b)}, ${prefixArg(p, 128)}) = 0)`,
  ipv6_is_in_range: ([ip, r]) => `kql_ip6_in_range(${str(ip)}, ${str(r)})`,
  ipv6_is_in_any_range: inAnyRange('kql_ip6_in_range'),
};
