// The benchmark's prefix range: where it starts, that it never leaves 198.18.0.0/15 or
// touches the lab's fabric and mgmt subnets, and that bad counts are refused.

import { BENCH_PREFIX_CAPACITY, BenchPrefixError, benchPrefixes } from './_bgp-prefixes.js';

const toNumber = (p: string): number => {
  const [a, b, c, d] = p.replace('/32', '').split('.').map(Number);
  return (((a ?? 0) << 24) | ((b ?? 0) << 16) | ((c ?? 0) << 8) | (d ?? 0)) >>> 0;
};

test.each([
  [0, undefined, undefined],
  [1, '198.18.64.0/32', '198.18.64.0/32'],
  [257, '198.18.64.0/32', '198.18.65.0/32'],
  [100_000, '198.18.64.0/32', '198.19.198.159/32'],
])('%i prefixes run from %s to %s', (count, first, last) => {
  const prefixes = benchPrefixes(count);
  expect(prefixes).toHaveLength(count);
  expect(prefixes[0]).toBe(first);
  expect(prefixes.at(-1)).toBe(last);
  expect(new Set(prefixes).size).toBe(count);
});

test('the whole range stays in 198.18.0.0/15, above the fabric /24 and below the mgmt /24', () => {
  const all = benchPrefixes(BENCH_PREFIX_CAPACITY).map(toNumber);
  const low = toNumber('198.18.1.0/32');
  const mgmt = toNumber('198.19.255.0/32');
  expect(Math.min(...all.slice(0, 10))).toBeGreaterThanOrEqual(low);
  expect(all.at(-1)).toBe(mgmt - 1);
  expect(BENCH_PREFIX_CAPACITY).toBeGreaterThanOrEqual(100_000);
});

test.each([-1, 1.5, Number.NaN, BENCH_PREFIX_CAPACITY + 1])('count %p is refused with a named error', (count) => {
  expect(() => benchPrefixes(count)).toThrow(BenchPrefixError);
  expect(() => benchPrefixes(count)).toThrow(/^bgp-prefixes: count/);
});
