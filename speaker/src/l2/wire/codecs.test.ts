// Every codec: decode the captured fixtures to known values, the generic round trip (encode,
// decode, re-encode; length = encodingLength; encoding at an offset into a larger buffer), and
// the typed errors for each kind of damage.

import { arp, type ArpPacket } from './arp.js';
import { L2WireError, type Codec } from './errors.js';
import { ethernet, type EthernetHeader } from './ethernet.js';
import { KERNEL_ARP_REQUEST, KERNEL_NA, KERNEL_NS, hex, patched } from './fixtures.js';
import { ipv6, type IPv6Header } from './ipv6.js';
import { ndp, type NeighborMessage } from './ndp.js';

describe('decoding captured kernel frames', () => {
  test('Ethernet header of the ARP request', () => {
    expect(ethernet.decode(KERNEL_ARP_REQUEST, 0)).toEqual([{ destination: 'ff:ff:ff:ff:ff:ff', source: '02:00:00:00:0a:01', etherType: 0x0806 }, 14]);
  });

  test('ARP request body', () => {
    expect(arp.decode(KERNEL_ARP_REQUEST, 14)).toEqual([
      { operation: 1, senderMac: '02:00:00:00:0a:01', senderIp: '198.18.250.2', targetMac: '00:00:00:00:00:00', targetIp: '198.18.250.1' },
      42,
    ]);
  });

  test('IPv6 header of the NS: hop limit 255 is read', () => {
    expect(ipv6.decode(KERNEL_NS, 14)).toEqual([
      { trafficClass: 0, flowLabel: 0, payloadLength: 32, nextHeader: 58, hopLimit: 255, source: '2001:db8:250::2', destination: 'ff02::1:ff00:1' },
      54,
    ]);
  });

  test('NS and NA bodies with their link-layer options', () => {
    expect(ndp.decode(KERNEL_NS.subarray(54), 0)[0]).toEqual({ type: 'solicitation', target: '2001:db8:250::1', sourceLinkLayer: '02:00:00:00:0a:01' });
    expect(ndp.decode(KERNEL_NA.subarray(54), 0)[0]).toEqual({
      type: 'advertisement',
      router: false,
      solicited: true,
      override: true,
      target: '2001:db8:250::1',
      targetLinkLayer: '02:00:00:00:0b:01',
    });
  });

  test('unknown ND options are skipped (RFC 4861 §4.6)', () => {
    // NS body + a nonce option (type 14, 8 bytes) before the source link-layer option.
    const body = hex(`87 00 0000 00000000 20010db8025000000000000000000001  0e01 010203040506  0101 02000000 0a01`);
    expect(ndp.decode(body, 0)[0]).toEqual({ type: 'solicitation', target: '2001:db8:250::1', sourceLinkLayer: '02:00:00:00:0a:01' });
  });
});

/** encode -> decode -> encode gives the same bytes, at offset 0 and at offset 7 of a larger buffer. */
function roundTrip<T>(codec: Codec<T>, value: T, decodeView: (bytes: Uint8Array, offset: number) => [T, number] = (b, o) => codec.decode(b, o)): void {
  const bytes = codec.encode(value);
  expect(bytes.length).toBe(codec.encodingLength(value));
  const [decoded, next] = decodeView(bytes, 0);
  expect(decoded).toEqual(value);
  expect(next).toBe(bytes.length);
  expect(codec.encode(decoded)).toEqual(bytes);
  const big = new Uint8Array(bytes.length + 11).fill(0xee);
  codec.encode(value, big, 7);
  expect(big.subarray(7, 7 + bytes.length)).toEqual(bytes);
  expect(big[6]).toBe(0xee);
  expect(big[7 + bytes.length]).toBe(0xee);
}

