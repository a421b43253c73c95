// Plain types the stand-in works on: just the parts of Services and EndpointSlices that
// kube-proxy reads for LoadBalancer traffic. Kubernetes JSON stops at convert.ts.

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;
export type TrafficPolicy = (typeof TRAFFIC_POLICIES)[number];

export const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

/** A Service's spec.ipFamilies values; kube-proxy runs one proxier per family. */
export const IP_FAMILIES = ['IPv4', 'IPv6'] as const;
export type IPFamily = (typeof IP_FAMILIES)[number];

export interface ServicePort {
  /** "" for the single unnamed port; EndpointSlice ports are matched by this name. */
  readonly name: string;
  readonly protocol: Protocol;
  readonly port: number;
}

export interface Service {
  readonly namespace: string;
  readonly name: string;
  /** Only LoadBalancer services get rules; the others are carried so the caller need not filter. */
  readonly type: string;
  readonly externalTrafficPolicy: TrafficPolicy;
  readonly ports: readonly ServicePort[];
  /** status.loadBalancer.ingress[].ip, already checked to be IP addresses. */
  readonly loadBalancerIPs: readonly string[];
  /**
   * spec.ipFamilies, or the families of spec.clusterIPs / spec.clusterIP when it is missing:
   * kube-proxy's proxier for a family ignores a Service without a ClusterIP of that family.
   * Unset when the object says neither (no ClusterIP: kube-proxy skips the Service).
   */
  readonly ipFamilies?: readonly IPFamily[];
  /** spec.healthCheckNodePort; the API server sets it for LoadBalancer Services with externalTrafficPolicy Local. */
  readonly healthCheckNodePort?: number;
}

export interface EndpointPort {
  readonly name: string;
  readonly protocol: Protocol;
  readonly port: number;
}

export interface Endpoint {
  /** addresses[0]: kube-proxy uses only the first address of an endpoint. */
  readonly address: string;
  readonly nodeName?: string;
  /** Conditions as Kubernetes gives them; unset means "ready" / "same as ready" / "not terminating". */
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}

export interface EndpointSlice {
  readonly namespace: string;
  readonly name: string;
  /** The kubernetes.io/service-name label. */
  readonly serviceName: string;
  readonly addressType: AddressType;
  readonly ports: readonly EndpointPort[];
  readonly endpoints: readonly Endpoint[];
}

export interface NodeInfo {
  readonly name: string;
  /** The node's addresses; Cluster traffic is SNATed to the one of the packet's family. */
  readonly ips: readonly string[];
}

/** The parts of this node's Node object that kube-proxy's health server reads. */
export interface NodeState {
  readonly name: string;
  /** metadata.deletionTimestamp: the Node is being deleted. */
  readonly deletionTimestamp?: string;
  /** spec.taints[].key */
  readonly taintKeys: readonly string[];
  /** metadata.labels; unset when the object has none (kube-proxy re-syncs when they change). */
  readonly labels?: Readonly<Record<string, string>>;
}
