// The Service reconciler: turns each managed Service into an allocator decision and writes it
// (status.loadBalancer.ingress, the pool annotation, Events), conflict-safe: a 409 means
// re-read, re-decide, retry. IPs already in status are claimed first, so a restart changes none.
import { formatIP, type IPAddress } from '@headland/api';
import type { Logger } from '@headland/kube';
import { ALLOCATION_FAILURE, type AllocationError, type Allocator } from '../allocator/index.js';
import { isManaged, serviceRequest } from '../service/index.js';
import type { ControllerMetrics } from '../metrics.js';
import { statusCodeOf, type HttpClient } from '@headland/kube';
import { MERGE_PATCH } from './objects.js';
import { createdAt, field, involvedObject, keyOf, splitKey, str, type InvolvedObject } from './objects.js';
import { WorkQueue } from './queue.js';
import { desiredIngress, ingressIPs, ingressMatches, poolAnnotation, type Ingress } from './service-status.js';
import { ALLOCATED_FROM_POOL_ANNOTATION } from '@headland/api';

/** What the reconciler reads: the informers' caches. */
export interface ServiceView {
  services(): Iterable<unknown>;
  service(namespace: string, name: string): unknown;
  namespaceLabels(namespace: string): Record<string, string>;
}

export interface EventSink {
  /** Events queued and not yet written. */
  readonly pending: number;
  event(obj: InvolvedObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export const SERVICE_EVENT = {
  IPAllocated: 'IPAllocated',
  AllocationFailed: 'AllocationFailed',
  /** Two Services held one IP in status; the younger is given another. */
  IPConflict: 'IPConflict',
  /** A pool edit or removal took away the Service's IP. */
  IPStranded: 'IPStranded',
  IPReleased: 'IPReleased',
} as const;

interface Desired {
  readonly ingress: readonly Ingress[];
  /** The pool annotation; undefined removes it. */
  readonly pool: string | undefined;
  /** Clear only ingress we wrote: a Service of another class keeps its own controller's. */
  readonly touchIngress: boolean;
  readonly failure: AllocationError | undefined;
  readonly ips: readonly IPAddress[];
}

export interface ServiceReconcilerOptions {
  readonly view: ServiceView;
  readonly allocator: Allocator;
  readonly rest: HttpClient;
  readonly events: EventSink;
  readonly metrics: ControllerMetrics;
  readonly log: Logger;
  readonly lbClass: string | undefined;
  readonly workers: number;
  /** Called after anything that changes pool usage (debounced by the caller). */
  readonly onUsageChanged: () => void;
}

const MAX_ATTEMPTS = 5;
/** Follow-ups wait while this many Events are still being written. */
const EVENT_BACKLOG = 64;

/** Whether everything the decision reads, all but status, is the same in both versions. */
function sameInputs(a: unknown, b: unknown): boolean {
  const inputs = (o: unknown): string =>
    JSON.stringify([field(o, 'spec'), field(o, 'metadata', 'labels'), field(o, 'metadata', 'annotations'), field(o, 'metadata', 'deletionTimestamp'), field(o, 'metadata', 'uid')]);
  return inputs(a) === inputs(b);
}

function servicePath(svc: unknown): string {
  return `/api/v1/namespaces/${encodeURIComponent(str(svc, 'metadata', 'namespace') ?? '')}/services/${encodeURIComponent(str(svc, 'metadata', 'name') ?? '')}`;
}

export class ServiceReconciler {
  readonly #o: ServiceReconcilerOptions;
  readonly #queue = new WorkQueue();
  /** Keys whose last allocation failed, with the message: retried when addresses free up. */
  readonly #failed = new Map<string, string>();
  /** Messages to attach to the next reconcile of a key (claim conflicts, stranded IPs). */
  readonly #notes = new Map<string, { reason: string; message: string }>();
  readonly #retries = new Map<string, number>();
  /** Annotation and Event writes that follow status writes. */
  readonly #followUps = new WorkQueue();
  readonly #pendingEvents = new Map<string, { involved: InvolvedObject; type: 'Normal' | 'Warning'; reason: string; message: string }[]>();
  #running: Promise<void>[] = [];
  #started = false;

  constructor(options: ServiceReconcilerOptions) {
    this.#o = options;
  }

  /**
   * Claims the IPs already in Service status, oldest Service first (so in a conflict the older
   * keeps its IP), then queues every Service and starts the workers.
   */
  start(): { claimed: number; conflicts: number } {
    const { view, allocator, lbClass, log } = this.#o;
    const withIPs: { svc: unknown; key: string; ips: IPAddress[] }[] = [];
    const all: string[] = [];
    for (const svc of view.services()) {
      const key = keyOf(svc);
      if (key === undefined) continue;
      all.push(key);
      if (!isManaged(svc, lbClass)) continue;
      const { ips } = ingressIPs(svc);
      if (ips.length > 0) withIPs.push({ svc, key, ips });
    }
    withIPs.sort((a, b) => createdAt(a.svc) - createdAt(b.svc) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let claimed = 0;
    let conflicts = 0;
    for (const { svc, key, ips } of withIPs) {
      const ns = splitKey(key).namespace;
      const req = serviceRequest(svc, view.namespaceLabels(ns));
      if (!req.ok) continue; // reported when the key is reconciled
      const r = allocator.claim(req.request, ips);
      if (r.ok) {
        claimed++;
        continue;
      }
      if (r.error.reason === ALLOCATION_FAILURE.RequestedIPInUse) {
        conflicts++;
        const holders = ips.flatMap((ip) => allocator.holders(ip)).filter((k) => k !== key);
        this.#notes.set(key, {
          reason: SERVICE_EVENT.IPConflict,
          message: `status held ${ips.map(formatIP).join(', ')}, which the older Service ${[...new Set(holders)].join(', ') || 'another Service'} also holds; this Service gets another IP`,
        });
      }
    }
    log.info({ claimed, conflicts, services: all.length }, 'claimed the IPs already in Service status');
    this.#started = true;
    for (const key of all) this.#queue.add(key);
    for (let i = 0; i < this.#o.workers; i++) this.#running.push(this.#work());
    for (let i = 0; i < Math.max(1, this.#o.workers >> 2); i++) this.#running.push(this.#followUpWork());
    this.#o.onUsageChanged();
    return { claimed, conflicts };
  }

  enqueue(key: string): void {
    if (this.#started) this.#queue.add(key);
  }

  /**
   * A Service changed in the cache. Our own status write comes back as an update that changes
   * only status (and resourceVersion); when that status is what the allocator holds, there is
   * nothing to decide, and at a cold start skipping it halves the work.
   */
  onUpdate(key: string, old: unknown, obj: unknown): void {
    if (!this.#started) return;
    if (old !== undefined && sameInputs(old, obj)) {
      const a = this.#o.allocator.assignmentOf(key);
      if (a !== undefined && ingressMatches(obj, desiredIngress(a.ips))) return;
    }
    this.#queue.add(key);
  }

  enqueueNamespace(namespace: string): void {
    if (!this.#started) return;
    for (const svc of this.#o.view.services()) if (str(svc, 'metadata', 'namespace') === namespace) this.#queue.add(keyOf(svc)!);
  }

  enqueueAll(): void {
    if (!this.#started) return;
    for (const svc of this.#o.view.services()) {
      const key = keyOf(svc);
      if (key !== undefined) this.#queue.add(key);
    }
  }

  /** A pool edit took IPs away: tell the Services, then reconcile them (they get new IPs). */
  stranded(list: readonly { key: string; ips: readonly IPAddress[]; pool: string; why: string }[]): void {
    for (const s of list) {
      this.#notes.set(s.key, { reason: SERVICE_EVENT.IPStranded, message: `${s.ips.map(formatIP).join(', ')} from pool ${s.pool} is no longer valid (${s.why}); assigning another` });
      this.enqueue(s.key);
    }
  }

  /** Whether nothing is queued or being written (the benchmark and tests wait for this). */
  idle(): boolean {
    return this.#started && this.#queue.idle() && this.#followUps.idle();
  }

  async stop(): Promise<void> {
    this.#queue.shutDown();
    this.#followUps.shutDown();
    await Promise.all(this.#running);
    this.#running = [];
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.#queue.get();
      if (key === undefined) return;
      const end = this.#o.metrics.reconcileDuration.startTimer({ kind: 'Service' });
      try {
        await this.#reconcile(key);
        this.#retries.delete(key);
      } catch (err) {
        const n = (this.#retries.get(key) ?? 0) + 1;
        this.#retries.set(key, n);
        const wait = Math.min(100 * 2 ** n, 30_000);
        this.#o.log.warn({ service: key, err: String(err), retryInMs: wait }, 'could not write the Service; will retry');
        this.#queue.addAfter(key, wait);
      } finally {
        end();
        this.#queue.done(key);
      }
    }
  }

  async #reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    let svc = this.#o.view.service(namespace, name);
    for (let attempt = 1; ; attempt++) {
      if (svc === undefined) {
        this.#release(key, true);
        return;
      }
      const desired = this.#decide(key, svc);
      try {
        await this.#write(svc, desired);
        this.#report(key, svc, desired);
        return;
      } catch (err) {
        const code = statusCodeOf(err);
        if (code === 404) {
          this.#release(key, true);
          return;
        }
        if (code !== 409 || attempt >= MAX_ATTEMPTS) throw err;
        // Someone else wrote the Service since our cache saw it: decide again from the fresh copy.
        try {
          svc = await this.#o.rest.request('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`);
        } catch (e) {
          if (statusCodeOf(e) === 404) svc = undefined;
          else throw e;
        }
      }
    }
  }

  #decide(key: string, svc: unknown): Desired {
    const { allocator, view, lbClass } = this.#o;
    if (!isManaged(svc, lbClass)) {
      const had = allocator.assignmentOf(key);
      this.#release(key, true);
      const current = ingressIPs(svc).ips;
      const ours = had !== undefined && current.length > 0 && current.every((ip) => had.ips.some((h) => h.family === ip.family && h.value === ip.value));
      // Left LoadBalancer, or moved to another class: take back what we wrote, nothing else.
      const touchIngress = ours || (poolAnnotation(svc) !== undefined && str(svc, 'spec', 'type') !== 'LoadBalancer');
      return { ingress: [], pool: undefined, touchIngress, failure: undefined, ips: [] };
    }
    const req = serviceRequest(svc, view.namespaceLabels(splitKey(key).namespace));
    const result = req.ok ? allocator.allocate(req.request) : { ok: false as const, error: req.error };
    if (!result.ok) {
      this.#release(key, false);
      return { ingress: [], pool: undefined, touchIngress: true, failure: result.error, ips: [] };
    }
    const { pool, ips } = result.assignment;
    return { ingress: desiredIngress(ips), pool, touchIngress: true, failure: undefined, ips };
  }

  /** The status write: what traffic depends on, so it goes first. */
  async #write(svc: unknown, desired: Desired): Promise<void> {
    if (!desired.touchIngress || ingressMatches(svc, desired.ingress)) return;
    const ingress = desired.ingress.length > 0 ? desired.ingress : null;
    // resourceVersion makes the patch conditional: a 409 if the Service changed meanwhile.
    await this.#o.rest.request('PATCH', `${servicePath(svc)}/status`, { contentType: MERGE_PATCH, discardAnswer: true, body: { metadata: { resourceVersion: str(svc, 'metadata', 'resourceVersion') }, status: { loadBalancer: { ingress } } } });
  }

  /**
   * The follow-up of a status write: the pool annotation and the Events. They wait until no
   * status write is queued, so at a cold start every Service has its IP before these begin;
   * nothing is dropped, each key holds its own pending Events.
   */
  async #followUp(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.#o.view.service(namespace, name);
    const events = this.#pendingEvents.get(key) ?? [];
    this.#pendingEvents.delete(key);
    if (svc !== undefined) {
      const assignment = this.#o.allocator.assignmentOf(key);
      const pool = assignment?.pool;
      const ours = pool !== undefined || poolAnnotation(svc) !== undefined;
      if (ours && poolAnnotation(svc) !== pool) {
        try {
          await this.#o.rest.request('PATCH', servicePath(svc), { contentType: MERGE_PATCH, discardAnswer: true, body: { metadata: { annotations: { [ALLOCATED_FROM_POOL_ANNOTATION]: pool ?? null } } } });
        } catch (err) {
          if (statusCodeOf(err) !== 404) throw err;
        }
      }
    }
    for (const e of events) this.#o.events.event(e.involved, e.type, e.reason, e.message);
  }

  async #followUpWork(): Promise<void> {
    for (;;) {
      const key = await this.#followUps.get();
      if (key === undefined) return;
      try {
        while (this.#queue.length > 0 || this.#o.events.pending > EVENT_BACKLOG) await new Promise((r) => setTimeout(r, 10));
        await this.#followUp(key);
      } catch (err) {
        this.#o.log.warn({ service: key, err: String(err) }, 'could not write the pool annotation; will retry');
        this.#followUps.addAfter(key, 1_000);
      } finally {
        this.#followUps.done(key);
      }
    }
  }

  /** Events, metrics and the log after a successful write: once per change, not per resync. */
  #report(key: string, svc: unknown, desired: Desired): void {
    const { metrics, log } = this.#o;
    const involved = involvedObject({ apiVersion: 'v1', kind: 'Service', ...(svc as object) });
    const pending = this.#pendingEvents.get(key) ?? [];
    this.#pendingEvents.set(key, pending);
    this.#followUps.add(key);
    const events = { event: (obj: InvolvedObject, type: 'Normal' | 'Warning', reason: string, message: string) => void pending.push({ involved: obj, type, reason, message }) };
    const note = this.#notes.get(key);
    if (note !== undefined) {
      this.#notes.delete(key);
      events.event(involved, 'Warning', note.reason, note.message);
      log.warn({ service: key, reason: note.reason }, note.message);
    }
    if (desired.failure !== undefined) {
      const message = `${desired.failure.reason}: ${desired.failure.message}`;
      if (this.#failed.get(key) !== message) {
        this.#failed.set(key, message);
        metrics.allocationFailures.inc({ reason: desired.failure.reason });
        events.event(involved, 'Warning', SERVICE_EVENT.AllocationFailed, message);
        log.warn({ service: key, reason: desired.failure.reason }, desired.failure.message);
      }
      return;
    }
    this.#failed.delete(key);
    const before = ingressIPs(svc).ips;
    const changed = desired.touchIngress && !ingressMatches(svc, desired.ingress);
    if (changed && desired.pool !== undefined) {
      metrics.allocations.inc({ pool: desired.pool });
      const ips = desired.ingress.map((i) => i.ip).join(', ');
      events.event(involved, 'Normal', SERVICE_EVENT.IPAllocated, `Assigned IP ${ips} from pool ${desired.pool}`);
      log.info({ service: key, ips, pool: desired.pool, was: before.map(formatIP) }, 'assigned');
      this.#o.onUsageChanged();
    } else if (changed && before.length > 0) {
      events.event(involved, 'Normal', SERVICE_EVENT.IPReleased, `Released ${before.map(formatIP).join(', ')}: the Service is no longer a LoadBalancer this controller handles`);
      log.info({ service: key, was: before.map(formatIP) }, 'released');
    }
  }

  /** Frees the key's IPs; `forget` also drops its failure (deleted or no longer ours). */
  #release(key: string, forget: boolean): void {
    const { allocator } = this.#o;
    if (forget) this.#failed.delete(key);
    if (allocator.assignmentOf(key) === undefined) return;
    allocator.release(key);
    this.#o.onUsageChanged();
    // Freed addresses may be what a failed Service was waiting for.
    for (const k of this.#failed.keys()) if (k !== key) this.#queue.add(k);
  }

  retryFailed(): void {
    for (const k of this.#failed.keys()) this.#queue.add(k);
  }
}
