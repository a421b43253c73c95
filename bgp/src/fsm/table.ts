// The RFC 4271 §8.2.2 FSM as data: for every state and every event, the action to run and
// the next state. `satisfies` makes a missing cell a compile error; the actions live in actions.ts.

import type { EventName, State } from './types.js';

export const Actions = [
  'none', // ignore, stay
  'reject', // Idle: drop a connection nobody asked for
  'halt', // Idle: a stop cancels any pending automatic restart
  'manual-start', // counter reset, then connect or listen
  'auto-start', // connect or listen, keeping the failure count for backoff
  'retry-connect', // drop any half-open connection, connect again
  'connect-failed', // connection gone before the OPEN exchange finished: wait for retry
  'connected', // TCP up: send OPEN
  'open-received', // peer's OPEN accepted: send KEEPALIVE
  'established', // first KEEPALIVE after the OPENs
  'keepalive-received', // restart the hold timer
  'update-received', // restart the hold timer, hand the UPDATE on
  'send-keepalive', // KeepaliveTimer expired
  'stop-quiet', // stop without a NOTIFICATION (no OPEN sent yet)
  'stop-cease', // stop with NOTIFICATION Cease (subcode from the event)
  'collision-dump', // NOTIFICATION Cease / Connection Collision Resolution
  'fail-quiet', // close without a NOTIFICATION, restart later
  'fail-error', // NOTIFICATION from the wire error, restart later
  'fail-hold', // NOTIFICATION Hold Timer Expired, restart later
  'fail-fsm', // NOTIFICATION Finite State Machine Error (RFC 6608 subcode by state), restart later
  'stop-graceful', // RFC 4724 restart: close quietly (or, RFC 8538, with a Cease that is no Hard Reset)
] as const;
export type Action = (typeof Actions)[number];

export interface Transition {
  readonly action: Action;
  readonly next: State;
}

type Row = Record<EventName, Transition>;
const t = (action: Action, next: State): Transition => ({ action, next });

const idle = t('none', 'Idle');

