// The one dispatcher of the session FSM: looks up the table cell for (state, event), runs
// its action, applies the state's timers on a change, and logs `from -> to (event)`. No I/O.

import { CeaseSubcode, ErrorCode } from '../wire/errors.js';
import { notificationFor, type NotificationMessage } from '../wire/notification.js';
import { notificationName } from '../wire/notification-names.js';
import type { SessionConfig } from './config.js';
import { buildOpen, type Negotiated } from './open-check.js';
import { transitions, type Action } from './table.js';
import { timerCommands, type TimerView } from './timers.js';
import type { ClosingNotification, Command, EventName, FsmEvent, State } from './types.js';

export interface FsmLogEntry {
  readonly level: 'info' | 'debug';
  readonly msg: string;
  readonly from: State;
  readonly to: State;
  readonly event: EventName;
  readonly reason: string;
}

export interface FsmOptions {
  /** [0, 1) source for backoff jitter; inject a seeded one for repeatable runs. */
  readonly random: () => number;
  readonly log?: (entry: FsmLogEntry) => void;
  /** Whether our OPEN carries the RFC 4724 R bit (asked at each connection). */
  readonly restarting?: () => boolean;
}

/** RFC 6608 FSM error subcodes: the state in which the unexpected message arrived. */
const fsmErrorSubcode: Partial<Record<State, number>> = { OpenSent: 1, OpenConfirm: 2, Established: 3 };

function cease(subcode: number): NotificationMessage {
  return { type: 'notification', code: ErrorCode.cease, subcode, data: new Uint8Array(0) };
}

/**
 * RFC 8538 §5: with the N bit agreed, a peer keeps our routes after any NOTIFICATION but a
 * Hard Reset, so the stops that mean "these routes are gone" go out as Hard Reset with the
 * original code and subcode as its data. Other Cease subcodes (collision, ...) stay plain.
 * BFD Down (RFC 9384) is one: the forwarding path failed, so nothing of the session's routes
 * may be kept (FRR sends it as a Hard Reset too).
 */
const HARD_RESET_CEASES: ReadonlySet<number> = new Set([
  CeaseSubcode.maximumPrefixesReached,
  CeaseSubcode.administrativeShutdown,
  CeaseSubcode.peerDeconfigured,
  CeaseSubcode.administrativeReset,
  CeaseSubcode.bfdDown,
]);

export function ceaseFor(subcode: number, gracefulNotification: boolean): NotificationMessage {
  if (!gracefulNotification || !HARD_RESET_CEASES.has(subcode)) return cease(subcode);
  return { type: 'notification', code: ErrorCode.cease, subcode: CeaseSubcode.hardReset, data: Uint8Array.of(ErrorCode.cease, subcode) };
}

/** The NOTIFICATION a transition sent, or the one the event brought in. */
function closingNotification(event: FsmEvent, commands: readonly Command[]): ClosingNotification | undefined {
  for (const c of commands) if (c.type === 'send' && c.message.type === 'notification') return { direction: 'sent', code: c.message.code, subcode: c.message.subcode };
  if (event.name === 'NotifMsg' || event.name === 'NotifMsgVerErr') return { direction: 'received', code: event.notification.code, subcode: event.notification.subcode };
  return undefined;
}

/** Human reason for a state change: the event and what it carried. */
export function reasonOf(event: FsmEvent): string {
  switch (event.name) {
    case 'ManualStop':
    case 'AutomaticStop':
      return event.reason ?? `${event.name}: ${notificationName(ErrorCode.cease, event.ceaseSubcode)}`;
    case 'BGPHeaderErr':
    case 'BGPOpenMsgErr':
    case 'UpdateMsgErr':
      return `${event.name}: ${event.error.message}`;
    case 'NotifMsg':
    case 'NotifMsgVerErr':
      return `${event.name}: ${notificationName(event.notification.code, event.notification.subcode)}`;
    case 'TcpConnectionFails':
      return event.reason === undefined ? event.name : `${event.name}: ${event.reason}`;
    default:
      return event.name;
  }
}

export class Fsm {
  private current: State = 'Idle';
  private connectRetryCounter = 0;
  private restartPending = false;
  private agreed: Negotiated | undefined;

  constructor(
    readonly config: SessionConfig,
    private readonly options: FsmOptions,
  ) {}

  get state(): State {
    return this.current;
  }

  /** What the OPEN exchange agreed, from OpenConfirm until the session drops. */
  get negotiated(): Negotiated | undefined {
    return this.agreed;
  }

  /** Consecutive failures; drives the retry backoff and is reset on Established. */
  get failures(): number {
    return this.connectRetryCounter;
  }