describe('round trips', () => {
  test.each<[string, EthernetHeader]>([
    ['broadcast ARP', { destination: 'ff:ff:ff:ff:ff:ff', source: '02:00:00:00:0a:01', etherType: 0x0806 }],
    ['IPv6 multicast', { destination: '33:33:ff:00:00:01', source: '02:ab:cd:ef:00:01', etherType: 0x86dd }],
  ])('ethernet %s', (_name, value) => roundTrip(ethernet, value));

  test.each<[string, ArpPacket]>([
    ['request', { operation: 1, senderMac: '02:00:00:00:0a:01', senderIp: '198.18.250.2', targetMac: '00:00:00:00:00:00', targetIp: '203.0.113.10' }],
    ['reply', { operation: 2, senderMac: '02:00:00:00:0b:01', senderIp: '203.0.113.10', targetMac: '02:00:00:00:0a:01', targetIp: '198.18.250.2' }],
    ['RARP request (op 3) decodes too', { operation: 3, senderMac: '02:00:00:00:0a:01', senderIp: '0.0.0.0', targetMac: '02:00:00:00:0a:01', targetIp: '0.0.0.0' }],
  ])('arp %s', (_name, value) => roundTrip(arp, value));

  test.each<[string, IPv6Header]>([
    ['ND', { trafficClass: 0, flowLabel: 0, payloadLength: 32, nextHeader: 58, hopLimit: 255, source: '2001:db8:250::2', destination: 'ff02::1:ff00:1' }],
    ['every field set', { trafficClass: 0xb8, flowLabel: 0xabcde, payloadLength: 65535, nextHeader: 17, hopLimit: 1, source: '2001:db8::1', destination: '2001:db8:ffff::ffff' }],
  ])('ipv6 %s', (_name, value) => roundTrip(ipv6, value));

  test.each<[string, NeighborMessage]>([
    ['NS with source link-layer', { type: 'solicitation', target: '2001:db8:251::10', sourceLinkLayer: '02:00:00:00:0a:01' }],
    ['DAD NS without option', { type: 'solicitation', target: '2001:db8:251::10' }],
    ['solicited NA', { type: 'advertisement', router: false, solicited: true, override: true, target: '2001:db8:251::10', targetLinkLayer: '02:00:00:00:0b:01' }],
    ['router NA without option', { type: 'advertisement', router: true, solicited: false, override: false, target: '2001:db8::1' }],
  ])('ndp %s', (_name, value) => roundTrip(ndp, value, (b, o) => ndp.decode(b.subarray(o, o + ndp.encodingLength(value)), 0)));
});

