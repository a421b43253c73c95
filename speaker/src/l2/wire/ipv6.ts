// The fixed IPv6 header (RFC 8200 §3). The hop limit is what RFC 4861 checks: Neighbor Discovery
// messages must arrive with 255, proof that no router forwarded them.
//
//   0       4               12      16      20      24      28      32
//   +-------+---------------+-------------------------------+
//   |version| traffic class |          flow label           |
//   +-------+---------------+-------+-------+-------+-------+
//   |        payload length         |  next header  |hop lim|
//   +-------------------------------+---------------+-------+
//   |                 source address (16)                   |
//   |              destination address (16)                 |   40 bytes

import { ipv6FromBytes, writeIPv6 } from './addresses.js';
import { L2WireError, need, target, type Codec } from './errors.js';

const MODULE = 'l2/wire/ipv6';
export const IPV6_HEADER_LENGTH = 40;
export const NEXT_HEADER_ICMPV6 = 58;

export interface IPv6Header {
  readonly trafficClass: number;
  readonly flowLabel: number;
  readonly payloadLength: number;
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly source: string;
  readonly destination: string;
}

export const ipv6: Codec<IPv6Header> = {
  decode(bytes, offset = 0) {
    need(MODULE, bytes, offset, IPV6_HEADER_LENGTH, 'an IPv6 header');
    const version = bytes[offset]! >> 4;
    if (version !== 6) throw new L2WireError(MODULE, 'ip-version', `version ${version}, not 6`);
    const header: IPv6Header = {
      trafficClass: ((bytes[offset]! & 0x0f) << 4) | (bytes[offset + 1]! >> 4),
      flowLabel: ((bytes[offset + 1]! & 0x0f) << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!,
      payloadLength: (bytes[offset + 4]! << 8) | bytes[offset + 5]!,
      nextHeader: bytes[offset + 6]!,
      hopLimit: bytes[offset + 7]!,
      source: ipv6FromBytes(bytes, offset + 8),
      destination: ipv6FromBytes(bytes, offset + 24),
    };
    return [header, offset + IPV6_HEADER_LENGTH];
  },
  encode(h, into, offset = 0) {
    const fields: Array<[string, number, number]> = [
      ['traffic class', h.trafficClass, 0xff],
      ['flow label', h.flowLabel, 0xfffff],
      ['payload length', h.payloadLength, 0xffff],
      ['next header', h.nextHeader, 0xff],
      ['hop limit', h.hopLimit, 0xff],
    ];
    for (const [name, value, max] of fields) {
      if (!Number.isInteger(value) || value < 0 || value > max) throw new L2WireError(MODULE, 'value', `${name} ${value} is not 0..${max}`);
    }
    const out = target(MODULE, IPV6_HEADER_LENGTH, into, offset);
    out[offset] = 0x60 | (h.trafficClass >> 4);
    out[offset + 1] = ((h.trafficClass & 0x0f) << 4) | (h.flowLabel >> 16);
    out[offset + 2] = (h.flowLabel >> 8) & 0xff;
    out[offset + 3] = h.flowLabel & 0xff;
    out[offset + 4] = h.payloadLength >> 8;
    out[offset + 5] = h.payloadLength & 0xff;
    out[offset + 6] = h.nextHeader;
    out[offset + 7] = h.hopLimit;
    writeIPv6(h.source, out, offset + 8);
    writeIPv6(h.destination, out, offset + 24);
    return out;
  },
  encodingLength: () => IPV6_HEADER_LENGTH,
};
