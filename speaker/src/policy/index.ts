// The announcement policy: pure rules from plain cluster facts to BGP announcements and
// explanations, as one call (announcements) or kept incrementally (PolicyEngine).
export * from './types.js';
export { announcements, explainService, explainNode } from './announcements.js';
export { PolicyEngine, PROXY_CHECK_KEY, type PolicyDelta, type DataPlaneTargets } from './engine.js';
export { BANDWIDTH_PER_ENDPOINT, endpointVerdict, hasEndpointsAnywhere, type EndpointVerdict } from './endpoint-rules.js';
export { EXCLUDE_FROM_LB_LABEL, nodeIneligibility, peersOfNode, isInternalPeer } from './node-rules.js';
export { classMatches, serviceIneligibility, poolOf, advertisementsForService, configIndex, type ConfigIndex } from './service-rules.js';
export { evaluateService, evalContext, nodeContext, type EvalContext, type NodeContext, type IPResult, type ServiceResult, type Path, type DataPlaneNeed } from './evaluate.js';
