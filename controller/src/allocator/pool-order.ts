// Which pools may serve a service, and in which order they are tried: priority ascending
// (none last), pools with serviceAllocation before open ones, then by name, never at random.
import { matches, type Pool } from '@headland/api';
import type { ServiceRequest } from '../service/request.js';

export function comparePools(a: Pool, b: Pool): number {
  const pa = a.allocation?.priority;
  const pb = b.allocation?.priority;
  if (pa !== pb) {
    if (pa === undefined) return 1;
    if (pb === undefined) return -1;
    return pa - pb;
  }
  // A pool that chose its services is more specific than one open to all.
  const sa = a.allocation === undefined ? 1 : 0;
  const sb = b.allocation === undefined ? 1 : 0;
  if (sa !== sb) return sa - sb;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Undefined when the pool's serviceAllocation admits the service, else why not: the namespace
 * must be listed or match a namespace selector (when either is given), and the service's labels
 * must match a service selector (when any is given).
 */
export function serviceAllocationProblem(pool: Pool, req: Pick<ServiceRequest, 'namespace' | 'labels' | 'namespaceLabels'>): string | undefined {
  const allocation = pool.allocation;
  if (allocation === undefined) return undefined;
  const limitsNamespaces = allocation.namespaces.size > 0 || allocation.namespaceSelectors.length > 0;
  if (limitsNamespaces && !allocation.namespaces.has(req.namespace) && !allocation.namespaceSelectors.some((s) => matches(s, req.namespaceLabels))) {
    return `pool ${pool.name} serves only the namespaces its serviceAllocation lists or selects, not ${req.namespace}`;
  }
  if (allocation.serviceSelectors.length > 0 && !allocation.serviceSelectors.some((s) => matches(s, req.labels))) {
    return `pool ${pool.name} serves only services matching its serviceAllocation.serviceSelectors`;
  }
  return undefined;
}

/** Whether the service asks for something by name (an IP or a pool): only then may autoAssign: false pools serve it. */
export function isExplicit(req: Pick<ServiceRequest, 'requestedIPs' | 'requestedPool'>): boolean {
  return req.requestedIPs.length > 0 || req.requestedPool !== undefined;
}
