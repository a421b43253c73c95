// Endpoint counts per Service, address family and node, kept from EndpointSlices as they come
// and go: one slice change costs O(size of the old and new slice), never a rescan of a Service.
import { NO_ENDPOINTS, type EndpointCounts, type EndpointRecord, type EndpointsView, type ServiceEndpoints, type SliceInfo } from './types.js';

/**
 * A slice is only ever added to or taken from its Service's tally, never looked up by node, so
 * it keeps its counts in two flat arrays rather than a Map and an object per node (at 100,000
 * endpoints that is a tenth of the speaker's heap).
 */
interface SliceTally {
  readonly serviceKey: string;
  readonly family: 4 | 6;
  /** Nodes with endpoints; endpoints with no node are in `unplaced`. */
  readonly nodes: readonly string[];
  /** nodes[i]'s ready count at 2i and serving-terminating count at 2i+1. */
  readonly counts: readonly number[];
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
      service = { total: NO_ENDPOINTS, slices: 0, byNode: new Map() };
      this.services.set(key, service);
    }
    let total = service.total;
    for (let i = 0; i < slice.nodes.length; i++) {
      const node = slice.nodes[i]!;
      const counts = countsOf(slice.counts[2 * i]!, slice.counts[2 * i + 1]!);
      const next = plus(service.byNode.get(node), counts, sign);
      if (next === undefined) service.byNode.delete(node);
      else service.byNode.set(node, next);
      total = plus(total, counts, sign) ?? NO_ENDPOINTS;
    }
    total = plus(total, slice.unplaced, sign) ?? NO_ENDPOINTS;
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
  const nodes: string[] = [];
  const counts: number[] = [];
  const at = new Map<string, number>();
  let unplaced = NO_ENDPOINTS;
  for (const e of slice.endpoints) {
    const kind = classifyEndpoint(e);
    if (kind === undefined) continue;
    const one = kind === 'ready' ? READY_ONE : SERVING_TERMINATING_ONE;
    if (e.nodeName === undefined) {
      unplaced = plus(unplaced, one, 1) ?? unplaced;
      continue;
    }
    let i = at.get(e.nodeName);
    if (i === undefined) {
      at.set(e.nodeName, (i = nodes.length));
      nodes.push(e.nodeName);
      counts.push(0, 0);
    }
    counts[2 * i + (kind === 'ready' ? 0 : 1)]! += 1;
  }
  // Copies sized exactly: arrays grown by push keep up to half again as much room.
  return { serviceKey: slice.serviceKey, family: slice.family, nodes: nodes.slice(), counts: counts.slice(), unplaced };
}

/**
 * Counts are immutable values, so small ones are shared: most nodes hold a few endpoints of a
 * Service, and one object per (Service, node) would otherwise be most of the index.
 */
const SHARED_READY = 64;
const SHARED_SERVING_TERMINATING = 8;
const shared: EndpointCounts[] = Array.from({ length: SHARED_READY * SHARED_SERVING_TERMINATING }, (_, i) =>
  i === 0 ? NO_ENDPOINTS : Object.freeze({ ready: Math.floor(i / SHARED_SERVING_TERMINATING), servingTerminating: i % SHARED_SERVING_TERMINATING }),
);
const READY_ONE = countsOf(1, 0);
const SERVING_TERMINATING_ONE = countsOf(0, 1);

function countsOf(ready: number, servingTerminating: number): EndpointCounts {
  if (ready < SHARED_READY && servingTerminating < SHARED_SERVING_TERMINATING) return shared[ready * SHARED_SERVING_TERMINATING + servingTerminating]!;
  return { ready, servingTerminating };
}

/** a + sign*b, or undefined when the result is all zero. */
function plus(a: EndpointCounts | undefined, b: EndpointCounts, sign: 1 | -1): EndpointCounts | undefined {
  const ready = (a?.ready ?? 0) + sign * b.ready;
  const servingTerminating = (a?.servingTerminating ?? 0) + sign * b.servingTerminating;
  if (ready === 0 && servingTerminating === 0) return undefined;
  return countsOf(ready, servingTerminating);
}
