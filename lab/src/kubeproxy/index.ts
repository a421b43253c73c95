// The kube-proxy stand-in: pure ruleset from Services and EndpointSlices, the in-process service
// that keeps one node namespace's nftables table in step with the API, and kube-proxy's health answers.

export * from './model.js';
export { KubeProxyError } from './errors.js';
export { serviceFromKubernetes, endpointSliceFromKubernetes, nodeFromKubernetes, SERVICE_NAME_LABEL } from './convert.js';
export { planRules, conditionsOf, type Family } from './plan.js';
export { buildRuleset, renderDelete, DEFAULT_TABLE, SNAT_MARK, type Ruleset, type Backend, type Frontend, type PlannedRule, type Verdict } from './rules.js';
export { startKubeProxy, jsonLineLogger, type KubeProxy, type KubeProxyHealth, type KubeProxyOptions, type HealthServing, type LogEntry, type Logger } from './proxy.js';
export {
  proxyHealth,
  proxyHealthAnswer,
  healthzAnswer,
  livezAnswer,
  serviceHealthAnswer,
  serviceHealthChecks,
  localReadyEndpoints,
  nodeEligible,
  goTime,
  TO_BE_DELETED_TAINT,
  PROXY_HEALTHZ_PORT,
  DEFAULT_HEALTH_TIMEOUT_MS,
  type HttpAnswer,
  type ProxyHealth,
  type ProxyHealthState,
  type ServiceHealthCheck,
} from './health.js';
export { type BindAddress } from './health-server.js';
export { runNft, applyScript } from './nft.js';
export { laggingNodes } from './lag.js';
export { readStateFile, writeStateFile } from './state-file.js';
