// The session FSM of RFC 4271 §8: pure, table-driven, clock and randomness injected.
export * from './types.js';
export * from './config.js';
export * from './open-check.js';
export * from './backoff.js';
export * from './collision.js';
export { transitions, Actions, type Action, type Transition } from './table.js';
export { timersFor, timerCommands, timerEvent, OPEN_SENT_HOLD_SECONDS, type TimerView } from './timers.js';
export { Fsm, reasonOf, ceaseFor, type FsmOptions, type FsmLogEntry } from './fsm.js';
