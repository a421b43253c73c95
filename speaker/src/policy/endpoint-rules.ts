// Whether a Service's endpoints let a node announce it, and with how many local endpoints
// behind it: the traffic-policy rule, including what draining (terminating) pods are worth.
import { NO_ENDPOINTS, TRAFFIC_POLICY, type ServiceEndpoints, type TrafficPolicy } from '../model/types.js';
import { REASON, type Reason } from './types.js';

/**
 * One ready local endpoint is worth 1 Mbit/s of link bandwidth, in bytes/s as the community
 * carries it. Routers only use the ratio between paths, but FRR keeps link bandwidth in whole
 * Mbit/s and rounds anything smaller to 0 (which disables weighting), so one endpoint must be
 * at least 1 Mbit/s; 125000 is also exact in the community's 32-bit float up to 2^10 pods.
 */
export const BANDWIDTH_PER_ENDPOINT = 125_000;

export interface EndpointVerdict {
  readonly reason: Reason;
  readonly detail: string;
  /** Endpoints on this node that the announcement stands for (0 for Cluster and refusals). */
  readonly localEndpoints: number;
}

/** Something anywhere answers: the Service is worth announcing from somewhere. */
export function hasEndpointsAnywhere(endpoints: ServiceEndpoints | undefined): boolean {
  const total = endpoints?.total ?? NO_ENDPOINTS;
  return total.ready + total.servingTerminating > 0;
}

/**
 * Cluster: any ready or serving endpoint anywhere will do, since kube-proxy forwards across
 * nodes. Local: a ready endpoint on this node. Terminating-but-serving local endpoints count
 * only when the Service has no ready endpoint anywhere (kube-proxy's own fallback, KEP-1669):
 * while ready pods exist elsewhere, withdrawing a draining node steers new connections to pods
 * that will stay, as cloud load balancers do when kube-proxy's health check fails on such a
 * node; when none exist, withdrawing would black-hole a Service whose pods still answer.
 */
export function endpointVerdict(policy: TrafficPolicy, endpoints: ServiceEndpoints | undefined, nodeName: string, family: 4 | 6): EndpointVerdict {
  const total = endpoints?.total ?? NO_ENDPOINTS;
  if (!hasEndpointsAnywhere(endpoints)) {
    return { reason: REASON.NoEndpoints, detail: `no ready or serving IPv${family} endpoint on any node`, localEndpoints: 0 };
  }
  if (policy === TRAFFIC_POLICY.Cluster) return { reason: REASON.Announced, detail: `Cluster policy with ${describe(total)} in the cluster`, localEndpoints: 0 };
  const local = endpoints?.byNode.get(nodeName) ?? NO_ENDPOINTS;
  if (local.ready > 0) return { reason: REASON.Announced, detail: `Local policy with ${local.ready} ready endpoint(s) on node ${nodeName}`, localEndpoints: local.ready };
  if (total.ready === 0 && local.servingTerminating > 0) {
    return {
      reason: REASON.AnnouncedServingTerminating,
      detail: `Local policy, no ready endpoint anywhere, ${local.servingTerminating} terminating but serving on node ${nodeName}`,
      localEndpoints: local.servingTerminating,
    };
  }
  const here = local.servingTerminating > 0 ? ` (only ${local.servingTerminating} terminating, and ${total.ready} ready elsewhere)` : '';
  return { reason: REASON.NoLocalEndpoint, detail: `Local policy and no ready endpoint on node ${nodeName}${here}`, localEndpoints: 0 };
}

function describe(c: { ready: number; servingTerminating: number }): string {
  return c.servingTerminating > 0 ? `${c.ready} ready and ${c.servingTerminating} terminating endpoint(s)` : `${c.ready} ready endpoint(s)`;
}
