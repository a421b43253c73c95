// Whole Ethernet frames as the packet socket gives and takes them: decodeFrame picks ARP or an
// ICMPv6 Neighbor Discovery message (checksum checked), the builders make the frames we send.

import { ipv6MulticastMac, ZERO_MAC } from './addresses.js';
import { arp, ARP_LENGTH, ARP_OP, type ArpPacket } from './arp.js';
import { icmpv6Checksum } from './checksum.js';
import { L2WireError } from './errors.js';
import { ETHER_TYPE, ETHERNET_HEADER_LENGTH, ETHERNET_MIN_FRAME, ethernet, type EthernetHeader } from './ethernet.js';
import { IPV6_HEADER_LENGTH, ipv6, NEXT_HEADER_ICMPV6, type IPv6Header } from './ipv6.js';
import { ndp, type NeighborAdvertisement, type NeighborMessage } from './ndp.js';

const MODULE = 'l2/wire/frame';
/** RFC 4861 §7.1: Neighbor Discovery is sent, and accepted, only with hop limit 255. */
export const NDP_HOP_LIMIT = 255;
export const ALL_NODES = 'ff02::1';

export interface ArpFrame {
  readonly kind: 'arp';
  readonly ethernet: EthernetHeader;
  readonly arp: ArpPacket;
}

export interface NdpFrame {
  readonly kind: 'ndp';
  readonly ethernet: EthernetHeader;
  readonly ip: IPv6Header;
  readonly message: NeighborMessage;
}

export type L2Frame = ArpFrame | NdpFrame;

/** ARP or an ICMPv6 NS/NA in an Ethernet frame; anything else, or any damage, is an L2WireError. */
export function decodeFrame(bytes: Uint8Array): L2Frame {
  const [eth, afterEthernet] = ethernet.decode(bytes, 0);
  if (eth.etherType === ETHER_TYPE.arp) {
    const [packet] = arp.decode(bytes, afterEthernet);
    return { kind: 'arp', ethernet: eth, arp: packet };
  }
  if (eth.etherType !== ETHER_TYPE.ipv6) {
    throw new L2WireError(MODULE, 'protocol-type', `EtherType 0x${eth.etherType.toString(16).padStart(4, '0')} is neither ARP nor IPv6`);
  }
  const [ip, payloadStart] = ipv6.decode(bytes, afterEthernet);
  if (ip.nextHeader !== NEXT_HEADER_ICMPV6) throw new L2WireError(MODULE, 'next-header', `IPv6 next header ${ip.nextHeader}, not 58 (ICMPv6)`);
  const end = payloadStart + ip.payloadLength;
  if (end > bytes.length) throw new L2WireError(MODULE, 'payload-length', `IPv6 payload length ${ip.payloadLength} runs past the ${bytes.length}-byte frame`);
  if (icmpv6Checksum(bytes, afterEthernet, payloadStart, ip.payloadLength) !== 0) {
    throw new L2WireError(MODULE, 'checksum', `ICMPv6 checksum 0x${((bytes[payloadStart + 2]! << 8) | bytes[payloadStart + 3]!).toString(16)} is wrong`);
  }
  // Ethernet pads short frames: the message ends where the IPv6 payload ends.
  const [message] = ndp.decode(bytes.subarray(payloadStart, end), 0);
  return { kind: 'ndp', ethernet: eth, ip, message };
}

/** An ARP packet in an Ethernet frame padded to the 60-byte minimum. */
export function encodeArpFrame(eth: Omit<EthernetHeader, 'etherType'>, packet: ArpPacket): Uint8Array {
  const out = new Uint8Array(Math.max(ETHERNET_MIN_FRAME, ETHERNET_HEADER_LENGTH + ARP_LENGTH));
  ethernet.encode({ ...eth, etherType: ETHER_TYPE.arp }, out, 0);
  arp.encode(packet, out, ETHERNET_HEADER_LENGTH);
  return out;
}

/** RFC 826: the reply to `request`, from `mac` (which now owns request.targetIp), straight to the asker. */
export function arpReplyFrame(request: ArpPacket, mac: string): Uint8Array {
  return encodeArpFrame(
    { destination: request.senderMac, source: mac },
    { operation: ARP_OP.reply, senderMac: mac, senderIp: request.targetIp, targetMac: request.senderMac, targetIp: request.senderIp },
  );
}

/**
 * A gratuitous ARP (RFC 5227 §3 announcement): a broadcast request with sender and target both
 * `ip`, so every host that has `ip` in its cache moves it to `mac`.
 */
export function gratuitousArpFrame(ip: string, mac: string): Uint8Array {
  return encodeArpFrame(
    { destination: 'ff:ff:ff:ff:ff:ff', source: mac },
    { operation: ARP_OP.request, senderMac: mac, senderIp: ip, targetMac: ZERO_MAC, targetIp: ip },
  );
}

/** An ICMPv6 ND message in an IPv6 packet with hop limit 255 and its checksum, in an Ethernet frame. */
export function encodeNdpFrame(eth: Omit<EthernetHeader, 'etherType'>, source: string, destination: string, message: NeighborMessage): Uint8Array {
  const length = ndp.encodingLength(message);
  const out = new Uint8Array(ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH + length);
  ethernet.encode({ ...eth, etherType: ETHER_TYPE.ipv6 }, out, 0);
  ipv6.encode(
    { trafficClass: 0, flowLabel: 0, payloadLength: length, nextHeader: NEXT_HEADER_ICMPV6, hopLimit: NDP_HOP_LIMIT, source, destination },
    out,
    ETHERNET_HEADER_LENGTH,
  );
  const at = ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH;
  ndp.encode(message, out, at);
  const sum = icmpv6Checksum(out, ETHERNET_HEADER_LENGTH, at, length);
  out[at + 2] = sum >> 8;
  out[at + 3] = sum & 0xff;
  return out;
}

/**
 * RFC 4861 §7.2.4: the answer to a solicitation for `target`, from `mac`. Solicited and override
 * set, sent to the asker; a Duplicate Address Detection probe (source ::) is answered to all nodes
 * with solicited clear. `askerMac` is the source link-layer option, else the Ethernet source.
 */
export function neighborAdvertisementFrame(target: string, mac: string, asker: { ip: string; mac: string } | 'all-nodes'): Uint8Array {
  const toAll = asker === 'all-nodes';
  const na: NeighborAdvertisement = { type: 'advertisement', router: false, solicited: !toAll, override: true, target, targetLinkLayer: mac };
  return encodeNdpFrame(
    { destination: toAll ? ipv6MulticastMac(ALL_NODES) : asker.mac, source: mac },
    target,
    toAll ? ALL_NODES : asker.ip,
    na,
  );
}

/** RFC 4861 §7.2.6: an unsolicited advertisement with override, to all nodes, when `mac` takes `target`. */
export function unsolicitedAdvertisementFrame(target: string, mac: string): Uint8Array {
  return neighborAdvertisementFrame(target, mac, 'all-nodes');
}
