// The generic round-trip: every message, attribute and capability is encoded, decoded and
// re-encoded to the same octets, its length is encodingLength, and it encodes at an offset.

import { classicContext, modernContext, type WireContext } from './context.js';
import { attributeEncodingLength, decodeAttribute, encodeAttribute } from './attributes/attribute.js';
import type { PathAttribute } from './attributes/table.js';
import { attributeTable, codecOf, type AttributeType } from './attributes/table.js';
import { capabilityEncodingLength, decodeCapability, encodeCapability } from './capabilities/table.js';
import type { Capability } from './capabilities/types.js';
import { decodeMessage, encodeMessage, messageEncodingLength, type BgpMessage } from './message.js';
import { fuzzCorpus } from './fuzz.js';
import { parsePrefix } from './nlri.js';

/** encode -> decode -> encode for any codec with the (buf, offset) convention. */
function roundTrip<T>(
  value: T,
  length: number,
  encode: (v: T, buf: Uint8Array, offset: number) => number,
  decode: (buf: Uint8Array, offset: number, end: number) => [T, number],
): void {
  const first = new Uint8Array(length);
  expect(encode(value, first, 0)).toBe(length);
  const [decoded, next] = decode(first, 0, length);
  expect(next).toBe(length);
  const second = new Uint8Array(length);
  expect(encode(decoded, second, 0)).toBe(length);
  expect(second).toEqual(first);
  // At an offset inside a larger buffer: same octets, neighbours untouched.
  const big = new Uint8Array(length + 10).fill(0xa5);
  expect(encode(value, big, 7)).toBe(7 + length);
  expect(big.subarray(7, 7 + length)).toEqual(first);
  expect(big.subarray(0, 7).every((b) => b === 0xa5)).toBe(true);
  expect(big.subarray(7 + length).every((b) => b === 0xa5)).toBe(true);
  const [fromOffset, end] = decode(big, 7, 7 + length);
  expect(end).toBe(7 + length);
  expect(fromOffset).toEqual(decoded);
}

const v4 = (t: string) => parsePrefix(t);

