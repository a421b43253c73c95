// Per-session settings of the FSM and their checks: every bad value becomes a BgpConfigError
// that names the field, so a wrong config file is reported instead of crashing a session.

import { parseIPv4, type AddressFamily } from '../wire/ip.js';

/** Local misuse of the session layer (bad configuration, unknown peer, ...). */
export class BgpConfigError extends Error {
  override readonly name = 'BgpConfigError';
}

/** A number, or "internal"/"external" to accept any AS of that kind (dynamic neighbours). */
export type PeerAsSpec = number | 'internal' | 'external';

export interface BackoffConfig {
  /** Seconds before the first retry (RFC 4271 suggests 120; 5 suits a data centre). */
  readonly initial: number;
  /** Upper bound after doubling. */
  readonly max: number;
  /** 0..1: each delay is scaled by a factor in [1 - jitter, 1] drawn from the injected random. */
  readonly jitter: number;
}

export interface GracefulRestartConfig {
  /** Seconds the peer should keep our routes while we restart (12 bits). */
  readonly restartTime: number;
  /** F bit per family: our forwarding survives a restart of the speaker. */
  readonly forwardingPreserved: boolean;
}

export interface SessionConfig {
  readonly localAs: number;
  readonly routerId: string;
  readonly peerAs: PeerAsSpec;
  /** Seconds; 0 turns hold timer and keepalives off, else at least 3. */
  readonly holdTime: number;
  /** Seconds; undefined means a third of the negotiated hold time. */
  readonly keepaliveTime: number | undefined;
  readonly families: readonly AddressFamily[];
  /** Never connect, only accept (RFC 4271 PassiveTcpEstablishment). */
  readonly passive: boolean;
  readonly connectRetry: BackoffConfig;
  readonly gracefulRestart: GracefulRestartConfig | undefined;
  /** Advertise RFC 8654 extended messages. */
  readonly extendedMessage: boolean;
}

export type SessionConfigInput = Pick<SessionConfig, 'localAs' | 'routerId' | 'peerAs'> & Partial<Omit<SessionConfig, 'localAs' | 'routerId' | 'peerAs'>>;

export const defaultBackoff: BackoffConfig = { initial: 5, max: 120, jitter: 0.25 };

function fail(field: string, why: string): never {
  throw new BgpConfigError(`config: ${field} ${why}`);
}

export function isAsNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 0xffffffff;
}

function checkSeconds(field: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) fail(field, `must be a number of seconds in 0..${max}, got ${String(value)}`);
  return value;
}

/** Fills defaults and checks every field; throws BgpConfigError naming the first bad one. */
export function resolveSessionConfig(input: SessionConfigInput): SessionConfig {
  if (!isAsNumber(input.localAs)) fail('localAs', `must be an AS number 1..4294967295, got ${String(input.localAs)}`);
  if (typeof input.routerId !== 'string' || !parseIPv4(input.routerId) || input.routerId === '0.0.0.0') {
    fail('routerId', `must be a non-zero dotted quad, got ${String(input.routerId)}`);
  }
  const peerAs = input.peerAs;
  if (!isAsNumber(peerAs) && peerAs !== 'internal' && peerAs !== 'external') fail('peerAs', `must be an AS number, "internal" or "external", got ${String(peerAs)}`);
  const holdTime = input.holdTime ?? 90;
  if (!Number.isInteger(holdTime) || holdTime < 0 || holdTime > 65535 || holdTime === 1 || holdTime === 2) {
    fail('holdTime', `must be 0 or an integer 3..65535, got ${String(holdTime)}`);
  }
  const keepaliveTime = input.keepaliveTime;
  if (keepaliveTime !== undefined && (!Number.isInteger(keepaliveTime) || keepaliveTime < 1 || keepaliveTime > 21845)) {
    fail('keepaliveTime', `must be an integer 1..21845, got ${String(keepaliveTime)}`);
  }
  const families = input.families ?? ['ipv4'];
  if (!Array.isArray(families) || families.length === 0 || families.some((f) => f !== 'ipv4' && f !== 'ipv6')) {
    fail('families', `must be a non-empty list of "ipv4"/"ipv6", got ${JSON.stringify(families)}`);
  }
  const backoff = input.connectRetry ?? defaultBackoff;
  checkSeconds('connectRetry.initial', backoff.initial, 65535);
  checkSeconds('connectRetry.max', backoff.max, 65535);
  if (backoff.initial <= 0 || backoff.max < backoff.initial) fail('connectRetry', `needs 0 < initial <= max, got ${backoff.initial}/${backoff.max}`);
  if (typeof backoff.jitter !== 'number' || !(backoff.jitter >= 0 && backoff.jitter <= 1)) fail('connectRetry.jitter', `must be in 0..1, got ${String(backoff.jitter)}`);
  const gr = input.gracefulRestart;
  if (gr !== undefined) {
    if (!Number.isInteger(gr.restartTime) || gr.restartTime < 0 || gr.restartTime > 4095) fail('gracefulRestart.restartTime', `must be an integer 0..4095, got ${String(gr.restartTime)}`);
    if (typeof gr.forwardingPreserved !== 'boolean') fail('gracefulRestart.forwardingPreserved', 'must be true or false');
  }
  return {
    localAs: input.localAs,
    routerId: input.routerId,
    peerAs,
    holdTime,
    keepaliveTime,
    families: [...new Set(families)],
    passive: input.passive ?? false,
    connectRetry: { initial: backoff.initial, max: backoff.max, jitter: backoff.jitter },
    gracefulRestart: gr,
    extendedMessage: input.extendedMessage ?? true,
  };
}
