// The pure half of the responders: one received frame and what this interface owns in, the reply
// frame or a drop reason out. ARP per RFC 826, Neighbor Solicitations per RFC 4861 §7.1.1/§7.2.4.

import { isGroupMac, writeMac } from '../wire/addresses.js';
import { ARP_OP, type ArpPacket } from '../wire/arp.js';
import { L2WireError } from '../wire/errors.js';
import { ETHER_TYPE, type EthernetHeader } from '../wire/ethernet.js';
import { arpReplyFrame, decodeFrame, encodeArpFrame, encodeNdpFrame, NDP_HOP_LIMIT, neighborAdvertisementFrame, type NdpFrame } from '../wire/frame.js';
import type { DropReason, L2Protocol } from './counters.js';

/** What one interface answers for: IPv4 in dotted form, IPv6 in RFC 5952 form, and its MAC. */
export interface Ownership {
  readonly mac: string;
  readonly ipv4: ReadonlySet<string>;
  readonly ipv6: ReadonlySet<string>;
}

export type AnswerVerdict = { readonly protocol: L2Protocol; readonly reply: Uint8Array } | { readonly protocol: L2Protocol; readonly drop: DropReason };

/** The protocol of a frame even when it does not decode: by EtherType, ARP or (anything else the filter let in) NDP. */
function protocolOf(frame: Uint8Array): L2Protocol {
  return frame.length >= 14 && ((frame[12]! << 8) | frame[13]!) === ETHER_TYPE.arp ? 'arp' : 'ndp';
}

export function answerFrame(frame: Uint8Array, owner: Ownership): AnswerVerdict {
  const fast = fastArpReply(frame, owner);
  if (fast !== undefined) return { protocol: 'arp', reply: fast };
  let decoded;
  try {
    decoded = decodeFrame(frame);
  } catch (error) {
    if (error instanceof L2WireError) return { protocol: protocolOf(frame), drop: error.reason };
    throw error;
  }
  if (decoded.kind === 'arp') return answerArp(decoded.ethernet, decoded.arp, owner);
  return answerNeighborSolicitation(decoded, owner);
}

// Bytes 12..21 of an ARP request frame: EtherType ARP, Ethernet, IPv4, lengths 6/4, request.
const ARP_REQUEST_PREFIX = [0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01];

/**
 * The common case straight from the bytes: a well-formed ARP request from a unicast sender not
 * claiming our IP, for an IP we own. Everything else (undefined) takes the decode path, which
 * gives the same answer and the drop reasons; answer.test.ts checks the two agree on every case.
 * Why: a reply is a few hundred nanoseconds this way instead of microseconds, and after an idle
 * CPU less code to run is what keeps the first reply fast.
 */
function fastArpReply(f: Uint8Array, owner: Ownership): Uint8Array | undefined {
  if (f.length < 42) return undefined;
  for (let i = 0; i < 10; i++) if (f[12 + i] !== ARP_REQUEST_PREFIX[i]) return undefined;
  if ((f[6]! & 1) !== 0 || (f[22]! & 1) !== 0) return undefined;
  if (owner.ipv4.has(`${f[28]}.${f[29]}.${f[30]}.${f[31]}`) || !owner.ipv4.has(`${f[38]}.${f[39]}.${f[40]}.${f[41]}`)) return undefined;
  const reply = new Uint8Array(60);
  reply.set(f.subarray(22, 28), 0); // to the asker's ARP sender MAC
  writeMac(owner.mac, reply, 6);
  reply.set(f.subarray(12, 20), 12); // EtherType, htype, ptype, lengths
  reply[21] = ARP_OP.reply;
  reply.set(reply.subarray(6, 12), 22); // sender MAC: ours
  reply.set(f.subarray(38, 42), 28); // sender IP: the one asked for
  reply.set(f.subarray(22, 32), 32); // target: the asker's MAC and IP
  return reply;
}

