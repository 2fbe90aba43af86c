import { describe, expect, it } from 'vitest';
import { useEngine } from './helpers.js';

const { row } = useEngine();

describe('string functions', () => {
  it('indexof with start, length and occurrence', async () => {
    expect(await row('print indexof("abcdefg","cde"), indexof("abcdefg","cde",1,4), indexof("abcdefg","cde",1,2), indexof("abcdefg","cde",3,4), indexof("abcdefg","cde",-5), indexof(1234567,5,1,4), indexof("abcdefg","cde",2,-1), indexof("abcdefgabcdefg", "cde", 1, 10, 2), indexof("abcdefgabcdefg", "cde", 1, -1, 3), indexof("abc", "x")'))
      .toEqual([2n, 2n, -1n, -1n, 2n, 4n, 2n, 9n, -1n, -1n]);
  });
  it('indexof_regex finds non-overlapping matches in a window', async () => {
    expect(await row('print indexof_regex("abcabc", @"a.c"), indexof_regex("abcabcdefg", @"a.c", 0, 9, 2), indexof_regex("abcabc", @"a.c", 1, -1, 2), indexof_regex("ababaa", @"a.a", 0, -1, 2), indexof_regex("abcabc", @"a|ab", -1)'))
      .toEqual([0n, 3n, -1n, -1n, null]);
  });
  it('countof counts overlapping plain matches and non-overlapping regex matches', async () => {
    expect(await row('print countof("aaa", "a"), countof("aaaa", "aa"), countof("ababa", "ab", "normal"), countof("ababa", "aba"), countof("ababa", "aba", "regex"), countof("abcabc", "a.c", "regex")'))
      .toEqual([3n, 3n, 2n, 2n, 1n, 2n]);
  });
  it('substring counts a negative start from the end', async () => {
    expect(await row('print substring("123456", 1), substring("123456", 2, 2), substring("ABCD", 0, 2), substring("123456", -2, 2), substring("abc", 5)'))
      .toEqual(['23456', '34', 'AB', '56', '']);
  });
  it('replace_strings replaces each lookup once, in order', async () => {
    expect(await row("let m = 'This is an example of using replace_strings()'; print replace_strings('A magic trick can turn a cat into a dog', dynamic(['cat', 'dog']), dynamic(['dog', 'pigeon'])), replace_strings(m, dynamic(['is', 'This']), dynamic(['was', 'This'])), replace_strings(m, dynamic(['This', 'is']), dynamic([12345, 'was']))"))
      .toEqual(['A magic trick can turn a dog into a pigeon', 'Thwas was an example of using replace_strings()', 'This was an example of using replace_strings()']);
  });
  it('translate, strcmp, strrep, reverse and string_size', async () => {
    expect(await row('print translate("abc", "x", "abc"), translate("abc", "", "ab"), translate("krasp", "otsku", "spark"), strcmp("abc", "ABC"), strcmp("ABC", "abc"), strcmp("a", "a"), strrep("ab", 3, "-"), strrep("x", 0), reverse("abc"), string_size("⒦⒰"), strlen("⒦⒰")'))
      .toEqual(['xxx', '', 'kusto', 1n, -1n, 0n, 'ab-ab-ab', '', 'cba', 6n, 2n]);
  });
  it('extract_all with no group, one group, several groups and named groups', async () => {
    expect(await row('let s = "82b8be2d-dfa7"; print extract_all(@"\\d+", s), extract_all(@"(\\d)b", s), extract_all(@"(\\w)(\\w+)(\\w)", s), extract_all(@"(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)", dynamic(["first", "last"]), s), extract_all(@"z", s)'))
      .toEqual([['82', '8', '2', '7'], ['2', '8'], [['8', '2b8be2', 'd'], ['d', 'fa', '7']], [['8', 'd'], ['d', '7']], null]);
  });
  it('has_any_index, split and strcat_array', async () => {
    expect(await row('print has_any_index("this is an example", dynamic(["not", "example"])), has_any_index("Example number 2", range(1, 3, 1)), has_any_index("x", dynamic([])), split("aaa_bbb_ccc", "_", 1), split("", "_"), strcat_array(dynamic([1, "b", null]), "-")'))
      .toEqual([1n, 1n, -1n, ['bbb'], [''], '1-b-']);
  });
  it('regex_quote escapes regular expression characters', async () => {
    expect(await row("print regex_quote('(so$me.Te^xt)')")).toEqual(['\\(so\\$me\\.Te\\^xt\\)']);
  });
});

describe('encodings and hashes', () => {
  it('hash is XXH64 of the value', async () => {
    expect(await row('print hash("World"), hash("World", 100), hash(datetime("2015-01-01")), hash_xxhash64("World"), hash(strrep("abcdefghij", 7))'))
      .toEqual([1846988464401551951n, 51n, 1380966698541616202n, 1846988464401551951n, 6188231527551936535n]);
  });
  it('base64 of strings, byte arrays and guids', async () => {
    expect(await row('print base64_encode_tostring("Kusto1"), base64_decode_tostring("S3VzdG8x"), base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA="), base64_decode_toarray("S3VzdG8="), base64_encode_fromarray(dynamic([75, 117, 115, 116, 111])), base64_encode_fromguid(guid(ae3133f2-6e22-49ae-b06a-16e6a9b212eb)), base64_decode_toguid("8jMxriJurkmwahbmqbIS6w==")'))
      .toEqual(['S3VzdG8x', 'Kusto1', '', [75, 117, 115, 116, 111], 'S3VzdG8=', '8jMxriJurkmwahbmqbIS6w==', 'ae3133f2-6e22-49ae-b06a-16e6a9b212eb']);
  });
  it('URL encoding with lower-case escapes', async () => {
    expect(await row("print url_encode('https://www.bing.com/hello world'), url_encode_component('https://www.bing.com/hello world'), url_decode('https%3a%2f%2fwww.bing.com%2f'), url_decode('a+b%20c')"))
      .toEqual(['https%3a%2f%2fwww.bing.com%2fhello+world', 'https%3a%2f%2fwww.bing.com%2fhello%20world', 'https://www.bing.com/', 'a b c']);
  });
  it('Unicode code points', async () => {
    expect(await row('print unicode_codepoints_from_string("Kö"), unicode_codepoints_to_string(75, 117), unicode_codepoints_to_string(dynamic([75, 117]), 115), make_string(dynamic([75]))'))
      .toEqual([[75, 246], 'Ku', 'Kus', 'K']);
  });
});

