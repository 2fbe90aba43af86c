// DuckDB: encodings and hashes: base64, URL encoding, Unicode code points, and Kusto's hash()
// (XXH64 of the value's bytes, seed 0), computed in SQL on the hex text of the bytes.
import type { SqlArg } from '../../dialect.js';
import { bind } from './arrays.js';
import { toStringSql, type FunctionTable } from './common.js';

const str = (a: SqlArg | undefined) => (a ? toStringSql(a) : "''");

const P1 = '11400714785074694791';
const P2 = '14029467366897019727';
const P3 = '1609587929392839161';
const P4 = '9650029242287828579';
const P5 = '2870177450012600261';
const U = (n: string | number) => `CAST(${n} AS UBIGINT)`;

/** The little-endian word of `bytes` hex digits at byte offset `off` of the hex text `h`. */
function leWord(h: string, off: string, bytes: number): string {
  const parts: string[] = [];
  for (let k = bytes - 1; k >= 0; k--) parts.push(`substr(${h}, 2 * (${off}) + ${2 * k + 1}, 2)`);
  return `CAST('0x' || ${parts.join(' || ')} AS UBIGINT)`;
}

/** The CRC-32 (IEEE) table, as a SQL list literal. */
const CRC_TABLE = `CAST([0, 1996959894, 3993919788, 2567524794, 124634137, 1886057615, 3915621685, 2657392035, 249268274, 2044508324, 3772115230, 2547177864, 162941995, 2125561021, 3887607047, 2428444049, 498536548, 1789927666, 4089016648, 2227061214, 450548861, 1843258603, 4107580753, 2211677639, 325883990, 1684777152, 4251122042, 2321926636, 335633487, 1661365465, 4195302755, 2366115317, 997073096, 1281953886, 3579855332, 2724688242, 1006888145, 1258607687, 3524101629, 2768942443, 901097722, 1119000684, 3686517206, 2898065728, 853044451, 1172266101, 3705015759, 2882616665, 651767980, 1373503546, 3369554304, 3218104598, 565507253, 1454621731, 3485111705, 3099436303, 671266974, 1594198024, 3322730930, 2970347812, 795835527, 1483230225, 3244367275, 3060149565, 1994146192, 31158534, 2563907772, 4023717930, 1907459465, 112637215, 2680153253, 3904427059, 2013776290, 251722036, 2517215374, 3775830040, 2137656763, 141376813, 2439277719, 3865271297, 1802195444, 476864866, 2238001368, 4066508878, 1812370925, 453092731, 2181625025, 4111451223, 1706088902, 314042704, 2344532202, 4240017532, 1658658271, 366619977, 2362670323, 4224994405, 1303535960, 984961486, 2747007092, 3569037538, 1256170817, 1037604311, 2765210733, 3554079995, 1131014506, 879679996, 2909243462, 3663771856, 1141124467, 855842277, 2852801631, 3708648649, 1342533948, 654459306, 3188396048, 3373015174, 1466479909, 544179635, 3110523913, 3462522015, 1591671054, 702138776, 2966460450, 3352799412, 1504918807, 783551873, 3082640443, 3233442989, 3988292384, 2596254646, 62317068, 1957810842, 3939845945, 2647816111, 81470997, 1943803523, 3814918930, 2489596804, 225274430, 2053790376, 3826175755, 2466906013, 167816743, 2097651377, 4027552580, 2265490386, 503444072, 1762050814, 4150417245, 2154129355, 426522225, 1852507879, 4275313526, 2312317920, 282753626, 1742555852, 4189708143, 2394877945, 397917763, 1622183637, 3604390888, 2714866558, 953729732, 1340076626, 3518719985, 2797360999, 1068828381, 1219638859, 3624741850, 2936675148, 906185462, 1090812512, 3747672003, 2825379669, 829329135, 1181335161, 3412177804, 3160834842, 628085408, 1382605366, 3423369109, 3138078467, 570562233, 1426400815, 3317316542, 2998733608, 733239954, 1555261956, 3268935591, 3050360625, 752459403, 1541320221, 2607071920, 3965973030, 1969922972, 40735498, 2617837225, 3943577151, 1913087877, 83908371, 2512341634, 3803740692, 2075208622, 213261112, 2463272603, 3855990285, 2094854071, 198958881, 2262029012, 4057260610, 1759359992, 534414190, 2176718541, 4139329115, 1873836001, 414664567, 2282248934, 4279200368, 1711684554, 285281116, 2405801727, 4167216745, 1634467795, 376229701, 2685067896, 3608007406, 1308918612, 956543938, 2808555105, 3495958263, 1231636301, 1047427035, 2932959818, 3654703836, 1088359270, 936918000, 2847714899, 3736837829, 1202900863, 817233897, 3183342108, 3401237130, 1404277552, 615818150, 3134207493, 3453421203, 1423857449, 601450431, 3009837614, 3294710456, 1567103746, 711928724, 3020668471, 3272380065, 1510334235, 755167117] AS BIGINT[])`;

