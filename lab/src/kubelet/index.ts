// The kubelet stand-in: pure planning of a node's Pods and their podman command lines, and the
// in-process service that runs them with podman + runc in a lab k8s-node's namespace.

export * from './model.js';
export { KubeletError } from './errors.js';
export { templateHash, canonicalJson } from './hash.js';
export { plan, desiredOn, podFor, replicasOn, eligibleNodes, selectorMatches, mayRoll, type Plan, type PlanInput, type Desired, type Owner } from './plan.js';
export { podmanRunArgv, podRefusals, SERVICE_ACCOUNT_DIR, type RunContext, type Translation } from './podman-args.js';
export { podStatus, containerStatus, type ContainerView } from './status.js';
export { httpProbe, probeArgv } from './probe.js';
export { Podman, PODMAN_GLOBAL, PODMAN_STORAGE, explainPodmanError } from './podman.js';
export { startKubelet, jsonLineLogger, apiAddressOf, DEFAULT_ULIMITS, type Kubelet, type KubeletOptions, type LogEntry, type Logger } from './kubelet.js';
export { parseKubeletFlags, type KubeletFlags } from './flags.js';