describe('parse functions', () => {
  it('parse_url and parse_urlquery', async () => {
    expect(await row('print parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v%202#fragment"), parse_urlquery("k1=v1&k2=v2")'))
      .toEqual([{ Scheme: 'scheme', Host: 'host', Port: '1234', Path: '/this/is/a/path', Username: 'username', Password: 'password', 'Query Parameters': { k1: 'v1', k2: 'v 2' }, Fragment: 'fragment' },
        { 'Query Parameters': { k1: 'v1', k2: 'v2' } }]);
  });
  it('parse_path', async () => {
    expect(await row('print parse_path(@"C:\\temp\\file.txt"), parse_path("file://C:/temp/file.txt:some.exe")'))
      .toEqual([{ Scheme: '', RootPath: 'C:', DirectoryPath: 'C:\\temp', DirectoryName: 'temp', Filename: 'file.txt', Extension: 'txt', AlternateDataStreamName: '' },
        { Scheme: 'file', RootPath: 'C:', DirectoryPath: 'C:/temp', DirectoryName: 'temp', Filename: 'file.txt', Extension: 'txt', AlternateDataStreamName: 'some.exe' }]);
  });
  it('parse_csv reads the first record, with quoted fields', async () => {
    expect(await row("print parse_csv('aa,\"b,b,b\",cc,\"Escaping quotes: \"\"Title\"\"\",\"line1\\nline2\"'), parse_csv('record1,a\\nrecord2,x'), parse_csv('')"))
      .toEqual([['aa', 'b,b,b', 'cc', 'Escaping quotes: "Title"', 'line1\nline2'], ['record1', 'a'], ['']]);
  });
  it('parse_command_line splits like CommandLineToArgvW', async () => {
    expect(await row(String.raw`print parse_command_line(@'echo "hello world!" a\"b  c\d', 'windows')`)).toEqual([['echo', 'hello world!', 'a"b', 'c\\d']]);
  });
  it('parse_version compares versions', async () => {
    expect(await row('print parse_version("1.2.3.4"), parse_version("0.0.7.0") < parse_version("0.1"), parse_version("1.2.x")'))
      .toEqual(['1000000020000000300000004', true, null]);
  });
  it('format_bytes', async () => {
    expect(await row('print format_bytes(564), format_bytes(10332, 1), format_bytes(20010332), format_bytes(20010332, 2), format_bytes(20010332, 0, "KB")'))
      .toEqual(['564 Bytes', '10.1 KB', '19 MB', '19.08 MB', '19541 KB']);
  });
});

describe('punycode, compression and XML', () => {
  it('punycode strings and domains', async () => {
    expect(await row("print punycode_from_string('académie-française'), punycode_to_string('acadmie-franaise-npb1a'), punycode_from_string('艺术'), punycode_to_string('bücher'), punycode_domain_from_string('xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com'), punycode_domain_to_string('Riðill｡Skáldskaparmál｡org')"))
      .toEqual(['acadmie-franaise-npb1a', 'académie-française', 'cqv902d', '', 'Rúyì.Jīngū.Bàng.com', 'xn--Riill-jta.xn--Skldskaparml-dbbj.org']);
  });
  it('zlib and gzip streams of stored blocks', async () => {
    expect(await row('print zlib_compress_to_base64_string("1234567890qwertyuiop"), gzip_compress_to_base64_string("1234567890qwertyuiop"), gzip_decompress_from_base64_string("H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA=="), zlib_decompress_from_base64_string(zlib_compress_to_base64_string("héllo")), gzip_decompress_from_base64_string("x0x0x0")'))
      .toEqual(['eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==', 'H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==', '1234567890qwertyuiop', 'héllo', '']);
  });
  it('parse_xml converts elements, attributes, text and repeated children', async () => {
    expect(await row(`print parse_xml('<IpRange Subnet="13.64.0.0/16" />'), parse_xml('<?xml version="1.0"?><d><v>1.5</v><e/><a>x</a><a>y &amp; z</a></d>'), parse_xml('<e name="v">text</e>'), parse_xml('not xml')`))
      .toEqual([{ IpRange: { '@Subnet': '13.64.0.0/16' } }, { d: { v: '1.5', e: null, a: ['x', 'y & z'] } }, { e: { '@name': 'v', '#text': 'text' } }, null]);
  });
  it('unit conversions', async () => {
    expect(await row("print convert_length(1.2, 'Meter', 'Foot'), convert_temperature(1.2, 'Kelvin', 'DegreeCelsius'), convert_angle(1.2, 'Degree', 'Arcminute'), convert_speed(1.2, 'MeterPerSecond', 'CentimeterPerHour'), convert_mass(1, 'Kilogram', 'Nope')"))
      .toEqual([3.9370078740157473, -271.95, 72, 432000, null]);
  });
});
