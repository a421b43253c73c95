// What this node must ask its kube-proxy for L2 mode, and the data-plane state it publishes in
// membership from the answers. Pure; the election reads the published states (election/data-plane.ts).
import { matchesAny } from '@headland/api';
import { TRAFFIC_POLICY } from '../model/types.js';
import { endpointVerdict, hasEndpointsAnywhere } from '../policy/endpoint-rules.js';
import { nodeIneligibility } from '../policy/node-rules.js';
import { configIndex, poolOf, serviceIneligibility } from '../policy/service-rules.js';
import { REASON, type ClusterView, type DataPlaneView, type Reason } from '../policy/types.js';
import { l2DataPlaneNeed } from './election/data-plane.js';
import { boundDataPlane, type NodeDataPlane } from './membership/codec.js';

export interface L2DataPlaneTargets {
  /**
   * Service key -> its healthCheckNodePort: Local Services that an L2Advertisement that checks
   * would let this node answer for from its own ready endpoints.
   */
  readonly services: ReadonlyMap<string, number>;
  /** Such Services without a spec.healthCheckNodePort: kube-proxy cannot be asked, so they count as not served (as for BGP). */
  readonly unaskable: readonly string[];
  /** A checked Cluster Service, or a checked Local one served here only by terminating pods, waits on /healthz. */
  readonly proxy: boolean;
}

/** What the prober is told: both modes' targets together (the same Service has the same port in both). */
export interface ProbeTargets {
  readonly services: ReadonlyMap<string, number>;
  readonly proxy: boolean;
  /** Changes whenever either side's does. */
  readonly version: string;
}

export const NO_L2_TARGETS: L2DataPlaneTargets = { services: new Map(), unaskable: [], proxy: false };

/**
 * Mirrors the election's rules for `self` (pools, selectors, endpoints, the node's own labels and
 * conditions), so whatever the election checks for this node is asked. It takes the advertisements
 * that select the node whatever its interfaces: a superset of what the election checks, never less.
 */
export function l2DataPlaneTargets(view: ClusterView, self: string, lbClass: string | undefined): L2DataPlaneTargets {
  const info = view.nodes.get(self);
  if (info === undefined || view.config.l2Advertisements.length === 0 || nodeIneligibility(self, info) !== undefined) return NO_L2_TARGETS;
  const index = configIndex(view.config);
  const services = new Map<string, number>();
  const unaskable = new Set<string>();
  let proxy = false;
  for (const service of view.services.values()) {
    if (serviceIneligibility(service, lbClass) !== undefined) continue;
    for (const address of service.ingressIPs) {
      const pool = poolOf(index, address, service.poolHint);
      if (pool === undefined) continue;
      const selecting = view.config.l2Advertisements.filter((ad) => ad.pools.includes(pool.name) && matchesAny(ad.serviceSelectors, service.labels) && matchesAny(ad.nodeSelectors, info.labels));
      if (selecting.length === 0) continue;
      const endpoints = view.endpoints.endpointsOf(service.key, address.family);
      if (!hasEndpointsAnywhere(endpoints)) continue;
      let byEndpoints: Reason = REASON.Announced;
      if (service.trafficPolicy === TRAFFIC_POLICY.Local) {
        byEndpoints = endpointVerdict(service.trafficPolicy, endpoints, self, address.family).reason;
        if (byEndpoints === REASON.NoLocalEndpoint) continue;
      }
      const need = l2DataPlaneNeed(service, selecting, byEndpoints);
      if (need === 'proxy') proxy = true;
      else if (need === 'service') {
        if (service.healthCheckNodePort === undefined) unaskable.add(service.key);
        else services.set(service.key, service.healthCheckNodePort);
      }
    }
  }
  return { services, unaskable: [...unaskable].sort(), proxy };
}

/**
 * The state this node publishes: /healthz ok or not, and the checked Local Services whose answer
 * is not ok, not had yet, or cannot be asked for; too many of them become overflow (the codec's bounds).
 */
export function l2DataPlaneState(targets: L2DataPlaneTargets, answers: DataPlaneView): NodeDataPlane {
  const notServing = [...targets.unaskable];
  for (const key of targets.services.keys()) if (answers.service(key)?.ok !== true) notServing.push(key);
  return boundDataPlane({ proxyServing: answers.proxy()?.ok === true, notServing, overflow: false });
}

export function sameTargets(a: L2DataPlaneTargets, b: L2DataPlaneTargets): boolean {
  if (a.proxy !== b.proxy || a.services.size !== b.services.size || a.unaskable.join('\n') !== b.unaskable.join('\n')) return false;
  for (const [key, port] of a.services) if (b.services.get(key) !== port) return false;
  return true;
}

/** The BGP policy's targets and L2's as one set for the prober. */
export function mergeProbeTargets(bgp: { readonly services: ReadonlyMap<string, number>; readonly proxy: boolean; readonly version: number }, l2: (L2DataPlaneTargets & { readonly version: number }) | undefined): ProbeTargets {
  if (l2 === undefined) return { services: bgp.services, proxy: bgp.proxy, version: `${bgp.version}` };
  return { services: new Map([...l2.services, ...bgp.services]), proxy: bgp.proxy || l2.proxy, version: `${bgp.version}/${l2.version}` };
}

/** This node's endpoint counts for a Service, both families: a change asks kube-proxy again at once. */
export function localEndpointSignature(view: ClusterView, self: string, key: string): string {
  return JSON.stringify([4, 6].map((family) => view.endpoints.endpointsOf(key, family as 4 | 6)?.byNode.get(self) ?? null));
}
