// The one dispatcher of a BFD session (RFC 5880 §6.8): it keeps the bfd.* state variables, runs
// the table cell for each event, the Poll Sequence of §6.5/§6.8.3 and the timer rules of
// timers.ts, and hands back commands. No I/O and no clock: timers are armed by command.

import type { BfdControlPacket } from './codec.js';
import type { BfdCommand, BfdFsmOptions, BfdFsmStatus, BfdInput, BfdPollPhase } from './commands.js';
import { resolveBfdTimers, type BfdSessionConfig, type BfdTimerSettings } from './config.js';
import { BfdConfigError } from './errors.js';
import { bfdTransitions, receivedEvent, type BfdAction, type BfdEventName, type BfdTransition } from './table.js';
import { advertisedDesiredMinTxUs, detectionTimeUs, jitteredUs, periodicTransmitUs, type BfdTransmitView } from './timers.js';
import { BfdDiag, bfdDiagName, type BfdState } from './types.js';

export class BfdFsm {
  private sessionState: BfdState = 'Down';
  private remoteState: BfdState = 'Down';
  private remoteDiscr = 0;
  private localDiag: number = BfdDiag.none;
  private remoteDiag = 0;
  private timers: BfdTimerSettings;
  /** Advertised values (§6.8.1 bfd.DesiredMinTxInterval, bfd.RequiredMinRxInterval). */
  private desiredMinTx: number;
  private requiredMinRx: number;
  /** The values the transmit interval and Detection Time use: §6.8.3 may hold old ones while Up. */
  private desiredMinTxInEffect: number;
  private requiredMinRxInEffect: number;
  private remoteMinRx = 1; // §6.8.1: initialised to 1
  private remoteDesiredMinTx = 0;
  private remoteDetectMult = 0;
  private remoteMinEchoRx = 0;
  private remoteDemand = false;
  private remoteControlPlaneIndependent = false;
  private poll: BfdPollPhase = 'idle';
  private polled: { readonly desired: number; readonly required: number } | undefined;
  private pollAgain = false;
  private pollSequences = 0;
  private started = false;
  /** The un-jittered interval the transmit timer runs with; undefined when it is not running. */
  private transmitUs: number | undefined;

  constructor(
    readonly config: BfdSessionConfig,
    private readonly options: BfdFsmOptions,
  ) {
    this.timers = resolveBfdTimers(config);
    this.desiredMinTx = advertisedDesiredMinTxUs('Down', this.timers.desiredMinTxUs);
    this.requiredMinRx = this.timers.requiredMinRxUs;
    this.desiredMinTxInEffect = this.desiredMinTx;
    this.requiredMinRxInEffect = this.requiredMinRx;
  }

  get state(): BfdState {
    return this.sessionState;
  }

  status(): BfdFsmStatus {
    return {
      state: this.sessionState,
      remoteState: this.remoteState,
      localDiag: this.localDiag,
      remoteDiag: this.remoteDiag,
      localDiscriminator: this.config.localDiscriminator,
      remoteDiscriminator: this.remoteDiscr,
      desiredMinTxUs: this.desiredMinTx,
      requiredMinRxUs: this.requiredMinRx,
      detectMultiplier: this.timers.detectMultiplier,
      remoteDesiredMinTxUs: this.remoteDesiredMinTx,
      remoteMinRxUs: this.remoteMinRx,
      remoteMinEchoRxUs: this.remoteMinEchoRx,
      remoteDetectMult: this.remoteDetectMult,
      remoteDemand: this.remoteDemand,
      remoteControlPlaneIndependent: this.remoteControlPlaneIndependent,
      transmitIntervalUs: periodicTransmitUs(this.transmitView()),
      detectionTimeUs: this.remoteDetectMult > 0 ? this.detectionTime() : undefined,
      poll: this.poll,
      pollSequences: this.pollSequences,
    };
  }

  handle(input: BfdInput): BfdCommand[] {
    const commands: BfdCommand[] = [];
    switch (input.name) {
      case 'start':
        if (this.started) return commands;
        this.started = true;
        // The Active role speaks first (§6.1): one packet now, then periodically.
        this.reconcileTransmit(commands, true);
        return commands;
      case 'received':
        this.receive(input.packet, commands);
        break;
      case 'transmit-timer':
        this.transmitPeriodic(commands);
        break;
      case 'detection-timer':
        this.dispatch('DetectionTimeExpired', commands);
        break;
      case 'admin-down': {
        const diag = input.diag ?? BfdDiag.administrativelyDown;
        if (!Number.isInteger(diag) || diag < 0 || diag > 31) throw new BfdConfigError(`bfd config: admin-down diag must be 0..31, got ${String(diag)}`);
        this.dispatch('AdminDisable', commands, diag);
        break;
      }
      case 'admin-up':
        this.dispatch('AdminEnable', commands);
        break;
      case 'set-timers':
        this.timers = resolveBfdTimers(input.timers, this.timers);
        this.refreshAdvertised();
        break;
    }
    this.reconcileTransmit(commands, false);
    return commands;
  }

