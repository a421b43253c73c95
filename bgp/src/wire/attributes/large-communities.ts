// LARGE_COMMUNITY, RFC 8092: 12-octet communities, global administrator and two local parts.
// Not a non-zero multiple of 12 -> treat-as-withdraw (RFC 8092 §6).
//
//   +-------------------------------+-------------------------------+-------------------------------+
//   | Global Administrator (4)      | Local Data Part 1 (4)         | Local Data Part 2 (4)         |
//   +-------------------------------+-------------------------------+-------------------------------+

import { BgpEncodeError, UpdateSubcode } from '../errors.js';
import { isUint, put32, u32 } from '../bytes.js';
import { malformed, OPTIONAL_TRANSITIVE, type AttributeCodec, type AttributeDescriptor } from './types.js';

export interface LargeCommunity {
  readonly global: number;
  readonly local1: number;
  readonly local2: number;
}

const descriptor: AttributeDescriptor = {
  code: 32,
  name: 'LARGE_COMMUNITY',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'treat-as-withdraw',
};

export const largeCommunities: AttributeCodec<readonly LargeCommunity[]> = {
  descriptor,
  decode(value) {
    if (value.length === 0 || value.length % 12 !== 0) {
      throw malformed(descriptor, UpdateSubcode.attributeLengthError, `length ${value.length} is not a non-zero multiple of 12`);
    }
    const out: LargeCommunity[] = [];
    for (let at = 0; at < value.length; at += 12) {
      out.push({ global: u32(value, at), local1: u32(value, at + 4), local2: u32(value, at + 8) });
    }
    return out;
  },
  encode(value, buf, offset) {
    if (value.length === 0) throw new BgpEncodeError('LARGE_COMMUNITY: an empty list cannot be sent (RFC 8092 §6)');
    let at = offset;
    for (const c of value) {
      if (![c.global, c.local1, c.local2].every((part) => isUint(part, 32))) {
        throw new BgpEncodeError(`LARGE_COMMUNITY: ${c.global}:${c.local1}:${c.local2} has a part outside 32 bits`);
      }
      at = put32(buf, at, c.global);
      at = put32(buf, at, c.local1);
      at = put32(buf, at, c.local2);
    }
    return at;
  },
  encodingLength: (value) => value.length * 12,
};
