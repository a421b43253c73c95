// ARP for IPv4 over Ethernet (RFC 826). Only this one combination is decoded: any other hardware
// or protocol type, or address lengths other than 6 and 4, is an L2WireError naming the field.
//
//   0       2       4   5   6       8
//   +-------+-------+---+---+-------+
//   | htype | ptype |hln|pln|  op   |    htype 1 (Ethernet), ptype 0x0800, hln 6, pln 4
//   +-------+-------+---+---+-------+
//   | sender MAC (6) | sender IPv4 (4) |
//   | target MAC (6) | target IPv4 (4) |   28 bytes in all

import { ipv4FromBytes, macFromBytes, writeIPv4, writeMac } from './addresses.js';
import { L2WireError, need, target, type Codec } from './errors.js';

const MODULE = 'l2/wire/arp';
export const ARP_LENGTH = 28;
export const ARP_OP = { request: 1, reply: 2 } as const;
const HTYPE_ETHERNET = 1;
const PTYPE_IPV4 = 0x0800;

export interface ArpPacket {
  /** 1 request, 2 reply; others (RARP 3/4, InARP 8/9) decode and are the responder's to refuse. */
  readonly operation: number;
  readonly senderMac: string;
  readonly senderIp: string;
  readonly targetMac: string;
  readonly targetIp: string;
}

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;

export const arp: Codec<ArpPacket> = {
  decode(bytes, offset = 0) {
    need(MODULE, bytes, offset, ARP_LENGTH, 'an ARP packet');
    const htype = u16(bytes, offset);
    if (htype !== HTYPE_ETHERNET) throw new L2WireError(MODULE, 'hardware-type', `hardware type ${htype}, not 1 (Ethernet)`);
    const ptype = u16(bytes, offset + 2);
    if (ptype !== PTYPE_IPV4) throw new L2WireError(MODULE, 'protocol-type', `protocol type 0x${ptype.toString(16).padStart(4, '0')}, not 0x0800 (IPv4)`);
    const hln = bytes[offset + 4]!;
    const pln = bytes[offset + 5]!;
    if (hln !== 6 || pln !== 4) throw new L2WireError(MODULE, 'address-length', `address lengths ${hln}/${pln}, not 6/4`);
    const packet: ArpPacket = {
      operation: u16(bytes, offset + 6),
      senderMac: macFromBytes(bytes, offset + 8),
      senderIp: ipv4FromBytes(bytes, offset + 14),
      targetMac: macFromBytes(bytes, offset + 18),
      targetIp: ipv4FromBytes(bytes, offset + 24),
    };
    return [packet, offset + ARP_LENGTH];
  },
  encode(p, into, offset = 0) {
    if (!Number.isInteger(p.operation) || p.operation < 0 || p.operation > 0xffff) throw new L2WireError(MODULE, 'value', `operation ${p.operation} is not 0..65535`);
    const out = target(MODULE, ARP_LENGTH, into, offset);
    out.set([0, HTYPE_ETHERNET, PTYPE_IPV4 >> 8, PTYPE_IPV4 & 0xff, 6, 4, p.operation >> 8, p.operation & 0xff], offset);
    writeMac(p.senderMac, out, offset + 8);
    writeIPv4(p.senderIp, out, offset + 14);
    writeMac(p.targetMac, out, offset + 18);
    writeIPv4(p.targetIp, out, offset + 24);
    return out;
  },
  encodingLength: () => ARP_LENGTH,
};
