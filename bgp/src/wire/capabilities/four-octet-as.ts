// Support for 4-octet AS numbers capability (code 65), RFC 6793 §3: the sender's real AS.
//
//   +-------------------------------+
//   | AS number (4 octets)          |
//   +-------------------------------+

import { BgpEncodeError } from '../errors.js';
import { isUint, put32, u32 } from '../bytes.js';
import { badCapability, type CapabilityCodec, type CapabilityOf } from './types.js';

export const fourOctetAs: CapabilityCodec<CapabilityOf<'four-octet-as'>> = {
  code: 65,
  name: 'four-octet AS capability',
  decode(value) {
    if (value.length !== 4) throw badCapability('four-octet AS capability', `length ${value.length}, expected 4`);
    return { type: 'four-octet-as', asn: u32(value, 0) };
  },
  encode(capability, buf, offset) {
    if (!isUint(capability.asn, 32)) throw new BgpEncodeError(`four-octet AS capability: AS ${capability.asn} out of range`);
    return put32(buf, offset, capability.asn);
  },
  encodingLength: () => 4,
};