  /** §6.8.6 from "set bfd.RemoteDiscr" on; the checks before it are in codec.ts and receive.ts. */
  private receive(packet: BfdControlPacket, commands: BfdCommand[]): void {
    this.remoteDiscr = packet.myDiscriminator;
    this.remoteState = packet.state;
    this.remoteDemand = packet.demand;
    this.remoteMinRx = packet.requiredMinRxUs;
    this.remoteDesiredMinTx = packet.desiredMinTxUs;
    this.remoteDetectMult = packet.detectMult;
    this.remoteMinEchoRx = packet.requiredMinEchoRxUs;
    this.remoteDiag = packet.diag;
    this.remoteControlPlaneIndependent = packet.controlPlaneIndependent;
    if (packet.final && this.poll === 'polling') this.finishPoll();
    else if (!packet.final && this.poll === 'settling') this.beginPoll();
    const cell = this.dispatch(receivedEvent(packet.state), commands);
    if (cell.action === 'discard') {
      commands.push({ type: 'discarded', reason: 'admin-down' });
      return;
    }
    // Not discarded, so received for §6.8.4: the Detection Time starts again.
    commands.push({ type: 'arm-timer', timer: 'detection', us: this.detectionTime() });
    // §6.8.7: a Poll is answered at once with Final set and Poll clear.
    if (packet.poll) commands.push({ type: 'send', packet: this.packet(false, true), kind: 'final' });
  }

  private dispatch(event: BfdEventName, commands: BfdCommand[], diag?: number): BfdTransition {
    const from = this.sessionState;
    const cell: BfdTransition = bfdTransitions[from][event];
    this.run(cell.action, diag);
    this.sessionState = cell.next;
    const changed = cell.next !== from;
    if (changed) {
      commands.push({ type: 'state-change', from, to: cell.next, diag: this.localDiag, event });
      this.refreshAdvertised();
    }
    if (changed || (cell.action !== 'none' && cell.action !== 'received')) {
      this.options.log?.({
        level: changed ? 'info' : 'debug',
        msg: `${from} -> ${cell.next} (${event}, ${bfdDiagName(this.localDiag)})`,
        from,
        to: cell.next,
        event,
        diag: this.localDiag,
      });
    }
    return cell;
  }

  private run(action: BfdAction, diag: number | undefined): void {
    switch (action) {
      case 'none':
      case 'discard':
      case 'received':
      case 'admin-up':
        return;
      case 'up':
        this.localDiag = BfdDiag.none;
        return;
      case 'neighbor-down':
        this.localDiag = BfdDiag.neighborSignaledSessionDown;
        return;
      case 'detection-expired':
        this.localDiag = BfdDiag.controlDetectionTimeExpired;
        this.forgetRemote();
        return;
      case 'forget-remote':
        this.forgetRemote();
        return;
      case 'admin-down':
        this.localDiag = diag ?? BfdDiag.administrativelyDown;
        // The detection timer keeps running: packets are discarded now, so when it fires the
        // remote is forgotten (§6.8.1) and a later AdminUp does not name a stale discriminator.
        this.poll = 'idle';
        this.polled = undefined;
        this.pollAgain = false;
        return;
    }
  }

  /** §6.8.1: a Detection Time without packets zeroes bfd.RemoteDiscr; the rest starts over too. */
  private forgetRemote(): void {
    this.remoteDiscr = 0;
    this.remoteState = 'Down';
    this.remoteMinRx = 1;
    this.remoteDesiredMinTx = 0;
    this.remoteDetectMult = 0;
    this.remoteMinEchoRx = 0;
    this.remoteDemand = false;
  }

