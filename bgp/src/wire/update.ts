// UPDATE message body, RFC 4271 §4.3. Bytes only: RFC 7606 attribute problems are
// collected in `attributeErrors`; what they mean for the routes is decided in validate-update.ts.
//
//   +-----------------------------------------------------+
//   |   Withdrawn Routes Length (2 octets)                |
//   +-----------------------------------------------------+
//   |   Withdrawn Routes (variable)                       |
//   +-----------------------------------------------------+
//   |   Total Path Attribute Length (2 octets)            |
//   +-----------------------------------------------------+
//   |   Path Attributes (variable)                        |
//   +-----------------------------------------------------+
//   |   Network Layer Reachability Information (variable) |
//   +-----------------------------------------------------+

import type { WireContext } from './context.js';
import { BgpEncodeError, UpdateSubcode, updateError, type BgpWireError } from './errors.js';
import { put16, u16 } from './bytes.js';
import { attributeListEncodingLength, decodeAttributeList, encodeAttributeList } from './attributes/attribute.js';
import type { PathAttribute } from './attributes/table.js';
import { decodePrefixes, encodePrefixes, prefixesEncodingLength, type Prefix } from './nlri.js';

export interface UpdateMessage {
  readonly type: 'update';
  /** Withdrawn Routes field: IPv4 unicast only (IPv6 goes in MP_UNREACH_NLRI). */
  readonly withdrawn: readonly Prefix[];
  readonly attributes: readonly PathAttribute[];
  /** NLRI field: IPv4 unicast only (IPv6 goes in MP_REACH_NLRI). */
  readonly nlri: readonly Prefix[];
}

/** An UPDATE as received: the attributes that decoded, and the problems with the others. */
export interface DecodedUpdate extends UpdateMessage {
  readonly attributes: PathAttribute[];
  /** treat-as-withdraw and attribute-discard problems (worse ones are thrown). */
  readonly attributeErrors: readonly BgpWireError[];
}

export const UPDATE_MIN_BODY = 4;

export function decodeUpdateBody(bytes: Uint8Array, start: number, end: number, ctx: WireContext): DecodedUpdate {
  // RFC 4271 §6.3: lengths that do not fit the message are a Malformed Attribute List.
  const withdrawnLength = u16(bytes, start);
  const withdrawnEnd = start + 2 + withdrawnLength;
  if (withdrawnEnd + 2 > end) {
    throw updateError(`update: withdrawn routes length ${withdrawnLength} exceeds the message`, UpdateSubcode.malformedAttributeList, 'session-reset');
  }
  const attributesLength = u16(bytes, withdrawnEnd);
  const attributesStart = withdrawnEnd + 2;
  const attributesEnd = attributesStart + attributesLength;
  if (attributesEnd > end) {
    throw updateError(`update: total path attribute length ${attributesLength} exceeds the message`, UpdateSubcode.malformedAttributeList, 'session-reset');
  }
  const withdrawn = decodePrefixes(bytes, start + 2, withdrawnEnd, 'ipv4');
  const { attributes, errors } = decodeAttributeList(bytes, attributesStart, attributesEnd, ctx);
  const nlri = decodePrefixes(bytes, attributesEnd, end, 'ipv4');
  return { type: 'update', withdrawn, attributes, nlri, attributeErrors: errors };
}

function checkIPv4(prefixes: readonly Prefix[], field: string): void {
  for (const prefix of prefixes) {
    if (prefix.family !== 'ipv4') throw new BgpEncodeError(`update: ${prefix.family} prefix in the ${field} field (use MP attributes)`);
  }
}

export function updateBodyEncodingLength(message: UpdateMessage, ctx: WireContext): number {
  return 4 + prefixesEncodingLength(message.withdrawn) + attributeListEncodingLength(message.attributes, ctx) + prefixesEncodingLength(message.nlri);
}

export function encodeUpdateBody(message: UpdateMessage, buf: Uint8Array, offset: number, ctx: WireContext): number {
  checkIPv4(message.withdrawn, 'withdrawn routes');
  checkIPv4(message.nlri, 'NLRI');
  const withdrawnLength = prefixesEncodingLength(message.withdrawn);
  let at = put16(buf, offset, withdrawnLength);
  at = encodePrefixes(message.withdrawn, buf, at);
  const attributesLengthAt = at;
  const attributesEnd = encodeAttributeList(message.attributes, buf, at + 2, ctx);
  if (attributesEnd - at - 2 > 0xffff) throw new BgpEncodeError('update: path attributes exceed 65535 octets');
  put16(buf, attributesLengthAt, attributesEnd - at - 2);
  return encodePrefixes(message.nlri, buf, attributesEnd);
}
