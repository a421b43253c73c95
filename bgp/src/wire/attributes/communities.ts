// COMMUNITIES, RFC 1997: a list of 4-octet values, conventionally ASN:value.
// Not a non-zero multiple of 4 -> treat-as-withdraw (RFC 7606 §7.8).
//
//   +-------------------------------+-------------------------------+---
//   | community (4 octets)          | community (4 octets)          | ...
//   +-------------------------------+-------------------------------+---

import { BgpEncodeError, UpdateSubcode } from '../errors.js';
import { isUint, put32, u32 } from '../bytes.js';
import { malformed, OPTIONAL_TRANSITIVE, type AttributeCodec, type AttributeDescriptor } from './types.js';

/** Well-known communities from the IANA registry. */
export const WellKnownCommunity = {
  GRACEFUL_SHUTDOWN: 0xffff0000, // RFC 8326
  ACCEPT_OWN: 0xffff0001, // RFC 7611
  LLGR_STALE: 0xffff0006, // RFC 9494
  NO_LLGR: 0xffff0007, // RFC 9494
  BLACKHOLE: 0xffff029a, // RFC 7999
  NO_EXPORT: 0xffffff01, // RFC 1997
  NO_ADVERTISE: 0xffffff02, // RFC 1997
  NO_EXPORT_SUBCONFED: 0xffffff03, // RFC 1997
  NO_PEER: 0xffffff04, // RFC 3765
} as const;
export type WellKnownCommunityName = keyof typeof WellKnownCommunity;

/** ASN:value as the 32-bit community. */
export function community(asn: number, value: number): number {
  if (!isUint(asn, 16) || !isUint(value, 16)) throw new BgpEncodeError(`COMMUNITIES: ${asn}:${value} out of 16-bit range`);
  return asn * 0x10000 + value;
}

const descriptor: AttributeDescriptor = {
  code: 8,
  name: 'COMMUNITIES',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'treat-as-withdraw',
};

export const communities: AttributeCodec<readonly number[]> = {
  descriptor,
  decode(value) {
    if (value.length === 0 || value.length % 4 !== 0) {
      throw malformed(descriptor, UpdateSubcode.attributeLengthError, `length ${value.length} is not a non-zero multiple of 4`);
    }
    const out: number[] = [];
    for (let at = 0; at < value.length; at += 4) out.push(u32(value, at));
    return out;
  },
  encode(value, buf, offset) {
    if (value.length === 0) throw new BgpEncodeError('COMMUNITIES: an empty list cannot be sent (RFC 7606 §7.8)');
    let at = offset;
    for (const c of value) {
      if (!isUint(c, 32)) throw new BgpEncodeError(`COMMUNITIES: ${c} is not a 32-bit value`);
      at = put32(buf, at, c);
    }
    return at;
  },
  encodingLength: (value) => value.length * 4,
};
