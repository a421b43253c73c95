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

/** Graceful restart (RFC 4724, RFC 8538) as a user writes it; giving the object turns it on. */
export interface GracefulRestartConfig {
  /** false keeps the settings but neither advertises nor helps (default true). */
  readonly enabled?: boolean;
  /** Seconds the peer should keep our routes while we restart: 0..4095 (12 bits), default 120. */
  readonly restartTime?: number;
  /** Seconds we keep a restarted peer's stale routes waiting for its End-of-RIB: 1..3600, default 360. */
  readonly staleRoutesTime?: number;
  /**
   * F bit: forwarding survives a restart of this speaker, for every family (true) or the ones
   * listed. Default false. Sent in every OPEN, like FRR's preserve-fw-state.
   */
  readonly forwardingPreserved?: boolean | readonly AddressFamily[];
  /** Advertise the RFC 8538 N bit: NOTIFICATIONs other than Hard Reset also keep routes (default true). */
  readonly notification?: boolean;
}

/** Graceful restart after defaults and checks. */
export interface GracefulRestartSettings {
  readonly restartTime: number;
  readonly staleRoutesTime: number;
  readonly forwardingFamilies: readonly AddressFamily[];
  readonly notification: boolean;
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
  /** Undefined: graceful restart neither advertised nor helped. */
  readonly gracefulRestart: GracefulRestartSettings | undefined;
  /** Advertise RFC 8654 extended messages. */
  readonly extendedMessage: boolean;
}

export type SessionConfigInput = Pick<SessionConfig, 'localAs' | 'routerId' | 'peerAs'> &
  Partial<Omit<SessionConfig, 'localAs' | 'routerId' | 'peerAs' | 'gracefulRestart'>> & { readonly gracefulRestart?: GracefulRestartConfig | undefined };

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
  const uniqueFamilies = [...new Set(families)];
  const gracefulRestart = resolveGracefulRestart(input.gracefulRestart, uniqueFamilies);
  return {
    localAs: input.localAs,
    routerId: input.routerId,
    peerAs,
    holdTime,
    keepaliveTime,
    families: uniqueFamilies,
    passive: input.passive ?? false,
    connectRetry: { initial: backoff.initial, max: backoff.max, jitter: backoff.jitter },
    gracefulRestart,
    extendedMessage: input.extendedMessage ?? true,
  };
}

function resolveGracefulRestart(gr: GracefulRestartConfig | undefined, families: readonly AddressFamily[]): GracefulRestartSettings | undefined {
  if (gr === undefined) return undefined;
  if (typeof gr !== 'object' || gr === null) fail('gracefulRestart', `must be an object, got ${String(gr)}`);
  if (gr.enabled !== undefined && typeof gr.enabled !== 'boolean') fail('gracefulRestart.enabled', 'must be true or false');
  if (gr.enabled === false) return undefined;
  const restartTime = gr.restartTime ?? 120;
  if (!Number.isInteger(restartTime) || restartTime < 0 || restartTime > 4095) fail('gracefulRestart.restartTime', `must be an integer 0..4095, got ${String(restartTime)}`);
  const staleRoutesTime = gr.staleRoutesTime ?? 360;
  if (!Number.isInteger(staleRoutesTime) || staleRoutesTime < 1 || staleRoutesTime > 3600) {
    fail('gracefulRestart.staleRoutesTime', `must be an integer 1..3600, got ${String(staleRoutesTime)}`);
  }
  const preserved = gr.forwardingPreserved ?? false;
  let forwardingFamilies: readonly AddressFamily[];
  if (typeof preserved === 'boolean') forwardingFamilies = preserved ? families : [];
  else if (Array.isArray(preserved) && preserved.every((f) => families.includes(f))) forwardingFamilies = [...new Set(preserved)];
  else fail('gracefulRestart.forwardingPreserved', `must be true, false or a list of the session's families ${JSON.stringify(families)}, got ${JSON.stringify(preserved)}`);
  if (gr.notification !== undefined && typeof gr.notification !== 'boolean') fail('gracefulRestart.notification', 'must be true or false');
  return { restartTime, staleRoutesTime, forwardingFamilies, notification: gr.notification ?? true };
}
