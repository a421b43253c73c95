// A BFD session on a clock: runs the core's commands (timers on the injected Clock, packets to
// the send callback), applies the receive checks first, and keeps the counters. No sockets:
// the transport (later) decodes datagrams, fills BfdReceiveMeta and serializes what is sent.

import type { Clock, TimerHandle } from '../session/clock.js';
import type { BfdControlPacket } from './codec.js';
import { resolveBfdConfig, type BfdSessionConfig, type BfdSessionConfigInput, type BfdTimerSettings } from './config.js';
import type { BfdCommand, BfdFsmStatus, BfdLogEntry, BfdTimerName } from './commands.js';
import { BfdFsm } from './fsm.js';
import { BfdDropReasons, bfdReceiveProblem, type BfdDropReason, type BfdReceiveMeta } from './receive.js';
import type { BfdEventName } from './table.js';
import { bfdDiagName, type BfdState } from './types.js';

export interface BfdStateChange {
  readonly from: BfdState;
  readonly to: BfdState;
  /** bfd.LocalDiag after the change: why the session went down. */
  readonly diag: number;
  readonly diagName: string;
  readonly event: BfdEventName;
}

export interface BfdCounters {
  /** Packets that passed every check and reached the state machine. */
  readonly packetsIn: number;
  readonly packetsOut: number;
  /** Of packetsOut: answers to a Poll. */
  readonly finalsOut: number;
  readonly dropped: Readonly<Record<BfdDropReason, number>>;
  readonly stateTransitions: number;
  readonly upTransitions: number;
  /** Transitions out of Up: what alerts should count. */
  readonly downTransitions: number;
}

export type BfdReceiveOutcome = { readonly accepted: true } | { readonly accepted: false; readonly reason: BfdDropReason | 'stopped' };

export interface BfdSessionOptions {
  readonly config: BfdSessionConfigInput;
  readonly clock: Clock;
  /** [0, 1) source for jitter. */
  readonly random: () => number;
  /** A packet to put on the wire (serializeControl, TTL 255, the session's source port). */
  readonly send: (packet: BfdControlPacket) => void;
  readonly stateChange?: (change: BfdStateChange) => void;
  readonly log?: (entry: BfdLogEntry) => void;
}

export interface BfdSessionStatus extends BfdFsmStatus {
  readonly peerAddress: string;
  readonly localAddress: string | undefined;
  readonly multihop: boolean;
  readonly passive: boolean;
  readonly counters: BfdCounters;
}

type MutableCounters = { -readonly [K in keyof BfdCounters]: BfdCounters[K] } & { dropped: Record<BfdDropReason, number> };

export class BfdSession {
  /** As created; after setTimers, status() shows the timers in use. */
  readonly config: BfdSessionConfig;
  private readonly fsm: BfdFsm;
  private readonly handles = new Map<BfdTimerName, TimerHandle>();
  private readonly counts: MutableCounters = {
    packetsIn: 0,
    packetsOut: 0,
    finalsOut: 0,
    dropped: Object.fromEntries(BfdDropReasons.map((r) => [r, 0])) as Record<BfdDropReason, number>,
    stateTransitions: 0,
    upTransitions: 0,
    downTransitions: 0,
  };
  private stopped = false;

  /** Throws BfdConfigError for a bad config. */
  constructor(private readonly options: BfdSessionOptions) {
    this.config = resolveBfdConfig(options.config);
    this.fsm = new BfdFsm(this.config, { random: options.random, ...(options.log ? { log: options.log } : {}) });
  }

  get localDiscriminator(): number {
    return this.config.localDiscriminator;
  }
  get peerAddress(): string {
    return this.config.peerAddress;
  }
  get localAddress(): string | undefined {
    return this.config.localAddress;
  }
  get multihop(): boolean {
    return this.config.multihop;
  }
  get state(): BfdState {
    return this.fsm.state;
  }