describe('damage is an L2WireError naming the module and reason', () => {
  const arpAt14 = (f: Uint8Array) => () => arp.decode(f, 14);
  const ipAt14 = (f: Uint8Array) => () => ipv6.decode(f, 14);
  const ndpBody = (f: Uint8Array) => () => ndp.decode(f.subarray(54), 0);
  test.each<[string, () => unknown, string, RegExp]>([
    ['Ethernet header cut', () => ethernet.decode(KERNEL_ARP_REQUEST.subarray(0, 13), 0), 'truncated', /^l2\/wire\/ethernet: truncated: an Ethernet header needs 14 bytes at offset 0, have 13/],
    ['ARP body cut', arpAt14(KERNEL_ARP_REQUEST.subarray(0, 41)), 'truncated', /^l2\/wire\/arp: truncated: an ARP packet needs 28 bytes at offset 14, have 27/],
    ['ARP hardware type 6 (IEEE 802)', arpAt14(patched(KERNEL_ARP_REQUEST, { 15: 6 })), 'hardware-type', /hardware type 6, not 1/],
    ['ARP protocol type 0x86dd', arpAt14(patched(KERNEL_ARP_REQUEST, { 16: 0x86, 17: 0xdd })), 'protocol-type', /protocol type 0x86dd, not 0x0800/],
    ['ARP hardware length 8', arpAt14(patched(KERNEL_ARP_REQUEST, { 18: 8 })), 'address-length', /address lengths 8\/4, not 6\/4/],
    ['ARP protocol length 16', arpAt14(patched(KERNEL_ARP_REQUEST, { 19: 16 })), 'address-length', /address lengths 6\/16/],
    ['negative offset', () => arp.decode(KERNEL_ARP_REQUEST, -1), 'truncated', /at offset -1/],
    ['IPv6 header cut', ipAt14(KERNEL_NS.subarray(0, 53)), 'truncated', /an IPv6 header needs 40 bytes/],
    ['IPv4 in an IPv6 header', ipAt14(patched(KERNEL_NS, { 14: 0x45 })), 'ip-version', /version 4, not 6/],
    ['ND message cut', ndpBody(KERNEL_NS.subarray(0, 70)), 'truncated', /a Neighbor Discovery message needs 24 bytes/],
    ['ICMPv6 echo request', ndpBody(patched(KERNEL_NS, { 54: 128 })), 'icmp-type', /ICMPv6 type 128, not 135 or 136/],
    ['ND code 1', ndpBody(patched(KERNEL_NS, { 55: 1 })), 'icmp-code', /ICMPv6 code 1, not 0/],
    ['option length 0', ndpBody(patched(KERNEL_NS, { 79: 0 })), 'option', /option 1 at offset 24 has length 0/],
    ['option past the end', ndpBody(patched(KERNEL_NS, { 79: 2 })), 'option', /runs 8 bytes past the message/],
    ['link-layer option of 16 bytes', () => ndp.decode(hex('87000000 00000000 20010db8025000000000000000000001 0102 02000000 0a01 0000000000000000'), 0), 'option', /link-layer address option is 16 bytes, not 8/],
    ['option header cut', () => ndp.decode(hex('87000000 00000000 20010db8025000000000000000000001 01'), 0), 'truncated', /an option header needs 2 bytes/],
  ])('%s', (_name, run, reason, message) => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(L2WireError);
    expect((error as L2WireError).reason).toBe(reason);
    expect((error as L2WireError).message).toMatch(message);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['bad MAC text', () => ethernet.encode({ destination: 'ff:ff', source: '02:00:00:00:0a:01', etherType: 0x0806 }), /^l2\/wire\/addresses: value: MAC "ff:ff" is not like/],
    ['IPv6 address in ARP', () => arp.encode({ operation: 1, senderMac: '02:00:00:00:0a:01', senderIp: '2001:db8::1', targetMac: '00:00:00:00:00:00', targetIp: '198.18.0.1' }), /2001:db8::1 is not an IPv4 address/],
    ['not an address', () => arp.encode({ operation: 1, senderMac: '02:00:00:00:0a:01', senderIp: '198.18.0.256', targetMac: '00:00:00:00:00:00', targetIp: '198.18.0.1' }), /"198.18.0.256" is not an IP address/],
    ['ARP operation 70000', () => arp.encode({ operation: 70000, senderMac: '02:00:00:00:0a:01', senderIp: '198.18.0.1', targetMac: '00:00:00:00:00:00', targetIp: '198.18.0.1' }), /operation 70000 is not 0..65535/],
    ['hop limit 256', () => ipv6.encode({ trafficClass: 0, flowLabel: 0, payloadLength: 0, nextHeader: 58, hopLimit: 256, source: '2001:db8::1', destination: 'ff02::1' }), /^l2\/wire\/ipv6: value: hop limit 256 is not 0..255/],
    ['no room at the offset', () => arp.encode({ operation: 1, senderMac: '02:00:00:00:0a:01', senderIp: '198.18.0.1', targetMac: '00:00:00:00:00:00', targetIp: '198.18.0.1' }, new Uint8Array(30), 5), /encoding needs 28 bytes at offset 5 of a 30-byte buffer/],
  ])('encoding refuses %s', (_name, run, message) => {
    expect(run).toThrow(L2WireError);
    expect(run).toThrow(message);
  });
});
