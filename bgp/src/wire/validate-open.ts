// The meaning of a received OPEN, RFC 4271 §6.2 with RFC 6793 (AS 0, 4-octet AS) and
// RFC 6286 (BGP Identifier), and what the two OPENs negotiate for the wire format.

import type { WireContext } from './context.js';
import { BgpWireError, ErrorCode, OpenSubcode } from './errors.js';
import { peerAsOf, type OpenMessage } from './open.js';

export interface OpenExpectations {
  readonly localAs: number;
  readonly localIdentifier: string;
  /** The AS configured for the peer, or undefined to accept any (dynamic neighbours). */
  readonly peerAs: number | undefined;
}

function openError(message: string, subcode: number, data?: Uint8Array): BgpWireError {
  return new BgpWireError(`validate-open: ${message}`, { code: ErrorCode.open, subcode, ...(data ? { data } : {}) });
}

/** Throws the BgpWireError RFC 4271 §6.2 calls for, or returns the peer's AS. */
export function validateOpen(open: OpenMessage, expect: OpenExpectations): number {
  const fourOctet = open.capabilities.find((c) => c.type === 'four-octet-as');
  // RFC 6793 §4.1 / RFC 7607: AS 0 in either field is a Bad Peer AS.
  if (open.myAs === 0 || (fourOctet?.type === 'four-octet-as' && fourOctet.asn === 0)) {
    throw openError('peer AS 0', OpenSubcode.badPeerAs);
  }
  const peerAs = peerAsOf(open);
  if (expect.peerAs !== undefined && peerAs !== expect.peerAs) {
    throw openError(`peer AS ${peerAs}, expected ${expect.peerAs}`, OpenSubcode.badPeerAs);
  }
  // RFC 4271 §4.2: the hold time is 0 or at least 3 seconds.
  if (open.holdTime === 1 || open.holdTime === 2) throw openError(`hold time ${open.holdTime}`, OpenSubcode.unacceptableHoldTime);
  if (open.identifier === '0.0.0.0') throw openError('BGP identifier 0.0.0.0', OpenSubcode.badBgpIdentifier);
  // RFC 6286 §2.2: within one AS the identifiers must differ.
  if (peerAs === expect.localAs && open.identifier === expect.localIdentifier) {
    throw openError(`internal peer uses our BGP identifier ${open.identifier}`, OpenSubcode.badBgpIdentifier);
  }
  return peerAs;
}

function has(open: OpenMessage, type: 'four-octet-as' | 'extended-message'): boolean {
  return open.capabilities.some((c) => c.type === type);
}

/** The wire context once both OPENs are known: a feature applies when both sides advertised it. */
export function negotiateContext(local: OpenMessage, remote: OpenMessage): WireContext {
  return {
    fourOctetAs: has(local, 'four-octet-as') && has(remote, 'four-octet-as'),
    extendedMessage: has(local, 'extended-message') && has(remote, 'extended-message'),
  };
}

/** RFC 4271 §4.2: the session uses the smaller of the two hold times. */
export function negotiateHoldTime(local: OpenMessage, remote: OpenMessage): number {
  return Math.min(local.holdTime, remote.holdTime);
}
