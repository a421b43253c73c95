import { formatIP, parseIP, type Family, type IPAddress } from './address.js';
import { formatRange, parseCIDR, parsePoolEntry, type IPRange } from './range.js';
import { IPSet } from './set.js';

const setOf = (...entries: string[]): IPSet => IPSet.from(entries.map(parsePoolEntry));
const shown = (set: IPSet, family: Family): string[] => set.ranges(family).map(formatRange);
const take = (iterator: Iterator<IPAddress>, count: number): string[] => {
  const out: string[] = [];
  for (let step = iterator.next(); !step.done && out.length < count; step = iterator.next()) out.push(formatIP(step.value));
  return out;
};

describe('IPSet.from merges', () => {
  test.each([
    [['192.0.2.0/25', '192.0.2.128/25'], ['192.0.2.0/24']], // adjacent
    [['192.0.2.10-192.0.2.20', '192.0.2.15-192.0.2.30'], ['192.0.2.10-192.0.2.30']], // overlapping
    [['192.0.2.15-192.0.2.30', '192.0.2.10-192.0.2.20'], ['192.0.2.10-192.0.2.30']], // order-free
    [['192.0.2.0/24', '192.0.2.7/32'], ['192.0.2.0/24']], // contained
    [['192.0.2.0/24', '192.0.2.0/24'], ['192.0.2.0/24']], // duplicate
    [['192.0.2.0/26', '192.0.2.128/26'], ['192.0.2.0/26', '192.0.2.128/26']], // gap stays
    [['192.0.2.1-192.0.2.1', '192.0.2.3-192.0.2.3', '192.0.2.2-192.0.2.2'], ['192.0.2.1-192.0.2.3']],
    [['192.0.2.255-192.0.3.1', '192.0.2.0/24'], ['192.0.2.0-192.0.3.1']],
    [['0.0.0.0/1', '128.0.0.0/1'], ['0.0.0.0/0']],
    [['10.0.0.0/8', '192.0.2.0/24', '0.0.0.0/0'], ['0.0.0.0/0']],
    [[], []],
  ])('%j -> %j', (entries, merged) => {
    expect(shown(setOf(...entries), 4)).toEqual(merged);
  });

  test.each([
    [['2001:db8::/64', '2001:db8:0:1::/64'], ['2001:db8::/63']],
    [['2001:db8::ffff-2001:db8::1:1', '2001:db8::1:2-2001:db8::1:ffff'], ['2001:db8::ffff-2001:db8::1:ffff']],
    [['::/1', '8000::/1'], ['::/0']],
  ])('IPv6 %j -> %j', (entries, merged) => {
    expect(shown(setOf(...entries), 6)).toEqual(merged);
  });

  test('keeps families apart: an IPv4-mapped range does not merge with IPv4', () => {
    const set = setOf('::ffff:192.0.2.0/120', '192.0.2.0/24', '2001:db8::/126');
    expect(shown(set, 4)).toEqual(['192.0.2.0/24']);
    expect(shown(set, 6)).toEqual(['::ffff:192.0.2.0/120', '2001:db8::/126']);
    expect(set.contains(parseIP('192.0.2.1'))).toBe(true);
    expect(set.contains(parseIP('::ffff:192.0.2.1'))).toBe(true);
    expect(setOf('192.0.2.0/24').contains(parseIP('::ffff:192.0.2.1'))).toBe(false);
  });

  test('does not share the caller array or its objects', () => {
    const input: IPRange[] = [parsePoolEntry('192.0.2.0/24')];
    const set = IPSet.from(input);
    input.push(parsePoolEntry('198.51.100.0/24'));
    expect(set.size()).toBe(256n);
  });

  test.each([
    [{ family: 4, first: 5n, last: 4n }, /first 5 is after last 4/],
    [{ family: 4, first: 0n, last: 1n << 32n }, /out of range for IPv4/],
    [{ family: 7, first: 0n, last: 1n }, /family 7 is not 4 or 6/],
    [{ family: 6, first: 0, last: 1n }, /not a bigint/],
    [null, /not an object/],
  ])('rejects the malformed range %p', (bad, reason) => {
    expect(() => IPSet.from([bad as unknown as IPRange])).toThrow(reason);
    expect(() => IPSet.from([bad as unknown as IPRange])).toThrow(/^ip: /);
  });
});

describe('size', () => {
  test.each([
    [['0.0.0.0/0'], 4, 1n << 32n],
    [['::/0'], 6, 1n << 128n],
    [['2001:db8::/64'], 6, 1n << 64n],
    [['10.0.0.0/8', '10.1.0.0/16'], 4, 1n << 24n],
    [['192.0.2.1-192.0.2.6', '192.0.2.10/31'], 4, 8n],
    [['192.0.2.0/24'], 6, 0n],
  ] as const)('%j in IPv%p has %p', (entries, family, size) => {
    expect(setOf(...entries).size(family)).toBe(size);
  });

  test('without a family counts both', () => {
    expect(setOf('0.0.0.0/0', '::/0').size()).toBe((1n << 32n) + (1n << 128n));
  });

  test('isEmpty', () => {
    expect(IPSet.from([]).isEmpty()).toBe(true);
    expect(setOf('::1/128').isEmpty()).toBe(false);
    expect(setOf('192.0.2.1/32').isEmpty()).toBe(false);
  });
});

