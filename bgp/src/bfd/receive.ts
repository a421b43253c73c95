// The reception checks of RFC 5880 §6.8.6 that need the session, and the TTL rules of RFC 5881
// §5 / RFC 5883 §5: a packet failing one is dropped and counted, and never reaches the FSM.

import type { BfdControlPacket } from './codec.js';
import type { BfdSessionConfig } from './config.js';
import { BFD_MULTIHOP_PORT, BFD_SINGLE_HOP_PORT, BFD_SINGLE_HOP_TTL } from './types.js';

/** What the transport knows about a datagram besides its octets. */
export interface BfdReceiveMeta {
  /** IPv4 TTL or IPv6 Hop Limit as received. */
  readonly ttl: number;
  readonly sourceAddress: string;
  readonly sourcePort: number;
  /** The local port it arrived on: 3784 single hop, 4784 multihop. */
  readonly destinationPort: number;
  /** The local address it was sent to, where the transport can tell. */
  readonly localAddress?: string;
}

export const BfdDropReasons = [
  'wrong-port', // a single-hop session's packet on the multihop port or the other way round
  'ttl', // RFC 5881 §5: not 255 (single hop); RFC 5883 §5: below the configured minimum (multihop)
  'your-discriminator', // §6.8.6: Your Discriminator nonzero and not ours
  'authentication', // §6.8.6: A bit set and no authentication in use (bfd.AuthType is zero)
  'admin-down', // §6.8.6: valid, but the session is AdminDown
] as const;
export type BfdDropReason = (typeof BfdDropReasons)[number];

/** The first reason to drop `packet` for the session with `config`, or undefined to accept it. */
export function bfdReceiveProblem(packet: BfdControlPacket, meta: BfdReceiveMeta, config: BfdSessionConfig): Exclude<BfdDropReason, 'admin-down'> | undefined {
  if (meta.destinationPort !== (config.multihop ? BFD_MULTIHOP_PORT : BFD_SINGLE_HOP_PORT)) return 'wrong-port';
  // Checked first, before any work that a flood of spoofed packets could make expensive (RFC 5881 §5).
  if (config.multihop ? !(meta.ttl >= config.minimumTtl) : meta.ttl !== BFD_SINGLE_HOP_TTL) return 'ttl';
  if (packet.yourDiscriminator !== 0 && packet.yourDiscriminator !== config.localDiscriminator) return 'your-discriminator';
  if (packet.auth !== undefined) return 'authentication';
  return undefined;
}