  /** After a state or configuration change: the advertised values, and a Poll if they moved (§6.8.3). */
  private refreshAdvertised(): void {
    const desired = advertisedDesiredMinTxUs(this.sessionState, this.timers.desiredMinTxUs);
    const required = this.timers.requiredMinRxUs;
    const changed = desired !== this.desiredMinTx || required !== this.requiredMinRx;
    this.desiredMinTx = desired;
    this.requiredMinRx = required;
    this.applyInEffect();
    if (changed && this.sessionState !== 'AdminDown') {
      if (this.poll === 'idle') this.beginPoll();
      else this.pollAgain = true; // §6.8.3: one change per Poll; the next waits
    }
  }

  /**
   * §6.8.3: while Up, a larger DesiredMinTx does not slow our transmission and a smaller
   * RequiredMinRx does not shorten the Detection Time until the Poll Sequence ends; every
   * other change takes effect at once.
   */
  private applyInEffect(): void {
    const up = this.sessionState === 'Up';
    if (!up || this.desiredMinTx <= this.desiredMinTxInEffect) this.desiredMinTxInEffect = this.desiredMinTx;
    if (!up || this.requiredMinRx >= this.requiredMinRxInEffect) this.requiredMinRxInEffect = this.requiredMinRx;
  }

  private beginPoll(): void {
    this.poll = 'polling';
    this.polled = { desired: this.desiredMinTx, required: this.requiredMinRx };
    this.pollAgain = false;
    this.pollSequences += 1;
  }

  private finishPoll(): void {
    // The Final acknowledges the values the Poll carried; later changes still follow §6.8.3.
    if (this.polled) {
      this.desiredMinTxInEffect = this.polled.desired;
      this.requiredMinRxInEffect = this.polled.required;
    }
    this.poll = this.pollAgain ? 'settling' : 'idle';
    this.polled = undefined;
    this.pollAgain = false;
    this.applyInEffect();
  }

  private detectionTime(): number {
    return detectionTimeUs(this.remoteDetectMult, this.requiredMinRxInEffect, this.remoteDesiredMinTx);
  }

  private transmitView(): BfdTransmitView {
    return {
      started: this.started,
      passive: this.config.passive,
      state: this.sessionState,
      remoteState: this.remoteState,
      remoteDiscriminator: this.remoteDiscr,
      remoteMinRxUs: this.remoteMinRx,
      remoteDemand: this.remoteDemand,
      polling: this.poll === 'polling',
      desiredMinTxInEffectUs: this.desiredMinTxInEffect,
    };
  }

  private transmitPeriodic(commands: BfdCommand[]): void {
    const interval = periodicTransmitUs(this.transmitView());
    this.transmitUs = interval;
    if (interval === undefined) return;
    commands.push({ type: 'send', packet: this.packet(this.poll === 'polling', false), kind: 'periodic' });
    commands.push({ type: 'arm-timer', timer: 'transmit', us: jitteredUs(interval, this.timers.detectMultiplier, this.options.random) });
  }

  /**
   * §6.8.7: the transmit timer runs exactly when periodic transmission is allowed. A shorter
   * interval is honoured at once (re-armed from now, §6.8.3); a longer one starts with the next
   * packet, so the packet already due still goes out on time and tells the peer what changed
   * (leaving Up, AdminDown) before its Detection Time, computed from our old interval, runs out.
   */
  private reconcileTransmit(commands: BfdCommand[], sendNow: boolean): void {
    const wanted = periodicTransmitUs(this.transmitView());
    const running = this.transmitUs;
    if (wanted === running) return;
    this.transmitUs = wanted;
    if (wanted === undefined) {
      commands.push({ type: 'cancel-timer', timer: 'transmit' });
      return;
    }
    if (running !== undefined && wanted > running) return;
    if (sendNow) commands.push({ type: 'send', packet: this.packet(this.poll === 'polling', false), kind: 'periodic' });
    commands.push({ type: 'arm-timer', timer: 'transmit', us: jitteredUs(wanted, this.timers.detectMultiplier, this.options.random) });
  }

  /** §6.8.7 contents; we never set C (we share fate with our control plane), A, D or M. */
  private packet(poll: boolean, final: boolean): BfdControlPacket {
    return {
      diag: this.localDiag,
      state: this.sessionState,
      poll,
      final,
      controlPlaneIndependent: false,
      demand: false,
      detectMult: this.timers.detectMultiplier,
      myDiscriminator: this.config.localDiscriminator,
      yourDiscriminator: this.remoteDiscr,
      desiredMinTxUs: this.desiredMinTx,
      requiredMinRxUs: this.requiredMinRx,
      requiredMinEchoRxUs: 0, // no Echo function
    };
  }
}
