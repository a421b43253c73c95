// Multiprotocol Extensions capability (code 1), RFC 4760 §8: one AFI/SAFI the sender will use.
//
//   +-------+-------+-------+-------+
//   | AFI (2)       | Res.  | SAFI  |
//   +-------+-------+-------+-------+

import { BgpEncodeError } from '../errors.js';
import { isUint, put16, put8, u16, u8 } from '../bytes.js';
import { badCapability, type CapabilityCodec, type CapabilityOf } from './types.js';

export const multiprotocol: CapabilityCodec<CapabilityOf<'multiprotocol'>> = {
  code: 1,
  name: 'multiprotocol capability',
  decode(value) {
    if (value.length !== 4) throw badCapability('multiprotocol capability', `length ${value.length}, expected 4`);
    return { type: 'multiprotocol', afi: u16(value, 0), safi: u8(value, 3) };
  },
  encode(capability, buf, offset) {
    if (!isUint(capability.afi, 16) || !isUint(capability.safi, 8)) {
      throw new BgpEncodeError(`multiprotocol capability: AFI ${capability.afi} SAFI ${capability.safi} out of range`);
    }
    return put8(buf, put8(buf, put16(buf, offset, capability.afi), 0), capability.safi);
  },
  encodingLength: () => 4,
};
