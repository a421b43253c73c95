// The session layer: the I/O adapter around the FSM, the listener, and the clock it runs on.
export * from './clock.js';
export * from './route.js';
export * from './peer-config.js';
export { Connection, unmapped, type SocketOptionsHook, type ConnectTarget } from './connection.js';
export { Listener, prefixContains, type ListenerOptions } from './listener.js';
export { PeerSession, type PeerCounters, type PeerEvent, type ErrorRecord } from './peer-session.js';
