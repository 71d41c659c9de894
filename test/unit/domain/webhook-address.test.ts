import { describe, expect, it } from 'vitest';
import { addressKind, ipv6Groups, urlRefusal } from '../../../src/domain/webhook-rules.js';

/** The host of `http://[ip]/` as a URL parser writes it, without the brackets. */
const parsed = (ip: string) => new URL(`http://[${ip}]/`).hostname.slice(1, -1);

describe('webhook addresses: every spelling of an address is the kind it reaches', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fd00:ec2::253', 'private'],
    ['fd20:ce::254', 'metadata'],
    ['fec0::1', 'private'],
    // Metadata services outside link-local space, and IANA's special-purpose blocks.
    ['100.100.100.200', 'metadata'],
    ['100.100.100.201', 'private'],
    ['192.0.0.192', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['192.0.0.170', 'reserved'],
    ['192.0.2.1', 'public'], // documentation: routes nowhere
    ['198.51.100.7', 'public'],
    ['203.0.113.9', 'public'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.20.0.1', 'public'],
    ['192.88.99.1', 'reserved'],
    ['192.0.1.1', 'public'],
    ['100::1', 'reserved'],
    ['2001:db8::1', 'public'],
    ['2001:2::1', 'reserved'],
    ['2001:4860:4860::8888', 'public'],
    ['::ffff:100.100.100.200', 'metadata'],
    ['::ffff:c000:c0', 'metadata'],
    ['64:ff9b::6464:64c8', 'metadata'],
    ['2002:6464:64c8::', 'metadata'],
    ['ff02::1', 'reserved'],
    ['2606:4700::1111', 'public'],
    // IPv4 inside IPv6: the kind of the IPv4 address.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:c0a8:101', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'private'],
    // Not addresses: never a destination.
    ['1.2.3.256', 'reserved'],
    ['::ffff:1.2.3.999', 'reserved'],
    ['1::2::3', 'reserved'],
    ['12345::', 'reserved'],
  ] as const)('%s is %s', (ip, kind) => {
    expect(addressKind(ip)).toBe(kind);
  });

  it('reads a URL parser’s spelling of a bracketed host as the address written', () => {
    for (const [written, kind] of [
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['::ffff:0:127.0.0.1', 'loopback'],
      ['::127.0.0.1', 'loopback'],
      ['64:ff9b::127.0.0.1', 'loopback'],
    ] as const) {
      expect(parsed(written)).not.toBe(written); // the parser rewrote it
      expect(addressKind(parsed(written))).toBe(kind);
    }
  });

  it('expands every IPv6 spelling to its eight groups', () => {
    expect(ipv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(ipv6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Groups('1:2:3:4:5:6:7')).toBeNull();
    expect(ipv6Groups('1:2:3:4::5:6:7:8')).toBeNull();
  });

  it('refuses loopback and private unless allowed, and metadata or reserved always', () => {
    expect(urlRefusal('x', ['::ffff:7f00:1'], false)).toMatch(/本机或内网/);
    expect(urlRefusal('x', ['::ffff:7f00:1'], true)).toBeNull();
    expect(urlRefusal('x', ['64:ff9b::a9fe:a9fe'], true)).toMatch(/元数据/);
    expect(urlRefusal('x', ['ff02::1'], true)).toMatch(/保留/);
    // Private addresses allowed, metadata services still refused, in every spelling.
    for (const ip of ['100.100.100.200', '::ffff:100.100.100.200', 'fd00:ec2::254', '192.0.0.192'])
      expect(urlRefusal('x', [ip], true)).toMatch(/云元数据/);
    expect(urlRefusal('x', ['192.0.0.170'], false)).toMatch(/保留/);
    expect(urlRefusal('x', ['8.8.8.8', '::ffff:a00:1'], false)).toMatch(/本机或内网/);
    expect(urlRefusal('x', ['8.8.8.8'], false)).toBeNull();
  });
});
