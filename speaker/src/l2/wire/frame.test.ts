// Whole frames: the kernel's captured frames decode, our answers to the kernel's own questions
// are byte for byte what Linux answers, and every kind of damage has its reason.

import { ipv6MulticastMac, solicitedNodeAddress } from './addresses.js';
import { L2WireError } from './errors.js';
import { KERNEL_ARP_REPLY, KERNEL_ARP_REQUEST, KERNEL_NA, KERNEL_NS, hex, patched } from './fixtures.js';
import { arpReplyFrame, decodeFrame, gratuitousArpFrame, neighborAdvertisementFrame, unsolicitedAdvertisementFrame } from './frame.js';

const OWNER_MAC = '02:00:00:00:0b:01';

test('our ARP reply to the kernel request is the kernel reply, padded to 60 bytes', () => {
  const request = decodeFrame(KERNEL_ARP_REQUEST);
  if (request.kind !== 'arp') throw new Error('expected ARP');
  const reply = arpReplyFrame(request.arp, OWNER_MAC);
  expect(reply.length).toBe(60);
  expect(Buffer.from(reply.subarray(0, 42)).toString('hex')).toBe(Buffer.from(KERNEL_ARP_REPLY).toString('hex'));
  expect(reply.subarray(42).every((b) => b === 0)).toBe(true);
});

test('our NA to the kernel NS is the kernel NA, checksum included', () => {
  const ns = decodeFrame(KERNEL_NS);
  if (ns.kind !== 'ndp' || ns.message.type !== 'solicitation') throw new Error('expected NS');
  expect(ns.ip.hopLimit).toBe(255);
  const na = neighborAdvertisementFrame(ns.message.target, OWNER_MAC, { ip: ns.ip.source, mac: ns.message.sourceLinkLayer! });
  expect(Buffer.from(na).toString('hex')).toBe(Buffer.from(KERNEL_NA).toString('hex'));
});

test('a padded Ethernet frame decodes to the IPv6 payload length', () => {
  const padded = new Uint8Array(KERNEL_NS.length + 10);
  padded.set(KERNEL_NS);
  expect(decodeFrame(padded)).toEqual(decodeFrame(KERNEL_NS));
});

test('gratuitous ARP: a broadcast request with sender and target both the taken IP', () => {
  const frame = gratuitousArpFrame('203.0.113.10', OWNER_MAC);
  expect(decodeFrame(frame)).toEqual({
    kind: 'arp',
    ethernet: { destination: 'ff:ff:ff:ff:ff:ff', source: OWNER_MAC, etherType: 0x0806 },
    arp: { operation: 1, senderMac: OWNER_MAC, senderIp: '203.0.113.10', targetMac: '00:00:00:00:00:00', targetIp: '203.0.113.10' },
  });
});

test('unsolicited NA: to all nodes from the target itself, override set, solicited clear, hop limit 255', () => {
  const frame = unsolicitedAdvertisementFrame('2001:db8:251::10', OWNER_MAC);
  expect(decodeFrame(frame)).toEqual({
    kind: 'ndp',
    ethernet: { destination: '33:33:00:00:00:01', source: OWNER_MAC, etherType: 0x86dd },
    ip: { trafficClass: 0, flowLabel: 0, payloadLength: 32, nextHeader: 58, hopLimit: 255, source: '2001:db8:251::10', destination: 'ff02::1' },
    message: { type: 'advertisement', router: false, solicited: false, override: true, target: '2001:db8:251::10', targetLinkLayer: OWNER_MAC },
  });
});

test.each<[string, string, string]>([
  ['2001:db8:250::1', 'ff02::1:ff00:1', '33:33:ff:00:00:01'],
  ['2001:db8:251::abcd:1234', 'ff02::1:ffcd:1234', '33:33:ff:cd:12:34'],
])('solicited-node group of %s is %s on MAC %s', (ip, group, mac) => {
  expect(solicitedNodeAddress(ip)).toBe(group);
  expect(ipv6MulticastMac(group)).toBe(mac);
});

describe('damaged frames', () => {
  test.each<[string, Uint8Array, string, RegExp]>([
    ['empty', new Uint8Array(0), 'truncated', /^l2\/wire\/ethernet: truncated/],
    ['IPv4 EtherType', patched(KERNEL_ARP_REQUEST, { 12: 0x08, 13: 0x00 }), 'protocol-type', /^l2\/wire\/frame: protocol-type: EtherType 0x0800 is neither ARP nor IPv6/],
    ['ARP cut after the opcode', KERNEL_ARP_REQUEST.subarray(0, 22), 'truncated', /^l2\/wire\/arp: truncated/],
    ['IPv6 with next header UDP', patched(KERNEL_NS, { 20: 17 }), 'next-header', /IPv6 next header 17, not 58/],
    ['IPv6 payload longer than the frame', patched(KERNEL_NS, { 19: 0x40 }), 'payload-length', /payload length 64 runs past the 86-byte frame/],
    ['NS with a flipped bit', patched(KERNEL_NS, { 70: 0x02 }), 'checksum', /^l2\/wire\/frame: checksum: ICMPv6 checksum 0xd88 is wrong/],
    ['NS with a zero checksum', patched(KERNEL_NS, { 56: 0, 57: 0 }), 'checksum', /checksum 0x0 is wrong/],
    ['NS cut inside the target', KERNEL_NS.subarray(0, 70), 'payload-length', /runs past the 70-byte frame/],
    ['ND with only 16 bytes of payload', hex('3333ff000001 02000000 0a01 86dd 60000000 0010 3aff 20010db8025000000000000000000002 ff0200000000000000000001ff000001 8700 4aa4 00000000 0000000000000000'), 'truncated', /needs 24 bytes/],
  ])('%s', (_name, frame, reason, message) => {
    let error: unknown;
    try {
      decodeFrame(frame);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(L2WireError);
    expect((error as L2WireError).reason).toBe(reason);
    expect((error as L2WireError).message).toMatch(message);
  });
});
