// AFI/SAFI handling shared by MP_REACH_NLRI and MP_UNREACH_NLRI: which families the codec
// parses, and the RFC 4760 §7 / RFC 7606 §7.11 classification of their errors.

import { Afi, Safi } from '../context.js';
import { BgpWireError, UpdateSubcode } from '../errors.js';
import { u16, u8 } from '../bytes.js';
import type { AddressFamily } from '../ip.js';
import { malformed, type AttributeDescriptor } from './types.js';

export function familyAfi(family: AddressFamily): number {
  return family === 'ipv4' ? Afi.ipv4 : Afi.ipv6;
}

/** Reads AFI/SAFI at the start of the value; anything but IPv4/IPv6 unicast is refused. */
export function readFamily(descriptor: AttributeDescriptor, value: Uint8Array): AddressFamily {
  if (value.length < 3) {
    // Without an AFI/SAFI there is no family to disable: RFC 7606 §7.11 leaves only a reset.
    throw malformed(descriptor, UpdateSubcode.optionalAttributeError, `length ${value.length} too short for AFI/SAFI`, 'session-reset');
  }
  const afi = u16(value, 0);
  const safi = u8(value, 2);
  if (safi === Safi.unicast && afi === Afi.ipv4) return 'ipv4';
  if (safi === Safi.unicast && afi === Afi.ipv6) return 'ipv6';
  throw malformed(descriptor, UpdateSubcode.optionalAttributeError, `AFI ${afi} SAFI ${safi} is not supported`, 'afisafi-disable');
}

/** NLRI errors inside an MP attribute are Optional Attribute Errors that disable the family (RFC 4760 §7). */
export function asFamilyError(descriptor: AttributeDescriptor, error: unknown): unknown {
  if (!(error instanceof BgpWireError)) return error;
  return error.reclassify({ subcode: UpdateSubcode.optionalAttributeError, action: 'afisafi-disable' }, descriptor.name);
}
