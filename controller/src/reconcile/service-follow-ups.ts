// The pool annotation and the Events that follow a status write, held back while status writes
// are queued: at a cold start every Service gets its IP before any of these begin.
import { splitKey, type InvolvedObject } from './objects.js';
import { WorkQueue } from './queue.js';
import { poolAnnotation } from './service-status.js';
import { writePoolAnnotation } from './service-writes.js';
import type { EventSink, ServiceReconcilerOptions } from './service-types.js';

/** Follow-ups wait while this many Events are still being written. */
const EVENT_BACKLOG = 64;

interface PendingEvent {
  readonly involved: InvolvedObject;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

export interface FollowUpOptions extends Pick<ServiceReconcilerOptions, 'view' | 'allocator' | 'rest' | 'events' | 'log'> {
  /** Status writes still queued: follow-ups wait for them. */
  readonly statusBacklog: () => number;
}

export class FollowUps {
  readonly #o: FollowUpOptions;
  readonly #queue = new WorkQueue();
  /** Nothing is dropped while a key waits: each key holds its own pending Events. */
  readonly #pending = new Map<string, PendingEvent[]>();

  constructor(options: FollowUpOptions) {
    this.#o = options;
  }

  /** Queues the key's follow-up and returns where its Events collect until it runs. */
  eventsFor(key: string): Pick<EventSink, 'event'> {
    const pending = this.#pending.get(key) ?? [];
    this.#pending.set(key, pending);
    this.#queue.add(key);
    return { event: (involved, type, reason, message) => void pending.push({ involved, type, reason, message }) };
  }

  idle(): boolean {
    return this.#queue.idle();
  }

  shutDown(): void {
    this.#queue.shutDown();
  }

  /** One worker; it returns once shut down. */
  async work(): Promise<void> {
    for (;;) {
      const key = await this.#queue.get();
      if (key === undefined) return;
      try {
        while (this.#o.statusBacklog() > 0 || this.#o.events.pending > EVENT_BACKLOG) await new Promise((r) => setTimeout(r, 10));
        await this.#followUp(key);
      } catch (err) {
        this.#o.log.warn({ service: key, err: String(err) }, 'could not write the pool annotation; will retry');
        this.#queue.addAfter(key, 1_000);
      } finally {
        this.#queue.done(key);
      }
    }
  }

  async #followUp(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.#o.view.service(namespace, name);
    const events = this.#pending.get(key) ?? [];
    this.#pending.delete(key);
    if (svc !== undefined) {
      // The allocator, not the Service as written, says which pool: it may have moved since.
      const pool = this.#o.allocator.assignmentOf(key)?.pool;
      const ours = pool !== undefined || poolAnnotation(svc) !== undefined;
      if (ours && poolAnnotation(svc) !== pool) await writePoolAnnotation(this.#o.rest, svc, pool);
    }
    for (const e of events) this.#o.events.event(e.involved, e.type, e.reason, e.message);
  }
}
