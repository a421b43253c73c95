// What a Service should say, decided apart from writing it: a 409 retry decides again from the
// fresh copy, so the decision must be repeatable and leave the queues and Events alone.
import type { IPAddress } from '@headland/api';
import type { AllocationError, Allocator } from '../allocator/index.js';
import { isManaged, serviceRequest } from '../service/index.js';
import { field, splitKey, str } from './objects.js';
import { desiredIngress, ingressIPs, poolAnnotation, type Ingress } from './service-status.js';
import type { ServiceView } from './service-types.js';

export const SERVICE_EVENT = {
  IPAllocated: 'IPAllocated',
  AllocationFailed: 'AllocationFailed',
  /** Two Services held one IP in status; the younger is given another. */
  IPConflict: 'IPConflict',
  /** A pool edit or removal took away the Service's IP. */
  IPStranded: 'IPStranded',
  IPReleased: 'IPReleased',
} as const;

/** A Warning held for the next reconcile of a key, which is when the Service hears of it. */
export interface Note {
  readonly reason: string;
  readonly message: string;
}

export interface Desired {
  readonly ingress: readonly Ingress[];
  /** The pool annotation; undefined removes it. */
  readonly pool: string | undefined;
  /** Clear only ingress we wrote: a Service of another class keeps its own controller's. */
  readonly touchIngress: boolean;
  readonly failure: AllocationError | undefined;
  readonly ips: readonly IPAddress[];
}

export interface Decision {
  readonly desired: Desired;
  /** Whether the key's IPs go back: `forget` also drops its failure, as the Service is no longer ours. */
  readonly release: 'no' | 'keepFailure' | 'forget';
}

/** Whether everything the decision reads, all but status, is the same in both versions. */
export function sameInputs(a: unknown, b: unknown): boolean {
  const inputs = (o: unknown): string =>
    JSON.stringify([field(o, 'spec'), field(o, 'metadata', 'labels'), field(o, 'metadata', 'annotations'), field(o, 'metadata', 'deletionTimestamp'), field(o, 'metadata', 'uid')]);
  return inputs(a) === inputs(b);
}

export function decide(key: string, svc: unknown, o: { readonly allocator: Allocator; readonly view: Pick<ServiceView, 'namespaceLabels'>; readonly lbClass: string | undefined }): Decision {
  const { allocator, view, lbClass } = o;
  if (!isManaged(svc, lbClass)) {
    const had = allocator.assignmentOf(key);
    const current = ingressIPs(svc).ips;
    const ours = had !== undefined && current.length > 0 && current.every((ip) => had.ips.some((h) => h.family === ip.family && h.value === ip.value));
    // Left LoadBalancer, or moved to another class: take back what we wrote, nothing else.
    const touchIngress = ours || (poolAnnotation(svc) !== undefined && str(svc, 'spec', 'type') !== 'LoadBalancer');
    return { desired: { ingress: [], pool: undefined, touchIngress, failure: undefined, ips: [] }, release: 'forget' };
  }
  const req = serviceRequest(svc, view.namespaceLabels(splitKey(key).namespace));
  const result = req.ok ? allocator.allocate(req.request) : { ok: false as const, error: req.error };
  if (!result.ok) return { desired: { ingress: [], pool: undefined, touchIngress: true, failure: result.error, ips: [] }, release: 'keepFailure' };
  const { pool, ips } = result.assignment;
  return { desired: { ingress: desiredIngress(ips), pool, touchIngress: true, failure: undefined, ips }, release: 'no' };
}
