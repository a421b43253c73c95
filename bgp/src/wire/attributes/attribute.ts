// One path attribute with its header (RFC 4271 §4.3; diagram in types.ts), and the whole
// attribute list with RFC 7606 handling: per-attribute errors are collected, not thrown,
// unless they need a session reset or family disable.

import type { WireContext } from '../context.js';
import { BgpEncodeError, BgpWireError, UpdateSubcode, updateError } from '../errors.js';
import { isUint, put16, put8, putBytes, u16, u8 } from '../bytes.js';
import { attributeTable, attributeTypeOf, codecOf, type PathAttribute } from './table.js';
import { AttrFlag, CATEGORY_BITS, malformed } from './types.js';

function flagsFor(attribute: PathAttribute, valueLength: number): number {
  let flags: number;
  if (attribute.type === 'unknown') {
    // RFC 4271 §5: an unrecognized transitive attribute is passed on with the Partial bit set.
    flags = attribute.flags & (AttrFlag.optional | AttrFlag.transitive | AttrFlag.partial);
    if (flags & AttrFlag.transitive) flags |= AttrFlag.partial;
  } else {
    flags = attributeTable[attribute.type].descriptor.flags;
    if (attribute.partial === true && flags & AttrFlag.optional && flags & AttrFlag.transitive) flags |= AttrFlag.partial;
  }
  return valueLength > 255 ? flags | AttrFlag.extendedLength : flags;
}

function valueLength(attribute: PathAttribute, ctx: WireContext): number {
  return attribute.type === 'unknown' ? attribute.value.length : codecOf(attribute.type).encodingLength(attribute.value, ctx);
}

export function attributeEncodingLength(attribute: PathAttribute, ctx: WireContext): number {
  const length = valueLength(attribute, ctx);
  return (length > 255 ? 4 : 3) + length;
}

export function encodeAttribute(attribute: PathAttribute, buf: Uint8Array, offset: number, ctx: WireContext): number {
  const length = valueLength(attribute, ctx);
  if (length > 0xffff) throw new BgpEncodeError(`attribute: value of ${length} octets exceeds 65535`);
  const flags = flagsFor(attribute, length);
  let at = put8(buf, offset, flags);
  if (attribute.type === 'unknown') {
    if (!isUint(attribute.code, 8)) throw new BgpEncodeError(`attribute: type code ${attribute.code} out of range`);
    if (attributeTypeOf(attribute.code) !== undefined) {
      throw new BgpEncodeError(`attribute: code ${attribute.code} is a known attribute; use its typed form`);
    }
    at = put8(buf, at, attribute.code);
  } else {
    at = put8(buf, at, attributeTable[attribute.type].descriptor.code);
  }
  at = flags & AttrFlag.extendedLength ? put16(buf, at, length) : put8(buf, at, length);
  const end =
    attribute.type === 'unknown' ? putBytes(buf, at, attribute.value) : codecOf(attribute.type).encode(attribute.value, buf, at, ctx);
  if (end !== at + length) throw new BgpEncodeError(`attribute: ${attribute.type} wrote ${end - at} octets, announced ${length}`);
  return end;
}

/** Where one attribute sits in the buffer. */
interface AttributeFrame {
  readonly flags: number;
  readonly code: number;
  readonly valueStart: number;
  readonly end: number;
}

/** RFC 7606 §4: a list that overruns its length is treat-as-withdraw, found from the Total Attribute Length. */
function readFrame(bytes: Uint8Array, offset: number, end: number): AttributeFrame {
  if (offset + 3 > end) {
    throw updateError(`attribute: ${end - offset} octets left, too few for an attribute header`, UpdateSubcode.malformedAttributeList, 'treat-as-withdraw');
  }
  const flags = u8(bytes, offset);
  const code = u8(bytes, offset + 1);
  const extended = (flags & AttrFlag.extendedLength) !== 0;
  if (extended && offset + 4 > end) {
    throw updateError(`attribute: type ${code} extended length field truncated`, UpdateSubcode.malformedAttributeList, 'treat-as-withdraw');
  }
  const length = extended ? u16(bytes, offset + 2) : u8(bytes, offset + 2);
  const valueStart = offset + (extended ? 4 : 3);
  if (valueStart + length > end) {
    throw updateError(
      `attribute: type ${code} length ${length} overruns the attribute list by ${valueStart + length - end}`,
      UpdateSubcode.attributeLengthError,
      'treat-as-withdraw',
    );
  }
  return { flags, code, valueStart, end: valueStart + length };
}

