// BFD Control packets, RFC 5880 §4.1: encode, and decode with every discard rule of §6.8.6 that
// needs no session (the rest are in receive.ts). One packet per UDP datagram, no hidden state.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                       My Discriminator                        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                      Your Discriminator                       |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                    Desired Min TX Interval                    |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                   Required Min RX Interval                    |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                 Required Min Echo RX Interval                 |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     Authentication Section (optional, A bit set): auth-section.ts
//
// Intervals are microseconds. Vers, Length, A and M are not fields of the decoded value: Vers
// is always 1, Length and A follow from `auth`, and a set M bit is a discard (§6.8.6).

import { isUint, put8, put32, u8, u32 } from '../wire/bytes.js';
import { authSectionLength, decodeAuthSection, encodeAuthSection, type BfdAuthSection } from './auth-section.js';
import { BfdEncodeError, BfdWireError, type BfdWireReason } from './errors.js';
import { BfdStates, type BfdState } from './types.js';

export interface BfdControlPacket {
  /** 0..31, see BfdDiag. */
  readonly diag: number;
  readonly state: BfdState;
  /** P: the sender asks for a packet with F set (a Poll Sequence, §6.5). */
  readonly poll: boolean;
  /** F: the answer to a Poll. */
  readonly final: boolean;
  /** C: the sender's BFD does not share fate with its control plane (RFC 5882 reads it). */
  readonly controlPlaneIndependent: boolean;
  /** D: the sender runs Demand mode and asks us to stop periodic packets once both are Up. */
  readonly demand: boolean;
  /** 1..255. */
  readonly detectMult: number;
  readonly myDiscriminator: number;
  readonly yourDiscriminator: number;
  readonly desiredMinTxUs: number;
  readonly requiredMinRxUs: number;
  readonly requiredMinEchoRxUs: number;
  /** Present exactly when the A bit is set. */
  readonly auth?: BfdAuthSection;
}

export type BfdDecodeResult = { readonly ok: true; readonly packet: BfdControlPacket } | { readonly ok: false; readonly error: BfdWireError };

export const BFD_VERSION = 1;
/** Octets of the mandatory section. */
export const BFD_CONTROL_LENGTH = 24;

const Flag = { poll: 0x20, final: 0x10, controlPlaneIndependent: 0x08, auth: 0x04, demand: 0x02, multipoint: 0x01 } as const;

/**
 * The §6.8.6 rules a decoded value can break, shared by both directions so that everything
 * the encoder accepts also decodes. Undefined when there is none.
 */
function semanticProblem(p: BfdControlPacket): [BfdWireReason, string] | undefined {
  if (p.detectMult === 0) return ['detect-mult-zero', 'Detect Mult is 0'];
  if (p.myDiscriminator === 0) return ['my-discriminator-zero', 'My Discriminator is 0'];
  if (p.yourDiscriminator === 0 && (p.state === 'Init' || p.state === 'Up')) {
    return ['your-discriminator-zero', `Your Discriminator is 0 in state ${p.state}`];
  }
  if (p.poll && p.final) return ['poll-and-final', 'both Poll and Final set'];
  return undefined;
}

export function controlEncodingLength(packet: BfdControlPacket): number {
  return BFD_CONTROL_LENGTH + (packet.auth ? authSectionLength(packet.auth) : 0);
}

