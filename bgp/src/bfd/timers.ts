// The timer rules of RFC 5880 in one place: the 1 s transmit interval while not Up (§6.8.3),
// whether and how often to transmit (§6.8.7), its jitter, and the Detection Time (§6.8.4).

import type { BfdState } from './types.js';
import { BFD_SLOW_TX_US } from './types.js';

/** bfd.DesiredMinTxInterval to advertise: the configured value, but at least 1 s unless Up. */
export function advertisedDesiredMinTxUs(state: BfdState, configuredUs: number): number {
  return state === 'Up' ? configuredUs : Math.max(configuredUs, BFD_SLOW_TX_US);
}

export interface BfdTransmitView {
  readonly started: boolean;
  readonly passive: boolean;
  readonly state: BfdState;
  readonly remoteState: BfdState;
  readonly remoteDiscriminator: number;
  /** bfd.RemoteMinRxInterval. */
  readonly remoteMinRxUs: number;
  readonly remoteDemand: boolean;
  readonly polling: boolean;
  /** The bfd.DesiredMinTxInterval the transmit interval is computed from (§6.8.3 may hold the old one). */
  readonly desiredMinTxInEffectUs: number;
}

/**
 * §6.8.7: the interval of periodic transmission before jitter, the greater of
 * bfd.DesiredMinTxInterval and bfd.RemoteMinRxInterval; undefined when we must not transmit:
 * Passive before the remote discriminator is known (§6.1), a remote Required Min RX of zero,
 * or the remote in Demand mode with both sides Up and no Poll Sequence of ours running.
 */
export function periodicTransmitUs(view: BfdTransmitView): number | undefined {
  if (!view.started) return undefined;
  if (view.passive && view.remoteDiscriminator === 0) return undefined;
  if (view.remoteMinRxUs === 0) return undefined;
  if (view.remoteDemand && view.state === 'Up' && view.remoteState === 'Up' && !view.polling) return undefined;
  return Math.max(view.desiredMinTxInEffectUs, view.remoteMinRxUs);
}

/**
 * §6.8.7 jitter: each interval is reduced by a random 0-25%, or by 10-25% when our Detect Mult
 * is 1 (so packets leave between 75% and 90% of the interval). Whole microseconds, never
 * below 75% nor, for Detect Mult 1, above 90%.
 */
export function jitteredUs(intervalUs: number, detectMult: number, random: () => number): number {
  const drawn = random();
  const r = Number.isFinite(drawn) && drawn >= 0 && drawn < 1 ? drawn : 0;
  const most = Math.floor(intervalUs / 4);
  const reduction = detectMult === 1 ? Math.min(Math.ceil(intervalUs * (0.1 + 0.15 * r)), most) : Math.min(Math.floor(intervalUs * 0.25 * r), most);
  return Math.max(1, intervalUs - reduction);
}

/**
 * §6.8.4, Asynchronous mode: the remote's Detect Mult times the agreed remote transmit interval,
 * the greater of our bfd.RequiredMinRxInterval and the remote's last Desired Min TX Interval.
 */
export function detectionTimeUs(remoteDetectMult: number, requiredMinRxInEffectUs: number, remoteDesiredMinTxUs: number): number {
  return Math.max(1, remoteDetectMult * Math.max(requiredMinRxInEffectUs, remoteDesiredMinTxUs));
}
