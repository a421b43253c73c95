// What the announcement policy reads (the cluster as plain facts plus who this speaker is) and
// what it returns: announcements for the BGP session layer and explanations for people.
import type { CommunityValue, Config } from '@headland/api';
import type { EndpointsView, NodeInfo, ServiceInfo } from '../model/types.js';

/**
 * The cluster as every speaker sees it. The L2 election reads the same view (it needs every
 * node, so nodes are all here, not only this one).
 */
export interface ClusterView {
  readonly config: Config;
  readonly services: ReadonlyMap<string, ServiceInfo>;
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  readonly endpoints: EndpointsView;
}

export interface SpeakerIdentity {
  readonly nodeName: string;
  /** --lb-class: undefined serves Services without a loadBalancerClass, as MetalLB does. */
  readonly lbClass: string | undefined;
}

/** kube-proxy's answer on this node, as the data-plane checks read it (speaker/src/dataplane probes it). */
export interface DataPlaneAnswer {
  /** 200: kube-proxy serves it. */
  readonly ok: boolean;
  /** X-Load-Balancing-Endpoint-Weight, when kube-proxy sent one (a Local Service's local endpoints as programmed). */
  readonly weight?: number;
  /** What was asked and answered, in words. */
  readonly detail: string;
}

/** This node's kube-proxy: per Local Service its health check node port, and its /healthz. */
export interface DataPlaneView {
  /** Undefined: not asked yet. */
  service(key: string): DataPlaneAnswer | undefined;
  /** Undefined: not asked yet. */
  proxy(): DataPlaneAnswer | undefined;
}

export interface PolicyInput extends ClusterView, SpeakerIdentity {
  /**
   * What kube-proxy on this node says. Undefined: the checks are not applied (a tool without
   * the node's answers); advertisements with dataPlaneCheck None never apply them.
   */
  readonly dataPlane?: DataPlaneView;
}

export interface Announcement {
  /** CIDR after aggregation, e.g. 203.0.113.7/32 or 2001:db8::/64. */
  readonly prefix: string;
  readonly family: 4 | 6;
  /** BGPPeer names, sorted. */
  readonly peers: readonly string[];
  /** Only toward iBGP peers. */
  readonly localPref?: number;
  /** Sorted, without duplicates. */
  readonly communities: readonly CommunityValue[];
  /** Link-bandwidth extended community value, bytes per second. */
  readonly linkBandwidth?: number;
  /** "namespace/name" of the Services it stands for, sorted. */
  readonly services: readonly string[];
}

/** Why a Service's IP is or is not announced from a node; one word a tool can switch on. */
export const REASON = {
  Announced: 'Announced',
  /** For a node: it may announce (the Services then decide). */
  NodeEligible: 'NodeEligible',
  /** Local Service with no ready endpoint anywhere: draining pods here keep it reachable. */
  AnnouncedServingTerminating: 'AnnouncedServingTerminating',
  NotLoadBalancer: 'NotLoadBalancer',
  ClassMismatch: 'ClassMismatch',
  NoIP: 'NoIP',
  NoPool: 'NoPool',
  NoAdvertisement: 'NoAdvertisement',
  ServiceNotSelected: 'ServiceNotSelected',
  NoEndpoints: 'NoEndpoints',
  NodeUnknown: 'NodeUnknown',
  NodeExcluded: 'NodeExcluded',
  NodeNetworkUnavailable: 'NodeNetworkUnavailable',
  NodeNotSelected: 'NodeNotSelected',
  NoLocalEndpoint: 'NoLocalEndpoint',
  NoPeers: 'NoPeers',
  /** kube-proxy on the node does not serve it (its check answered no, or could not be reached). */
  DataPlaneNotServing: 'DataPlaneNotServing',
  /** kube-proxy on the node has not been asked yet. */
  DataPlaneNotChecked: 'DataPlaneNotChecked',
  /** The advertisements that select the node cannot be used (a Config not from buildConfig). */
  BadAdvertisement: 'BadAdvertisement',
} as const;
export type Reason = (typeof REASON)[keyof typeof REASON];

export interface Verdict {
  readonly reason: Reason;
  /** The same in words, naming the objects involved. */
  readonly detail: string;
}

export interface IPExplanation extends Verdict {
  readonly ip: string;
  readonly pool: string | undefined;
  /** This Service makes the node announce the IP. */
  readonly announced: boolean;
  /** The node announces the IP, for this Service or for another sharing it. */
  readonly ipAnnounced: boolean;
  /** Link bandwidth the node's host route carries, bytes/s; undefined when unweighted. */
  readonly linkBandwidth: number | undefined;
  /** Why the IP carries no weight although this Service asked for it, if so. */
  readonly unweightedBecause: string | undefined;
  /** Prefix and peers per announcement this Service contributes to. */
  readonly announcements: readonly { readonly prefix: string; readonly peers: readonly string[] }[];
}

export interface ServiceExplanation {
  readonly service: string;
  readonly node: string;
  /** Announced when any IP is; otherwise the first IP's reason, or the Service-level one. */
  readonly verdict: Verdict;
  readonly ips: readonly IPExplanation[];
}

export interface NodeExplanation {
  readonly node: string;
  readonly eligible: boolean;
  readonly verdict: Verdict;
  /** BGPPeers whose nodeSelectors select this node. */
  readonly peers: readonly string[];
}
