// OPEN message body, RFC 4271 §4.2, capabilities in optional parameter 2 (RFC 5492), and
// the RFC 9072 extended optional parameters length (Non-Ext OP Len = Non-Ext OP Type = 255).
//
//   +---------------+
//   |    Version    |
//   +---------------+---------------+
//   |     My Autonomous System      |
//   +-------------------------------+
//   |           Hold Time           |
//   +-------------------------------+-------------------------------+
//   |                         BGP Identifier                        |
//   +---------------+-----------------------------------------------+
//   | Opt Parm Len  |    (RFC 9072: 255, 255, then a 2-octet length)
//   +---------------+-----------------------------------------------+
//   |  Optional Parameters: Parm. Type (1), Parm. Length (1 or 2), value
//   +---------------------------------------------------------------+

import { BgpEncodeError, BgpWireError, ErrorCode, OpenSubcode } from './errors.js';
import { isUint, put16, put8, putBytes, u16, u8 } from './bytes.js';
import { formatIPv4, parseIPv4 } from './ip.js';
import { capabilityEncodingLength, decodeCapability, encodeCapability } from './capabilities/table.js';
import type { Capability } from './capabilities/types.js';

export interface OpenMessage {
  readonly type: 'open';
  /** The 2-octet My Autonomous System field: AS_TRANS when the real AS needs 4 octets. */
  readonly myAs: number;
  readonly holdTime: number;
  /** BGP Identifier in dotted-quad form. */
  readonly identifier: string;
  readonly capabilities: readonly Capability[];
}

export const BGP_VERSION = 4;
const FIXED_LENGTH = 10;
const PARAM_CAPABILITIES = 2;
const EXTENDED_MARK = 255;

function openError(message: string, subcode: number, data?: Uint8Array): BgpWireError {
  return new BgpWireError(`open: ${message}`, { code: ErrorCode.open, subcode, ...(data ? { data } : {}) });
}

/** Decodes the OPEN body bytes[start..end) (after the header). */
export function decodeOpenBody(bytes: Uint8Array, start: number, end: number): OpenMessage {
  const version = u8(bytes, start);
  // RFC 4271 §6.2: the data is the largest version we support.
  if (version !== BGP_VERSION) throw openError(`version ${version} unsupported`, OpenSubcode.unsupportedVersionNumber, Uint8Array.of(0, BGP_VERSION));
  const myAs = u16(bytes, start + 1);
  const holdTime = u16(bytes, start + 3);
  const identifier = formatIPv4(bytes, start + 5);
  let paramsLength = u8(bytes, start + 9);
  let at = start + FIXED_LENGTH;
  let extended = false;
  if (paramsLength === EXTENDED_MARK && at < end && u8(bytes, at) === EXTENDED_MARK) {
    if (at + 3 > end) throw openError('extended optional parameters length truncated', OpenSubcode.unspecific);
    extended = true;
    paramsLength = u16(bytes, at + 1);
    at += 3;
  }
  if (at + paramsLength !== end) {
    throw openError(`optional parameters length ${paramsLength} disagrees with the ${end - at} octets present`, OpenSubcode.unspecific);
  }
  const capabilities: Capability[] = [];
  const headerSize = extended ? 3 : 2;
  while (at < end) {
    if (at + headerSize > end) throw openError(`optional parameter header truncated at octet ${at - start}`, OpenSubcode.unspecific);
    const type = u8(bytes, at);
    const length = extended ? u16(bytes, at + 1) : u8(bytes, at + 1);
    const valueStart = at + headerSize;
    const valueEnd = valueStart + length;
    if (valueEnd > end) throw openError(`optional parameter ${type} length ${length} overruns the message`, OpenSubcode.unspecific);
    if (type !== PARAM_CAPABILITIES) {
      throw openError(`optional parameter type ${type} unsupported`, OpenSubcode.unsupportedOptionalParameter);
    }
    for (let p = valueStart; p < valueEnd; ) {
      const [capability, next] = decodeCapability(bytes, p, valueEnd);
      capabilities.push(capability);
      p = next;
    }
    at = valueEnd;
  }
  return { type: 'open', myAs, holdTime, identifier, capabilities };
}

function capabilitiesLength(open: OpenMessage): number {
  let total = 0;
  for (const capability of open.capabilities) total += capabilityEncodingLength(capability);
  return total;
}

/** Whether the capabilities need the RFC 9072 form (they do not fit one 255-octet parameter). */
function needsExtended(capLength: number): boolean {
  return capLength + 2 > 255;
}

export function openBodyEncodingLength(open: OpenMessage): number {
  const capLength = capabilitiesLength(open);
  if (capLength === 0) return FIXED_LENGTH;
  return FIXED_LENGTH + (needsExtended(capLength) ? 3 + 3 + capLength : 2 + capLength);
}

export function encodeOpenBody(open: OpenMessage, buf: Uint8Array, offset: number): number {
  if (!isUint(open.myAs, 16)) throw new BgpEncodeError(`open: My AS ${open.myAs} does not fit 2 octets (send AS_TRANS)`);
  if (!isUint(open.holdTime, 16)) throw new BgpEncodeError(`open: hold time ${open.holdTime} out of range`);
  const identifier = parseIPv4(open.identifier);
  if (!identifier) throw new BgpEncodeError(`open: BGP identifier "${open.identifier}" is not a dotted quad`);
  let at = put8(buf, offset, BGP_VERSION);
  at = put16(buf, at, open.myAs);
  at = put16(buf, at, open.holdTime);
  at = putBytes(buf, at, identifier);
  const capLength = capabilitiesLength(open);
  if (capLength === 0) return put8(buf, at, 0);
  if (needsExtended(capLength)) {
    if (capLength + 3 > 0xffff) throw new BgpEncodeError(`open: ${capLength} octets of capabilities exceed 65532`);
    at = put8(buf, put8(buf, at, EXTENDED_MARK), EXTENDED_MARK);
    at = put16(buf, at, capLength + 3);
    at = put16(buf, put8(buf, at, PARAM_CAPABILITIES), capLength);
  } else {
    at = put8(buf, at, capLength + 2);
    at = put8(buf, put8(buf, at, PARAM_CAPABILITIES), capLength);
  }
  for (const capability of open.capabilities) at = encodeCapability(capability, buf, at);
  return at;
}

/** The peer's real AS: the 4-octet AS capability if present, else My Autonomous System (RFC 6793 §4.1). */
export function peerAsOf(open: OpenMessage): number {
  const capability = open.capabilities.find((c) => c.type === 'four-octet-as');
  return capability?.type === 'four-octet-as' ? capability.asn : open.myAs;
}

