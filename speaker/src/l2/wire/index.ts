// L2 wire codecs for the ARP and NDP responders: Ethernet, ARP (RFC 826), IPv6 header,
// ICMPv6 Neighbor Solicitation/Advertisement (RFC 4861) and whole-frame builders.
export { L2WireError, WIRE_ERROR_REASONS, type WireErrorReason, type Codec } from './errors.js';
export { BROADCAST_MAC, ZERO_MAC, isGroupMac, solicitedNodeAddress, ipv6MulticastMac } from './addresses.js';
export { ethernet, ETHER_TYPE, ETHERNET_HEADER_LENGTH, ETHERNET_MIN_FRAME, type EthernetHeader } from './ethernet.js';
export { arp, ARP_LENGTH, ARP_OP, type ArpPacket } from './arp.js';
export { ipv6, IPV6_HEADER_LENGTH, NEXT_HEADER_ICMPV6, type IPv6Header } from './ipv6.js';
export { icmpv6Checksum } from './checksum.js';
export { ndp, ICMPV6_TYPE, type NeighborMessage, type NeighborSolicitation, type NeighborAdvertisement } from './ndp.js';
export {
  decodeFrame,
  encodeArpFrame,
  encodeNdpFrame,
  arpReplyFrame,
  gratuitousArpFrame,
  neighborAdvertisementFrame,
  unsolicitedAdvertisementFrame,
  NDP_HOP_LIMIT,
  ALL_NODES,
  type L2Frame,
  type ArpFrame,
  type NdpFrame,
} from './frame.js';
