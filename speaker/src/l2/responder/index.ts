// ARP and NDP responders: the pure answer to one frame, the counters, and L2Responder, which
// owns the packet sockets per interface and announces take-overs.
export * from './counters.js';
export * from './answer.js';
export * from './errors.js';
export { L2Responder, packetSocketPort, type ResponderPort, type OpenPort, type Schedule, type ResponderOptions } from './responder.js';
