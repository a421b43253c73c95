// bgp-speaker-ts: a standalone BGP speaker library. This release holds the wire codec
// (messages, capabilities, path attributes, RFC 7606 error handling, UPDATE packing).
export * from './wire/index.js';
