// The decoder fuzz loop: 20,000 random and mutated messages from fixed seeds.

import { fuzzDecode, seededRandom } from './fuzz.js';

test('decoding 20,000 fuzzed messages only returns values or throws BgpWireError', () => {
  const report = fuzzDecode(20000, 0x4ead);
  expect(report.iterations).toBe(20000);
  // Both outcomes must be common, or the mutations are not reaching the decoders.
  expect(report.decoded).toBeGreaterThan(2000);
  expect(report.rejected).toBeGreaterThan(2000);
});

test('the PRNG is reproducible from its seed', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  expect(fuzzDecode(500, 3)).toEqual(fuzzDecode(500, 3));
});