  handle(event: FsmEvent): Command[] {
    const from = this.current;
    const cell = transitions[from][event.name];
    const commands = this.run(cell.action, event, from, cell.next);
    this.current = cell.next;
    const reason = reasonOf(event);
    const changed = cell.next !== from;
    const notification = changed ? closingNotification(event, commands) : undefined;
    if (changed || cell.action === 'retry-connect') commands.push(...timerCommands(cell.next, this.view()));
    if (changed) {
      if (cell.next === 'Idle' || cell.next === 'Active' || cell.next === 'Connect') this.agreed = undefined;
      commands.push({ type: 'state-change', from, to: cell.next, event: event.name, reason, ...(notification ? { notification } : {}) });
    }
    if (cell.action !== 'none') {
      this.options.log?.({ level: changed ? 'info' : 'debug', msg: `${from} -> ${cell.next} (${event.name})`, from, to: cell.next, event: event.name, reason });
    }
    return commands;
  }

  private view(): TimerView {
    return {
      config: this.config,
      connectRetryCounter: this.connectRetryCounter,
      restartPending: this.restartPending,
      negotiated: this.agreed,
      random: this.options.random,
    };
  }

  private failed(): void {
    this.connectRetryCounter += 1;
    this.restartPending = true;
  }

  private stopped(): void {
    this.connectRetryCounter = 0;
    this.restartPending = false;
  }

  private run(action: Action, event: FsmEvent, from: State, next: State): Command[] {
    const hold = (): Command[] => {
      const seconds = this.agreed?.holdTime ?? 0;
      return seconds > 0 ? [{ type: 'arm-timer', timer: 'hold', seconds }] : [];
    };
    switch (action) {
      case 'none':
        return [];
      case 'reject':
        return [{ type: 'close' }];
      case 'halt':
        this.stopped();
        return [{ type: 'cancel-timer', timer: 'idleHold' }];
      case 'manual-start':
        this.stopped();
        return next === 'Connect' ? [{ type: 'connect' }] : [];
      case 'auto-start':
        this.restartPending = false;
        return next === 'Connect' ? [{ type: 'connect' }] : [];
      case 'retry-connect':
        if (from === 'Connect') this.connectRetryCounter += 1;
        return [{ type: 'close' }, { type: 'connect' }];
      case 'connect-failed':
        this.connectRetryCounter += 1;
        return [{ type: 'close' }];
      case 'connected':
        return [{ type: 'send', message: buildOpen(this.config, { restarting: this.options.restarting?.() ?? false }) }];
      case 'open-received':
        if (event.name === 'BGPOpen') this.agreed = event.negotiated;
        return [{ type: 'send', message: { type: 'keepalive' } }];
      case 'established':
        this.connectRetryCounter = 0;
        return [];
      case 'keepalive-received':
        return hold();
      case 'update-received':
        return event.name === 'UpdateMsg' ? [...hold(), { type: 'deliver-update', verdict: event.verdict }] : hold();
      case 'send-keepalive': {
        const seconds = this.agreed?.keepaliveTime ?? 0;
        const rearm: Command[] = seconds > 0 ? [{ type: 'arm-timer', timer: 'keepalive', seconds }] : [];
        return [{ type: 'send', message: { type: 'keepalive' } }, ...rearm];
      }
      case 'stop-quiet':
        this.stopped();
        return [{ type: 'close' }];
      case 'stop-cease': {
        this.stopped();
        const subcode = event.name === 'ManualStop' || event.name === 'AutomaticStop' ? event.ceaseSubcode : CeaseSubcode.administrativeShutdown;
        return [{ type: 'send', message: ceaseFor(subcode, this.agreed?.gracefulNotification ?? false) }, { type: 'close' }];
      }
      case 'stop-graceful':
        this.stopped();
        // RFC 4724 §4.2: the peer keeps our routes when the TCP session just ends. With the
        // RFC 8538 N bit a Cease that is no Hard Reset does the same and tells the peer why.
        return this.agreed?.gracefulNotification === true ? [{ type: 'send', message: cease(CeaseSubcode.administrativeReset) }, { type: 'close' }] : [{ type: 'close' }];
      case 'collision-dump':
        this.restartPending = false;
        return [{ type: 'send', message: cease(CeaseSubcode.connectionCollisionResolution) }, { type: 'close' }];
      case 'fail-quiet':
        this.failed();
        return [{ type: 'close' }];
      case 'fail-error': {
        this.failed();
        const hasError = event.name === 'BGPHeaderErr' || event.name === 'BGPOpenMsgErr' || event.name === 'UpdateMsgErr';
        return hasError ? [{ type: 'send', message: notificationFor(event.error) }, { type: 'close' }] : [{ type: 'close' }];
      }
      case 'fail-hold':
        this.failed();
        return [{ type: 'send', message: { type: 'notification', code: ErrorCode.holdTimerExpired, subcode: 0, data: new Uint8Array(0) } }, { type: 'close' }];
      case 'fail-fsm':
        this.failed();
        return [
          { type: 'send', message: { type: 'notification', code: ErrorCode.fsm, subcode: fsmErrorSubcode[from] ?? 0, data: new Uint8Array(0) } },
          { type: 'close' },
        ];
    }
  }
}
