// The error types of BFD: BfdWireError for a Control packet that RFC 5880 §6.8.6 says to discard
// (one named reason each), BfdEncodeError for local misuse of the encoder, BfdConfigError for settings,
// BfdTransportError for a socket the system refused.

/**
 * Why a received datagram is no valid BFD Control packet. Every "MUST be discarded" of
 * RFC 5880 §6.8.6 that needs no session context has its own reason; the last four are the
 * structure rules of §4.1-§4.4 and §6.5.
 */
export const BfdWireReasons = [
  'truncated', // fewer than 4 octets: not even the first word to read Vers and Length from
  'version', // §6.8.6: Vers is not 1
  'length-below-minimum', // §6.8.6: Length field below 24
  'auth-section-missing', // §6.8.6: A bit set and Length below 26, so no room for the auth section
  'length-exceeds-datagram', // §6.8.6: Length field larger than the UDP payload
  'detect-mult-zero', // §6.8.6
  'multipoint', // §6.8.6: M bit set
  'my-discriminator-zero', // §6.8.6
  'your-discriminator-zero', // §6.8.6: Your Discriminator 0 while State is Init or Up
  'poll-and-final', // §6.5: a packet MUST NOT have both P and F set
  'length-without-auth', // §4.1: A bit clear but Length above 24: octets that belong to no section
  'auth-length', // §4.2: Auth Len is not the rest of the packet (Length - 24)
  'auth-type-length', // §4.2-§4.4: Auth Len not the one the Auth Type prescribes
] as const;
export type BfdWireReason = (typeof BfdWireReasons)[number];

/** A datagram that is not a valid BFD Control packet. The message starts with "bfd codec:". */
export class BfdWireError extends Error {
  override readonly name = 'BfdWireError';

  constructor(
    readonly reason: BfdWireReason,
    detail: string,
  ) {
    super(`bfd codec: ${detail}`);
  }
}

/** A value handed to the encoder that cannot go on the wire (or that a receiver would discard). */
export class BfdEncodeError extends Error {
  override readonly name = 'BfdEncodeError';
}

/** A session setting out of range; the message names the field. */
export class BfdConfigError extends Error {
  override readonly name = 'BfdConfigError';
}

/** A socket the system refused (a port taken, an address not ours); `cause` is the socket's error. */
export class BfdTransportError extends Error {
  override readonly name = 'BfdTransportError';
}
