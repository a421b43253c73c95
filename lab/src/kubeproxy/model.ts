// Plain types the stand-in works on: just the parts of Services and EndpointSlices that
// kube-proxy reads for LoadBalancer traffic. Kubernetes JSON stops at convert.ts.

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;
export type TrafficPolicy = (typeof TRAFFIC_POLICIES)[number];

export const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

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