function arpVerdict(v: Uint8Array | DropReason): AnswerVerdict {
  return typeof v === 'string' ? { protocol: 'arp', drop: v } : { protocol: 'arp', reply: v };
}

export function answerArp(eth: EthernetHeader, packet: ArpPacket, owner: Ownership): AnswerVerdict {
  if (packet.operation !== ARP_OP.request) return arpVerdict('opcode');
  if (isGroupMac(packet.senderMac) || isGroupMac(eth.source)) return arpVerdict('group-sender');
  if (owner.ipv4.has(packet.senderIp)) return arpVerdict('spoofed-sender');
  if (!owner.ipv4.has(packet.targetIp)) return arpVerdict('not-owned');
  return arpVerdict(arpReplyFrame(packet, owner.mac));
}

function ndpVerdict(v: Uint8Array | DropReason): AnswerVerdict {
  return typeof v === 'string' ? { protocol: 'ndp', drop: v } : { protocol: 'ndp', reply: v };
}

const isMulticast6 = (ip: string): boolean => ip.startsWith('ff');
const isSolicitedNodeGroup = (ip: string): boolean => ip.startsWith('ff02::1:ff');

export function answerNeighborSolicitation(frame: NdpFrame, owner: Ownership): AnswerVerdict {
  const { ethernet: eth, ip, message } = frame;
  if (message.type !== 'solicitation') return ndpVerdict('not-solicitation');
  if (ip.hopLimit !== NDP_HOP_LIMIT) return ndpVerdict('hop-limit');
  if (isMulticast6(message.target)) return ndpVerdict('target-multicast');
  if (ip.source === '::') {
    // Duplicate Address Detection: someone wants to use the address; defend it to all nodes (§7.2.4).
    if (message.sourceLinkLayer !== undefined || !isSolicitedNodeGroup(ip.destination)) return ndpVerdict('bad-dad');
    if (isGroupMac(eth.source)) return ndpVerdict('group-sender');
    if (!owner.ipv6.has(message.target)) return ndpVerdict('not-owned');
    return ndpVerdict(neighborAdvertisementFrame(message.target, owner.mac, 'all-nodes'));
  }
  const askerMac = message.sourceLinkLayer ?? eth.source;
  if (isGroupMac(askerMac) || isGroupMac(eth.source)) return ndpVerdict('group-sender');
  if (owner.ipv6.has(ip.source)) return ndpVerdict('spoofed-sender');
  if (!owner.ipv6.has(message.target)) return ndpVerdict('not-owned');
  return ndpVerdict(neighborAdvertisementFrame(message.target, owner.mac, { ip: ip.source, mac: askerMac }));
}

/**
 * Runs the answer path on made-up frames (nothing is sent) so V8 has optimised it before the first
 * real request: cold, the first replies take hundreds of microseconds instead of a few.
 */
export function warmUpAnswers(iterations: number): void {
  const scratch: Ownership = { mac: '02:00:00:00:00:01', ipv4: new Set(['198.18.255.1']), ipv6: new Set(['2001:db8:ffff::1']) };
  const arpRequest = encodeArpFrame(
    { destination: 'ff:ff:ff:ff:ff:ff', source: '02:00:00:00:00:02' },
    { operation: ARP_OP.request, senderMac: '02:00:00:00:00:02', senderIp: '198.18.255.2', targetMac: '00:00:00:00:00:00', targetIp: '198.18.255.1' },
  );
  const solicitation = encodeNdpFrame({ destination: '33:33:ff:00:00:01', source: '02:00:00:00:00:02' }, '2001:db8:ffff::2', 'ff02::1:ff00:1', {
    type: 'solicitation',
    target: '2001:db8:ffff::1',
    sourceLinkLayer: '02:00:00:00:00:02',
  });
  for (let i = 0; i < iterations; i++) {
    answerFrame(arpRequest, scratch);
    answerFrame(solicitation, scratch);
  }
}
