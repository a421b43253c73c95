// Membership's knobs and their defaults, with the arithmetic that makes detection well under a
// second: 2 missed pings (100 ms apart) + 100 ms of indirect probes + 200 ms of suspicion.
import { MembershipError } from './errors.js';

export interface MembershipOptions {
  /** This node's name (the Kubernetes Node name). */
  readonly self: string;
  /** HMAC-SHA256 key, the bytes of the Secret's value; at least 16. */
  readonly key: Uint8Array;
  /** A round: each member pings its ring monitors and one random member. */
  readonly probeIntervalMs: number;
  /** A ping unanswered this long is a miss. Below the interval, so a round judges the last. */
  readonly ackTimeoutMs: number;
  /** Consecutive misses before asking others to probe (SWIM's indirect probe). */
  readonly missesBeforeIndirect: number;
  /** Members asked to probe on our behalf. */
  readonly indirectProbes: number;
  /** No ack, direct or relayed, this long after the indirect probes: the member is suspect. */
  readonly indirectTimeoutMs: number;
  /** A suspect that does not refute (a higher incarnation) this long is dead. */
  readonly suspicionTimeoutMs: number;
  /** Each member is pinged every round by this many ring predecessors. */
  readonly ringMonitors: number;
  /** Accepted clock difference between nodes, and how long nonces are remembered. */
  readonly replayWindowMs: number;
  /** An update rides on this many x log2(N+1) messages before it is dropped from the queue. */
  readonly retransmitMultiplier: number;
  /** At most this many updates ride on one message. */
  readonly maxPiggyback: number;
  /** Nothing authenticated heard from anyone this long (peers exist): our probes are not getting through. */
  readonly silenceMs: number;
  /** Uniform in [0, 1): which random member to probe and ask; injected so a simulation repeats. */
  readonly random: () => number;
  /** A 64-bit nonce per message; injected for the same reason. */
  readonly nonce: () => bigint;
}

export const DEFAULTS = {
  probeIntervalMs: 100,
  ackTimeoutMs: 90,
  missesBeforeIndirect: 2,
  indirectProbes: 3,
  indirectTimeoutMs: 100,
  suspicionTimeoutMs: 200,
  ringMonitors: 3,
  replayWindowMs: 10_000,
  retransmitMultiplier: 3,
  maxPiggyback: 8,
  silenceMs: 2_000,
} as const;

/** Worst case from a crash to "dead" at a monitor: a round to the next ping, the misses, indirect, suspicion. */
export function worstDetectionMs(o: Pick<MembershipOptions, 'probeIntervalMs' | 'ackTimeoutMs' | 'missesBeforeIndirect' | 'indirectTimeoutMs' | 'suspicionTimeoutMs'>): number {
  return o.probeIntervalMs * o.missesBeforeIndirect + o.ackTimeoutMs + o.indirectTimeoutMs + o.suspicionTimeoutMs;
}

export function checkOptions(o: MembershipOptions): void {
  for (const [name, value] of Object.entries(o)) {
    if (typeof value === 'number' && (!Number.isFinite(value) || value < 0)) throw new MembershipError(`option ${name} is ${value}, not a number >= 0`);
  }
  if (o.probeIntervalMs <= 0) throw new MembershipError('option probeIntervalMs must be above 0');
  if (o.ackTimeoutMs > o.probeIntervalMs) throw new MembershipError(`option ackTimeoutMs (${o.ackTimeoutMs}) must not exceed probeIntervalMs (${o.probeIntervalMs})`);
  if (o.missesBeforeIndirect < 1) throw new MembershipError('option missesBeforeIndirect must be at least 1');
  if (o.maxPiggyback > 255) throw new MembershipError('option maxPiggyback must be at most 255');
  if (o.self === '') throw new MembershipError('option self (the node name) is empty');
}
