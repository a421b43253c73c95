import { IPParseError, parseIP, type Family } from './address.js';
import {
  formatRange,
  largestPrefixCovering,
  parseCIDR,
  parsePoolEntry,
  parseRange,
  prefixOf,
  rangeContains,
  rangeSize,
  rangeToCIDRs,
  rangesOverlap,
  type IPRange,
} from './range.js';

const range = (family: Family, first: bigint, last: bigint): IPRange => ({ family, first, last });
const ip = (text: string): bigint => parseIP(text).value;
const MAX4 = 0xffffffffn;
const MAX6 = (1n << 128n) - 1n;

describe('parseCIDR accepts', () => {
  test.each([
    ['0.0.0.0/0', 4, 0n, MAX4, 0],
    ['192.0.2.0/24', 4, ip('192.0.2.0'), ip('192.0.2.255'), 24],
    ['192.0.2.7/32', 4, ip('192.0.2.7'), ip('192.0.2.7'), 32],
    ['255.255.255.255/32', 4, MAX4, MAX4, 32],
    ['10.0.0.0/8', 4, ip('10.0.0.0'), ip('10.255.255.255'), 8],
    ['::/0', 6, 0n, MAX6, 0],
    ['2001:db8::/32', 6, ip('2001:db8::'), ip('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'), 32],
    ['2001:db8:1:2::/64', 6, ip('2001:db8:1:2::'), ip('2001:db8:1:2:ffff:ffff:ffff:ffff'), 64],
    ['2001:db8::1/128', 6, ip('2001:db8::1'), ip('2001:db8::1'), 128],
    ['::ffff:192.0.2.0/120', 6, ip('::ffff:192.0.2.0'), ip('::ffff:192.0.2.255'), 120],
  ] as const)('%s', (text, family, first, last, prefixLength) => {
    expect(parseCIDR(text)).toEqual({ family, first, last, prefixLength });
  });
});

describe('parseCIDR rejects', () => {
  test.each([
    ['192.0.2.5/24', 'ip: 192.0.2.5/24 has host bits set (the network is 192.0.2.0/24)'],
    ['0.0.0.1/0', 'ip: 0.0.0.1/0 has host bits set (the network is 0.0.0.0/0)'],
    ['::1/0', 'ip: ::1/0 has host bits set (the network is ::/0)'],
    ['2001:db8::1/64', 'ip: 2001:db8::1/64 has host bits set (the network is 2001:db8::/64)'],
    ['192.0.2.0', /the \/prefix-length is missing/],
    ['192.0.2.0/', /prefix length "" is not a decimal/],
    ['192.0.2.0/33', /prefix length 33 is longer than 32 bits of IPv4/],
    ['::/129', /prefix length 129 is longer than 128 bits of IPv6/],
    ['192.0.2.0/024', /prefix length "024" is not a decimal number without leading zeros/],
    ['192.0.2.0/0x18', /"0x18" is not a decimal/],
    ['192.0.2.0/-1', /"-1" is not a decimal/],
    ['192.0.2.0/ 24', /" 24" is not a decimal/],
    ['192.0.2.0/24/8', /more than one '\/'/],
    ['192.0.2/24', /exactly 4 .* found 3/],
    ['/24', /"" is not an IP address: it is empty/],
    ['fe80::%eth0/64', /zones/],
    ['', /prefix-length is missing/],
  ])('%j', (text, reason) => {
    expect(() => parseCIDR(text)).toThrow(IPParseError);
    expect(() => parseCIDR(text)).toThrow(reason);
    expect(() => parseCIDR(text)).toThrow(/^ip: /);
  });
});

