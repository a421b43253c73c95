// What every capability module provides, and the capability values, RFC 5492 §4.
//
//   +------------------------------+
//   | Capability Code (1 octet)    |
//   +------------------------------+
//   | Capability Length (1 octet)  |
//   +------------------------------+
//   | Capability Value (variable)  |
//   +------------------------------+

import { BgpWireError, ErrorCode, OpenSubcode } from '../errors.js';

export interface GracefulRestartFamily {
  readonly afi: number;
  readonly safi: number;
  /** F bit: forwarding state for the family was preserved across the restart. */
  readonly forwardingPreserved: boolean;
}

export type Capability =
  | { readonly type: 'multiprotocol'; readonly afi: number; readonly safi: number }
  | { readonly type: 'route-refresh' }
  | { readonly type: 'route-refresh-cisco' }
  | { readonly type: 'enhanced-route-refresh' }
  | { readonly type: 'extended-message' }
  | { readonly type: 'four-octet-as'; readonly asn: number }
  | {
      readonly type: 'graceful-restart';
      /** R bit: the sender has restarted. */
      readonly restarting: boolean;
      /** N bit (RFC 8538): graceful restart also covers NOTIFICATIONs. */
      readonly notification: boolean;
      /** Seconds, 12 bits. */
      readonly restartTime: number;
      readonly families: readonly GracefulRestartFamily[];
    }
  | { readonly type: 'unknown'; readonly code: number; readonly value: Uint8Array };

export type CapabilityType = Exclude<Capability['type'], 'unknown'>;
export type CapabilityOf<K extends Capability['type']> = Extract<Capability, { type: K }>;

/** Codec of one capability's value octets; the table adds code and length. */
export interface CapabilityCodec<T extends Capability> {
  readonly code: number;
  readonly name: string;
  decode(value: Uint8Array): T;
  encode(capability: T, buf: Uint8Array, offset: number): number;
  encodingLength(capability: T): number;
}

/** A malformed capability; RFC 5492 names no subcode, so the IANA "unspecific" one is used. */
export function badCapability(name: string, message: string): BgpWireError {
  return new BgpWireError(`${name}: ${message}`, { code: ErrorCode.open, subcode: OpenSubcode.unspecific });
}

/** A capability that carries no value (route refresh, extended message, ...). */
export function emptyCapability<K extends CapabilityType>(type: K, code: number, name: string): CapabilityCodec<CapabilityOf<K>> {
  return {
    code,
    name,
    decode(value) {
      if (value.length !== 0) throw badCapability(name, `length ${value.length}, expected 0`);
      return { type } as CapabilityOf<K>;
    },
    encode: (_capability, _buf, offset) => offset,
    encodingLength: () => 0,
  };
}
