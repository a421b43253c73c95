// @headland/speaker: the plain model of the cluster the speaker reads, the announcement policy,
// and the per-node agent's BGP mode (sessions, routes, status objects), run by headland-speaker.
export * from './model/index.js';
export * from './policy/index.js';
export { planPeers, diffPeers, chooseRouterId, type NodeAddresses, type SessionPlan, type PeerPlan, type PeerDiff } from './bgp/peers.js';
export { wireRoute, RouteTable, type WireRoute, type RouteOp } from './bgp/routes.js';
export { AnnouncedServices, statusContent, statusObject, statusObjectName, STATUS_KIND, STATUS_PLURAL, type StatusContent, type StatusObject } from './status/service-status.js';
export { SPEAKER_EVENT, announcementEvent } from './status/events.js';
export { runSpeaker, type RunningSpeaker, type RunOptions } from './run.js';
export { parseSpeakerFlags, type SpeakerFlags } from './flags.js';
export { SpeakerMetrics } from './metrics.js';
export { SpeakerError } from './errors.js';
export * from './l2/election/index.js';
export * from './l2/membership/index.js';
export { L2Mode, type L2ModeOptions, type MembershipSetup } from './l2/mode.js';
export { L2Runner, type L2RunnerOptions, type L2Figures } from './l2/runner.js';
export { L2_EVENT, l2Events, type L2ServiceEvent } from './l2/events.js';
export { answeredBy, ownershipChange, type AnsweredIP, type OwnershipChange } from './l2/ownership.js';
export { membershipKey, membershipPeers, nodeFacts, type NodeFacts } from './l2/cluster-nodes.js';
export type { L2Responder, ResponderCounters } from './l2/responder-port.js';
export * from './l2/wire/index.js';
export * from './l2/responder/index.js';
export * from './dataplane/index.js';
