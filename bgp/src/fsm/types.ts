// The vocabulary of the RFC 4271 §8 session FSM: states, events (with what they carry) and
// the commands the FSM core hands to its adapter. The core itself does no I/O.

import type { BgpMessage } from '../wire/message.js';
import type { BgpWireError } from '../wire/errors.js';
import type { UpdateVerdict } from '../wire/validate-update.js';
import type { NotificationMessage } from '../wire/notification.js';
import type { Negotiated } from './open-check.js';

export const States = ['Idle', 'Connect', 'Active', 'OpenSent', 'OpenConfirm', 'Established'] as const;
export type State = (typeof States)[number];

/**
 * RFC 4271 §8.1 events this FSM implements. DelayOpen and peer-oscillation damping are not;
 * the idle-hold timer (automatic restart after a failure) raises AutomaticStart, see timers.ts.
 */
export const EventNames = [
  'ManualStart', // 1
  'ManualStop', // 2
  'AutomaticStart', // 3
  'ManualStart_with_PassiveTcpEstablishment', // 4
  'AutomaticStart_with_PassiveTcpEstablishment', // 5
  'AutomaticStop', // 8
  'ConnectRetryTimer_Expires', // 9
  'HoldTimer_Expires', // 10
  'KeepaliveTimer_Expires', // 11
  'Tcp_CR_Acked', // 16: our outgoing connection completed
  'TcpConnectionConfirmed', // 17: an incoming connection was accepted for this peer
  'TcpConnectionFails', // 18
  'BGPOpen', // 19
  'BGPHeaderErr', // 21
  'BGPOpenMsgErr', // 22
  'OpenCollisionDump', // 23
  'NotifMsgVerErr', // 24
  'NotifMsg', // 25
  'KeepAliveMsg', // 26
  'UpdateMsg', // 27
  'UpdateMsgErr', // 28
  // Not in RFC 4271: the local speaker is about to restart (RFC 4724). Closes without the
  // NOTIFICATION that would make the peer flush our routes (see the 'stop-graceful' action).
  'GracefulStop',
] as const;
export type EventName = (typeof EventNames)[number];

/** An event with what it carries; events without a payload are just their name. */
export type FsmEvent =
  | { readonly name: 'ManualStop' | 'AutomaticStop'; readonly ceaseSubcode: number; readonly reason?: string }
  | { readonly name: 'BGPOpen'; readonly negotiated: Negotiated }
  | { readonly name: 'BGPHeaderErr' | 'BGPOpenMsgErr' | 'UpdateMsgErr'; readonly error: BgpWireError }
  | { readonly name: 'NotifMsg' | 'NotifMsgVerErr'; readonly notification: NotificationMessage }
  | { readonly name: 'UpdateMsg'; readonly verdict: UpdateVerdict }
  | { readonly name: 'TcpConnectionFails'; readonly reason?: string }
  | {
      readonly name: Exclude<
        EventName,
        'ManualStop' | 'AutomaticStop' | 'BGPOpen' | 'BGPHeaderErr' | 'BGPOpenMsgErr' | 'UpdateMsgErr' | 'NotifMsg' | 'NotifMsgVerErr' | 'UpdateMsg' | 'TcpConnectionFails'
      >;
    };

export const TimerNames = ['connectRetry', 'hold', 'keepalive', 'idleHold'] as const;
export type TimerName = (typeof TimerNames)[number];

/** What the adapter must do, in order. */
export type Command =
  | { readonly type: 'send'; readonly message: BgpMessage }
  | { readonly type: 'arm-timer'; readonly timer: TimerName; readonly seconds: number }
  | { readonly type: 'cancel-timer'; readonly timer: TimerName }
  | { readonly type: 'connect' }
  | { readonly type: 'close' }
  | { readonly type: 'deliver-update'; readonly verdict: UpdateVerdict }
  | {
      readonly type: 'state-change';
      readonly from: State;
      readonly to: State;
      readonly event: EventName;
      readonly reason: string;
      /** The NOTIFICATION that ended the session, if one was sent or received: graceful restart decides by it. */
      readonly notification?: ClosingNotification;
    };

export interface ClosingNotification {
  readonly direction: 'sent' | 'received';
  readonly code: number;
  readonly subcode: number;
}
