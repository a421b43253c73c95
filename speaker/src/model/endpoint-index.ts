// Endpoint counts per Service, address family and node, kept from EndpointSlices as they come
// and go: one slice change costs O(size of the old and new slice), never a rescan of a Service.
import type { EndpointCounts, EndpointRecord, EndpointsView, ServiceEndpoints, SliceInfo } from './types.js';

interface SliceTally {
  readonly serviceKey: string;
  readonly family: 4 | 6;
  /** Node name to counts; endpoints with no node are in `unplaced`. */
  readonly byNode: Map<string, EndpointCounts>;
  readonly unplaced: EndpointCounts;
}

interface ServiceTally {
  total: EndpointCounts;
  /** Slices counted here: a Service with an empty slice is known, with no endpoints. */
  slices: number;
  readonly byNode: Map<string, EndpointCounts>;
}

/**
 * Ready counts as ready; an endpoint that is not ready but still serves while terminating
 * (a draining pod) is counted apart, so the policy can decide what it is worth.
 */
export function classifyEndpoint(e: EndpointRecord): 'ready' | 'servingTerminating' | undefined {
  if (e.ready) return 'ready';
  if (e.serving && e.terminating) return 'servingTerminating';
  return undefined;
}

export class EndpointIndex implements EndpointsView {
  private readonly slices = new Map<string, SliceTally>();
  private readonly services = new Map<string, ServiceTally>();

  /** Adds or replaces a slice; returns the Services whose counts may have changed. */
  applySlice(slice: SliceInfo): string[] {
    const affected = this.deleteSlice(slice.key);
    const tally = tallySlice(slice);
    this.slices.set(slice.key, tally);
    this.add(tally, 1);
    if (!affected.includes(slice.serviceKey)) affected.push(slice.serviceKey);
    return affected;
  }

  /** Forgets a slice; returns the Service it counted for (none when it was unknown). */
  deleteSlice(sliceKey: string): string[] {
    const old = this.slices.get(sliceKey);
    if (old === undefined) return [];
    this.slices.delete(sliceKey);
    this.add(old, -1);
    return [old.serviceKey];
  }

  endpointsOf(serviceKey: string, family: 4 | 6): ServiceEndpoints | undefined {
    return this.services.get(tallyKey(serviceKey, family));
  }

  get sliceCount(): number {
    return this.slices.size;
  }

  private add(slice: SliceTally, sign: 1 | -1): void {
    const key = tallyKey(slice.serviceKey, slice.family);
    let service = this.services.get(key);
    if (service === undefined) {
      service = { total: { ready: 0, servingTerminating: 0 }, slices: 0, byNode: new Map() };
      this.services.set(key, service);
    }
    let total = service.total;
    for (const [node, counts] of slice.byNode) {
      const next = plus(service.byNode.get(node), counts, sign);
      if (next === undefined) service.byNode.delete(node);
      else service.byNode.set(node, next);
      total = plus(total, counts, sign) ?? { ready: 0, servingTerminating: 0 };
    }
    total = plus(total, slice.unplaced, sign) ?? { ready: 0, servingTerminating: 0 };
    // New objects rather than mutation: a reader holding an old one keeps a consistent view.
    service.total = total;
    service.slices += sign;
    if (service.slices === 0) this.services.delete(key);
  }
}

function tallyKey(serviceKey: string, family: 4 | 6): string {
  return `${family} ${serviceKey}`;
}

function tallySlice(slice: SliceInfo): SliceTally {
  const byNode = new Map<string, EndpointCounts>();
  let unplaced: EndpointCounts = { ready: 0, servingTerminating: 0 };
  for (const e of slice.endpoints) {
    const kind = classifyEndpoint(e);
    if (kind === undefined) continue;
    const one = kind === 'ready' ? { ready: 1, servingTerminating: 0 } : { ready: 0, servingTerminating: 1 };
    if (e.nodeName === undefined) unplaced = plus(unplaced, one, 1) ?? unplaced;
    else byNode.set(e.nodeName, plus(byNode.get(e.nodeName), one, 1) ?? one);
  }
  return { serviceKey: slice.serviceKey, family: slice.family, byNode, unplaced };
}

/** a + sign*b, or undefined when the result is all zero. */
function plus(a: EndpointCounts | undefined, b: EndpointCounts, sign: 1 | -1): EndpointCounts | undefined {
  const ready = (a?.ready ?? 0) + sign * b.ready;
  const servingTerminating = (a?.servingTerminating ?? 0) + sign * b.servingTerminating;
  if (ready === 0 && servingTerminating === 0) return undefined;
  return { ready, servingTerminating };
}