describe('parseRange', () => {
  test.each([
    ['192.0.2.10-192.0.2.20', range(4, ip('192.0.2.10'), ip('192.0.2.20'))],
    ['192.0.2.10 - 192.0.2.20', range(4, ip('192.0.2.10'), ip('192.0.2.20'))],
    ['192.0.2.10  -192.0.2.20', range(4, ip('192.0.2.10'), ip('192.0.2.20'))],
    ['192.0.2.255-192.0.3.1', range(4, ip('192.0.2.255'), ip('192.0.3.1'))],
    ['192.0.2.1-192.0.2.1', range(4, ip('192.0.2.1'), ip('192.0.2.1'))],
    ['0.0.0.0-255.255.255.255', range(4, 0n, MAX4)],
    ['2001:db8::ffff-2001:db8::1:1', range(6, ip('2001:db8::ffff'), ip('2001:db8::1:1'))],
    ['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', range(6, 0n, MAX6)],
  ])('%s', (text, expected) => {
    expect(parseRange(text)).toEqual(expected);
  });

  test.each([
    ['192.0.2.20-192.0.2.10', /"192.0.2.20-192.0.2.10" is reversed: 192.0.2.20 comes after 192.0.2.10/],
    ['2001:db8::1:1-2001:db8::ffff', /is reversed/],
    ['192.0.2.1-2001:db8::1', /mixes families: 192.0.2.1 is IPv4, 2001:db8::1 is IPv6/],
    ['::ffff:192.0.2.1-192.0.2.2', /mixes families/],
    ['192.0.2.1', /expected "first-last"/],
    ['192.0.2.1-192.0.2.2-192.0.2.3', /expected "first-last"/],
    [' 192.0.2.1-192.0.2.2', /expected "first-last"/],
    ['192.0.2.1-', /"" is not an IP address: it is empty/],
    ['-192.0.2.1', /"" is not an IP address: it is empty/],
    ['192.0.2.1-192.0.2.256', /"192.0.2.256" is not an IP address/],
  ])('rejects %j', (text, reason) => {
    expect(() => parseRange(text)).toThrow(IPParseError);
    expect(() => parseRange(text)).toThrow(reason);
  });
});

describe('parsePoolEntry', () => {
  test.each([
    ['203.0.113.0/24', range(4, ip('203.0.113.0'), ip('203.0.113.255'))],
    ['203.0.113.10-203.0.113.20', range(4, ip('203.0.113.10'), ip('203.0.113.20'))],
    ['2001:db8::/64', range(6, ip('2001:db8::'), ip('2001:db8::ffff:ffff:ffff:ffff'))],
    ['2001:db8::a - 2001:db8::f', range(6, ip('2001:db8::a'), ip('2001:db8::f'))],
  ])('%s', (text, expected) => {
    // Exactly a range: the prefix length of a CIDR is not carried into the pool entry.
    expect(parsePoolEntry(text)).toStrictEqual(expected);
  });

  test.each([
    ['203.0.113.1', /not a pool entry: expected a CIDR .* or a range/],
    ['', /not a pool entry/],
    ['203.0.113.5/24', /host bits set/],
    ['203.0.113.9-203.0.113.1', /reversed/],
    [undefined, /not a pool entry/],
  ])('rejects %j', (text, reason) => {
    expect(() => parsePoolEntry(text as string)).toThrow(reason);
  });
});

describe('sizes', () => {
  test.each([
    ['0.0.0.0/0', 1n << 32n],
    ['::/0', 1n << 128n],
    ['2001:db8::/64', 1n << 64n],
    ['192.0.2.7/32', 1n],
    ['::1/128', 1n],
    ['192.0.2.255-192.0.3.1', 3n],
    ['2001:db8::ffff-2001:db8::1:1', 3n],
  ])('%s has %p addresses', (text, size) => {
    expect(rangeSize(parsePoolEntry(text))).toBe(size);
  });
});