export const ENCODING_MACROS: Record<string, string> = {
  kql_u64_mask: `() AS CAST(18446744073709551615 AS UHUGEINT)`,
  kql_xx_mul: `(a, b) AS CAST((CAST(a AS UHUGEINT) * CAST(b AS UHUGEINT)) & kql_u64_mask() AS UBIGINT)`,
  kql_xx_add: `(a, b) AS CAST((CAST(a AS UHUGEINT) + CAST(b AS UHUGEINT)) & kql_u64_mask() AS UBIGINT)`,
  kql_xx_rotl: `(x, r) AS ((x & CAST((CAST(1 AS UHUGEINT) << CAST(64 - r AS UHUGEINT)) - 1 AS UBIGINT)) << CAST(r AS UBIGINT)) | (x >> CAST(64 - r AS UBIGINT))`,
  kql_xx_round: `(acc, inp) AS kql_xx_mul(kql_xx_rotl(kql_xx_add(acc, kql_xx_mul(inp, ${U(P2)})), 31), ${U(P1)})`,
  kql_xx_merge: `(acc, v) AS kql_xx_add(kql_xx_mul(xor(acc, kql_xx_round(${U(0)}, v)), ${U(P1)}), ${U(P4)})`,
  kql_xx_avalanche: `(h) AS ${bind(`kql_xx_mul(xor(h, h >> ${U(33)}), ${U(P2)})`, '__xa1', bind(`kql_xx_mul(xor(__xa1, __xa1 >> ${U(29)}), ${U(P3)})`, '__xa2', `xor(__xa2, __xa2 >> ${U(32)})`))}`,
  /** A UBIGINT as a signed BIGINT with the same bits. */
  kql_u64_signed: `(h) AS ${bind('CAST(h AS HUGEINT)', '__uh', 'CAST(CASE WHEN __uh >= 9223372036854775808 THEN __uh - CAST(18446744073709551616 AS HUGEINT) ELSE __uh END AS BIGINT)')}`,
  kql_i64_unsigned: `(v) AS CAST(CAST(v AS HUGEINT) & CAST(18446744073709551615 AS HUGEINT) AS UBIGINT)`,
  /** XXH64 (seed 0) of the bytes given as hex text. */
  kql_xxhash64_hex: `(hx) AS ${bind('hx', '__xh', bind('length(__xh) // 2', '__xn', bind('__xn // 32', '__xs', bind(`CASE WHEN __xn >= 32 THEN
      ${bind(`list_reduce(list_concat([{'v1': kql_xx_add(${U(P1)}, ${U(P2)}), 'v2': ${U(P2)}, 'v3': ${U(0)}, 'v4': ${U('7046029288634856825')}}],
          list_transform(range(__xs), __i -> {'v1': ${leWord('__xh', '__i * 32', 8)}, 'v2': ${leWord('__xh', '__i * 32 + 8', 8)}, 'v3': ${leWord('__xh', '__i * 32 + 16', 8)}, 'v4': ${leWord('__xh', '__i * 32 + 24', 8)}})),
        (__st, __e) -> {'v1': kql_xx_round(__st.v1, __e.v1), 'v2': kql_xx_round(__st.v2, __e.v2), 'v3': kql_xx_round(__st.v3, __e.v3), 'v4': kql_xx_round(__st.v4, __e.v4)})`, '__xv',
        `kql_xx_merge(kql_xx_merge(kql_xx_merge(kql_xx_merge(kql_xx_add(kql_xx_add(kql_xx_add(kql_xx_rotl(__xv.v1, 1), kql_xx_rotl(__xv.v2, 7)), kql_xx_rotl(__xv.v3, 12)), kql_xx_rotl(__xv.v4, 18)),
          __xv.v1), __xv.v2), __xv.v3), __xv.v4)`)}
      ELSE ${U(P5)} END`, '__xacc', `kql_xx_avalanche(list_reduce(list_concat([{'h': kql_xx_add(__xacc, CAST(__xn AS UBIGINT)), 'k': 0, 'w': CAST(0 AS UBIGINT)}],
        list_transform(range(__xs * 32, __xs * 32 + ((__xn % 32) // 8) * 8, 8), __i -> {'h': CAST(NULL AS UBIGINT), 'k': 8, 'w': ${leWord('__xh', '__i', 8)}}),
        list_transform(range(__xs * 32 + ((__xn % 32) // 8) * 8, __xs * 32 + ((__xn % 32) // 8) * 8 + ((__xn % 8) // 4) * 4, 4), __i -> {'h': CAST(NULL AS UBIGINT), 'k': 4, 'w': ${leWord('__xh', '__i', 4)}}),
        list_transform(range(__xn - __xn % 4, __xn), __i -> {'h': CAST(NULL AS UBIGINT), 'k': 1, 'w': ${leWord('__xh', '__i', 1)}})),
      (__st, __e) -> {'h': CASE __e.k
          WHEN 8 THEN kql_xx_add(kql_xx_mul(kql_xx_rotl(xor(__st.h, kql_xx_round(${U(0)}, __e.w)), 27), ${U(P1)}), ${U(P4)})
          WHEN 4 THEN kql_xx_add(kql_xx_mul(kql_xx_rotl(xor(__st.h, kql_xx_mul(__e.w, ${U(P1)})), 23), ${U(P2)}), ${U(P3)})
          ELSE kql_xx_mul(kql_xx_rotl(xor(__st.h, kql_xx_mul(__e.w, ${U(P5)})), 11), ${U(P1)}) END,
        'k': 0, 'w': CAST(0 AS UBIGINT)}).h)`))))}`,
  /** XXH64 (seed 0) of the 8 little-endian bytes of a 64-bit value. */
  kql_xxhash64_u64: `(v) AS kql_xx_avalanche(kql_xx_add(kql_xx_mul(kql_xx_rotl(xor(kql_xx_add(${U(P5)}, ${U(8)}), kql_xx_round(${U(0)}, v)), 27), ${U(P1)}), ${U(P4)}))`,
  // ---- zlib / gzip streams made of stored (uncompressed) DEFLATE blocks
  /** The bytes of hex text, as integers. */
  kql_hex_bytes: `(hx) AS list_transform(range(length(hx) // 2), __i -> CAST(CAST('0x' || substr(hx, 2 * __i + 1, 2) AS INTEGER) AS BIGINT))`,
  kql_hex_le: `(v, bytes) AS array_to_string(list_transform(range(bytes), __i -> lpad(hex(CAST((v >> (8 * __i)) & 255 AS INTEGER)), 2, '0')), '')`,
  kql_adler32: `(b) AS ${bind('len(b)', '__an', `((1 + coalesce(list_sum(b), 0)) % 65521) + ((__an + coalesce(list_sum(list_transform(b, (__d, __i) -> (__an - __i + 1) * __d)), 0)) % 65521) * 65536`)}`,
  kql_crc32: `(b) AS xor(list_reduce(list_concat([CAST(4294967295 AS BIGINT)], b), (__c, __d) -> xor(${CRC_TABLE}[(xor(__c, __d) & 255) + 1], __c >> 8)), 4294967295)`,
  /** Stored DEFLATE blocks (at most 65535 bytes each) holding the bytes of hex text. */
  kql_deflate_stored: `(hx) AS ${bind('length(hx) // 2', '__dn', `array_to_string(list_transform(range(greatest((__dn + 65534) // 65535, 1)), __k -> ${bind('least(__dn - __k * 65535, 65535)', '__dl',
    "CASE WHEN (__k + 1) * 65535 >= __dn THEN '01' ELSE '00' END || kql_hex_le(__dl, 2) || kql_hex_le(65535 - __dl, 2) || substr(hx, __k * 131070 + 1, __dl * 2)")}), '')`)}`,
  /** The bytes (hex) of stored DEFLATE blocks starting at byte `start`; error for compressed blocks. */
  kql_inflate_stored: `(hx, start) AS ${bind(`list_reduce(list_concat([{'pos': CAST(start AS BIGINT), 'out': '', 'done': false}],
      list_transform(range(length(hx) // 10 + 1), __i -> {'pos': CAST(NULL AS BIGINT), 'out': CAST(NULL AS VARCHAR), 'done': CAST(NULL AS BOOLEAN)})),
    (__s, __e) -> CASE WHEN __s.done OR __s.pos IS NULL THEN __s
      WHEN 2 * __s.pos + 10 > length(hx) THEN {'pos': NULL, 'out': __s.out, 'done': false}
      ELSE ${bind("CAST(CAST('0x' || substr(hx, 2 * __s.pos + 1, 2) AS INTEGER) AS BIGINT)", '__bh',
        `CASE WHEN (__bh & 6) <> 0 THEN error('decompressing compressed (not stored) DEFLATE blocks is not supported by chainhunt')
          ELSE ${bind("CAST(CAST('0x' || substr(hx, 2 * __s.pos + 5, 2) || substr(hx, 2 * __s.pos + 3, 2) AS INTEGER) AS BIGINT)", '__bl',
            "{'pos': __s.pos + 5 + __bl, 'out': __s.out || substr(hx, 2 * __s.pos + 11, 2 * __bl), 'done': (__bh & 1) = 1}")} END`)} END)`, '__inf',
    "CASE WHEN __inf.done THEN __inf.out END")}`,
  /** Base64 text with its padding restored (Kusto accepts it without). */
  kql_b64_padded: `(s) AS s || repeat('=', CAST((4 - length(s) % 4) % 4 AS BIGINT))`,
  /** Percent-escapes with lower-case hex digits, as Kusto writes them. */
  kql_url_lower_hex: `(e) AS ${bind("string_split(e, '%')", '__up', "__up[1] || array_to_string(list_transform(list_slice(__up, 2, len(__up)), __x -> '%' || lower(left(__x, 2)) || substr(__x, 3)), '')")}`,
};

/** The signed XXH64 hash of a value of any type, as Kusto's hash() computes it. */
function xxhash(a: SqlArg): string {
  switch (a.type) {
    case 'long':
    case 'int':
      return `kql_u64_signed(kql_xxhash64_u64(kql_i64_unsigned(${a.sql})))`;
    case 'timespan':
      return `kql_u64_signed(kql_xxhash64_u64(kql_i64_unsigned(${a.sql})))`;
    case 'datetime':
      // .NET ticks: 100-ns intervals since 0001-01-01
      return `kql_u64_signed(kql_xxhash64_u64(kql_i64_unsigned(epoch_us(${a.sql}) * 10 + 621355968000000000)))`;
    default:
      return `kql_u64_signed(kql_xxhash64_hex(hex(encode(${toStringSql(a)}))))`;
  }
}

function hashTemplate(): FunctionTable[string] {
  return ([a, mod]) => {
    const h = xxhash(a!);
    return mod ? `kql_mod(${h}, CAST(${mod.sql} AS BIGINT))` : h;
  };
}

/** .NET Guid byte order: the first three groups little-endian. */
const GUID_BYTE_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

export const ENCODING_FUNCTIONS: FunctionTable = {
  hash: hashTemplate(),
  hash_xxhash64: hashTemplate(),
  hash_sha256: ([a]) => `sha256(${str(a)})`,
  hash_sha1: ([a]) => `sha1(${str(a)})`,
  hash_md5: ([a]) => `md5(${str(a)})`,
  base64_encode_tostring: ([a]) => `to_base64(encode(${str(a)}))`,
  // Bytes that are not UTF-8 give "" (Kusto: null string).
  base64_decode_tostring: ([a]) => `coalesce(try(decode(from_base64(kql_b64_padded(${str(a)})))), '')`,
  // Like base64_decode_tostring, bytes that are not UTF-8 text give null.
  base64_decode_toarray: ([a]) => bind(`try(from_base64(kql_b64_padded(${str(a)})))`, '__bb', bind("CASE WHEN try(decode(__bb)) IS NOT NULL THEN hex(__bb) END", '__bh',
    "to_json(list_transform(range(0, length(__bh), 2), __i -> CAST(CAST('0x' || substr(__bh, __i + 1, 2) AS INTEGER) AS BIGINT)))")),
  base64_encode_fromarray: ([a]) => `coalesce(to_base64(unhex(array_to_string(list_transform(kql_list(${a!.sql}), __x -> lpad(hex(CAST(CAST(__x AS BIGINT) & 255 AS INTEGER)), 2, '0')), ''))), '')`,
  base64_encode_fromguid: ([g]) => bind(`replace(CAST(${g!.sql} AS VARCHAR), '-', '')`, '__gh',
    `to_base64(unhex(${GUID_BYTE_ORDER.map(i => `substr(__gh, ${2 * i + 1}, 2)`).join(' || ')}))`),
  base64_decode_toguid: ([a]) => bind(`try(hex(from_base64(kql_b64_padded(${str(a)}))))`, '__gh',
    `CASE WHEN length(__gh) = 32 THEN CAST(${GUID_BYTE_ORDER.map((i, n) => `substr(__gh, ${2 * i + 1}, 2)${[3, 5, 7, 9].includes(n) ? " || '-'" : ''}`).join(' || ')} AS UUID) END`),
  url_encode_component: ([a]) => `kql_url_lower_hex(url_encode(${str(a)}))`,
  // application/x-www-form-urlencoded: spaces as '+', and !*() kept as they are.
  url_encode: ([a]) => `replace(replace(replace(replace(replace(replace(kql_url_lower_hex(url_encode(${str(a)})), '%20', '+'), '%21', '!'), '%2a', '*'), '%28', '('), '%29', ')'), '~', '%7e')`,
  url_decode: ([a]) => `coalesce(try(url_decode(replace(${str(a)}, '+', ' '))), '')`,
  unicode_codepoints_from_string: ([a]) => `to_json(list_transform(string_split(${str(a)}, ''), __c -> CAST(unicode(__c) AS BIGINT)))`,
  unicode_codepoints_to_string: args => {
    const parts = args.map(a => (a.type === 'dynamic'
      ? `coalesce(array_to_string(list_transform(kql_list(${a.sql}), __x -> chr(CAST(__x AS INTEGER))), ''), '')`
      : `coalesce(chr(CAST(${a.sql} AS INTEGER)), '')`));
    return parts.length ? `concat(${parts.join(', ')})` : "''";
  },
  zlib_compress_to_base64_string: ([a]) => bind(`hex(encode(${str(a)}))`, '__zh',
    "to_base64(unhex('7801' || kql_deflate_stored(__zh) || lpad(hex(CAST(kql_adler32(kql_hex_bytes(__zh)) AS INTEGER)), 8, '0')))"),
  gzip_compress_to_base64_string: ([a]) => bind(`hex(encode(${str(a)}))`, '__zh',
    "to_base64(unhex('1f8b08000000000000ff' || kql_deflate_stored(__zh) || kql_hex_le(kql_crc32(kql_hex_bytes(__zh)), 4) || kql_hex_le((length(__zh) // 2) % 4294967296, 4)))"),
  // Input that is not base64 or not a zlib / gzip stream gives "".
  zlib_decompress_from_base64_string: ([a]) => bind(`try(hex(from_base64(kql_b64_padded(${str(a)}))))`, '__zd',
    bind("CASE WHEN length(__zd) >= 12 AND substr(__zd, 2, 1) = '8' AND (CAST(CAST('0x' || substr(__zd, 1, 4) AS INTEGER) AS BIGINT) % 31) = 0 THEN kql_inflate_stored(__zd, 2) END",
      '__zi', "coalesce(try(decode(unhex(__zi))), '')")),
  gzip_decompress_from_base64_string: ([a]) => bind(`try(hex(from_base64(kql_b64_padded(${str(a)}))))`, '__zd',
    bind("CASE WHEN length(__zd) >= 36 AND upper(substr(__zd, 1, 8)) = '1F8B0800' THEN kql_inflate_stored(__zd, 10) END", '__zi', "coalesce(try(decode(unhex(__zi))), '')")),
  string_size: ([a]) => `CAST(octet_length(encode(${str(a)})) AS BIGINT)`,
  isutf8: () => 'true',
};
