import fc from 'fast-check';
import { IPSet, parseIP, parsePoolEntry } from '@headland/api';
import { addressSpace, isBuggy } from './address-space.js';

const set = (...entries: string[]) => IPSet.from(entries.map(parsePoolEntry));

describe('addressSpace', () => {
  test.each([
    // entries, family, avoidBuggyIPs, size, first address, last address
    [['192.0.2.0/24'], 4, false, 256n, '192.0.2.0', '192.0.2.255'],
    [['192.0.2.0/24'], 4, true, 254n, '192.0.2.1', '192.0.2.254'],
    [['192.0.2.0/23'], 4, true, 508n, '192.0.2.1', '192.0.3.254'],
    [['10.0.0.0/8'], 4, true, 65536n * 254n, '10.0.0.1', '10.255.255.254'],
    [['192.0.2.255-192.0.3.0', '192.0.4.7/32'], 4, true, 1n, '192.0.4.7', '192.0.4.7'],
    [['2001:db8::/64'], 6, true, 1n << 64n, '2001:db8::', '2001:db8::ffff:ffff:ffff:ffff'],
    [['2001:db8::ff/128'], 6, true, 1n, '2001:db8::ff', '2001:db8::ff'],
  ] as const)('%j IPv%d avoid=%s: %d addresses from %s to %s', (entries, family, avoid, size, first, last) => {
    const space = addressSpace(set(...entries), family, avoid);
    expect(space?.size).toBe(size);
    expect(space?.nth(0n)).toEqual(parseIP(first));
    expect(space?.nth(size - 1n)).toEqual(parseIP(last));
    expect(space?.nth(size)).toBeUndefined();
    expect(space?.nth(-1n)).toBeUndefined();
    expect(space?.indexOf(parseIP(last))).toBe(size - 1n);
  });

  test.each([
    [['192.0.2.0/24'], 6, false],
    [['2001:db8::/64'], 4, false],
    [['192.0.2.0/32', '192.0.2.255/32'], 4, true],
  ] as const)('%j has no IPv%d space (avoid=%s)', (entries, family, avoid) => {
    expect(addressSpace(set(...entries), family, avoid)).toBeUndefined();
  });

  test.each([
    ['192.0.2.0', 'buggy'],
    ['192.0.2.255', 'buggy'],
    ['192.0.3.0', 'not-in-pool'],
    ['198.18.0.1', 'not-in-pool'],
    ['2001:db8::1', 'not-in-pool'],
    ['192.0.2.1', 0n],
    ['192.0.2.254', 253n],
  ] as const)('in 192.0.2.0/24 avoiding .0/.255, %s gives %s', (ip, expected) => {
    expect(addressSpace(set('192.0.2.0/24'), 4, true)?.indexOf(parseIP(ip))).toBe(expected);
  });

  test('a range of only buggy addresses beside allocatable ones: its addresses are buggy, not absent', () => {
    const space = addressSpace(set('192.0.2.255-192.0.3.0', '192.0.4.7/32'), 4, true);
    expect(space?.indexOf(parseIP('192.0.3.0'))).toBe('buggy');
    expect(space?.indexOf(parseIP('192.0.4.0'))).toBe('not-in-pool');
  });

  test.each([
    ['192.0.2.0', true],
    ['192.0.2.255', true],
    ['192.0.2.1', false],
    ['::', false],
    ['2001:db8::ff', false],
  ])('isBuggy(%s) is %s', (ip, expected) => {
    expect(isBuggy(parseIP(ip))).toBe(expected);
  });

  test('nth and indexOf agree with walking the addresses one by one', () => {
    const range = fc
      .tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 600 }))
      .map(([start, length]) => ({ family: 4 as const, first: 0xc0000000n + BigInt(start), last: 0xc0000000n + BigInt(start + length) }));
    fc.assert(
      fc.property(fc.array(range, { minLength: 1, maxLength: 4 }), fc.boolean(), (ranges, avoid) => {
        const addresses = IPSet.from(ranges);
        const expected = [...addresses.iterate(4)].filter((ip) => !avoid || !isBuggy(ip));
        const space = addressSpace(addresses, 4, avoid);
        expect(space?.size ?? 0n).toBe(BigInt(expected.length));
        expected.forEach((ip, i) => {
          expect(space?.nth(BigInt(i))).toEqual(ip);
          expect(space?.indexOf(ip)).toBe(BigInt(i));
        });
        for (const ip of addresses.iterate(4)) {
          if (avoid && isBuggy(ip)) expect(space?.indexOf(ip) ?? 'buggy').toBe('buggy');
        }
      }),
      { numRuns: 60 },
    );
  });
});