/** At least one value per attribute type; the test below checks that none is missing. */
const attributeCases: ReadonlyArray<[string, PathAttribute, WireContext]> = [
  ['ORIGIN igp', { type: 'origin', value: 'igp' }, classicContext],
  ['ORIGIN incomplete', { type: 'origin', value: 'incomplete' }, classicContext],
  ['AS_PATH 2-octet', { type: 'as-path', value: [{ type: 'sequence', asns: [65001, 65002] }, { type: 'set', asns: [1, 2] }] }, classicContext],
  ['AS_PATH 4-octet', { type: 'as-path', value: [{ type: 'confed-sequence', asns: [4200000000] }, { type: 'confed-set', asns: [7] }, { type: 'sequence', asns: [65001] }] }, modernContext],
  ['AS_PATH empty', { type: 'as-path', value: [] }, modernContext],
  ['AS_PATH long (extended length)', { type: 'as-path', value: [{ type: 'sequence', asns: Array.from({ length: 255 }, (_, i) => 64512 + i) }] }, modernContext],
  ['NEXT_HOP', { type: 'next-hop', value: '198.18.0.1' }, classicContext],
  ['MULTI_EXIT_DISC', { type: 'multi-exit-disc', value: 4294967295 }, classicContext],
  ['LOCAL_PREF', { type: 'local-pref', value: 100 }, classicContext],
  ['ATOMIC_AGGREGATE', { type: 'atomic-aggregate', value: true }, classicContext],
  ['AGGREGATOR 2-octet', { type: 'aggregator', value: { asn: 65001, address: '198.18.0.9' } }, classicContext],
  ['AGGREGATOR 4-octet', { type: 'aggregator', value: { asn: 4200000000, address: '198.18.0.9' } }, modernContext],
  ['COMMUNITIES', { type: 'communities', value: [0xfde90064, 0xffffff01, 0xffff029a] }, classicContext],
  ['COMMUNITIES partial', { type: 'communities', value: [1], partial: true }, classicContext],
  ['MP_REACH_NLRI ipv6 global', { type: 'mp-reach', value: { family: 'ipv6', nextHop: '2001:db8::1', nlri: [v4('2001:db8::/32')] } }, modernContext],
  ['MP_REACH_NLRI ipv6 global+link-local', { type: 'mp-reach', value: { family: 'ipv6', nextHop: '2001:db8::1', linkLocalNextHop: 'fe80::1', nlri: [v4('2001:db8:1::/48'), v4('::/0')] } }, modernContext],
  ['MP_REACH_NLRI ipv4', { type: 'mp-reach', value: { family: 'ipv4', nextHop: '198.18.0.1', nlri: [v4('203.0.113.0/24')] } }, modernContext],
  ['MP_UNREACH_NLRI ipv6', { type: 'mp-unreach', value: { family: 'ipv6', withdrawn: [v4('2001:db8::/128')] } }, modernContext],
  ['MP_UNREACH_NLRI end-of-rib', { type: 'mp-unreach', value: { family: 'ipv6', withdrawn: [] } }, modernContext],
  ['EXTENDED_COMMUNITIES', {
    type: 'extended-communities',
    value: [
      { kind: 'route-target', format: 'as2', asn: 65001, local: 4294967295 },
      { kind: 'route-origin', format: 'ipv4', address: '198.18.0.1', local: 7 },
      { kind: 'route-target', format: 'as4', asn: 4200000000, local: 65535 },
      { kind: 'link-bandwidth', asn: 65001, bytesPerSecond: 125000 },
      { kind: 'link-bandwidth', asn: 65001, bytesPerSecond: 0 },
      { kind: 'raw', bytes: Uint8Array.of(0x03, 0x0c, 0, 0, 0, 0, 0, 8) },
    ],
  }, classicContext],
  ['AS4_PATH', { type: 'as4-path', value: [{ type: 'sequence', asns: [4200000000, 65001] }] }, classicContext],
  ['AS4_AGGREGATOR', { type: 'as4-aggregator', value: { asn: 4200000000, address: '198.18.0.9' } }, classicContext],
  ['LARGE_COMMUNITY', { type: 'large-communities', value: [{ global: 4200000000, local1: 0, local2: 4294967295 }] }, classicContext],
  ['unknown optional transitive', { type: 'unknown', code: 99, flags: 0xe0, value: Uint8Array.of(1, 2, 3) }, classicContext],
  ['unknown with 300-octet value', { type: 'unknown', code: 200, flags: 0xe0, value: new Uint8Array(300).fill(7) }, classicContext],
];

describe('path attributes', () => {
  test.each(attributeCases)('%s round-trips', (_name, attribute, ctx) => {
    roundTrip(
      attribute,
      attributeEncodingLength(attribute, ctx),
      (a, buf, offset) => encodeAttribute(a, buf, offset, ctx),
      (buf, offset, end) => {
        const [decoded, next] = decodeAttribute(buf, offset, end, ctx);
        if (!decoded) throw new Error('dropped');
        return [decoded, next];
      },
    );
  });

  test('every registered attribute type has a case', () => {
    const covered = new Set(attributeCases.map(([, a]) => a.type));
    for (const type of Object.keys(attributeTable) as AttributeType[]) expect(covered).toContain(type);
  });

  test.each(attributeCases.filter(([, a]) => a.type !== 'unknown'))('%s value codec agrees with encodingLength', (_n, attribute, ctx) => {
    if (attribute.type === 'unknown') return;
    const codec = codecOf(attribute.type);
    const buf = new Uint8Array(codec.encodingLength(attribute.value, ctx));
    expect(codec.encode(attribute.value, buf, 0, ctx)).toBe(buf.length);
    expect(codec.decode(buf, ctx)).toEqual(attribute.value);
  });

  test('values over 255 octets use the extended length flag', () => {
    const attribute: PathAttribute = { type: 'unknown', code: 200, flags: 0xc0, value: new Uint8Array(256) };
    const buf = new Uint8Array(attributeEncodingLength(attribute, classicContext));
    encodeAttribute(attribute, buf, 0, classicContext);
    expect(buf.length).toBe(4 + 256);
    expect(buf[0]).toBe(0xf0); // optional, transitive, partial (unknown), extended length
  });
});

