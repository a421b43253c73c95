// Ethernet II header (IEEE 802.3 with an EtherType, RFC 894). Packet sockets hand us frames with
// VLAN tags already stripped, and without the FCS.
//
//   0                   6                   12      14
//   +-------------------+-------------------+-------+
//   | destination MAC   | source MAC        | type  |
//   +-------------------+-------------------+-------+

import { macFromBytes, writeMac } from './addresses.js';
import { need, target, type Codec } from './errors.js';

const MODULE = 'l2/wire/ethernet';
export const ETHERNET_HEADER_LENGTH = 14;
/** The shortest frame on the wire without FCS: shorter ones are padded with zeros. */
export const ETHERNET_MIN_FRAME = 60;

export const ETHER_TYPE = { ipv4: 0x0800, arp: 0x0806, ipv6: 0x86dd } as const;

export interface EthernetHeader {
  readonly destination: string;
  readonly source: string;
  readonly etherType: number;
}

export const ethernet: Codec<EthernetHeader> = {
  decode(bytes, offset = 0) {
    need(MODULE, bytes, offset, ETHERNET_HEADER_LENGTH, 'an Ethernet header');
    const header = {
      destination: macFromBytes(bytes, offset),
      source: macFromBytes(bytes, offset + 6),
      etherType: (bytes[offset + 12]! << 8) | bytes[offset + 13]!,
    };
    return [header, offset + ETHERNET_HEADER_LENGTH];
  },
  encode(h, into, offset = 0) {
    const out = target(MODULE, ETHERNET_HEADER_LENGTH, into, offset);
    writeMac(h.destination, out, offset);
    writeMac(h.source, out, offset + 6);
    out[offset + 12] = (h.etherType >> 8) & 0xff;
    out[offset + 13] = h.etherType & 0xff;
    return out;
  },
  encodingLength: () => ETHERNET_HEADER_LENGTH,
};
