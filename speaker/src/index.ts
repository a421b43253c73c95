// @headland/speaker: the plain model of the cluster the speaker reads, the announcement policy,
// and (later) the per-node agent.
export * from './model/index.js';
export * from './policy/index.js';
