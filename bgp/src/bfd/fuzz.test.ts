// The decoder fuzz loop: 100,000 random and mutated datagrams from fixed seeds.

import { fuzzBfdDecode } from './fuzz.js';

test('decoding 100,000 fuzzed datagrams returns packets that re-encode, or throws BfdWireError', () => {
  const report = fuzzBfdDecode(100_000, 0xbfd);
  expect(report.iterations).toBe(100_000);
  // Both outcomes must be common, or the mutations are not reaching the checks.
  expect(report.decoded).toBeGreaterThan(10_000);
  expect(report.rejected).toBeGreaterThan(10_000);
  // No hang: decoding is constant work per datagram (nothing loops on a length field), so the
  // whole run finishes well inside this test's timeout.
}, 30_000);

test('the loop is reproducible from its seed', () => {
  expect(fuzzBfdDecode(2_000, 7)).toEqual(fuzzBfdDecode(2_000, 7));
  expect(fuzzBfdDecode(2_000, 7)).not.toEqual(fuzzBfdDecode(2_000, 8));
});
