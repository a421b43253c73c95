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
  /** BFD for this peer (RFC 5880/5881/5883, coupled as RFC 5882 says): see PeerBfdConfig. Absent: no BFD. */
  readonly bfd?: PeerBfdConfig;
}

/**
 * BFD as a user writes it for one peer (the fields of MetalLB's BFDProfile that apply). Giving
 * the object turns BFD on; every field has a default.
 */
export interface PeerBfdConfig {
  /** Desired Min TX Interval once Up, milliseconds: 10..60000, default 300. */
  readonly transmitIntervalMs?: number;
  /** Required Min RX Interval, milliseconds: 10..60000, default 300. */
  readonly receiveIntervalMs?: number;
  /** Detect Mult: 1..255, default 3. */
  readonly detectMultiplier?: number;
  /** Send nothing until the peer's first packet (RFC 5880 §6.1). Default false. */
  readonly passive?: boolean;
  /**
   * RFC 5883 multihop (port 4784). Default: true when `minimumTtl` is given, or the peer's `ttl`
   * (eBGP multihop) or `gtsmHops` is 2 or more; false otherwise (RFC 5881 single hop, TTL 255 only).
   */
  readonly multihop?: boolean;
  /**
   * Multihop only: the lowest TTL accepted, 1..255. Default: 256 - ttl (or 256 - gtsmHops), the
   * same distance the BGP session allows; 254 (one router between) when neither is set.
   */
  readonly minimumTtl?: number;
}

/** A peer's BFD after defaults and checks: what BfdManager.add takes, intervals in microseconds. */
export interface PeerBfdSettings {
  readonly desiredMinTxUs: number;
  readonly requiredMinRxUs: number;
  readonly detectMultiplier: number;
  readonly passive: boolean;
  readonly multihop: boolean;
  /** Only for multihop sessions (single hop accepts TTL 255 alone). */
  readonly minimumTtl: number | undefined;
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

/** FRR's and MetalLB's range: Node's timers tick in milliseconds, and below 10 ms they drift more than BFD allows. */
const BFD_INTERVAL_MS = { min: 10, max: 60_000, default: 300 } as const;
/** One router between us, as FRR's multihop default. */
const BFD_DEFAULT_MINIMUM_TTL = 254;

const isIntIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** What is wrong with a peer's `bfd` settings, or undefined. Never throws. */
export function bfdSettingsProblem(peer: Pick<PeerConfig, 'bfd'>): string | undefined {
  const bfd = peer.bfd;
  if (bfd === undefined) return undefined;
  if (typeof bfd !== 'object' || bfd === null || Array.isArray(bfd)) return 'bfd must be an object';
  for (const field of ['transmitIntervalMs', 'receiveIntervalMs'] as const) {
    const value = bfd[field];
    if (value !== undefined && !isIntIn(value, BFD_INTERVAL_MS.min, BFD_INTERVAL_MS.max)) {
      return `bfd.${field} ${String(value)} is not a whole number of milliseconds in ${BFD_INTERVAL_MS.min}..${BFD_INTERVAL_MS.max}`;
    }
  }
  if (bfd.detectMultiplier !== undefined && !isIntIn(bfd.detectMultiplier, 1, 255)) return `bfd.detectMultiplier ${String(bfd.detectMultiplier)} is not 1..255`;
  for (const field of ['passive', 'multihop'] as const) {
    if (bfd[field] !== undefined && typeof bfd[field] !== 'boolean') return `bfd.${field} must be true or false`;
  }
  if (bfd.minimumTtl !== undefined) {
    if (!isIntIn(bfd.minimumTtl, 1, 255)) return `bfd.minimumTtl ${String(bfd.minimumTtl)} is not 1..255`;
    if (bfd.multihop === false) return 'bfd.minimumTtl applies to multihop sessions only (single hop accepts TTL 255 alone, RFC 5881 §5)';
  }
  return undefined;
}

/**
 * The peer's BFD settings with defaults filled, or undefined without `bfd`. Multihop and the
 * minimum TTL follow the BGP session's own reach (ttl / gtsmHops) unless given. Throws a
 * BgpConfigError naming the peer and the field when they are not valid.
 */
export function peerBfdSettings(peer: Pick<PeerConfig, 'address' | 'bfd' | 'ttl' | 'gtsm' | 'gtsmHops'>): PeerBfdSettings | undefined {
  const problem = bfdSettingsProblem(peer);
  if (problem !== undefined) throw new BgpConfigError(`peer-config: peer ${peer.address}: ${problem}`);
  const bfd = peer.bfd;
  if (bfd === undefined) return undefined;
  // Routers the BGP session may cross: ttl N reaches N - 1 routers away, GTSM gtsmHops - 1.
  const hops = peer.ttl !== undefined ? peer.ttl : peer.gtsm === true ? (peer.gtsmHops ?? 1) : undefined;
  const multihop = bfd.multihop ?? (bfd.minimumTtl !== undefined || (hops !== undefined && hops >= 2));
  return {
    desiredMinTxUs: (bfd.transmitIntervalMs ?? BFD_INTERVAL_MS.default) * 1000,
    requiredMinRxUs: (bfd.receiveIntervalMs ?? BFD_INTERVAL_MS.default) * 1000,
    detectMultiplier: bfd.detectMultiplier ?? 3,
    passive: bfd.passive ?? false,
    multihop,
    // A packet sent with 255 that crossed hops - 1 routers arrives with 256 - hops.
    minimumTtl: multihop ? (bfd.minimumTtl ?? (hops !== undefined && hops >= 2 ? 256 - hops : BFD_DEFAULT_MINIMUM_TTL)) : undefined,
  };
}
