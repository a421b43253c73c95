// What a user configures for one peer; the speaker fills the local side (AS, router id).

import type { AddressFamily } from '../wire/ip.js';
import type { BackoffConfig, GracefulRestartConfig, PeerAsSpec } from '../fsm/config.js';

export interface PeerConfig {
  /** The peer's address: what we connect to and what incoming connections must come from. */
  readonly address: string;
  readonly peerAs: PeerAsSpec;
  /** TCP port to connect to (179). */
  readonly port?: number;
  /** Overrides the speaker's AS for this session. */
  readonly localAs?: number;
  readonly holdTime?: number;
  readonly keepaliveTime?: number;
  /** Local address to connect from (also the default next hop). */
  readonly sourceAddress?: string;
  readonly passive?: boolean;
  readonly families?: readonly AddressFamily[];
  readonly connectRetry?: BackoffConfig;
  readonly gracefulRestart?: GracefulRestartConfig;
  readonly extendedMessage?: boolean;
  /** Next hop per family when not our address on the session (e.g. IPv6 routes over an IPv4 session). */
  readonly nextHop?: { readonly ipv4?: string; readonly ipv6?: string };
  /**
   * eBGP multihop TTL and TCP MD5 key: Node's net.Socket cannot set IP_TTL or TCP_MD5SIG,
   * so these are handed to the speaker's `socketOptions` hook (native/ implements them).
   */
  readonly ebgpMultihop?: number;
  readonly md5Password?: string;
}
