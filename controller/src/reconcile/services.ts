// The Service reconciler: turns each managed Service into an allocator decision and writes it
// (status.loadBalancer.ingress, the pool annotation, Events), conflict-safe: a 409 means
// re-read, re-decide, retry. IPs already in status are claimed first, so a restart changes none.
import { formatIP, type IPAddress } from '@headland/api';
import { involvedObject, keyOf, splitKey, str } from './objects.js';
import type { ServiceReconcilerOptions } from './service-types.js';
import { WorkQueue } from './queue.js';
import { claimStatusIPs } from './service-claims.js';
import { decide, sameInputs, SERVICE_EVENT, type Desired, type Note } from './service-decision.js';
import { FollowUps } from './service-follow-ups.js';
import { desiredIngress, ingressIPs, ingressMatches } from './service-status.js';
import { writeStatus, writeUntilCurrent } from './service-writes.js';

export { SERVICE_EVENT } from './service-decision.js';

export type { ServiceView, EventSink, ServiceReconcilerOptions } from './service-types.js';

export class ServiceReconciler {
  readonly #o: ServiceReconcilerOptions;
  readonly #queue = new WorkQueue();
  /** Keys whose last allocation failed, with the message: retried when addresses free up. */
  readonly #failed = new Map<string, string>();
  /** Messages to attach to the next reconcile of a key (claim conflicts, stranded IPs). */
  readonly #notes = new Map<string, Note>();
  readonly #retries = new Map<string, number>();
  /** Annotation and Event writes that follow status writes. */
  readonly #followUps: FollowUps;
  #running: Promise<void>[] = [];
  #started = false;

  constructor(options: ServiceReconcilerOptions) {
    this.#o = options;
    this.#followUps = new FollowUps({ ...options, statusBacklog: () => this.#queue.length });
  }

  /**
   * Claims the IPs already in Service status, oldest Service first (so in a conflict the older
   * keeps its IP), then queues every Service and starts the workers.
   */
  start(): { claimed: number; conflicts: number } {
    const { view, allocator, lbClass, log } = this.#o;
    const { keys: all, claimed, conflicts, notes } = claimStatusIPs(view, allocator, lbClass);
    for (const [key, note] of notes) this.#notes.set(key, note);
    log.info({ claimed, conflicts, services: all.length }, 'claimed the IPs already in Service status');
    this.#started = true;
    for (const key of all) this.#queue.add(key);
    for (let i = 0; i < this.#o.workers; i++) this.#running.push(this.#work());
    for (let i = 0; i < Math.max(1, this.#o.workers >> 2); i++) this.#running.push(this.#followUps.work());
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
    const { rest, view } = this.#o;
    const outcome = await writeUntilCurrent(
      rest,
      key,
      view.service(namespace, name),
      (svc) => this.#decide(key, svc),
      async (svc, desired) => {
        await writeStatus(rest, svc, desired);
        this.#report(key, svc, desired);
      },
    );
    if (outcome === 'gone') this.#release(key, true);
  }

  #decide(key: string, svc: unknown): Desired {
    const { desired, release } = decide(key, svc, this.#o);
    if (release !== 'no') this.#release(key, release === 'forget');
    return desired;
  }

  /** Events, metrics and the log after a successful write: once per change, not per resync. */
  #report(key: string, svc: unknown, desired: Desired): void {
    const { metrics, log } = this.#o;
    const involved = involvedObject({ apiVersion: 'v1', kind: 'Service', ...(svc as object) });
    const events = this.#followUps.eventsFor(key);
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
