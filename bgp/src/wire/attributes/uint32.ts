// The shape shared by MULTI_EXIT_DISC and LOCAL_PREF: one 4-octet unsigned value.
//
//   +-------------------------------+
//   | value (4 octets)              |
//   +-------------------------------+

import { BgpEncodeError } from '../errors.js';
import { isUint, put32, u32 } from '../bytes.js';
import { expectLength, type AttributeCodec, type AttributeDescriptor } from './types.js';

export function uint32Attribute(descriptor: AttributeDescriptor): AttributeCodec<number> {
  return {
    descriptor,
    decode(value) {
      expectLength(descriptor, value, 4);
      return u32(value, 0);
    },
    encode(value, buf, offset) {
      if (!isUint(value, 32)) throw new BgpEncodeError(`${descriptor.name}: ${value} is not a 32-bit unsigned value`);
      return put32(buf, offset, value);
    },
    encodingLength: () => 4,
  };
}