describe('rangesOverlap and rangeContains', () => {
  test.each([
    ['192.0.2.0/24', '192.0.2.255-192.0.3.1', true],
    ['192.0.2.0/25', '192.0.2.128/25', false],
    ['192.0.2.0/24', '192.0.2.7/32', true],
    ['192.0.2.0/24', '::ffff:192.0.2.0/120', false],
    ['0.0.0.0/0', '::/0', false],
    ['2001:db8::/64', '2001:db8::ffff:ffff:ffff:ffff-2001:db8:0:1::', true],
    ['2001:db8::/64', '2001:db8:0:1::/64', false],
  ])('%s and %s: %p', (a, b, expected) => {
    expect(rangesOverlap(parsePoolEntry(a), parsePoolEntry(b))).toBe(expected);
    expect(rangesOverlap(parsePoolEntry(b), parsePoolEntry(a))).toBe(expected);
  });

  test.each([
    ['192.0.2.0/24', '192.0.2.0', true],
    ['192.0.2.0/24', '192.0.2.255', true],
    ['192.0.2.0/24', '192.0.1.255', false],
    ['192.0.2.0/24', '192.0.3.0', false],
    ['192.0.2.0/24', '::ffff:192.0.2.1', false],
    ['::ffff:192.0.2.0/120', '192.0.2.1', false],
    ['::/0', '::', true],
    ['::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['::/0', '0.0.0.0', false],
  ])('%s contains %s: %p', (r, address, expected) => {
    expect(rangeContains(parsePoolEntry(r), parseIP(address))).toBe(expected);
  });
});

describe('formatRange', () => {
  test.each([
    ['192.0.2.0/24', '192.0.2.0/24'],
    ['192.0.2.0-192.0.2.255', '192.0.2.0/24'],
    ['192.0.2.7-192.0.2.7', '192.0.2.7/32'],
    ['192.0.2.1-192.0.2.6', '192.0.2.1-192.0.2.6'],
    ['192.0.2.0-192.0.2.254', '192.0.2.0-192.0.2.254'],
    ['192.0.2.128-192.0.3.127', '192.0.2.128-192.0.3.127'],
    ['0.0.0.0-255.255.255.255', '0.0.0.0/0'],
    ['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::/0'],
    ['2001:db8::ffff-2001:db8::1:1', '2001:db8::ffff-2001:db8::1:1'],
    ['2001:DB8:0:0::-2001:db8::ffff:ffff:ffff:ffff', '2001:db8::/64'],
  ])('%s -> %s', (text, formatted) => {
    expect(formatRange(parsePoolEntry(text))).toBe(formatted);
    expect(parsePoolEntry(formatted)).toEqual(parsePoolEntry(text));
  });

  test.each([
    [range(4, 2n, 1n), /first 2 is after last 1/],
    [range(4, 0n, 1n << 32n), /out of range for IPv4/],
    [{ family: 5, first: 0n, last: 0n }, /family 5/],
    [null, /not an object/],
  ])('rejects %p', (r, reason) => {
    expect(() => formatRange(r as IPRange)).toThrow(reason);
    expect(() => rangeToCIDRs(r as IPRange)).toThrow(reason);
    expect(() => largestPrefixCovering(r as IPRange)).toThrow(reason);
  });
});

describe('rangeToCIDRs', () => {
  test.each([
    ['192.0.2.1-192.0.2.6', ['192.0.2.1/32', '192.0.2.2/31', '192.0.2.4/31', '192.0.2.6/32']],
    ['192.0.2.0/24', ['192.0.2.0/24']],
    ['192.0.2.255-192.0.3.1', ['192.0.2.255/32', '192.0.3.0/31']],
    ['192.0.2.0-192.0.2.254', ['192.0.2.0/25', '192.0.2.128/26', '192.0.2.192/27', '192.0.2.224/28', '192.0.2.240/29', '192.0.2.248/30', '192.0.2.252/31', '192.0.2.254/32']],
    ['0.0.0.0-255.255.255.255', ['0.0.0.0/0']],
    ['255.255.255.255-255.255.255.255', ['255.255.255.255/32']],
    ['::/0', ['::/0']],
    ['2001:db8::ffff-2001:db8::1:1', ['2001:db8::ffff/128', '2001:db8::1:0/127']],
  ])('%s', (text, cidrs) => {
    const r = parsePoolEntry(text);
    const cover = rangeToCIDRs(r);
    expect(cover).toEqual(cidrs);
    // The cover is exact: contiguous blocks from first to last.
    const blocks = cover.map(parseCIDR);
    expect(blocks[0]?.first).toBe(r.first);
    expect(blocks.at(-1)?.last).toBe(r.last);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]?.first).toBe((blocks[i - 1]?.last ?? -2n) + 1n);
  });

  test('all of IPv4 but the first address takes one block per prefix length, growing', () => {
    const cover = rangeToCIDRs(range(4, 1n, MAX4));
    expect(cover).toHaveLength(32);
    expect(cover.slice(0, 4)).toEqual(['0.0.0.1/32', '0.0.0.2/31', '0.0.0.4/30', '0.0.0.8/29']);
    expect(cover.slice(-2)).toEqual(['64.0.0.0/2', '128.0.0.0/1']);
  });

  test('the whole IPv6 space less its last address takes one block per prefix length', () => {
    const cover = rangeToCIDRs(range(6, 0n, MAX6 - 1n));
    expect(cover).toHaveLength(128);
    expect(cover[0]).toBe('::/1');
    expect(cover.at(-1)).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128');
  });
});

