// NEXT_HOP, RFC 4271 §5.1.3: the IPv4 next hop for the classic NLRI field.
// Wrong length -> treat-as-withdraw (RFC 7606 §7.3); meaning is checked in validate-update.ts.
//
//   +-------------------------------+
//   | IPv4 address (4 octets)       |
//   +-------------------------------+

import { BgpEncodeError } from '../errors.js';
import { putBytes } from '../bytes.js';
import { formatIPv4, parseIPv4 } from '../ip.js';
import { expectLength, WELL_KNOWN, type AttributeCodec, type AttributeDescriptor } from './types.js';

const descriptor: AttributeDescriptor = { code: 3, name: 'NEXT_HOP', flags: WELL_KNOWN, onError: 'treat-as-withdraw' };

export const nextHop: AttributeCodec<string> = {
  descriptor,
  decode(value) {
    expectLength(descriptor, value, 4);
    return formatIPv4(value);
  },
  encode(value, buf, offset) {
    const address = parseIPv4(value);
    if (!address) throw new BgpEncodeError(`NEXT_HOP: "${value}" is not an IPv4 address`);
    return putBytes(buf, offset, address);
  },
  encodingLength: () => 4,
};
