// The ARP fast path (arp-fast.c) through arpFastReply: the reply to a plain request byte for byte,
// and a table of frames it must leave to JS (null), one per condition it checks. Pure, no socket.

import { isSupported } from './binding.js';
import { NativeArgumentError } from './errors.js';
import { arpFastReply } from './packet.js';

const supported = isSupported() ? describe : describe.skip;
const hex = (s: string): Buffer => Buffer.from(s.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex');

const MAC = '02:00:00:00:0b:01';
const OWNED = ['203.0.113.10', '198.18.250.1', '203.0.113.9'];
// Who has 203.0.113.10? Tell 198.18.250.2 (02:00:00:00:0a:01), padded to 60 bytes like a kernel's.
const REQUEST = hex(`
  ffffffffffff 020000000a01 0806      # broadcast, from the asker, ARP
  0001 0800 06 04 0001                # Ethernet/IPv4, 6/4, request
  020000000a01 c612fa02               # sender: the asker, 198.18.250.2
  000000000000 cb00710a               # target: ?, 203.0.113.10
  000000000000000000000000000000000000 # padding to 60
`);
const REPLY = hex(`
  020000000a01 020000000b01 0806      # to the asker, from us, ARP
  0001 0800 06 04 0002                # Ethernet/IPv4, 6/4, reply
  020000000b01 cb00710a               # sender: our MAC, the IP asked for
  020000000a01 c612fa02               # target: the asker
  000000000000000000000000000000000000 # padding to 60
`);

/** A copy of REQUEST with bytes replaced from `at`. */
function with_(at: number, bytes: string): Buffer {
  const out = Buffer.from(REQUEST);
  hex(bytes).copy(out, at);
  return out;
}

supported('arpFastReply', () => {
  test('a broadcast request for an owned IP gets the reply TS builds, padded to 60 bytes', () => {
    expect(arpFastReply(REQUEST, MAC, OWNED)?.toString('hex')).toBe(REPLY.toString('hex'));
  });

  test('a request sent to our MAC, or without padding (42 bytes), or with a trailer, is answered the same', () => {
    expect(arpFastReply(with_(0, '020000000b01'), MAC, OWNED)?.toString('hex')).toBe(REPLY.toString('hex'));
    expect(arpFastReply(REQUEST.subarray(0, 42), MAC, OWNED)?.toString('hex')).toBe(REPLY.toString('hex'));
    expect(arpFastReply(Buffer.concat([REQUEST, Buffer.alloc(30, 0xaa)]), MAC, OWNED)?.toString('hex')).toBe(REPLY.toString('hex'));
    expect(arpFastReply(Uint8Array.from(REQUEST), Uint8Array.from(hex('020000000b01')), ['203.0.113.10'])?.toString('hex')).toBe(REPLY.toString('hex'));
  });

  test.each([
    ['an empty table (off)', REQUEST, []],
    ['truncated to 41 bytes', REQUEST.subarray(0, 41), OWNED],
    ['an empty frame', Buffer.alloc(0), OWNED],
    ['EtherType IPv4', with_(12, '0800'), OWNED],
    ['a VLAN tag in front of the EtherType', Buffer.concat([REQUEST.subarray(0, 12), hex('81000064'), REQUEST.subarray(12, 56)]), OWNED],
    ['hardware type 6 (IEEE 802)', with_(14, '0006'), OWNED],
    ['protocol type IPv6', with_(16, '86dd'), OWNED],
    ['hardware length 8', with_(18, '08'), OWNED],
    ['protocol length 16', with_(19, '10'), OWNED],
    ['a reply (opcode 2)', with_(20, '0002'), OWNED],
    ['RARP (opcode 3)', with_(20, '0003'), OWNED],
    ['opcode 257 (high byte set)', with_(20, '0101'), OWNED],
    ['to another unicast MAC', with_(0, '020000000c01'), OWNED],
    ['to a multicast MAC', with_(0, '01005e000001'), OWNED],
    ['from a multicast Ethernet source', with_(6, '01005e000001'), OWNED],
    ['from a broadcast ARP sender MAC', with_(22, 'ffffffffffff'), OWNED],
    ['from a multicast ARP sender MAC', with_(22, '333300000001'), OWNED],
    ['from the zero ARP sender MAC', with_(22, '000000000000'), OWNED],
    ['from the zero Ethernet source', with_(6, '000000000000'), OWNED],
    ['from our own MAC as ARP sender', with_(22, '020000000b01'), OWNED],
    ['from our own MAC as Ethernet source', with_(6, '020000000b01'), OWNED],
    ['an RFC 5227 probe (sender IP 0.0.0.0)', with_(28, '00000000'), OWNED],
    ['a sender claiming an IP we own', with_(28, 'c612fa01'), OWNED],
    ['a gratuitous ARP for our IP (sender = target)', with_(28, 'cb00710a'), OWNED],
    ['a target not owned', with_(38, 'cb00710b'), OWNED],
    ['a target owned only by another table', REQUEST, ['203.0.113.11']],
  ])('no reply for %s', (_name, frame, table) => {
    expect(arpFastReply(frame, MAC, table)).toBeNull();
  });

  test('the table is searched whatever its order, duplicates included', () => {
    const many = Array.from({ length: 300 }, (_, i) => `198.19.${i >> 8}.${i & 0xff}`).reverse();
    expect(arpFastReply(REQUEST, MAC, [...many, '203.0.113.10', '203.0.113.10'])?.toString('hex')).toBe(REPLY.toString('hex'));
    expect(arpFastReply(with_(38, 'c6130100'), MAC, many)).not.toBeNull();
    expect(arpFastReply(with_(38, 'c6130200'), MAC, many)).toBeNull();
  });

  test.each([
    ['a MAC of 5 bytes', () => arpFastReply(REQUEST, Uint8Array.of(2, 0, 0, 0, 0), OWNED), /mac is 5 bytes, not 6/],
    ['a MAC that is not one', () => arpFastReply(REQUEST, 'nope', OWNED), /mac "nope" is not a MAC address/],
    ['an IPv6 address in the table', () => arpFastReply(REQUEST, MAC, ['2001:db8::1']), /ipv4 address "2001:db8::1" is not a dotted-quad/],
    ['an octet over 255', () => arpFastReply(REQUEST, MAC, ['203.0.113.256']), /ipv4 address "203.0.113.256"/],
    ['a table that is not a list', () => arpFastReply(REQUEST, MAC, 'x' as never), /ipv4 must be a list/],
    ['a frame that is not bytes', () => arpFastReply('x' as never, MAC, OWNED), /frame must be a Uint8Array/],
  ])('bad arguments are NativeArgumentErrors: %s', (_name, run, message) => {
    expect(run).toThrow(NativeArgumentError);
    expect(run).toThrow(message);
  });
});
