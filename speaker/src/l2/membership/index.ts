// Speaker membership: SWIM-style probes between speakers over authenticated UDP, and the alive
// set the L2 election reads (with Node readiness where probes cannot work).
export { Membership, supersedes, type Peer, type Outbound, type MemberStatus, type MembershipCounters, type MembershipConfig } from './protocol.js';
export { DEFAULTS as MEMBERSHIP_DEFAULTS, worstDetectionMs, type MembershipOptions } from './options.js';
export { MEMBER_STATE, MESSAGE_TYPE, MIN_KEY_LENGTH, MAX_INTERFACES, MAX_INTERFACE_BYTES, MAX_NOT_SERVING, MAX_NOT_SERVING_BYTES, VERSION as MEMBERSHIP_VERSION, interfacesProblem, dataPlaneProblem, boundDataPlane, sameDataPlane, encodeMessage, decodeMessage, encodingLength, type MemberState, type Message, type NodeDataPlane, type Update, type WireVersion } from './codec.js';
export { REJECT, MembershipError, MembershipWireError, type RejectReason } from './errors.js';
export { aliveNodes, LIVENESS_SOURCE, type LivenessSource, type LivenessInput } from './view.js';
export { UdpMembership, MEMBERSHIP_PORT, type UdpOptions } from './udp.js';
export { SimulatedNetwork, mulberry32, type SimulationOptions } from './simulation.js';
