// Graceful Restart capability (code 64), RFC 4724 §3 (N bit from RFC 8538 §2).
//
//   +--------------------------------------------------+
//   | Restart Flags (4 bits: R N 0 0)                  |
//   | Restart Time in seconds (12 bits)                |
//   +--------------------------------------------------+
//   | Address Family Identifier (16 bits)              |  repeated
//   | Subsequent Address Family Identifier (8 bits)    |  per family
//   | Flags for Address Family (8 bits: F 0 0 0 0 0 0 0)|
//   +--------------------------------------------------+

import { BgpEncodeError } from '../errors.js';
import { isUint, put16, put8, u16, u8 } from '../bytes.js';
import { badCapability, type CapabilityCodec, type CapabilityOf, type GracefulRestartFamily } from './types.js';

const RESTART_BIT = 0x8000;
const NOTIFICATION_BIT = 0x4000;
const FORWARDING_BIT = 0x80;

export const gracefulRestart: CapabilityCodec<CapabilityOf<'graceful-restart'>> = {
  code: 64,
  name: 'graceful restart capability',
  decode(value) {
    if (value.length < 2 || (value.length - 2) % 4 !== 0) {
      throw badCapability('graceful restart capability', `length ${value.length} is not 2 + 4 per family`);
    }
    const head = u16(value, 0);
    const families: GracefulRestartFamily[] = [];
    for (let at = 2; at < value.length; at += 4) {
      families.push({ afi: u16(value, at), safi: u8(value, at + 2), forwardingPreserved: (u8(value, at + 3) & FORWARDING_BIT) !== 0 });
    }
    return {
      type: 'graceful-restart',
      restarting: (head & RESTART_BIT) !== 0,
      notification: (head & NOTIFICATION_BIT) !== 0,
      restartTime: head & 0x0fff,
      families,
    };
  },
  encode(capability, buf, offset) {
    if (!isUint(capability.restartTime, 16) || capability.restartTime > 0x0fff) {
      throw new BgpEncodeError(`graceful restart capability: restart time ${capability.restartTime} exceeds 4095 s`);
    }
    const head = (capability.restarting ? RESTART_BIT : 0) | (capability.notification ? NOTIFICATION_BIT : 0) | capability.restartTime;
    let at = put16(buf, offset, head);
    for (const family of capability.families) {
      if (!isUint(family.afi, 16) || !isUint(family.safi, 8)) {
        throw new BgpEncodeError(`graceful restart capability: AFI ${family.afi} SAFI ${family.safi} out of range`);
      }
      at = put8(buf, put8(buf, put16(buf, at, family.afi), family.safi), family.forwardingPreserved ? FORWARDING_BIT : 0);
    }
    return at;
  },
  encodingLength: (capability) => 2 + 4 * capability.families.length,
};
