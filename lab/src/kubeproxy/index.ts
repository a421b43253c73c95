// The kube-proxy stand-in: pure ruleset from Services and EndpointSlices, and the in-process
// service that keeps one node namespace's nftables table in step with the API.

export * from './model.js';
export { KubeProxyError } from './errors.js';
export { serviceFromKubernetes, endpointSliceFromKubernetes, SERVICE_NAME_LABEL } from './convert.js';
export { planRules, conditionsOf, type Family } from './plan.js';
export { buildRuleset, renderDelete, DEFAULT_TABLE, SNAT_MARK, type Ruleset, type Backend, type Frontend, type PlannedRule, type Verdict } from './rules.js';
export { startKubeProxy, jsonLineLogger, type KubeProxy, type KubeProxyOptions, type LogEntry, type Logger } from './proxy.js';
export { runNft, applyScript } from './nft.js';
export { laggingNodes } from './lag.js';
export { readStateFile, writeStateFile } from './state-file.js';
