// Test fixtures: a Config, Services, Nodes and endpoints built from short specs, so a table
// row says only what it varies. Used by the policy's tests; not exported by the package.
import { IPSet, parseCommunity, parseIP, parsePoolEntry, parseSelector, type BGPAdvertisementConfig, type Config, type Peer, type Pool, type Selector } from '@headland/api';
import { EndpointIndex } from '../model/endpoint-index.js';
import type { NodeInfo, ServiceInfo, TrafficPolicy } from '../model/types.js';
import type { PolicyInput } from './types.js';

export type Labels = Record<string, string>;

export interface PeerSpec {
  name: string;
  myASN?: number;
  peerASN?: number;
  dynamicASN?: 'internal' | 'external';
  nodeSelectors?: Labels[];
}

export interface AdSpec {
  name: string;
  pools: string[];
  serviceSelectors?: Labels[];
  nodeSelectors?: Labels[];
  peers?: string[];
  aggregationLength?: number;
  aggregationLengthV6?: number;
  localPref?: number;
  communities?: string[];
  weighting?: 'LocalEndpoints' | 'None';
  dataPlaneCheck?: 'KubeProxy' | 'None';
}

export interface ConfigSpec {
  pools?: Record<string, string[]>;
  peers?: PeerSpec[];
  ads?: AdSpec[];
}

const ref = (kind: string, name: string) => ({ kind, namespace: 'headland-system', name });

export function selectors(list: Labels[] | undefined): Selector[] {
  return (list ?? []).map((matchLabels, i) => {
    const result = parseSelector({ matchLabels }, `test[${i}]`);
    if (!result.ok) throw new Error(`fixtures: bad selector ${JSON.stringify(matchLabels)}`);
    return result.selector;
  });
}

export function testConfig(spec: ConfigSpec): Config {
  const pools = new Map<string, Pool>();
  for (const [name, entries] of Object.entries(spec.pools ?? {})) {
    pools.set(name, {
      ref: ref('IPAddressPool', name), name, addresses: IPSet.from(entries.map(parsePoolEntry)), entries,
      autoAssign: true, avoidBuggyIPs: false, labels: {}, allocation: undefined,
    });
  }
  const peers = new Map<string, Peer>();
  for (const p of spec.peers ?? []) {
    peers.set(p.name, {
      ref: ref('BGPPeer', p.name), name: p.name, myASN: p.myASN ?? 64512,
      peerASN: p.dynamicASN === undefined ? (p.peerASN ?? 64513) : undefined, dynamicASN: p.dynamicASN,
      address: parseIP('198.18.0.1'), port: 179, sourceAddress: undefined, routerID: undefined, holdTime: 90, keepaliveTime: 30,
      connectTime: 10, password: undefined, ebgpMultiHop: false, ttlSecurity: false, passive: false,
      nodeSelectors: selectors(p.nodeSelectors), bfdProfile: undefined, gracefulRestart: false,
    });
  }
  const bgpAdvertisements: BGPAdvertisementConfig[] = (spec.ads ?? []).map((a) => ({
    ref: ref('BGPAdvertisement', a.name), pools: [...a.pools].sort(), serviceSelectors: selectors(a.serviceSelectors),
    nodeSelectors: selectors(a.nodeSelectors), peers: a.peers, aggregationLength: a.aggregationLength ?? 32,
    aggregationLengthV6: a.aggregationLengthV6 ?? 128, localPref: a.localPref,
    communities: (a.communities ?? []).map(parseCommunity), weighting: a.weighting ?? 'LocalEndpoints',
    dataPlaneCheck: a.dataPlaneCheck ?? 'KubeProxy',
  }));
  return { pools, peers, bgpAdvertisements, l2Advertisements: [], bfdProfiles: new Map(), communities: new Map(), issues: [], rejected: [] };
}

export interface ServiceSpec {
  key: string;
  type?: string;
  loadBalancerClass?: string;
  policy?: TrafficPolicy;
  ips?: string[];
  labels?: Labels;
  poolHint?: string;
  healthCheckNodePort?: number;
}

export function service(s: ServiceSpec): ServiceInfo {
  const [namespace = '', name = ''] = s.key.split('/');
  return {
    key: s.key, namespace, name, type: s.type ?? 'LoadBalancer', loadBalancerClass: s.loadBalancerClass,
    trafficPolicy: s.policy ?? 'Cluster', ingressIPs: (s.ips ?? []).map(parseIP), labels: s.labels ?? {}, poolHint: s.poolHint,
    healthCheckNodePort: s.healthCheckNodePort,
  };
}

export function node(name: string, labels: Labels = {}, networkUnavailable = false): NodeInfo {
  return { name, labels, networkUnavailable };
}

export interface EndpointSpec {
  service: string;
  node?: string;
  family?: 4 | 6;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

/** One slice per Service and family holding the listed endpoints. */
export function endpointIndex(list: readonly EndpointSpec[]): EndpointIndex {
  const index = new EndpointIndex();
  const slices = new Map<string, { serviceKey: string; family: 4 | 6; endpoints: EndpointSpec[] }>();
  for (const e of list) {
    const family = e.family ?? 4;
    const key = `${e.service}-${family}`;
    const slice = slices.get(key) ?? { serviceKey: e.service, family, endpoints: [] };
    slice.endpoints.push(e);
    slices.set(key, slice);
  }
  for (const [key, s] of slices) {
    index.applySlice({
      key, serviceKey: s.serviceKey, family: s.family,
      endpoints: s.endpoints.map((e) => {
        const ready = e.ready ?? true;
        return { nodeName: e.node, ready, serving: e.serving ?? ready, terminating: e.terminating ?? false };
      }),
    });
  }
  return index;
}

export interface InputSpec {
  config: Config;
  nodeName?: string;
  lbClass?: string;
  services?: ServiceInfo[];
  nodes?: NodeInfo[];
  endpoints?: EndpointSpec[];
}

export function input(spec: InputSpec): PolicyInput {
  return {
    config: spec.config,
    nodeName: spec.nodeName ?? 'n1',
    lbClass: spec.lbClass,
    services: new Map((spec.services ?? []).map((s) => [s.key, s])),
    nodes: new Map((spec.nodes ?? [node('n1')]).map((n) => [n.name, n])),
    endpoints: endpointIndex(spec.endpoints ?? []),
  };
}
