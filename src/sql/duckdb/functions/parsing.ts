// DuckDB: Kusto's parse_* functions over strings (parse_url, parse_urlquery, parse_path, parse_csv,
// parse_command_line, parse_version, parse_xml) and format_bytes. Each is a SQL macro over the text.
import type { SqlArg } from '../../dialect.js';
import { bind } from './arrays.js';
import { constString, toStringSql, type FunctionTable } from './common.js';

const str = (a: SqlArg | undefined) => (a ? toStringSql(a) : "''");

/** {key, value} entries as a JSON object (kql_bag_from_entries) from parallel VARCHAR keys and values. */
const URL_RE = String.raw`^([A-Za-z][A-Za-z0-9+.\-]*)://(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$`;

export const PARSING_MACROS: Record<string, string> = {
  /** The parameters of a URL query ("a=1&b=2", an optional leading "?"), decoded, as a JSON object. */
  kql_url_query: `(q) AS kql_bag_from_entries(list_transform(list_filter(string_split(regexp_replace(q, '^\\?', ''), '&'), __kv -> __kv <> ''),
    __kv -> {'key': coalesce(try(url_decode(replace(split_part(__kv, '=', 1), '+', ' '))), split_part(__kv, '=', 1)),
             'value': to_json(CASE WHEN contains(__kv, '=') THEN coalesce(try(url_decode(replace(substr(__kv, strpos(__kv, '=') + 1), '+', ' '))), substr(__kv, strpos(__kv, '=') + 1)) ELSE '' END)}))`,
  kql_parse_url: `(u) AS ${bind(`regexp_extract(u, '${URL_RE.replace(/'/g, "''")}', ['scheme', 'user', 'pass', 'host', 'port', 'path', 'query', 'fragment'])`, '__u',
    `json_object('Scheme', __u.scheme, 'Host', __u.host, 'Port', __u.port, 'Path', __u.path, 'Username', __u.user, 'Password', __u.pass,
      'Query Parameters', kql_url_query(__u.query), 'Fragment', __u.fragment)`)}`,
  /** parse_path: scheme, root, directory, file name, extension and alternate data stream of a path. */
  kql_parse_path: `(p) AS ${bind("regexp_extract(p, '^([A-Za-z][A-Za-z0-9+.\\-]*)://', 1)", '__ps',
    bind("CASE WHEN __ps = '' THEN p ELSE substr(p, length(__ps) + 4) END", '__pr',
      bind("{'dir': regexp_extract(__pr, '^(.*)[\\\\/]', 1), 'file': regexp_extract(__pr, '([^\\\\/]*)$', 1)}", '__pp',
        bind("{'name': regexp_extract(__pp.file, '^([^:]*)', 1), 'ads': regexp_extract(__pp.file, ':(.*)$', 1)}", '__pf',
          `json_object('Scheme', __ps, 'RootPath', regexp_extract(__pr, '^([A-Za-z]:)', 1), 'DirectoryPath', __pp.dir,
            'DirectoryName', regexp_extract(__pp.dir, '([^\\\\/]*)$', 1), 'Filename', __pf.name,
            'Extension', regexp_extract(__pf.name, '\\.([^.]*)$', 1), 'AlternateDataStreamName', __pf.ads)`))))}`,
  /** Windows command-line splitting (CommandLineToArgvW): quotes group, backslashes escape quotes. */
  kql_parse_command_line: `(s) AS ${bind(`list_reduce(list_concat([{'args': CAST([] AS VARCHAR[]), 'cur': '', 'inarg': false, 'inq': false, 'bs': 0, 'c': CAST(NULL AS VARCHAR)}],
      list_transform(string_split(s, ''), __ch -> {'args': CAST(NULL AS VARCHAR[]), 'cur': CAST(NULL AS VARCHAR), 'inarg': CAST(NULL AS BOOLEAN), 'inq': CAST(NULL AS BOOLEAN), 'bs': CAST(NULL AS INTEGER), 'c': __ch})),
    (__st, __e) -> CASE
      WHEN __e.c = '\\' THEN {'args': __st.args, 'cur': __st.cur, 'inarg': true, 'inq': __st.inq, 'bs': __st.bs + 1, 'c': NULL}
      WHEN __e.c = '"' THEN {'args': __st.args, 'cur': __st.cur || repeat('\\', __st.bs // 2) || CASE WHEN __st.bs % 2 = 1 THEN '"' ELSE '' END,
        'inarg': true, 'inq': CASE WHEN __st.bs % 2 = 1 THEN __st.inq ELSE NOT __st.inq END, 'bs': 0, 'c': NULL}
      WHEN (__e.c = ' ' OR __e.c = chr(9)) AND NOT __st.inq THEN {'args': CASE WHEN __st.inarg THEN list_append(__st.args, __st.cur || repeat('\\', __st.bs)) ELSE __st.args END,
        'cur': '', 'inarg': false, 'inq': false, 'bs': 0, 'c': NULL}
      ELSE {'args': __st.args, 'cur': __st.cur || repeat('\\', __st.bs) || __e.c, 'inarg': true, 'inq': __st.inq, 'bs': 0, 'c': NULL} END)`, '__cl',
    "CASE WHEN __cl.inarg THEN list_append(__cl.args, __cl.cur || repeat('\\', __cl.bs)) ELSE __cl.args END")}`,
  /** parse_version: up to four dot-separated numbers of up to 8 digits, as one comparable decimal. */
  kql_parse_version: `(v) AS ${bind("string_split(trim(v), '.')", '__vp',
    `CASE WHEN len(__vp) BETWEEN 1 AND 4 AND list_bool_and(list_transform(__vp, __x -> regexp_full_match(__x, '[0-9]{1,8}')))
      THEN CAST(array_to_string(list_transform(list_concat(__vp, list_transform(range(4 - len(__vp)), __z -> '0')), __x -> lpad(__x, 8, '0')), '') AS DECIMAL(38, 0)) END`)}`,
  // ---- parse_xml: XML to JSON the way Kusto converts it (attributes as "@name", mixed text as
  // "#text", repeated child elements as arrays, an empty element as null).
  kql_xml_decode: `(t) AS replace(replace(replace(replace(replace(t, '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&apos;', ''''), '&amp;', '&')`,
  /** The attributes of a start tag, as {key, value} entries. */
  kql_xml_attrs: `(tag) AS ${bind(`regexp_extract_all(tag, '([A-Za-z_][\\w:.\\-]*)\\s*=\\s*("[^"]*"|''[^'']*'')', 0)`, '__xa',
    `list_transform(__xa, __a -> {'key': regexp_extract(__a, '^([^=\\s]+)', 1), 'value': to_json(kql_xml_decode(regexp_extract(__a, '=\\s*["'']([\\s\\S]*)["'']$', 1)))})`)}`,
  /** Child entries grouped by name: one value, or an array of the values of a repeated name. */
  kql_xml_group: `(kids) AS ${bind('list_transform(kids, __k -> __k.key)', '__xk',
    `list_transform(list_filter(__xk, (__n, __i) -> list_position(__xk, __n) = __i), __n -> ${bind('list_transform(list_filter(kids, __k -> __k.key = __n), __k -> __k.value)', '__xv',
      "{'key': __n, 'value': CASE WHEN len(__xv) = 1 THEN __xv[1] ELSE to_json(__xv) END}")})`)}`,
  kql_xml_value: `(f) AS CASE WHEN len(f.attrs) = 0 AND len(f.kids) = 0 THEN (CASE WHEN trim(f.text) = '' THEN CAST(NULL AS JSON) ELSE to_json(trim(f.text)) END)
    ELSE kql_bag_from_entries(list_concat(list_transform(f.attrs, __a -> {'key': '@' || __a.key, 'value': __a.value}), kql_xml_group(f.kids),
      CASE WHEN trim(f.text) = '' THEN [] ELSE [{'key': '#text', 'value': to_json(trim(f.text))}] END)) END`,
  kql_xml_frame: `(name, attrs) AS {'name': name, 'attrs': attrs, 'kids': CAST([] AS STRUCT(key VARCHAR, value JSON)[]), 'text': ''}`,
  kql_parse_xml: `(x) AS ${bind(`list_reduce(list_concat([{'stack': [kql_xml_frame('', CAST([] AS STRUCT(key VARCHAR, value JSON)[]))], 'tok': CAST(NULL AS VARCHAR), 'ok': true}],
      list_transform(regexp_extract_all(x, '<!\\[CDATA\\[[\\s\\S]*?\\]\\]>|<!--[\\s\\S]*?-->|<[?!][^>]*>|<[^>]+>|[^<]+', 0),
        __t -> {'stack': CAST(NULL AS STRUCT(name VARCHAR, attrs STRUCT(key VARCHAR, value JSON)[], kids STRUCT(key VARCHAR, value JSON)[], text VARCHAR)[]), 'tok': __t, 'ok': true})),
    (__s, __e) -> CASE
      WHEN NOT __s.ok THEN __s
      WHEN starts_with(__e.tok, '<![CDATA[') THEN {'stack': list_concat(list_slice(__s.stack, 1, len(__s.stack) - 1),
          [struct_pack(name := __s.stack[-1].name, attrs := __s.stack[-1].attrs, kids := __s.stack[-1].kids, text := __s.stack[-1].text || substr(__e.tok, 10, length(__e.tok) - 12))]), 'tok': NULL, 'ok': true}
      WHEN starts_with(__e.tok, '<?') OR starts_with(__e.tok, '<!') THEN __s
      WHEN starts_with(__e.tok, '</') THEN (CASE WHEN len(__s.stack) < 2 THEN {'stack': __s.stack, 'tok': NULL, 'ok': false}
        ELSE {'stack': list_concat(list_slice(__s.stack, 1, len(__s.stack) - 2),
          [struct_pack(name := __s.stack[-2].name, attrs := __s.stack[-2].attrs, kids := list_append(__s.stack[-2].kids, {'key': __s.stack[-1].name, 'value': kql_xml_value(__s.stack[-1])}), text := __s.stack[-2].text)]),
          'tok': NULL, 'ok': true} END)
      WHEN starts_with(__e.tok, '<') AND ends_with(__e.tok, '/>') THEN {'stack': list_concat(list_slice(__s.stack, 1, len(__s.stack) - 1),
          [struct_pack(name := __s.stack[-1].name, attrs := __s.stack[-1].attrs, kids := list_append(__s.stack[-1].kids,
            {'key': regexp_extract(__e.tok, '^<\\s*([^\\s/>]+)', 1), 'value': kql_xml_value(kql_xml_frame('', kql_xml_attrs(__e.tok)))}), text := __s.stack[-1].text)]), 'tok': NULL, 'ok': true}
      WHEN starts_with(__e.tok, '<') THEN {'stack': list_append(__s.stack, kql_xml_frame(regexp_extract(__e.tok, '^<\\s*([^\\s/>]+)', 1), kql_xml_attrs(__e.tok))), 'tok': NULL, 'ok': true}
      ELSE {'stack': list_concat(list_slice(__s.stack, 1, len(__s.stack) - 1),
          [struct_pack(name := __s.stack[-1].name, attrs := __s.stack[-1].attrs, kids := __s.stack[-1].kids, text := __s.stack[-1].text || kql_xml_decode(__e.tok))]), 'tok': NULL, 'ok': true} END)`, '__xr',
    "CASE WHEN __xr.ok AND len(__xr.stack) = 1 AND len(__xr.stack[1].kids) > 0 THEN kql_bag_from_entries(kql_xml_group(__xr.stack[1].kids)) END")}`,
  /** format_bytes: the size in the largest unit it fills (or the given one), rounded to `p` digits. */
  kql_format_bytes: `(x, p, unit, base) AS ${bind(`{'x': CAST(x AS DOUBLE), 'p': CAST(p AS INTEGER), 'b': CAST(base AS DOUBLE),
      'u': CASE WHEN unit IS NULL OR unit = '' THEN NULL ELSE list_position(['Bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'], unit) - 1 END}`, '__fb',
    bind("coalesce(__fb.u, CASE WHEN abs(__fb.x) < __fb.b THEN 0 ELSE least(CAST(floor(log(abs(__fb.x)) / log(__fb.b)) AS INTEGER), 6) END)", '__fe',
      "CASE WHEN __fb.x IS NULL THEN '' ELSE printf('%.' || CAST(greatest(__fb.p, 0) AS VARCHAR) || 'f', round(__fb.x / pow(__fb.b, __fe), greatest(__fb.p, 0))) || ' ' || ['Bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'][__fe + 1] END"))}`,
};

export const PARSING_FUNCTIONS: FunctionTable = {
  parse_url: ([a]) => `kql_parse_url(${str(a)})`,
  parse_urlquery: ([a]) => `json_object('Query Parameters', kql_url_query(${str(a)}))`,
  parse_path: ([a]) => `kql_parse_path(${str(a)})`,
  parse_csv: ([a]) => `to_json(kql_parse_csv(${str(a)}))`,
  parse_command_line: ([a, kind]) => {
    const k = constString(kind);
    if (k !== undefined && k.toLowerCase() !== 'windows') return 'CAST(NULL AS JSON)';
    return `to_json(kql_parse_command_line(${str(a)}))`;
  },
  parse_version: ([a]) => `kql_parse_version(${str(a)})`,
  parse_xml: ([a]) => `kql_parse_xml(${str(a)})`,
  format_bytes: ([x, p, unit, base]) => `kql_format_bytes(${x!.sql}, ${p ? p.sql : '0'}, ${unit ? str(unit) : "''"}, ${base ? base.sql : '1024'})`,
};
