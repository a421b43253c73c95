// The pure answer to one frame: replies to good requests (equal to Linux's own answers), and a
// table of bad frames, each dropped under its one reason.

import { KERNEL_ARP_REPLY, KERNEL_ARP_REQUEST, KERNEL_NA, KERNEL_NS, patched } from '../wire/fixtures.js';
import { decodeFrame, encodeArpFrame, encodeNdpFrame, neighborAdvertisementFrame } from '../wire/frame.js';
import { answerArp, answerFrame, type Ownership } from './answer.js';
import type { DropReason } from './counters.js';

const MAC = '02:00:00:00:0b:01';
// The fixtures' owner, 198.18.250.1 / 2001:db8:250::1, plus a service address of each family.
const owner: Ownership = { mac: MAC, ipv4: new Set(['198.18.250.1', '203.0.113.10']), ipv6: new Set(['2001:db8:250::1', '2001:db8:251::10']) };
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const arpRequest = (over: Partial<{ op: number; sha: string; spa: string; tpa: string; src: string }> = {}): Uint8Array =>
  encodeArpFrame(
    { destination: 'ff:ff:ff:ff:ff:ff', source: over.src ?? '02:00:00:00:0a:01' },
    { operation: over.op ?? 1, senderMac: over.sha ?? '02:00:00:00:0a:01', senderIp: over.spa ?? '198.18.250.2', targetMac: '00:00:00:00:00:00', targetIp: over.tpa ?? '203.0.113.10' },
  );

/** A checksummed NS; hop limit patched afterwards would break the checksum, so it is built in. */
function ns(over: Partial<{ target: string; source: string; destination: string; option: string | null; src: string; hop: number }> = {}): Uint8Array {
  const frame = encodeNdpFrame(
    { destination: '33:33:ff:00:00:10', source: over.src ?? '02:00:00:00:0a:01' },
    over.source ?? '2001:db8:250::2',
    over.destination ?? 'ff02::1:ff00:10',
    { type: 'solicitation', target: over.target ?? '2001:db8:251::10', ...(over.option !== null && { sourceLinkLayer: over.option ?? '02:00:00:00:0a:01' }) },
  );
  if (over.hop !== undefined) {
    // The hop limit is not in the pseudo-header, so the checksum stays right.
    frame[21] = over.hop;
  }
  return frame;
}

describe('answers', () => {
  test('the kernel ARP request for an owned IP gets the kernel reply (padded)', () => {
    const v = answerFrame(KERNEL_ARP_REQUEST, owner);
    expect(v.protocol).toBe('arp');
    expect('reply' in v && hex(v.reply.subarray(0, 42))).toBe(hex(KERNEL_ARP_REPLY));
  });

  test('the kernel NS for an owned IP gets the kernel NA', () => {
    const v = answerFrame(KERNEL_NS, owner);
    expect('reply' in v && hex(v.reply)).toBe(hex(KERNEL_NA));
  });

  test('a service IP is answered with the interface MAC', () => {
    const v = answerFrame(arpRequest(), owner);
    expect('reply' in v && hex(v.reply.subarray(28, 32))).toBe('cb00710a'); // sender IP 203.0.113.10
    expect('reply' in v && hex(v.reply.subarray(22, 28))).toBe('020000000b01'); // sender MAC: ours
  });

  test('an ARP probe (sender 0.0.0.0, RFC 5227) for an owned IP is answered: the address is defended', () => {
    const v = answerFrame(arpRequest({ spa: '0.0.0.0' }), owner);
    expect('reply' in v).toBe(true);
  });

  test('a DAD probe (source ::) for an owned IPv6 address is answered to all nodes, solicited clear', () => {
    const v = answerFrame(ns({ source: '::', option: null }), owner);
    expect('reply' in v && hex(v.reply)).toBe(hex(neighborAdvertisementFrame('2001:db8:251::10', MAC, 'all-nodes')));
  });

  test('an NS without the source link-layer option is answered to the Ethernet source', () => {
    const v = answerFrame(ns({ option: null, destination: '2001:db8:251::10' }), owner);
    expect('reply' in v && hex(v.reply.subarray(0, 6))).toBe('020000000a01');
  });
});

