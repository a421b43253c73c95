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
