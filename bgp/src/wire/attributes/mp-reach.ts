// MP_REACH_NLRI, RFC 4760 §3, for IPv4 and IPv6 unicast; the IPv6 next hop is 16 octets
// (global) or 32 (global + link-local, RFC 2545 §3). Errors -> afisafi-disable or
// session-reset (RFC 7606 §7.11); never treat-as-withdraw, its NLRI being unknowable.
//
//   +---------------------------------------------------------+
//   | Address Family Identifier (2 octets)                    |
//   | Subsequent Address Family Identifier (1 octet)          |
//   | Length of Next Hop Network Address (1 octet)            |
//   | Network Address of Next Hop (variable)                  |
//   | Reserved (1 octet)                                      |
//   | Network Layer Reachability Information (variable)       |
//   +---------------------------------------------------------+

import { Safi } from '../context.js';
import { BgpEncodeError, UpdateSubcode } from '../errors.js';
import { put16, put8, putBytes, u8 } from '../bytes.js';
import { formatAddress, parseAddress, parseIPv6, type AddressFamily } from '../ip.js';
import { decodePrefixes, encodePrefixes, prefixesEncodingLength, type Prefix } from '../nlri.js';
import { asFamilyError, familyAfi, readFamily } from './mp-family.js';
import { malformed, OPTIONAL_NON_TRANSITIVE, type AttributeCodec, type AttributeDescriptor } from './types.js';

export interface MpReach {
  readonly family: AddressFamily;
  /** IPv4 next hop for 'ipv4', global IPv6 next hop for 'ipv6'. */
  readonly nextHop: string;
  /** IPv6 only: the link-local next hop sent as the second 16 octets. */
  readonly linkLocalNextHop?: string;
  readonly nlri: readonly Prefix[];
}

const descriptor: AttributeDescriptor = {
  code: 14,
  name: 'MP_REACH_NLRI',
  flags: OPTIONAL_NON_TRANSITIVE,
  onError: 'session-reset',
};

const nextHopLengths: Readonly<Record<AddressFamily, readonly number[]>> = { ipv4: [4], ipv6: [16, 32] };

function nextHopLength(value: MpReach): number {
  return value.family === 'ipv6' && value.linkLocalNextHop !== undefined ? 32 : value.family === 'ipv6' ? 16 : 4;
}

export const mpReach: AttributeCodec<MpReach> = {
  descriptor,
  decode(value) {
    const family = readFamily(descriptor, value);
    const fail = (why: string) => malformed(descriptor, UpdateSubcode.optionalAttributeError, why, 'afisafi-disable');
    if (value.length < 5) throw fail(`length ${value.length} too short for a next hop length and reserved octet`);
    const hopLength = u8(value, 3);
    if (!nextHopLengths[family].includes(hopLength)) throw fail(`${family} next hop length ${hopLength}`);
    const reservedAt = 4 + hopLength;
    if (reservedAt >= value.length) throw fail(`next hop of ${hopLength} overruns the attribute`);
    let nlri: Prefix[];
    try {
      nlri = decodePrefixes(value, reservedAt + 1, value.length, family);
    } catch (error) {
      throw asFamilyError(descriptor, error);
    }
    const nextHop = formatAddress(family, value, 4);
    if (hopLength === 32) return { family, nextHop, linkLocalNextHop: formatAddress('ipv6', value, 20), nlri };
    return { family, nextHop, nlri };
  },
  encode(value, buf, offset) {
    const hop = parseAddress(value.family, value.nextHop);
    if (!hop) throw new BgpEncodeError(`MP_REACH_NLRI: next hop "${value.nextHop}" is not ${value.family}`);
    let at = put16(buf, offset, familyAfi(value.family));
    at = put8(buf, at, Safi.unicast);
    at = put8(buf, at, nextHopLength(value));
    at = putBytes(buf, at, hop);
    if (value.linkLocalNextHop !== undefined) {
      const linkLocal = value.family === 'ipv6' ? parseIPv6(value.linkLocalNextHop) : undefined;
      if (!linkLocal) throw new BgpEncodeError(`MP_REACH_NLRI: link-local next hop "${value.linkLocalNextHop}" needs an ipv6 family and address`);
      at = putBytes(buf, at, linkLocal);
    }
    at = put8(buf, at, 0);
    for (const prefix of value.nlri) {
      if (prefix.family !== value.family) throw new BgpEncodeError(`MP_REACH_NLRI: ${prefix.family} prefix in ${value.family} attribute`);
    }
    return encodePrefixes(value.nlri, buf, at);
  },
  encodingLength: (value) => 5 + nextHopLength(value) + prefixesEncodingLength(value.nlri),
};
