// bgp-speaker-ts: a standalone BGP speaker library: wire codec, the RFC 4271 FSM as a table,
// sessions over TCP, Adj-RIB-Out/In, and the BgpSpeaker that ties them together.
export * from './wire/index.js';
export * from './fsm/index.js';
export * from './rib/index.js';
export * from './session/index.js';
export * from './bfd/index.js';
export * from './speaker.js';
