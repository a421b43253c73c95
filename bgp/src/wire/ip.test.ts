// parseIPv4 is a hand-written scanner (it is on the encoding hot path): it must accept exactly
// the dotted quads the plain rule accepts — four decimal parts 0..255, no leading zeros.

import fc from 'fast-check';
import { parseIPv4 } from './ip.js';

/** The rule written plainly, as the reference the scanner is held to. */
function reference(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.map(Number);
}

const asArray = (bytes: Uint8Array | undefined) => (bytes ? Array.from(bytes) : undefined);

test.each([
  ['0.0.0.0', [0, 0, 0, 0]],
  ['255.255.255.255', [255, 255, 255, 255]],
  ['198.18.64.0', [198, 18, 64, 0]],
  ['10.0.100.9', [10, 0, 100, 9]],
])('%s reads as %p', (text, octets) => {
  expect(asArray(parseIPv4(text))).toEqual(octets);
});

test.each(['', '.', '1.2.3.', '.1.2.3', '1..2.3', '1.2.3.4.', '1.2.3.04', '1.2.3.256', '1.2.3.1000', '1.2.3.4 ', ' 1.2.3.4', '+1.2.3.4', '1.2.3.-4', '１.2.3.4', '1.2.3.4/32', '00.1.2.3'])(
  '%p is not IPv4',
  (text) => {
    expect(parseIPv4(text)).toBeUndefined();
  },
);

test('agrees with the plain rule on random dotted text', () => {
  const piece = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('', '0', '00', '01', '255', '256', 'x', ' 1', '1e2'));
  const dotted = fc.array(piece, { minLength: 1, maxLength: 6 }).map((ps) => ps.join('.'));
  fc.assert(
    fc.property(fc.oneof(dotted, fc.string({ maxLength: 20 })), (text) => {
      expect(asArray(parseIPv4(text))).toEqual(reference(text));
    }),
    { numRuns: 5000 },
  );
});
