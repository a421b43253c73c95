// ARP and NDP responders: the pure answer to one frame, the counters, and PacketResponder, which
// owns the packet sockets per interface and announces take-overs.
export * from './counters.js';
export * from './answer.js';
export * from './errors.js';
export { PacketResponder, packetSocketPort, type ResponderPort, type OpenPort, type Schedule, type ResponderOptions } from './responder.js';
export { PacketResponderPort, answerableInterfaces, type ResponderPortOptions } from './port.js';
