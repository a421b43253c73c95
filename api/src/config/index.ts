// buildConfig and the model it produces, plus the parsers it is made of that other code needs
// (community values, durations).
export { buildConfig } from './build.js';
export * from './types.js';
export { SEVERITY, REFERENCE_EFFECT, formatIssue, formatRef, compareRefs, type Severity, type ReferenceEffect, type ObjectRef, type ConfigIssue, type RejectedObject } from './issues.js';
export * from './community-value.js';
export { parseDuration, DurationError } from './duration.js';
export { DEFAULT_HOLD_TIME, DEFAULT_KEEPALIVE_TIME, DEFAULT_CONNECT_TIME } from './timers.js';
export { PASSWORD_KEY } from './peers.js';
export { snapshotFromObjects, emptySnapshot, type SortedObjects, type SnapshotProblem } from './snapshot.js';
