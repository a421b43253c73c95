// @headland/kube: Kubernetes plumbing shared by the controller and the speaker: logging,
// kubeconfig, informers that recover, Lease election, Events, conflict-safe writes, endpoints, signals.

export { createLogger, parseLogLevel, LOG_LEVELS, type Logger, type LogLevel } from './log.js';
export { loadKubeConfig, type KubeConfigEnv } from './kubeconfig.js';
export { ClusterConfig, clusterConfigFromText, clusterConfigFromFile, inClusterConfig, type ClusterAccess } from './cluster-config.js';
export { KubeError, ConfigError, HttpError } from './errors.js';
export { statusCodeOf, isConflict, isNotFound, isGone } from './status.js';
export { HttpClient, httpClientFor, closeHttpClient, type JsonRequest } from './http-client.js';
export { requestJson, type Json, type JsonObject, type Method, type RequestOptions } from './rest.js';
export { Backoff } from './backoff.js';
export { collectionPath, objectPath, checkRef, type ResourceRef } from './resource-ref.js';
export { createInformer, type Informer, type InformerOptions, type ChangeHandler, type ErrorHandler } from './informer.js';
export type { ChangeType } from './object-cache.js';
export { objectSkeleton } from './object-cache.js';
export { LeaderElector, checkElectionTimes, type LeaderElectionOptions, type LeaderCallbacks } from './leader-election.js';
export { systemClock, type Clock } from './clock.js';
export { EventRecorder, type EventRecorderOptions } from './events.js';
export type { InvolvedObject, EventType } from './event-correlator.js';
export { writeWithRetry } from './write-retry.js';
export { parseListenAddress, type ListenAddress } from './listen-address.js';
export { serveEndpoints, type Probe, type Endpoints, type EndpointsOptions } from './endpoints.js';
export { onShutdown, type ShutdownOptions } from './shutdown.js';
