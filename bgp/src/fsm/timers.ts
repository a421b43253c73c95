// Which timers run in which state, decided in this one place (after FRR's bgp_timer_set),
// and which FSM event each timer raises when it fires.

import { retryDelay } from './backoff.js';
import type { SessionConfig } from './config.js';
import type { Negotiated } from './open-check.js';
import type { Command, EventName, State, TimerName } from './types.js';
import { TimerNames } from './types.js';

/** RFC 4271 §8.2.2: "a large value" for the hold timer until the peer's OPEN arrives. */
export const OPEN_SENT_HOLD_SECONDS = 240;

export interface TimerView {
  readonly config: SessionConfig;
  readonly connectRetryCounter: number;
  readonly restartPending: boolean;
  readonly negotiated: Negotiated | undefined;
  readonly random: () => number;
}

/** Seconds for each timer that should run in `state`; absent timers are cancelled. */
export function timersFor(state: State, view: TimerView): Partial<Record<TimerName, number>> {
  const backoff = (): number => retryDelay(view.connectRetryCounter, view.config.connectRetry, view.random);
  switch (state) {
    case 'Idle':
      return view.restartPending ? { idleHold: backoff() } : {};
    case 'Connect':
      return { connectRetry: backoff() };
    case 'Active':
      return view.config.passive ? {} : { connectRetry: backoff() };
    case 'OpenSent':
      return { hold: OPEN_SENT_HOLD_SECONDS };
    case 'OpenConfirm':
    case 'Established': {
      const hold = view.negotiated?.holdTime ?? 0;
      const keepalive = view.negotiated?.keepaliveTime ?? 0;
      return hold === 0 ? {} : { hold, keepalive };
    }
  }
}

/** Commands that make the running timers exactly those of `state`. */
export function timerCommands(state: State, view: TimerView): Command[] {
  const wanted = timersFor(state, view);
  return TimerNames.map((timer): Command => {
    const seconds = wanted[timer];
    return seconds === undefined ? { type: 'cancel-timer', timer } : { type: 'arm-timer', timer, seconds };
  });
}

/** The event a firing timer raises; the idle-hold timer restarts the session. */
export type TimerEventName = Extract<EventName, 'ConnectRetryTimer_Expires' | 'HoldTimer_Expires' | 'KeepaliveTimer_Expires' | 'AutomaticStart' | 'AutomaticStart_with_PassiveTcpEstablishment'>;

export function timerEvent(timer: TimerName, passive: boolean): TimerEventName {
  switch (timer) {
    case 'connectRetry':
      return 'ConnectRetryTimer_Expires';
    case 'hold':
      return 'HoldTimer_Expires';
    case 'keepalive':
      return 'KeepaliveTimer_Expires';
    case 'idleHold':
      return passive ? 'AutomaticStart_with_PassiveTcpEstablishment' : 'AutomaticStart';
  }
}
