// Addresses and prefixes: parsing, RFC 5952 output, and the strict NLRI checks.

import { hex } from './bytes.js';
import { BgpEncodeError, BgpWireError } from './errors.js';
import { formatIPv6, parseIPv4, parseIPv6 } from './ip.js';
import { decodePrefix, decodePrefixes, encodePrefix, formatPrefix, parsePrefix } from './nlri.js';

test.each([
  ['2001:db8::1', '2001:db8::1'],
  ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
  ['::', '::'],
  ['::ffff:198.18.0.1', '::ffff:c612:1'],
  ['fe80::', 'fe80::'],
])('IPv6 %s formats as %s', (input, output) => {
  expect(formatIPv6(parseIPv6(input)!)).toBe(output);
});

test.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', 'a.b.c.d'])('%p is not IPv4', (text) => {
  expect(parseIPv4(text)).toBeUndefined();
});

test.each([':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::', '1:2:3:4:5:6:7'])('%p is not IPv6', (text) => {
  expect(parseIPv6(text)).toBeUndefined();
});

test.each([
  ['203.0.113.77/24', '203.0.113.0/24'],
  ['0.0.0.0/0', '0.0.0.0/0'],
  ['2001:db8::ff/120', '2001:db8::/120'],
  ['2001:db8:ffff::/33', '2001:db8:8000::/33'],
])('parsePrefix(%s) clears host bits: %s', (input, output) => {
  expect(formatPrefix(parsePrefix(input))).toBe(output);
});

test.each(['203.0.113.0', '203.0.113.0/33', '2001:db8::/129', 'x/8'])('parsePrefix(%p) throws BgpEncodeError', (text) => {
  expect(() => parsePrefix(text)).toThrow(BgpEncodeError);
});

test('trailing bits past the length are ignored on input', () => {
  // /9 with the second octet 0xff: only its top bit belongs to the prefix.
  expect(decodePrefix(hex('09 cbff'), 0, 3, 'ipv4')).toEqual([{ family: 'ipv4', address: '203.128.0.0', length: 9 }, 3]);
});

test('encoding writes only the octets the length needs', () => {
  const buf = new Uint8Array(4).fill(0xee);
  expect(encodePrefix(parsePrefix('203.0.113.0/24'), buf, 0)).toBe(4);
  expect(buf).toEqual(hex('18 cb0071'));
});

test.each<[string, string, 'ipv4' | 'ipv6']>([
  ['IPv4 length 33', '21 cb00710000', 'ipv4'],
  ['IPv6 length 129', `81 ${'00'.repeat(17)}`, 'ipv6'],
  ['prefix octets beyond the field', '18 cb00', 'ipv4'],
  ['a trailing length octet with no prefix', '18 cb0071 20', 'ipv4'],
])('%s -> Invalid Network Field', (_name, bytes, family) => {
  const b = hex(bytes);
  let caught: unknown;
  try {
    decodePrefixes(b, 0, b.length, family);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(BgpWireError);
  expect([(caught as BgpWireError).code, (caught as BgpWireError).subcode, (caught as BgpWireError).action]).toEqual([3, 10, 'session-reset']);
  expect((caught as BgpWireError).message).toMatch(/^nlri: /);
});