/** Decodes the value of a framed attribute; undefined when the attribute is to be dropped silently. */
function decodeFramed(frame: AttributeFrame, bytes: Uint8Array, ctx: WireContext): PathAttribute | undefined {
  const type = attributeTypeOf(frame.code);
  const value = bytes.subarray(frame.valueStart, frame.end);
  if (type === undefined) {
    if (!(frame.flags & AttrFlag.optional)) {
      throw updateError(`attribute: unrecognized well-known attribute ${frame.code}`, UpdateSubcode.unrecognizedWellKnownAttribute, 'session-reset');
    }
    // RFC 4271 §9: unrecognized non-transitive optional attributes are quietly ignored.
    if (!(frame.flags & AttrFlag.transitive)) return undefined;
    return { type: 'unknown', code: frame.code, flags: frame.flags & ~AttrFlag.extendedLength, value: value.slice() };
  }
  const codec = codecOf(type);
  const { descriptor } = codec;
  if ((frame.flags & CATEGORY_BITS) !== descriptor.flags) {
    throw malformed(descriptor, UpdateSubcode.attributeFlagsError, `flags 0x${frame.flags.toString(16)} conflict with the definition`);
  }
  const decoded = codec.decode(value, ctx);
  const partial = (frame.flags & AttrFlag.partial) !== 0 && descriptor.flags === (AttrFlag.optional | AttrFlag.transitive);
  return (partial ? { type, value: decoded, partial: true } : { type, value: decoded }) as PathAttribute;
}

/** One attribute at `offset`: `[attribute or undefined if dropped, offset after it]`; throws BgpWireError. */
export function decodeAttribute(
  bytes: Uint8Array,
  offset: number,
  end: number,
  ctx: WireContext,
): [PathAttribute | undefined, number] {
  const frame = readFrame(bytes, offset, end);
  try {
    return [decodeFramed(frame, bytes, ctx), frame.end];
  } catch (error) {
    // RFC 4271 §6.3: the data of an attribute error is the whole attribute.
    if (error instanceof BgpWireError) throw error.withData(bytes.subarray(offset, frame.end));
    throw error;
  }
}

export interface DecodedAttributes {
  readonly attributes: PathAttribute[];
  /** Problems RFC 7606 lets the UPDATE survive: treat-as-withdraw and attribute-discard. */
  readonly errors: BgpWireError[];
}

/** The attribute list bytes[offset..end); throws only for session-reset and afisafi-disable. */
export function decodeAttributeList(bytes: Uint8Array, offset: number, end: number, ctx: WireContext): DecodedAttributes {
  const attributes: PathAttribute[] = [];
  const errors: BgpWireError[] = [];
  let at = offset;
  while (at < end) {
    let frame: AttributeFrame;
    try {
      frame = readFrame(bytes, at, end);
    } catch (error) {
      if (!(error instanceof BgpWireError)) throw error;
      errors.push(error);
      break; // the rest of the list cannot be framed
    }
    try {
      const [attribute] = decodeAttribute(bytes, at, end, ctx);
      if (attribute) attributes.push(attribute);
    } catch (error) {
      if (!(error instanceof BgpWireError)) throw error;
      if (error.action === 'session-reset' || error.action === 'afisafi-disable') throw error;
      errors.push(error);
    }
    at = frame.end;
  }
  return { attributes, errors };
}

export function encodeAttributeList(attributes: readonly PathAttribute[], buf: Uint8Array, offset: number, ctx: WireContext): number {
  let at = offset;
  for (const attribute of attributes) at = encodeAttribute(attribute, buf, at, ctx);
  return at;
}

export function attributeListEncodingLength(attributes: readonly PathAttribute[], ctx: WireContext): number {
  let total = 0;
  for (const attribute of attributes) total += attributeEncodingLength(attribute, ctx);
  return total;
}
