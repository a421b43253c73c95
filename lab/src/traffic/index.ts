// Client traffic for the lab: open N connections from a client namespace and count which pod
// answered each and which client address it saw.

export { openConnections, compiledScript, type OpenConnectionsOptions } from './open.js';
export { runConnections } from './connect.js';
export { TrafficError, LIMITS, parseTarget, type TrafficOptions, type TrafficProtocol } from './options.js';
export { summarize, parseSummary, type TrafficSummary, type Outcome } from './summary.js';
