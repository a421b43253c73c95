// MP_UNREACH_NLRI, RFC 4760 §4, for IPv4 and IPv6 unicast. With no withdrawn routes it is
// the End-of-RIB marker of its family (RFC 4724 §2). Errors as for MP_REACH_NLRI.
//
//   +---------------------------------------------------------+
//   | Address Family Identifier (2 octets)                    |
//   | Subsequent Address Family Identifier (1 octet)          |
//   | Withdrawn Routes (variable)                             |
//   +---------------------------------------------------------+

import { Safi } from '../context.js';
import { BgpEncodeError } from '../errors.js';
import { put16, put8 } from '../bytes.js';
import type { AddressFamily } from '../ip.js';
import { decodePrefixes, encodePrefixes, prefixesEncodingLength, type Prefix } from '../nlri.js';
import { asFamilyError, familyAfi, readFamily } from './mp-family.js';
import { OPTIONAL_NON_TRANSITIVE, type AttributeCodec, type AttributeDescriptor } from './types.js';

export interface MpUnreach {
  readonly family: AddressFamily;
  readonly withdrawn: readonly Prefix[];
}

const descriptor: AttributeDescriptor = {
  code: 15,
  name: 'MP_UNREACH_NLRI',
  flags: OPTIONAL_NON_TRANSITIVE,
  onError: 'session-reset',
};

export const mpUnreach: AttributeCodec<MpUnreach> = {
  descriptor,
  decode(value) {
    const family = readFamily(descriptor, value);
    try {
      return { family, withdrawn: decodePrefixes(value, 3, value.length, family) };
    } catch (error) {
      throw asFamilyError(descriptor, error);
    }
  },
  encode(value, buf, offset) {
    for (const prefix of value.withdrawn) {
      if (prefix.family !== value.family) throw new BgpEncodeError(`MP_UNREACH_NLRI: ${prefix.family} prefix in ${value.family} attribute`);
    }
    const at = put8(buf, put16(buf, offset, familyAfi(value.family)), Safi.unicast);
    return encodePrefixes(value.withdrawn, buf, at);
  },
  encodingLength: (value) => 3 + prefixesEncodingLength(value.withdrawn),
};
