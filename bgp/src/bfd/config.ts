// Per-session BFD settings and their checks: every bad value becomes a BfdConfigError naming
// the field. Intervals are microseconds, as on the wire (RFC 5880 §4.1).

import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../wire/ip.js';
import { BfdConfigError } from './errors.js';
import { BFD_SINGLE_HOP_TTL } from './types.js';

/** The timers an operator tunes; changing them on a running session starts a Poll Sequence. */
export interface BfdTimerSettings {
  /** bfd.DesiredMinTxInterval once Up (§6.8.3 raises it to 1 s while not Up). */
  readonly desiredMinTxUs: number;
  /** bfd.RequiredMinRxInterval. */
  readonly requiredMinRxUs: number;
  /** bfd.DetectMult: 1..255. */
  readonly detectMultiplier: number;
}

export interface BfdSessionConfig extends BfdTimerSettings {
  /** bfd.LocalDiscr: nonzero and unique on this system (BfdDemux.allocateDiscriminator). */
  readonly localDiscriminator: number;
  /** Where our packets go, fixed at creation (RFC 5881 §6); canonical text. */
  readonly peerAddress: string;
  /** Our address on the session, when bound to one; canonical text. */
  readonly localAddress: string | undefined;
  /** RFC 5883 (port 4784, TTL checked against minimumTtl) instead of RFC 5881 (3784, TTL 255). */
  readonly multihop: boolean;
  /**
   * §6.1 Passive role: send nothing until the peer's first packet. RFC 5881 §3 wants both ends
   * of a single-hop session Active; Passive is offered for both kinds, as FRR and MetalLB do.
   */
  readonly passive: boolean;
  /** Multihop only: the lowest TTL/Hop Limit accepted. Single hop always demands 255 (RFC 5881 §5). */
  readonly minimumTtl: number;
}

export type BfdSessionConfigInput = Pick<BfdSessionConfig, 'localDiscriminator' | 'peerAddress'> &
  Partial<Omit<BfdSessionConfig, 'localDiscriminator' | 'peerAddress' | 'localAddress'>> & { readonly localAddress?: string | undefined };

/** MetalLB's BFDProfile defaults: 300 ms both ways, three packets. */
export const defaultBfdTimers: BfdTimerSettings = { desiredMinTxUs: 300_000, requiredMinRxUs: 300_000, detectMultiplier: 3 };
/** FRR's default minimum TTL for multihop sessions: one hop. */
export const DEFAULT_BFD_MINIMUM_TTL = 254;
/** Node timers tick in milliseconds, so faster intervals are refused rather than pretended. */
export const BFD_MIN_INTERVAL_US = 1_000;

function fail(field: string, why: string): never {
  throw new BfdConfigError(`bfd config: ${field} ${why}`);
}

/**
 * RFC 5952 text for an address, IPv4-mapped IPv6 as IPv4 (what a dual-stack socket reports),
 * an IPv6 zone kept; undefined when it is no address.
 */
export function canonicalAddress(text: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  const v4 = parseIPv4(text);
  if (v4) return formatIPv4(v4);
  const [address = '', zone, extra] = text.split('%');
  if (extra !== undefined || zone === '') return undefined;
  const v6 = parseIPv6(address);
  if (!v6) return undefined;
  const mapped = v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  if (mapped && zone === undefined) return formatIPv4(v6, 12);
  return zone === undefined ? formatIPv6(v6) : `${formatIPv6(v6)}%${zone}`;
}

function checkInterval(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < BFD_MIN_INTERVAL_US || value > 0xffffffff) {
    fail(field, `must be an integer number of microseconds in ${BFD_MIN_INTERVAL_US}..4294967295, got ${String(value)}`);
  }
  return value;
}

/** Checks a full or partial set of timers; returns `base` with the given ones replaced. */
export function resolveBfdTimers(input: Partial<BfdTimerSettings>, base: BfdTimerSettings = defaultBfdTimers): BfdTimerSettings {
  const desiredMinTxUs = checkInterval('desiredMinTxUs', input.desiredMinTxUs ?? base.desiredMinTxUs);
  const requiredMinRxUs = checkInterval('requiredMinRxUs', input.requiredMinRxUs ?? base.requiredMinRxUs);
  const detectMultiplier = input.detectMultiplier ?? base.detectMultiplier;
  if (!Number.isInteger(detectMultiplier) || detectMultiplier < 1 || detectMultiplier > 255) {
    fail('detectMultiplier', `must be an integer 1..255, got ${String(detectMultiplier)}`);
  }
  return { desiredMinTxUs, requiredMinRxUs, detectMultiplier };
}

/** Fills defaults and checks every field; throws BfdConfigError naming the first bad one. */
export function resolveBfdConfig(input: BfdSessionConfigInput): BfdSessionConfig {
  const discriminator = input.localDiscriminator;
  if (!Number.isInteger(discriminator) || discriminator < 1 || discriminator > 0xffffffff) {
    fail('localDiscriminator', `must be a nonzero 32-bit integer, got ${String(discriminator)}`);
  }
  const peerAddress = canonicalAddress(input.peerAddress);
  if (peerAddress === undefined) fail('peerAddress', `must be an IPv4 or IPv6 address, got ${String(input.peerAddress)}`);
  let localAddress: string | undefined;
  if (input.localAddress !== undefined) {
    localAddress = canonicalAddress(input.localAddress);
    if (localAddress === undefined) fail('localAddress', `must be an IPv4 or IPv6 address, got ${String(input.localAddress)}`);
  }
  for (const field of ['multihop', 'passive'] as const) {
    if (input[field] !== undefined && typeof input[field] !== 'boolean') fail(field, 'must be true or false');
  }
  const minimumTtl = input.minimumTtl ?? DEFAULT_BFD_MINIMUM_TTL;
  if (!Number.isInteger(minimumTtl) || minimumTtl < 1 || minimumTtl > BFD_SINGLE_HOP_TTL) fail('minimumTtl', `must be an integer 1..255, got ${String(minimumTtl)}`);
  return {
    ...resolveBfdTimers(input),
    localDiscriminator: discriminator,
    peerAddress,
    localAddress,
    multihop: input.multihop ?? false,
    passive: input.passive ?? false,
    minimumTtl,
  };
}
