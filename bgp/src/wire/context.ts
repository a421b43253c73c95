// Constants of the BGP message layer (RFC 4271 §4, RFC 8654) and the per-session facts
// that change how bytes are read: 4-octet AS numbers and extended messages.

export const MessageType = {
  open: 1,
  update: 2,
  notification: 3,
  keepalive: 4,
  routeRefresh: 5,
} as const;
export type MessageTypeName = keyof typeof MessageType;

export const HEADER_LENGTH = 19;
export const MARKER_LENGTH = 16;
/** RFC 4271 §4: the largest message without RFC 8654. */
export const MAX_MESSAGE_LENGTH = 4096;
/** RFC 8654 §4: the largest message once both sides advertised the Extended Message capability. */
export const MAX_EXTENDED_MESSAGE_LENGTH = 65535;

/** RFC 4760 AFI and SAFI numbers this codec parses NLRI for. */
export const Afi = { ipv4: 1, ipv6: 2 } as const;
export const Safi = { unicast: 1 } as const;

/** RFC 6793 §9: the 2-octet stand-in for an AS number above 65535. */
export const AS_TRANS = 23456;

/** What the two speakers negotiated in their OPENs, as far as the wire format cares. */
export interface WireContext {
  /** RFC 6793: AS numbers in AS_PATH and AGGREGATOR are 4 octets. */
  readonly fourOctetAs: boolean;
  /** RFC 8654: UPDATE, NOTIFICATION and ROUTE-REFRESH may be up to 65535 octets. */
  readonly extendedMessage: boolean;
}

/** The context before (and without) any negotiation. */
export const classicContext: WireContext = { fourOctetAs: false, extendedMessage: false };
/** What modern peers (FRR, BIRD, GoBGP) negotiate with each other. */
export const modernContext: WireContext = { fourOctetAs: true, extendedMessage: true };

export function maxMessageLength(ctx: WireContext): number {
  return ctx.extendedMessage ? MAX_EXTENDED_MESSAGE_LENGTH : MAX_MESSAGE_LENGTH;
}
