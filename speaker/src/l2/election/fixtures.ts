// Test fixtures for the election: the policy's Config/Service/Node builders plus L2Advertisements
// and an alive set. Used by the tests only; not exported by the package.
import { parseIP, type L2AdvertisementConfig } from '@headland/api';
import { endpointIndex, selectors, testConfig, type EndpointSpec, type Labels } from '../../policy/fixtures.js';
import type { NodeInfo, ServiceInfo } from '../../model/types.js';
import type { NodeDataPlane } from '../membership/codec.js';
import type { ElectionInput } from './candidates.js';

export { node, service } from '../../policy/fixtures.js';

export interface L2AdSpec {
  name: string;
  pools: string[];
  serviceSelectors?: Labels[];
  nodeSelectors?: Labels[];
  interfaces?: string[];
  dataPlaneCheck?: 'KubeProxy' | 'None';
}

export interface ElectionSpec {
  pools?: Record<string, string[]>;
  ads?: L2AdSpec[];
  services?: ServiceInfo[];
  nodes?: NodeInfo[];
  endpoints?: EndpointSpec[];
  /** Default: every node. */
  alive?: string[];
  lbClass?: string;
  /** Node -> its interfaces among those the advertisements name (membership's word). */
  interfacesOf?: Record<string, string[]>;
  /** Node -> its data plane as it published it (membership's word); absent: unknown. */
  dataPlaneOf?: Record<string, NodeDataPlane | undefined>;
  /** IP -> the nodes that say they answer for it. */
  claims?: Record<string, string[]>;
}

export function l2Ads(list: readonly L2AdSpec[]): L2AdvertisementConfig[] {
  return list.map((a) => ({
    ref: { kind: 'L2Advertisement', namespace: 'headland-system', name: a.name },
    pools: [...a.pools].sort(),
    serviceSelectors: selectors(a.serviceSelectors),
    nodeSelectors: selectors(a.nodeSelectors),
    interfaces: a.interfaces,
    dataPlaneCheck: a.dataPlaneCheck ?? 'KubeProxy',
  }));
}

export function electionInput(spec: ElectionSpec): ElectionInput {
  const config = { ...testConfig({ pools: spec.pools ?? { lan: ['203.0.113.0/24', '2001:db8::/120'] } }), l2Advertisements: l2Ads(spec.ads ?? [{ name: 'l2', pools: ['lan'] }]) };
  const nodes = spec.nodes ?? [];
  return {
    config,
    lbClass: spec.lbClass,
    services: new Map((spec.services ?? []).map((s) => [s.key, s])),
    nodes: new Map(nodes.map((n) => [n.name, n])),
    endpoints: endpointIndex(spec.endpoints ?? []),
    alive: new Set(spec.alive ?? nodes.map((n) => n.name)),
    ...(spec.interfacesOf === undefined ? {} : { interfacesOf: new Map(Object.entries(spec.interfacesOf).map(([n, list]) => [n, new Set(list)])) }),
    ...(spec.dataPlaneOf === undefined ? {} : { dataPlaneOf: new Map(Object.entries(spec.dataPlaneOf)) }),
    ...(spec.claims === undefined ? {} : { claims: new Map(Object.entries(spec.claims)) }),
  };
}

/** `count` Cluster Services with one IP each from 203.0.113.0/24 (and beyond 256, 2001:db8::). */
export function manyServices(count: number, start = 1): ServiceInfo[] {
  const out: ServiceInfo[] = [];
  for (let i = start; i < start + count; i++) {
    const ip = i < 255 ? `203.0.113.${i}` : `2001:db8::${(i - 254).toString(16)}`;
    out.push({ key: `ns/s${i}`, namespace: 'ns', name: `s${i}`, type: 'LoadBalancer', loadBalancerClass: undefined, trafficPolicy: 'Cluster', ingressIPs: [parseIP(ip)], labels: {}, poolHint: undefined, healthCheckNodePort: undefined });
  }
  return out;
}

/** A ready endpoint on the first node for every Service, so Cluster Services are answerable. */
export function endpointsFor(services: readonly ServiceInfo[], nodeName: string): EndpointSpec[] {
  return services.map((s) => ({ service: s.key, node: nodeName, family: s.ingressIPs[0]?.family ?? 4 }));
}
