// What every path-attribute module provides (after BIRD's attribute table): a descriptor
// saying how the attribute is flagged and what RFC 7606 does when it is malformed, and a codec.
//
//   RFC 4271 §4.3, one path attribute:
//    0                   1
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+----------------------+---------------+
//   |O|T|P|E| unused|  Type Code    | Length (1, or 2 if E) | Value ...     |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+----------------------+---------------+

import type { WireContext } from '../context.js';
import { BgpWireError, ErrorCode, type ErrorAction } from '../errors.js';

export const AttrFlag = {
  optional: 0x80,
  transitive: 0x40,
  partial: 0x20,
  extendedLength: 0x10,
} as const;

/** The bits RFC 7606 §3(c) says must match the attribute's definition. */
export const CATEGORY_BITS = AttrFlag.optional | AttrFlag.transitive;

export const WELL_KNOWN = AttrFlag.transitive;
export const OPTIONAL_TRANSITIVE = AttrFlag.optional | AttrFlag.transitive;
export const OPTIONAL_NON_TRANSITIVE = AttrFlag.optional;

export interface AttributeDescriptor {
  readonly code: number;
  /** The RFC's name, e.g. "AS_PATH". */
  readonly name: string;
  /** Optional and transitive bits as defined for the attribute. */
  readonly flags: number;
  /** RFC 7606 action when the attribute is malformed (including a flags conflict). */
  readonly onError: ErrorAction;
}

/** Codec for an attribute's value octets; the table adds the flags/type/length header. */
export interface AttributeCodec<T> {
  readonly descriptor: AttributeDescriptor;
  /** Decodes exactly `value` (the attribute's value field). */
  decode(value: Uint8Array, ctx: WireContext): T;
  /** Writes the value field at `offset`; returns the offset after it. */
  encode(value: T, buf: Uint8Array, offset: number, ctx: WireContext): number;
  encodingLength(value: T, ctx: WireContext): number;
}

/** The error an attribute module throws for a malformed value, with its descriptor's action. */
export function malformed(
  descriptor: AttributeDescriptor,
  subcode: number,
  message: string,
  action: ErrorAction = descriptor.onError,
): BgpWireError {
  return new BgpWireError(`${descriptor.name}: ${message}`, { code: ErrorCode.update, subcode, action });
}

/** RFC 7606 §7: a fixed-size attribute with another length is malformed (Attribute Length Error). */
export function expectLength(descriptor: AttributeDescriptor, value: Uint8Array, ...allowed: number[]): void {
  if (!allowed.includes(value.length)) {
    throw malformed(descriptor, 5, `length ${value.length}, expected ${allowed.join(' or ')}`);
  }
}
