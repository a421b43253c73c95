// The ICMPv6 checksum (RFC 4443 §2.3): the one's complement sum over a pseudo-header (RFC 8200
// §8.1: source, destination, upper-layer length, next header 58) and the whole ICMPv6 message.

import { NEXT_HEADER_ICMPV6 } from './ipv6.js';

function sum16(bytes: Uint8Array, start: number, end: number, acc: number): number {
  let i = start;
  for (; i + 1 < end; i += 2) acc += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) acc += bytes[i]! << 8;
  return acc;
}

/**
 * The checksum of the ICMPv6 message at [offset, offset+length) of an IPv6 packet whose header
 * starts at ipOffset (addresses read from there). With the checksum field in place it is 0 for a
 * correct message; with the field zeroed it is the value to write.
 */
export function icmpv6Checksum(bytes: Uint8Array, ipOffset: number, offset: number, length: number): number {
  let acc = sum16(bytes, ipOffset + 8, ipOffset + 40, 0);
  acc += (length >>> 16) + (length & 0xffff) + NEXT_HEADER_ICMPV6;
  acc = sum16(bytes, offset, offset + length, acc);
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return ~acc & 0xffff;
}