describe('contains at the edges', () => {
  const set = setOf('192.0.2.10-192.0.2.20', '192.0.2.30-192.0.2.40', '2001:db8::ffff-2001:db8::1:1');
  test.each([
    ['192.0.2.9', false],
    ['192.0.2.10', true],
    ['192.0.2.20', true],
    ['192.0.2.21', false],
    ['192.0.2.29', false],
    ['192.0.2.30', true],
    ['192.0.2.40', true],
    ['192.0.2.41', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['2001:db8::fffe', false],
    ['2001:db8::ffff', true],
    ['2001:db8::1:0', true],
    ['2001:db8::1:1', true],
    ['2001:db8::1:2', false],
    ['::ffff:192.0.2.10', false],
  ])('%s: %p', (address, expected) => {
    expect(set.contains(parseIP(address))).toBe(expected);
  });

  test('an empty set and the whole space', () => {
    expect(IPSet.from([]).contains(parseIP('::'))).toBe(false);
    const all = setOf('0.0.0.0/0', '::/0');
    for (const text of ['0.0.0.0', '255.255.255.255', '::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']) {
      expect(all.contains(parseIP(text))).toBe(true);
    }
  });

  test('a bad address is not contained rather than a crash', () => {
    expect(set.contains({ family: 5, value: 1n } as unknown as IPAddress)).toBe(false);
    expect(set.indexOf(null as unknown as IPAddress)).toBeUndefined();
  });
});

describe('nth and indexOf', () => {
  const set = setOf('192.0.2.10-192.0.2.12', '192.0.2.255-192.0.3.1', '198.51.100.0/24', '2001:db8::ffff-2001:db8::1:1');
  test.each([
    [4, 0n, '192.0.2.10'],
    [4, 2n, '192.0.2.12'],
    [4, 3n, '192.0.2.255'],
    [4, 4n, '192.0.3.0'],
    [4, 5n, '192.0.3.1'],
    [4, 6n, '198.51.100.0'],
    [4, 261n, '198.51.100.255'],
    [6, 0n, '2001:db8::ffff'],
    [6, 1n, '2001:db8::1:0'],
    [6, 2n, '2001:db8::1:1'],
  ] as const)('IPv%p #%p is %s and back', (family, n, address) => {
    const found = set.nth(family, n);
    expect(found && formatIP(found)).toBe(address);
    expect(set.indexOf(parseIP(address))).toBe(n);
  });

  test.each([
    [4, 262n],
    [4, -1n],
    [6, 3n],
    [6, 1n << 200n],
  ] as const)('IPv%p #%p is past the end', (family, n) => {
    expect(set.nth(family, n)).toBeUndefined();
  });

  test('nth of an empty family and a non-bigint index', () => {
    expect(setOf('192.0.2.0/24').nth(6, 0n)).toBeUndefined();
    expect(set.nth(4, 1 as unknown as bigint)).toBeUndefined();
  });

  test.each(['192.0.2.9', '192.0.2.13', '192.0.2.254', '198.51.101.0', '::ffff:192.0.2.10', '2001:db8::1:2'])('indexOf %s outside is undefined', (address) => {
    expect(set.indexOf(parseIP(address))).toBeUndefined();
  });

  test('round-trips every address of a small set, in ascending order', () => {
    const values: string[] = [];
    for (let n = 0n; n < set.size(4); n++) {
      const address = set.nth(4, n);
      if (address === undefined) throw new Error(`no address at ${n}`);
      expect(set.indexOf(address)).toBe(n);
      values.push(formatIP(address));
    }
    expect(values).toEqual(take(set.iterate(4), 1000));
  });

  test('reaches the end of huge pools directly, as the allocator needs', () => {
    const huge = setOf('10.0.0.0/8', '::/0');
    expect(formatIP(huge.nth(4, (1n << 24n) - 1n) as IPAddress)).toBe('10.255.255.255');
    expect(formatIP(huge.nth(6, (1n << 128n) - 1n) as IPAddress)).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(huge.nth(6, 1n << 128n)).toBeUndefined();
    expect(huge.indexOf(parseIP('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'))).toBe((1n << 128n) - 2n);
  });

  test('finds the right range among many', () => {
    // 2,000 single addresses two apart: 198.18.0.0, 198.18.0.2, ...
    const base = parseIP('198.18.0.0').value;
    const many = IPSet.from(Array.from({ length: 2000 }, (_, i) => ({ family: 4 as const, first: base + 2n * BigInt(i), last: base + 2n * BigInt(i) })));
    expect(many.ranges(4)).toHaveLength(2000);
    for (const i of [0n, 1n, 999n, 1000n, 1999n]) {
      expect(many.nth(4, i)?.value).toBe(base + 2n * i);
      expect(many.indexOf({ family: 4, value: base + 2n * i })).toBe(i);
      expect(many.contains({ family: 4, value: base + 2n * i + 1n })).toBe(false);
    }
  });
});

describe('iterate', () => {
  const set = setOf('192.0.2.254-192.0.3.1', '192.0.3.10-192.0.3.11', '2001:db8::fffe-2001:db8::1:0');
  test.each([
    [4, undefined, ['192.0.2.254', '192.0.2.255', '192.0.3.0', '192.0.3.1', '192.0.3.10', '192.0.3.11']],
    [4, '192.0.3.0', ['192.0.3.0', '192.0.3.1', '192.0.3.10', '192.0.3.11']],
    [4, '192.0.3.5', ['192.0.3.10', '192.0.3.11']],
    [4, '192.0.3.11', ['192.0.3.11']],
    [4, '192.0.3.12', []],
    [4, '0.0.0.0', ['192.0.2.254', '192.0.2.255', '192.0.3.0', '192.0.3.1', '192.0.3.10', '192.0.3.11']],
    [6, undefined, ['2001:db8::fffe', '2001:db8::ffff', '2001:db8::1:0']],
    [6, '2001:db8::ffff', ['2001:db8::ffff', '2001:db8::1:0']],
    [6, '::', ['2001:db8::fffe', '2001:db8::ffff', '2001:db8::1:0']],
  ] as const)('IPv%p from %p', (family, from, expected) => {
    const start = from === undefined ? undefined : parseIP(from);
    expect(take(start === undefined ? set.iterate(family) : set.iterate(family, start), 100)).toEqual(expected);
  });

  test('is lazy over the whole IPv6 space', () => {
    const all = setOf('::/0');
    expect(take(all.iterate(6, parseIP('2001:db8::ffff')), 3)).toEqual(['2001:db8::ffff', '2001:db8::1:0', '2001:db8::1:1']);
  });

  test('refuses a start address of the other family at once', () => {
    expect(() => set.iterate(4, parseIP('::ffff:192.0.3.0'))).toThrow(/^ip: iterate over IPv4 cannot start from ::ffff:192.0.3.0, an IPv6 address/);
  });

  test('an unknown family is a typed error', () => {
    expect(() => set.iterate(5 as Family)).toThrow(/^ip: family 5 is not 4 or 6/);
    expect(() => set.ranges(5 as Family)).toThrow(/^ip: family 5/);
    expect(() => set.size(0 as Family)).toThrow(/^ip: family 0/);
  });
});

describe('overlaps', () => {
  test.each([
    [['192.0.2.0/24'], ['192.0.2.128/25'], '192.0.2.128/25'],
    [['192.0.2.0/24'], ['192.0.3.0/24'], undefined],
    [['192.0.2.10-192.0.2.20'], ['192.0.2.20-192.0.2.30'], '192.0.2.20/32'],
    [['192.0.2.0/26', '192.0.2.128/26'], ['192.0.2.58-192.0.2.130'], '192.0.2.58-192.0.2.63'],
    [['192.0.2.0/26', '192.0.2.128/26'], ['192.0.2.64/26', '192.0.2.160/27'], '192.0.2.160/27'],
    [['192.0.2.0/24', '2001:db8::/64'], ['2001:db8::1/128'], '2001:db8::1/128'],
    [['2001:db8::/64', '198.51.100.0/24'], ['198.51.100.7/32', '2001:db8::/48'], '198.51.100.7/32'],
    [['192.0.2.0/24'], ['::ffff:192.0.2.0/120'], undefined],
    [[], ['::/0'], undefined],
  ])('%j and %j: %p', (a, b, common) => {
    const left = setOf(...a);
    const right = setOf(...b);
    const found = left.overlaps(right);
    expect(found && formatRange(found)).toBe(common);
    const reverse = right.overlaps(left);
    expect(reverse && formatRange(reverse)).toBe(common);
  });
});

describe('IPSet immutability', () => {
  test('the ranges it hands out cannot change the set', () => {
    const set = IPSet.from([parseCIDR('203.0.113.0/30')]);
    const ranges = set.ranges(4) as IPRange[];
    expect(() => ranges.push(parseCIDR('203.0.113.8/30'))).toThrow(TypeError);
    expect(() => Object.assign(ranges[0]!, { last: 0n })).toThrow(TypeError);
    expect(() => (IPSet.from([]).ranges(6) as IPRange[]).push(parseCIDR('2001:db8::/126'))).toThrow(TypeError);
    expect(set.size(4)).toBe(4n);
    expect(set.ranges(4)).toHaveLength(1);
  });
});