  get counters(): BfdCounters {
    return { ...this.counts, dropped: { ...this.counts.dropped } };
  }

  status(): BfdSessionStatus {
    const { peerAddress, localAddress, multihop, passive } = this.config;
    return { ...this.fsm.status(), peerAddress, localAddress, multihop, passive, counters: this.counters };
  }

  /** Starts transmitting (Active: a packet now; Passive: once the peer has spoken). */
  start(): void {
    this.apply(this.fsm.handle({ name: 'start' }));
  }

  /** Cancels every timer; a stopped session sends and accepts nothing more. */
  stop(): void {
    this.stopped = true;
    for (const handle of this.handles.values()) handle.cancel();
    this.handles.clear();
  }

  /** A decoded packet (codec.ts checks done) for this session, with what the transport saw. */
  receive(packet: BfdControlPacket, meta: BfdReceiveMeta): BfdReceiveOutcome {
    if (this.stopped) return { accepted: false, reason: 'stopped' };
    const problem = bfdReceiveProblem(packet, meta, this.config);
    if (problem !== undefined) {
      this.counts.dropped[problem] += 1;
      return { accepted: false, reason: problem };
    }
    const commands = this.fsm.handle({ name: 'received', packet });
    if (commands.some((c) => c.type === 'discarded')) {
      this.apply(commands);
      return { accepted: false, reason: 'admin-down' };
    }
    this.counts.packetsIn += 1;
    this.apply(commands);
    return { accepted: true };
  }

  /** §6.8.16: AdminDown with diag 7 (or the one given, e.g. 5 Path Down). */
  adminDown(diag?: number): void {
    this.apply(this.fsm.handle(diag === undefined ? { name: 'admin-down' } : { name: 'admin-down', diag }));
  }

  adminUp(): void {
    this.apply(this.fsm.handle({ name: 'admin-up' }));
  }

  /** New timers (checked; throws BfdConfigError); interval changes run a Poll Sequence. */
  setTimers(timers: Partial<BfdTimerSettings>): void {
    this.apply(this.fsm.handle({ name: 'set-timers', timers }));
  }

  /**
   * Timers first, then sends and callbacks in order: a callback that feeds a packet straight
   * back into this session (two sessions wired in memory) finds the timers already settled.
   */
  private apply(commands: readonly BfdCommand[]): void {
    if (this.stopped) return;
    const effects: BfdCommand[] = [];
    for (const command of commands) {
      switch (command.type) {
        case 'arm-timer':
          this.arm(command.timer, command.us);
          break;
        case 'cancel-timer':
          this.handles.get(command.timer)?.cancel();
          this.handles.delete(command.timer);
          break;
        case 'discarded':
          this.counts.dropped[command.reason] += 1;
          break;
        case 'send':
          this.counts.packetsOut += 1;
          if (command.kind === 'final') this.counts.finalsOut += 1;
          effects.push(command);
          break;
        case 'state-change':
          this.counts.stateTransitions += 1;
          if (command.to === 'Up') this.counts.upTransitions += 1;
          if (command.from === 'Up') this.counts.downTransitions += 1;
          effects.push(command);
          break;
      }
    }
    for (const effect of effects) {
      if (effect.type === 'send') this.options.send(effect.packet);
      else if (effect.type === 'state-change') {
        const { from, to, diag, event } = effect;
        this.options.stateChange?.({ from, to, diag, diagName: bfdDiagName(diag), event });
      }
    }
  }

  private arm(timer: BfdTimerName, us: number): void {
    this.handles.get(timer)?.cancel();
    const handle = this.options.clock.setTimeout(() => {
      if (this.handles.get(timer) !== handle) return;
      this.handles.delete(timer);
      this.apply(this.fsm.handle({ name: timer === 'transmit' ? 'transmit-timer' : 'detection-timer' }));
    }, us / 1000);
    this.handles.set(timer, handle);
  }
}