/** Writes the packet at `offset`; returns the offset after it. Throws BfdEncodeError. */
export function encodeControl(packet: BfdControlPacket, buf: Uint8Array, offset: number): number {
  const length = controlEncodingLength(packet);
  if (!isUint(packet.diag, 8) || packet.diag > 31) throw new BfdEncodeError(`bfd codec: diag ${packet.diag} out of range 0..31`);
  if (!isUint(packet.detectMult, 8)) throw new BfdEncodeError(`bfd codec: detect mult ${packet.detectMult} out of range 1..255`);
  const fields = [packet.myDiscriminator, packet.yourDiscriminator, packet.desiredMinTxUs, packet.requiredMinRxUs, packet.requiredMinEchoRxUs];
  if (!fields.every((v) => isUint(v, 32))) throw new BfdEncodeError(`bfd codec: discriminator or interval out of 32-bit range: ${fields.join(', ')}`);
  if (length > 255) throw new BfdEncodeError(`bfd codec: packet of ${length} octets exceeds the Length field`);
  const problem = semanticProblem(packet);
  if (problem) throw new BfdEncodeError(`bfd codec: a receiver would discard this packet: ${problem[1]}`);
  const stateCode = BfdStates.indexOf(packet.state);
  if (stateCode < 0) throw new BfdEncodeError(`bfd codec: unknown state ${String(packet.state)}`);
  const flags =
    (stateCode << 6) |
    (packet.poll ? Flag.poll : 0) |
    (packet.final ? Flag.final : 0) |
    (packet.controlPlaneIndependent ? Flag.controlPlaneIndependent : 0) |
    (packet.auth ? Flag.auth : 0) |
    (packet.demand ? Flag.demand : 0);
  let at = put8(buf, offset, (BFD_VERSION << 5) | packet.diag);
  at = put8(buf, at, flags);
  at = put8(buf, at, packet.detectMult);
  at = put8(buf, at, length);
  for (const value of fields) at = put32(buf, at, value);
  return packet.auth ? encodeAuthSection(packet.auth, buf, at) : at;
}

export function serializeControl(packet: BfdControlPacket): Uint8Array {
  const out = new Uint8Array(controlEncodingLength(packet));
  encodeControl(packet, out, 0);
  return out;
}

/**
 * Decodes the packet at `offset` of a datagram ending at `end`; returns it and the offset after
 * its Length. Octets past Length are ignored (RFC 9764 pads datagrams that way). Throws
 * BfdWireError naming the first rule broken, and nothing else.
 */
export function decodeControl(bytes: Uint8Array, offset = 0, end = bytes.length): [BfdControlPacket, number] {
  const available = Math.min(end, bytes.length) - offset;
  if (!(available >= 4)) throw new BfdWireError('truncated', `datagram of ${Math.max(0, available)} octets`);
  const version = u8(bytes, offset) >>> 5;
  if (version !== BFD_VERSION) throw new BfdWireError('version', `version ${version}, expected ${BFD_VERSION}`);
  const flags = u8(bytes, offset + 1);
  const hasAuth = (flags & Flag.auth) !== 0;
  const length = u8(bytes, offset + 3);
  if (length < BFD_CONTROL_LENGTH) throw new BfdWireError('length-below-minimum', `Length ${length}, below ${BFD_CONTROL_LENGTH}`);
  if (hasAuth && length < BFD_CONTROL_LENGTH + 2) throw new BfdWireError('auth-section-missing', `A bit set but Length ${length} leaves no authentication section`);
  if (length > available) throw new BfdWireError('length-exceeds-datagram', `Length ${length} but the datagram has ${available} octets`);
  if ((flags & Flag.multipoint) !== 0) throw new BfdWireError('multipoint', 'Multipoint bit set');
  if (!hasAuth && length > BFD_CONTROL_LENGTH) throw new BfdWireError('length-without-auth', `Length ${length} with the A bit clear`);
  const packet: BfdControlPacket = {
    diag: u8(bytes, offset) & 0x1f,
    state: BfdStates[flags >>> 6] ?? 'AdminDown',
    poll: (flags & Flag.poll) !== 0,
    final: (flags & Flag.final) !== 0,
    controlPlaneIndependent: (flags & Flag.controlPlaneIndependent) !== 0,
    demand: (flags & Flag.demand) !== 0,
    detectMult: u8(bytes, offset + 2),
    myDiscriminator: u32(bytes, offset + 4),
    yourDiscriminator: u32(bytes, offset + 8),
    desiredMinTxUs: u32(bytes, offset + 12),
    requiredMinRxUs: u32(bytes, offset + 16),
    requiredMinEchoRxUs: u32(bytes, offset + 20),
  };
  const problem = semanticProblem(packet);
  if (problem) throw new BfdWireError(problem[0], problem[1]);
  if (!hasAuth) return [packet, offset + length];
  return [{ ...packet, auth: decodeAuthSection(bytes, offset + BFD_CONTROL_LENGTH, offset + length) }, offset + length];
}

/** The whole datagram as one packet, as a tagged result: never throws a BfdWireError. */
export function tryDecodeControl(datagram: Uint8Array): BfdDecodeResult {
  try {
    return { ok: true, packet: decodeControl(datagram)[0] };
  } catch (error) {
    if (error instanceof BfdWireError) return { ok: false, error };
    throw error;
  }
}
