// The pure half of the responders: one received frame and what this interface owns in, the reply
// frame or a drop reason out. ARP per RFC 826, Neighbor Solicitations per RFC 4861 §7.1.1/§7.2.4.

import { isGroupMac } from '../wire/addresses.js';
import { ARP_OP, type ArpPacket } from '../wire/arp.js';
import { L2WireError } from '../wire/errors.js';
import { ETHER_TYPE, type EthernetHeader } from '../wire/ethernet.js';
import { arpReplyFrame, decodeFrame, NDP_HOP_LIMIT, neighborAdvertisementFrame, type NdpFrame } from '../wire/frame.js';
import type { DropReason, L2Protocol } from './counters.js';

/** What one interface answers for: IPv4 in dotted form, IPv6 in RFC 5952 form, and its MAC. */
export interface Ownership {
  readonly mac: string;
  readonly ipv4: ReadonlySet<string>;
  readonly ipv6: ReadonlySet<string>;
}

export type Verdict = { readonly protocol: L2Protocol; readonly reply: Uint8Array } | { readonly protocol: L2Protocol; readonly drop: DropReason };

/** The protocol of a frame even when it does not decode: by EtherType, ARP or (anything else the filter let in) NDP. */
function protocolOf(frame: Uint8Array): L2Protocol {
  return frame.length >= 14 && ((frame[12]! << 8) | frame[13]!) === ETHER_TYPE.arp ? 'arp' : 'ndp';
}

export function answerFrame(frame: Uint8Array, owner: Ownership): Verdict {
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

function arpVerdict(v: Uint8Array | DropReason): Verdict {
  return typeof v === 'string' ? { protocol: 'arp', drop: v } : { protocol: 'arp', reply: v };
}

export function answerArp(eth: EthernetHeader, packet: ArpPacket, owner: Ownership): Verdict {
  if (packet.operation !== ARP_OP.request) return arpVerdict('opcode');
  if (isGroupMac(packet.senderMac) || isGroupMac(eth.source)) return arpVerdict('group-sender');
  if (owner.ipv4.has(packet.senderIp)) return arpVerdict('spoofed-sender');
  if (!owner.ipv4.has(packet.targetIp)) return arpVerdict('not-owned');
  return arpVerdict(arpReplyFrame(packet, owner.mac));
}

function ndpVerdict(v: Uint8Array | DropReason): Verdict {
  return typeof v === 'string' ? { protocol: 'ndp', drop: v } : { protocol: 'ndp', reply: v };
}

const isMulticast6 = (ip: string): boolean => ip.startsWith('ff');
const isSolicitedNodeGroup = (ip: string): boolean => ip.startsWith('ff02::1:ff');

export function answerNeighborSolicitation(frame: NdpFrame, owner: Ownership): Verdict {
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
