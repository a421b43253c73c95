// Client traffic for the lab: open N connections from a client namespace and count which pod
// answered each and which client address it saw.

export { openConnections, compiledScript, type OpenConnectionsOptions } from './open.js';
export { runConnections } from './connect.js';
export { TrafficError, LIMITS, parseTarget, type TrafficOptions, type TrafficProtocol } from './options.js';
export { summarize, parseSummary, MAX_LISTED_FAILURES, type TrafficSummary, type Outcome, type FailedConnection } from './summary.js';
export { accountFailures, unexplainedCount, type RouteChange, type FailureAccount } from './route-change.js';