describe('bad frames are dropped under their reason', () => {
  test.each<[string, Uint8Array, 'arp' | 'ndp', DropReason]>([
    ['truncated ARP', KERNEL_ARP_REQUEST.subarray(0, 30), 'arp', 'truncated'],
    ['runt frame', KERNEL_ARP_REQUEST.subarray(0, 10), 'ndp', 'truncated'],
    ['ARP over IEEE 802 hardware', patched(KERNEL_ARP_REQUEST, { 15: 6 }), 'arp', 'hardware-type'],
    ['ARP for IPv6 protocol', patched(KERNEL_ARP_REQUEST, { 16: 0x86, 17: 0xdd }), 'arp', 'protocol-type'],
    ['ARP with 8-byte hardware addresses', patched(KERNEL_ARP_REQUEST, { 18: 8 }), 'arp', 'address-length'],
    ['ARP reply', KERNEL_ARP_REPLY, 'arp', 'opcode'],
    ['RARP request (op 3)', arpRequest({ op: 3 }), 'arp', 'opcode'],
    ['request for an IP we do not own', arpRequest({ tpa: '203.0.113.99' }), 'arp', 'not-owned'],
    ['sender claims an IP we own', arpRequest({ spa: '203.0.113.10' }), 'arp', 'spoofed-sender'],
    ['gratuitous ARP from another host for our IP', arpRequest({ spa: '203.0.113.10', tpa: '203.0.113.10' }), 'arp', 'spoofed-sender'],
    ['broadcast sender MAC', arpRequest({ sha: 'ff:ff:ff:ff:ff:ff' }), 'arp', 'group-sender'],
    ['multicast Ethernet source', arpRequest({ src: '01:00:5e:00:00:01' }), 'arp', 'group-sender'],
    ['NS with hop limit 254', ns({ hop: 254 }), 'ndp', 'hop-limit'],
    ['NS with hop limit 64', ns({ hop: 64 }), 'ndp', 'hop-limit'],
    ['NS with a bad checksum', patched(KERNEL_NS, { 57: 0x89 }), 'ndp', 'checksum'],
    ['NS cut short', KERNEL_NS.subarray(0, 60), 'ndp', 'payload-length'],
    ['IPv6 that is not ICMPv6', patched(KERNEL_NS, { 20: 6 }), 'ndp', 'next-header'],
    ['NS turned into an echo request in flight (checksum no longer matches)', patched(KERNEL_NS, { 54: 128 }), 'ndp', 'checksum'],
    ['a Neighbor Advertisement', KERNEL_NA, 'ndp', 'not-solicitation'],
    ['NS for a multicast target', ns({ target: 'ff02::1' }), 'ndp', 'target-multicast'],
    ['DAD probe with a source link-layer option', ns({ source: '::' }), 'ndp', 'bad-dad'],
    ['DAD probe not to a solicited-node group', ns({ source: '::', option: null, destination: 'ff02::1' }), 'ndp', 'bad-dad'],
    ['NS for an address we do not own', ns({ target: '2001:db8:251::99' }), 'ndp', 'not-owned'],
    ['NS from an address we own', ns({ source: '2001:db8:251::10', target: '2001:db8:250::1' }), 'ndp', 'spoofed-sender'],
    ['NS with a multicast link-layer option', ns({ option: '33:33:00:00:00:01' }), 'ndp', 'group-sender'],
    ['NS from a broadcast Ethernet source', ns({ src: 'ff:ff:ff:ff:ff:ff' }), 'ndp', 'group-sender'],
    ['ARP request for our IPv6 address in text is not ours', arpRequest({ tpa: '198.18.250.9' }), 'arp', 'not-owned'],
  ])('%s', (_name, frame, protocol, reason) => {
    expect(answerFrame(frame, owner)).toEqual({ protocol, drop: reason });
  });

  test('the byte-level ARP path and the decode path give the same reply', () => {
    for (const frame of [KERNEL_ARP_REQUEST, arpRequest(), arpRequest({ spa: '0.0.0.0' }), arpRequest({ tpa: '198.18.250.1', src: '02:00:00:00:0a:09' })]) {
      const decoded = decodeFrame(frame);
      if (decoded.kind !== 'arp') throw new Error('expected ARP');
      const slow = answerArp(decoded.ethernet, decoded.arp, owner);
      const fast = answerFrame(frame, owner);
      expect('reply' in slow).toBe(true);
      expect('reply' in fast && hex(fast.reply)).toBe('reply' in slow && hex(slow.reply));
    }
  });

  test('the IPs of one interface are not answered on another', () => {
    const other: Ownership = { mac: MAC, ipv4: new Set(), ipv6: new Set() };
    expect(answerFrame(KERNEL_ARP_REQUEST, other)).toEqual({ protocol: 'arp', drop: 'not-owned' });
    expect(answerFrame(KERNEL_NS, other)).toEqual({ protocol: 'ndp', drop: 'not-owned' });
  });
});
