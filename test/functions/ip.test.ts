import { describe, expect, it } from 'vitest';
import { useEngine } from './helpers.js';

const { row, rows } = useEngine();

describe('IPv4 functions', () => {
  it('parses addresses and prefixes', async () => {
    expect(await row("print parse_ipv4('192.168.1.1'), parse_ipv4('192.168.1.1/24'), parse_ipv4('255.255.255.255/31'), parse_ipv4('1.2.3.256'), parse_ipv4_mask('127.0.0.1', 24), ipv4_netmask_suffix('10.1.2.3/16')"))
      .toEqual([3232235777n, 3232235776n, 4294967294n, null, 2130706432n, 16n]);
  });
  it('compares with the combined prefix', async () => {
    expect(await row("print ipv4_compare('192.168.1.1', '192.168.1.255', 24), ipv4_compare('192.168.1.1/30', '192.168.1.255/24'), ipv4_compare('10.0.0.2', '10.0.0.1'), ipv4_is_match('192.168.1.1', '192.168.1.0', 31), ipv4_compare('x', '10.0.0.1')"))
      .toEqual([0n, 0n, 1n, true, null]);
  });
  it('tests ranges and private addresses', async () => {
    expect(await row("print ipv4_is_in_range('192.168.1.1', '192.168.1.255/24'), ipv4_is_in_range('192.168.2.1', '192.168.1.0/24'), ipv4_is_in_any_range('127.0.0.1', dynamic(['10.0.0.0/8', '127.0.0.1'])), ipv4_is_private('172.20.1.1'), ipv4_is_private('8.8.8.8'), ipv4_is_private('nope')"))
      .toEqual([true, false, true, true, false, null]);
  });
  it('formats addresses', async () => {
    expect(await row("print format_ipv4('192.168.1.1', 24), format_ipv4_mask('192.168.1.1/24', 32), format_ipv4(3232235777), format_ipv4('192.168.1.1/24', -1), ipv4_range_to_cidr_list('1.1.128.0', '1.1.140.255')"))
      .toEqual(['192.168.1.0', '192.168.1.0/24', '192.168.1.1', '', ['1.1.128.0/21', '1.1.136.0/22', '1.1.140.0/24']]);
  });
  it('finds IPv4 addresses delimited in text', async () => {
    expect(await row("print has_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.0.1'), has_ipv4('05:04:54127.0.0.1 GET', '127.0.0.1'), has_ipv4('a 127.0.0.256 b', '127.0.0.256'), has_ipv4_prefix('x 127.0.0.1 y', '127.0.'), has_ipv4_prefix('x 127.0.0.1 y', '127.0'), has_any_ipv4('x 10.0.0.1, 10.0.0.2', dynamic(['1.1.1.1', '10.0.0.2'])), has_any_ipv4_prefix('x 10.1.2.3', '192.', '10.')"))
      .toEqual([true, false, false, true, false, true, true]);
  });
});

describe('IPv6 functions', () => {
  it('canonicalizes and masks', async () => {
    expect(await rows("datatable(ip: string, m: long)['192.168.255.255/24', 124, 'fe80::85d:e82c:9446:7994/120', 124, '::192.168.255.255', 128, 'not an ip', 128] | project parse_ipv6_mask(ip, m)"))
      .toEqual([['0000:0000:0000:0000:0000:ffff:c0a8:ff00'], ['fe80:0000:0000:0000:085d:e82c:9446:7900'], ['0000:0000:0000:0000:0000:ffff:c0a8:ffff'], ['']]);
  });
  it('compares and matches across IPv4 and IPv6', async () => {
    expect(await row("print ipv6_compare('192.168.1.1', '::ffff:c0a8:0101'), ipv6_compare('fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998'), ipv6_compare('fe80::1', 'fe80::2'), ipv6_is_match('::192.168.1.1/30', '192.168.1.255/24'), ipv6_is_in_range('a5e:f127:8a9d:146d:e102:b5d3:c755:abcd', 'a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112'), ipv6_is_in_any_range('a5e:f127:8a9d:146d:e102:b5d3:c756:abd1', dynamic(['a5e:f127:8a9d:146d:e102:b5d3:c755:f6cd/112']))"))
      .toEqual([0n, 0n, -1n, true, true, false]);
  });
});