const capabilityCases: ReadonlyArray<[string, Capability]> = [
  ['multiprotocol', { type: 'multiprotocol', afi: 2, safi: 1 }],
  ['route refresh', { type: 'route-refresh' }],
  ['cisco route refresh', { type: 'route-refresh-cisco' }],
  ['enhanced route refresh', { type: 'enhanced-route-refresh' }],
  ['extended message', { type: 'extended-message' }],
  ['four-octet AS', { type: 'four-octet-as', asn: 4200000000 }],
  ['graceful restart', { type: 'graceful-restart', restarting: true, notification: false, restartTime: 4095, families: [{ afi: 1, safi: 1, forwardingPreserved: true }, { afi: 2, safi: 1, forwardingPreserved: false }] }],
  ['graceful restart helper', { type: 'graceful-restart', restarting: false, notification: true, restartTime: 0, families: [] }],
  ['unknown', { type: 'unknown', code: 73, value: Uint8Array.of(1, 2) }],
];

test.each(capabilityCases)('capability %s round-trips', (_name, capability) => {
  roundTrip(capability, capabilityEncodingLength(capability), encodeCapability, decodeCapability);
});

const bigOpen: BgpMessage = {
  type: 'open',
  myAs: 23456,
  holdTime: 0,
  identifier: '198.18.0.1',
  // 130 unknown capabilities of 2 octets: more than 255 octets, so RFC 9072's form is used.
  capabilities: Array.from({ length: 130 }, (_, i) => ({ type: 'unknown' as const, code: 150 + (i % 50), value: new Uint8Array(0) })),
};

const messageCases: ReadonlyArray<[string, BgpMessage, WireContext]> = [
  ...fuzzCorpus().flatMap((m): Array<[string, BgpMessage, WireContext]> => [
    [`${m.type} classic`, m, classicContext],
    [`${m.type} modern`, m, modernContext],
  ]),
  ['open without capabilities', { type: 'open', myAs: 65001, holdTime: 3, identifier: '198.18.0.1', capabilities: [] }, classicContext],
  ['open with RFC 9072 extended parameters', bigOpen, classicContext],
  ['update end-of-rib', { type: 'update', withdrawn: [], attributes: [], nlri: [] }, classicContext],
  ['notification without data', { type: 'notification', code: 4, subcode: 0, data: new Uint8Array(0) }, classicContext],
  ['route-refresh eorr', { type: 'route-refresh', afi: 1, safi: 1, subtype: 2 }, classicContext],
];

test.each(messageCases)('message %s round-trips', (_name, message, ctx) => {
  roundTrip(
    message,
    messageEncodingLength(message, ctx),
    (m, buf, offset) => encodeMessage(m, buf, offset, ctx),
    (buf, offset, end) => decodeMessage(buf.subarray(0, end), offset, ctx),
  );
});

test('the RFC 9072 form is chosen only when the parameters exceed 255 octets', () => {
  const buf = new Uint8Array(messageEncodingLength(bigOpen, classicContext));
  encodeMessage(bigOpen, buf, 0, classicContext);
  expect([buf[28], buf[29]]).toEqual([255, 255]);
  const small = new Uint8Array(messageEncodingLength(messageCases[0]![1], classicContext));
  encodeMessage(messageCases[0]![1], small, 0, classicContext);
  expect(small[28]).toBeLessThan(255);
});