describe('prefixOf', () => {
  test.each([
    ['192.0.2.77', 24, '192.0.2.0/24'],
    ['192.0.2.77', 32, '192.0.2.77/32'],
    ['192.0.2.77', 0, '0.0.0.0/0'],
    ['192.0.2.77', 22, '192.0.0.0/22'],
    ['2001:db8::1', 64, '2001:db8::/64'],
    ['2001:db8::1', 128, '2001:db8::1/128'],
    ['2001:db8::1', 0, '::/0'],
    ['2001:db8:abcd::', 36, '2001:db8:a000::/36'],
  ])('%s /%p is %s', (address, prefixLength, cidr) => {
    expect(prefixOf(parseIP(address), prefixLength)).toEqual(parseCIDR(cidr));
  });

  test.each([
    ['192.0.2.1', 33],
    ['192.0.2.1', -1],
    ['192.0.2.1', 1.5],
    ['::1', 129],
    ['::1', Number.NaN],
  ])('%s /%p is rejected', (address, prefixLength) => {
    expect(() => prefixOf(parseIP(address), prefixLength)).toThrow(/^ip: prefixOf: prefix length .* is not an integer from 0 to/);
  });
});

describe('largestPrefixCovering', () => {
  test.each([
    ['192.0.2.0/24', 24],
    ['192.0.2.7/32', 32],
    ['0.0.0.0/0', 0],
    ['::/0', 0],
    ['2001:db8::1/128', 128],
    ['192.0.2.1-192.0.2.6', 29],
    ['192.0.2.255-192.0.3.0', 23],
    ['192.0.3.255-192.0.4.0', 21],
    ['192.0.2.0-192.0.2.254', 24],
    ['127.255.255.255-128.0.0.0', 0],
    ['2001:db8::ffff-2001:db8::1:1', 111],
    ['2001:db8::/64', 64],
  ])('%s -> /%p', (text, expected) => {
    const r = parsePoolEntry(text);
    const p = largestPrefixCovering(r);
    expect(p).toBe(expected);
    // The /p block holds the whole range and the /(p+1) block does not.
    const block = prefixOf({ family: r.family, value: r.first }, p);
    expect(block.first <= r.first && r.last <= block.last).toBe(true);
    if (p < (r.family === 4 ? 32 : 128)) {
      const tighter = prefixOf({ family: r.family, value: r.first }, p + 1);
      expect(r.last <= tighter.last).toBe(false);
    }
  });
});
