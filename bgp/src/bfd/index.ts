// BFD (RFC 5880, single hop RFC 5881, multihop RFC 5883): the Control packet codec, the session
// state machine as a table with an injected clock, and the demultiplexer, all without I/O; the
// UDP transport over an injected socket factory (transport.ts), the Linux one on @headland/native
// (native-socket.ts: the received TTL needs recvmsg), and BfdManager tying them together.
// Not supported: Demand mode of our own (we never set D; a peer's D bit is honoured as §6.8.6
// asks), the Echo function (we advertise Required Min Echo RX 0), and authentication (a packet
// with the A bit is dropped and counted, §6.8.6).
export * from './types.js';
export * from './errors.js';
export * from './auth-section.js';
export * from './codec.js';
export {
  resolveBfdConfig,
  resolveBfdTimers,
  defaultBfdTimers,
  DEFAULT_BFD_MINIMUM_TTL,
  BFD_MIN_INTERVAL_US,
  type BfdSessionConfig,
  type BfdSessionConfigInput,
  type BfdTimerSettings,
} from './config.js';
export { bfdTransitions, BfdEventNames, BfdActions, type BfdEventName, type BfdAction, type BfdTransition } from './table.js';
export * from './commands.js';
export * from './fsm.js';
export * from './receive.js';
export * from './session.js';
export * from './demux.js';
export * from './transport.js';
export { nativeBfdSockets } from './native-socket.js';
export * from './manager.js';
export * from './fuzz.js';
