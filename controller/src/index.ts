// @headland/controller: the pure allocator and the Kubernetes reconcilers around it.
export * from './allocator/index.js';
export * from './service/index.js';
export { ServiceReconciler, SERVICE_EVENT, type ServiceView, type EventSink, type ServiceReconcilerOptions } from './reconcile/services.js';
export { ConfigReconciler, CONFIG_EVENT, type ConfigView } from './reconcile/config.js';
export { ControllerMetrics } from './metrics.js';
export { runController, type RunningController, type RunOptions, type RunFlags } from './run.js';
export { parseControllerFlags, type ControllerFlags } from './flags.js';
export * from './webhook/index.js';
