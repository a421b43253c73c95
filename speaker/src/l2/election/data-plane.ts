// kube-proxy's word in the L2 election: which check a node's candidacy for a Service waits on
// (the same rule as the BGP policy's), and the node's published answer turned into a refusal.
import { DATA_PLANE_CHECK, type L2AdvertisementConfig } from '@headland/api';
import { TRAFFIC_POLICY, type ServiceInfo } from '../../model/types.js';
import { REASON, type Reason } from '../../policy/types.js';
import type { NodeDataPlane } from '../membership/codec.js';

/**
 * `service`: the Service's health check node port (Local, answered from this node's ready
 * endpoints). `proxy`: kube-proxy's /healthz (Cluster, and Local served only by terminating
 * pods, which kube-proxy's per-Service check never counts). As policy/evaluate.ts decides it.
 */
export type L2DataPlaneNeed = 'service' | 'proxy';

/**
 * What the node's candidacy waits on, given the advertisements it would answer through and the
 * endpoint verdict for it (Announced or AnnouncedServingTerminating); undefined: none checks.
 */
export function l2DataPlaneNeed(service: ServiceInfo, ads: readonly L2AdvertisementConfig[], endpoints: Reason): L2DataPlaneNeed | undefined {
  if (!ads.some((ad) => ad.dataPlaneCheck === DATA_PLANE_CHECK.KubeProxy)) return undefined;
  return service.trafficPolicy === TRAFFIC_POLICY.Local && endpoints === REASON.Announced ? 'service' : 'proxy';
}

/** Why the node's published data plane keeps it out, or undefined (unknown state: it stays in). */
export function dataPlaneRefusal(node: string, service: string, need: L2DataPlaneNeed, state: NodeDataPlane | undefined): string | undefined {
  if (state === undefined) return undefined;
  if (need === 'proxy') return state.proxyServing ? undefined : `node ${node}'s kube-proxy /healthz is not ok, so it does not serve ${service} (per membership)`;
  if (state.overflow) return `node ${node}'s kube-proxy does not serve ${service} (per membership: more Services fail there than it can list)`;
  return state.notServing.includes(service) ? `node ${node}'s kube-proxy does not serve ${service} (per membership)` : undefined;
}
