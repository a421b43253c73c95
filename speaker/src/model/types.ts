// The plain types the speaker's policy (and the L2 election) read: Services, Nodes and endpoint
// counts as facts, with Kubernetes' defaults already applied and no client types left.
import type { IPAddress } from '@headland/api';

export const TRAFFIC_POLICY = { Cluster: 'Cluster', Local: 'Local' } as const;
export type TrafficPolicy = (typeof TRAFFIC_POLICY)[keyof typeof TRAFFIC_POLICY];

export const LOAD_BALANCER_TYPE = 'LoadBalancer';

export interface ServiceInfo {
  /** "namespace/name", the key every other map uses. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** spec.type as written; only "LoadBalancer" is ever announced. */
  readonly type: string;
  readonly loadBalancerClass: string | undefined;
  /** spec.externalTrafficPolicy, "Cluster" when unset. */
  readonly trafficPolicy: TrafficPolicy;
  /** status.loadBalancer.ingress[].ip, parsed, without duplicates, in the order written. */
  readonly ingressIPs: readonly IPAddress[];
  readonly labels: Readonly<Record<string, string>>;
  /** The controller's ip-allocated-from-pool annotation: only a hint, the pools' sets decide. */
  readonly poolHint: string | undefined;
  /** spec.healthCheckNodePort: where kube-proxy answers for a Local Service on every node. */
  readonly healthCheckNodePort: number | undefined;
}

export interface NodeInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The NetworkUnavailable condition is "True". */
  readonly networkUnavailable: boolean;
}

/** One endpoint after Kubernetes' defaults: ready unset is ready, serving unset follows ready. */
export interface EndpointRecord {
  readonly nodeName: string | undefined;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

export interface SliceInfo {
  /** "namespace/name" of the EndpointSlice. */
  readonly key: string;
  /** "namespace/name" of the Service, from the kubernetes.io/service-name label. */
  readonly serviceKey: string;
  /** From addressType; FQDN slices are not converted (nothing announces them). */
  readonly family: 4 | 6;
  readonly endpoints: readonly EndpointRecord[];
}

export interface EndpointCounts {
  /** Endpoints with ready true. */
  readonly ready: number;
  /** Not ready, but serving while terminating (a pod draining). */
  readonly servingTerminating: number;
}

export const NO_ENDPOINTS: EndpointCounts = { ready: 0, servingTerminating: 0 };

/** One service's endpoints of one address family. */
export interface ServiceEndpoints {
  /** Every endpoint, including those with no nodeName. */
  readonly total: EndpointCounts;
  /** Per node name; nodes with no endpoints are absent. */
  readonly byNode: ReadonlyMap<string, EndpointCounts>;
}

/** What the policy asks of the endpoints: the EndpointIndex answers it, and so can a test. */
export interface EndpointsView {
  endpointsOf(serviceKey: string, family: 4 | 6): ServiceEndpoints | undefined;
}

/** A malformed object or field, skipped; the message starts with the converter's name. */
export interface ModelProblem {
  readonly kind: 'Service' | 'Node' | 'EndpointSlice';
  /** "namespace/name" or the node name, "?" when even that is unreadable. */
  readonly object: string;
  readonly path: string;
  readonly message: string;
}

export interface Converted<T> {
  /** Undefined when the object cannot be used at all (or, for FQDN slices, is not relevant). */
  readonly value: T | undefined;
  readonly problems: readonly ModelProblem[];
}