export const transitions = {
  Idle: {
    ManualStart: t('manual-start', 'Connect'),
    ManualStop: t('halt', 'Idle'),
    AutomaticStart: t('auto-start', 'Connect'),
    ManualStart_with_PassiveTcpEstablishment: t('manual-start', 'Active'),
    AutomaticStart_with_PassiveTcpEstablishment: t('auto-start', 'Active'),
    AutomaticStop: t('halt', 'Idle'),
    ConnectRetryTimer_Expires: idle,
    HoldTimer_Expires: idle,
    KeepaliveTimer_Expires: idle,
    Tcp_CR_Acked: t('reject', 'Idle'),
    TcpConnectionConfirmed: t('reject', 'Idle'),
    TcpConnectionFails: idle,
    BGPOpen: idle,
    BGPHeaderErr: idle,
    BGPOpenMsgErr: idle,
    OpenCollisionDump: idle,
    NotifMsgVerErr: idle,
    NotifMsg: idle,
    KeepAliveMsg: idle,
    UpdateMsg: idle,
    UpdateMsgErr: idle,
    GracefulStop: t('halt', 'Idle'),
  },
  // §8.2.2 Connect: "any other event" drops the connection and goes to Idle.
  Connect: {
    ManualStart: t('none', 'Connect'),
    ManualStop: t('stop-quiet', 'Idle'),
    AutomaticStart: t('none', 'Connect'),
    ManualStart_with_PassiveTcpEstablishment: t('none', 'Connect'),
    AutomaticStart_with_PassiveTcpEstablishment: t('none', 'Connect'),
    AutomaticStop: t('stop-quiet', 'Idle'),
    ConnectRetryTimer_Expires: t('retry-connect', 'Connect'),
    HoldTimer_Expires: t('fail-quiet', 'Idle'),
    KeepaliveTimer_Expires: t('fail-quiet', 'Idle'),
    Tcp_CR_Acked: t('connected', 'OpenSent'),
    TcpConnectionConfirmed: t('connected', 'OpenSent'),
    TcpConnectionFails: t('connect-failed', 'Active'),
    BGPOpen: t('fail-quiet', 'Idle'),
    BGPHeaderErr: t('fail-quiet', 'Idle'),
    BGPOpenMsgErr: t('fail-quiet', 'Idle'),
    OpenCollisionDump: t('fail-quiet', 'Idle'),
    NotifMsgVerErr: t('fail-quiet', 'Idle'),
    NotifMsg: t('fail-quiet', 'Idle'),
    KeepAliveMsg: t('fail-quiet', 'Idle'),
    UpdateMsg: t('fail-quiet', 'Idle'),
    UpdateMsgErr: t('fail-quiet', 'Idle'),
    GracefulStop: t('stop-quiet', 'Idle'),
  },
  // §8.2.2 Active: waiting for the retry timer, or (passive) for the peer to connect.
  Active: {
    ManualStart: t('none', 'Active'),
    ManualStop: t('stop-quiet', 'Idle'),
    AutomaticStart: t('none', 'Active'),
    ManualStart_with_PassiveTcpEstablishment: t('none', 'Active'),
    AutomaticStart_with_PassiveTcpEstablishment: t('none', 'Active'),
    AutomaticStop: t('stop-quiet', 'Idle'),
    ConnectRetryTimer_Expires: t('retry-connect', 'Connect'),
    HoldTimer_Expires: t('fail-quiet', 'Idle'),
    KeepaliveTimer_Expires: t('fail-quiet', 'Idle'),
    Tcp_CR_Acked: t('connected', 'OpenSent'),
    TcpConnectionConfirmed: t('connected', 'OpenSent'),
    TcpConnectionFails: t('fail-quiet', 'Idle'),
    BGPOpen: t('fail-quiet', 'Idle'),
    BGPHeaderErr: t('fail-quiet', 'Idle'),
    BGPOpenMsgErr: t('fail-quiet', 'Idle'),
    OpenCollisionDump: t('fail-quiet', 'Idle'),
    NotifMsgVerErr: t('fail-quiet', 'Idle'),
    NotifMsg: t('fail-quiet', 'Idle'),
    KeepAliveMsg: t('fail-quiet', 'Idle'),
    UpdateMsg: t('fail-quiet', 'Idle'),
    UpdateMsgErr: t('fail-quiet', 'Idle'),
    GracefulStop: t('stop-quiet', 'Idle'),
  },
  OpenSent: {
    ManualStart: t('none', 'OpenSent'),
    ManualStop: t('stop-cease', 'Idle'),
    AutomaticStart: t('none', 'OpenSent'),
    ManualStart_with_PassiveTcpEstablishment: t('none', 'OpenSent'),
    AutomaticStart_with_PassiveTcpEstablishment: t('none', 'OpenSent'),
    AutomaticStop: t('stop-cease', 'Idle'),
    ConnectRetryTimer_Expires: t('fail-fsm', 'Idle'),
    HoldTimer_Expires: t('fail-hold', 'Idle'),
    KeepaliveTimer_Expires: t('fail-fsm', 'Idle'),
    // A second connection is its own FSM (§6.8); this one ignores it.
    Tcp_CR_Acked: t('none', 'OpenSent'),
    TcpConnectionConfirmed: t('none', 'OpenSent'),
    TcpConnectionFails: t('connect-failed', 'Active'),
    BGPOpen: t('open-received', 'OpenConfirm'),
    BGPHeaderErr: t('fail-error', 'Idle'),
    BGPOpenMsgErr: t('fail-error', 'Idle'),
    OpenCollisionDump: t('collision-dump', 'Idle'),
    NotifMsgVerErr: t('fail-quiet', 'Idle'),
    // §8.2.2 asks for an FSM error here; the peer is already closing, so like FRR we just close.
    NotifMsg: t('fail-quiet', 'Idle'),
    KeepAliveMsg: t('fail-fsm', 'Idle'),
    UpdateMsg: t('fail-fsm', 'Idle'),
    UpdateMsgErr: t('fail-fsm', 'Idle'),
    GracefulStop: t('stop-graceful', 'Idle'),
  },
  OpenConfirm: {
    ManualStart: t('none', 'OpenConfirm'),
    ManualStop: t('stop-cease', 'Idle'),
    AutomaticStart: t('none', 'OpenConfirm'),
    ManualStart_with_PassiveTcpEstablishment: t('none', 'OpenConfirm'),
    AutomaticStart_with_PassiveTcpEstablishment: t('none', 'OpenConfirm'),
    AutomaticStop: t('stop-cease', 'Idle'),
    ConnectRetryTimer_Expires: t('fail-fsm', 'Idle'),
    HoldTimer_Expires: t('fail-hold', 'Idle'),
    KeepaliveTimer_Expires: t('send-keepalive', 'OpenConfirm'),
    Tcp_CR_Acked: t('none', 'OpenConfirm'),
    TcpConnectionConfirmed: t('none', 'OpenConfirm'),
    TcpConnectionFails: t('fail-quiet', 'Idle'),
    BGPOpen: t('fail-fsm', 'Idle'),
    BGPHeaderErr: t('fail-error', 'Idle'),
    BGPOpenMsgErr: t('fail-error', 'Idle'),
    OpenCollisionDump: t('collision-dump', 'Idle'),
    NotifMsgVerErr: t('fail-quiet', 'Idle'),
    NotifMsg: t('fail-quiet', 'Idle'),
    KeepAliveMsg: t('established', 'Established'),
    UpdateMsg: t('fail-fsm', 'Idle'),
    UpdateMsgErr: t('fail-fsm', 'Idle'),
    GracefulStop: t('stop-graceful', 'Idle'),
  },
  Established: {
    ManualStart: t('none', 'Established'),
    ManualStop: t('stop-cease', 'Idle'),
    AutomaticStart: t('none', 'Established'),
    ManualStart_with_PassiveTcpEstablishment: t('none', 'Established'),
    AutomaticStart_with_PassiveTcpEstablishment: t('none', 'Established'),
    AutomaticStop: t('stop-cease', 'Idle'),
    ConnectRetryTimer_Expires: t('fail-fsm', 'Idle'),
    HoldTimer_Expires: t('fail-hold', 'Idle'),
    KeepaliveTimer_Expires: t('send-keepalive', 'Established'),
    Tcp_CR_Acked: t('none', 'Established'),
    TcpConnectionConfirmed: t('none', 'Established'),
    TcpConnectionFails: t('fail-quiet', 'Idle'),
    BGPOpen: t('fail-fsm', 'Idle'),
    BGPHeaderErr: t('fail-error', 'Idle'),
    BGPOpenMsgErr: t('fail-error', 'Idle'),
    OpenCollisionDump: t('collision-dump', 'Idle'),
    NotifMsgVerErr: t('fail-quiet', 'Idle'),
    NotifMsg: t('fail-quiet', 'Idle'),
    KeepAliveMsg: t('keepalive-received', 'Established'),
    UpdateMsg: t('update-received', 'Established'),
    UpdateMsgErr: t('fail-error', 'Idle'),
    GracefulStop: t('stop-graceful', 'Idle'),
  },
} as const satisfies Record<State, Row>;
