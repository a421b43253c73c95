// The vocabulary of the BFD core: what it is told (inputs), what it hands its driver (commands),
// and the status it shows. The core itself (fsm.ts) does no I/O.

import type { BfdControlPacket } from './codec.js';
import type { BfdTimerSettings } from './config.js';
import type { BfdEventName } from './table.js';
import type { BfdState } from './types.js';

export const BfdTimerNames = ['transmit', 'detection'] as const;
export type BfdTimerName = (typeof BfdTimerNames)[number];

/** What the core is told: a packet that passed every check, a timer, the operator. */
export type BfdInput =
  | { readonly name: 'start' }
  | { readonly name: 'received'; readonly packet: BfdControlPacket }
  | { readonly name: 'transmit-timer' }
  | { readonly name: 'detection-timer' }
  /** §6.8.16; diag defaults to 7 Administratively Down (5 Path Down suits a failed path). */
  | { readonly name: 'admin-down'; readonly diag?: number }
  | { readonly name: 'admin-up' }
  /** §6.8.3 / §6.8.12: new timer values; interval changes start a Poll Sequence. */
  | { readonly name: 'set-timers'; readonly timers: Partial<BfdTimerSettings> };

/** What the driver must do, in order. Intervals are microseconds. */
export type BfdCommand =
  | { readonly type: 'send'; readonly packet: BfdControlPacket; readonly kind: 'periodic' | 'final' }
  | { readonly type: 'arm-timer'; readonly timer: BfdTimerName; readonly us: number }
  | { readonly type: 'cancel-timer'; readonly timer: BfdTimerName }
  | { readonly type: 'state-change'; readonly from: BfdState; readonly to: BfdState; readonly diag: number; readonly event: BfdEventName }
  /** §6.8.6: a valid packet arrived while AdminDown and was discarded. */
  | { readonly type: 'discarded'; readonly reason: 'admin-down' };

/**
 * Poll Sequence of ours: none, waiting for the Final, or (§6.8.3 option 3) waiting for a packet
 * without Final before the next one starts because values changed again meanwhile.
 */
export type BfdPollPhase = 'idle' | 'polling' | 'settling';

export interface BfdLogEntry {
  readonly level: 'info' | 'debug';
  readonly msg: string;
  readonly from: BfdState;
  readonly to: BfdState;
  readonly event: BfdEventName;
  readonly diag: number;
}

export interface BfdFsmOptions {
  /** [0, 1) source for transmit jitter; inject a seeded one for repeatable runs. */
  readonly random: () => number;
  readonly log?: (entry: BfdLogEntry) => void;
}

/** The state variables of §6.8.1 worth showing, plus what the timers run on. */
export interface BfdFsmStatus {
  readonly state: BfdState;
  readonly remoteState: BfdState;
  readonly localDiag: number;
  readonly remoteDiag: number;
  readonly localDiscriminator: number;
  readonly remoteDiscriminator: number;
  /** Advertised bfd.DesiredMinTxInterval and bfd.RequiredMinRxInterval. */
  readonly desiredMinTxUs: number;
  readonly requiredMinRxUs: number;
  readonly detectMultiplier: number;
  readonly remoteDesiredMinTxUs: number;
  readonly remoteMinRxUs: number;
  readonly remoteMinEchoRxUs: number;
  readonly remoteDetectMult: number;
  readonly remoteDemand: boolean;
  readonly remoteControlPlaneIndependent: boolean;
  /** Periodic interval before jitter; undefined while we must not transmit. */
  readonly transmitIntervalUs: number | undefined;
  /** Undefined until the first packet from the remote. */
  readonly detectionTimeUs: number | undefined;
  readonly poll: BfdPollPhase;
  readonly pollSequences: number;
}
