// What a user configures for one peer; the speaker fills the local side (AS, router id).

import type { AddressFamily } from '../wire/ip.js';
import { BgpConfigError, type BackoffConfig, type GracefulRestartConfig, type PeerAsSpec } from '../fsm/config.js';

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
  /** TCP MD5 signature key (RFC 2385): the peer's `password`. Set on the outgoing socket before connect and on the listener for this address. */
  readonly password?: string;
  /** eBGP multihop: the TTL our packets leave with (1..255; the kernel's default is 64). Not with gtsm. */
  readonly ttl?: number;
  /** GTSM (RFC 5082): send with TTL 255 and let the kernel drop what arrives below 256 - gtsmHops. */
  readonly gtsm?: boolean;
  /** How many router hops away a GTSM peer may be (1..254, default 1: directly connected). */
  readonly gtsmHops?: number;
}

/** What the socket of a session needs beyond Node's defaults; native/ sets it. */
export interface SocketSecurity {
  readonly password?: string;
  readonly ttl?: number;
  readonly minTtl?: number;
}

/** TCP_MD5SIG_MAXKEYLEN. */
const MAX_PASSWORD_BYTES = 80;

const isTtl = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** What is wrong with a peer's password/ttl/gtsm settings, or undefined. Never throws. */
export function socketSecurityProblem(peer: Pick<PeerConfig, 'password' | 'ttl' | 'gtsm' | 'gtsmHops'>): string | undefined {
  const { password, ttl, gtsm, gtsmHops } = peer;
  if (password !== undefined) {
    if (typeof password !== 'string' || password.length === 0) return 'password must be a non-empty string';
    if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return `password is ${Buffer.byteLength(password)} bytes; TCP MD5 keys hold at most ${MAX_PASSWORD_BYTES}`;
  }
  if (ttl !== undefined && !isTtl(ttl, 1, 255)) return `ttl ${String(ttl)} is not 1..255`;
  if (gtsm !== undefined && typeof gtsm !== 'boolean') return 'gtsm must be true or false';
  if (gtsmHops !== undefined && !isTtl(gtsmHops, 1, 254)) return `gtsmHops ${String(gtsmHops)} is not 1..254`;
  if (gtsmHops !== undefined && gtsm !== true) return 'gtsmHops needs gtsm: true';
  if (gtsm === true && ttl !== undefined) return 'ttl and gtsm exclude each other (GTSM always sends TTL 255; gtsmHops says how far the peer may be)';
  return undefined;
}

/**
 * The socket options a peer's settings ask for, or undefined when Node's plain sockets will do.
 * Throws a BgpConfigError naming the peer and the field when they are not valid.
 */
export function socketSecurity(peer: Pick<PeerConfig, 'address' | 'password' | 'ttl' | 'gtsm' | 'gtsmHops'>): SocketSecurity | undefined {
  const problem = socketSecurityProblem(peer);
  if (problem !== undefined) throw new BgpConfigError(`peer-config: peer ${peer.address}: ${problem}`);
  const { password, ttl, gtsm, gtsmHops } = peer;
  if (password === undefined && ttl === undefined && gtsm !== true) return undefined;
  return {
    ...(password === undefined ? {} : { password }),
    // RFC 5082 §3: send 255, accept 255 - hops + 1 and above.
    ...(gtsm === true ? { ttl: 255, minTtl: 256 - (gtsmHops ?? 1) } : ttl === undefined ? {} : { ttl }),
  };
}
