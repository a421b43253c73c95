// core/v1 Events, recorded like client-go's recorder: a repeat within 10 minutes patches
// count and lastTimestamp of the Event already written; writes go through a queue so
// event() never blocks or throws; failures are logged; each object is rate-limited.

import type { ClusterAccess as KubeConfig } from './cluster-config.js';
import { systemClock, type Clock } from './clock.js';
import { retryTransient } from './transient-retry.js';
import { ConfigError } from './errors.js';
import { EventCorrelator, type CorrelatorOptions, type EventSource, type EventType, type InvolvedObject } from './event-correlator.js';
import type { Logger } from './log.js';
import { objectPath } from './resource-ref.js';
import { requestJson } from './rest.js';
import { isConflict, isNotFound } from './status.js';

export type { EventType, InvolvedObject } from './event-correlator.js';

export interface EventRecorderOptions extends CorrelatorOptions {
  component: string;
  host?: string;
  log?: Logger;
  clock?: Clock;
  /** Writes waiting beyond this are dropped (and logged), so a dead API server cannot eat memory. */
  maxQueued?: number;
}

/** Kubernetes limits an Event's message to 1 KiB (bytes); longer ones are cut with a marker. */
const MAX_MESSAGE = 1024;
const REASON = /^[A-Za-z][A-Za-z0-9]*$/;

/** metav1.Time: RFC 3339 in whole seconds. */
export function kubeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function truncateMessage(message: string): string {
  if (Buffer.byteLength(message) <= MAX_MESSAGE) return message;
  const marker = '... (truncated)';
  let kept = message.slice(0, MAX_MESSAGE - marker.length);
  while (Buffer.byteLength(kept) > MAX_MESSAGE - marker.length) kept = kept.slice(0, -1);
  // Never end on half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return kept + marker;
}

/** An ObjectReference: only these fields, even when the caller hands over a whole object's metadata. */
export function involvedObjectRef(obj: InvolvedObject): Record<string, string> {
  const ref: Record<string, string> = { apiVersion: obj.apiVersion, kind: obj.kind };
  for (const field of ['namespace', 'name', 'uid', 'resourceVersion'] as const) {
    const v = obj.metadata[field];
    if (typeof v === 'string' && v !== '') ref[field] = v;
  }
  return ref;
}

/** Concurrent Event writes: enough to keep up with a burst, few enough to leave the API server room. */
const LANES = 4;

export class EventRecorder {
  private readonly correlator: EventCorrelator;
  private readonly source: EventSource;
  private readonly clock: Clock;
  private readonly maxQueued: number;
  /** Writes run in LANES lanes; an Event's create and its patches share a lane, so stay in order. */
  private readonly lanes: Promise<void>[] = Array.from({ length: LANES }, () => Promise.resolve());
  private queued = 0;
  private dropped = 0;
  private lastDropLogMs = -Infinity;

  constructor(
    private readonly kc: KubeConfig,
    private readonly opts: EventRecorderOptions,
  ) {
    if (opts.component.trim() === '') throw new ConfigError('events: component must not be empty');
    this.source = { component: opts.component, ...(opts.host === undefined ? {} : { host: opts.host }) };
    this.correlator = new EventCorrelator(opts);
    this.clock = opts.clock ?? systemClock;
    this.maxQueued = opts.maxQueued ?? 1000;
  }

  event(obj: InvolvedObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const problem =
      obj.metadata?.name === undefined || obj.metadata.name === ''
        ? 'the object has no name'
        : type !== 'Normal' && type !== 'Warning'
          ? `type ${JSON.stringify(type)} is neither Normal nor Warning`
          : !REASON.test(reason)
            ? `reason ${JSON.stringify(reason)} is not a CamelCase word`
            : undefined;
    if (problem !== undefined) {
      this.opts.log?.error({ err: `events: ${problem}`, kind: obj.kind, name: obj.metadata?.name, reason }, 'events: event not recorded');
      return;
    }
    const text = truncateMessage(message);
    const nowMs = this.clock.now();
    const c = this.correlator.correlate(this.source, obj, type, reason, text, nowMs);
    if (c.action === 'drop') {
      this.opts.log?.debug({ kind: obj.kind, name: obj.metadata.name, reason }, 'events: rate limit reached for this object, event dropped');
      return;
    }
    if (this.queued >= this.maxQueued) {
      this.correlator.forget(this.source, obj, type, reason, text);
      // One line per 10 s with the count, not one per Event: a cold start can drop thousands.
      this.dropped++;
      if (nowMs - this.lastDropLogMs >= 10_000) {
        this.opts.log?.warn({ dropped: this.dropped, queued: this.queued }, 'events: write queue full, events dropped');
        this.lastDropLogMs = nowMs;
        this.dropped = 0;
      }
      return;
    }
    const body = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: c.name, namespace: c.namespace },
      involvedObject: involvedObjectRef(obj),
      type,
      reason,
      message: text,
      source: this.source,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
      firstTimestamp: kubeTime(c.firstMs),
      lastTimestamp: kubeTime(nowMs),
      count: c.count,
    };
    const forget = () => this.correlator.forget(this.source, obj, type, reason, text);
    this.enqueue(c.name, async () => {
      const path = objectPath('v1', 'events', c.namespace, c.name);
      // A reset connection or a busy API server costs a retry, not the Event (5 tries over ~3 s).
      const sleep = (ms: number) => new Promise<void>((resolve) => this.clock.setTimeout(resolve, ms));
      try {
        await retryTransient(() => this.writeEvent(c.action, path, body), { attempts: 5, firstDelayMs: 200, sleep });
      } catch (err) {
        forget();
        this.opts.log?.warn({ err: String(err), kind: obj.kind, name: obj.metadata.name, reason }, 'events: could not write event');
      }
    });
  }

  /** One try at writing an Event: create it, or bump the count of the one already written. */
  private async writeEvent(action: string, path: string, body: { lastTimestamp: string; count: number; reason: string; reportingInstance: string }): Promise<void> {
    const collection = path.slice(0, path.lastIndexOf('/'));
    if (action === 'create') {
      try {
        await requestJson(this.kc, 'POST', collection, { body });
      } catch (err) {
        if (!isConflict(err)) throw err;
        // A retry after a create whose answer was lost finds our own Event there: that is success.
        // Another writer's Event under the same name is not.
        const existing = await requestJson(this.kc, 'GET', path);
        if (existing['reportingInstance'] !== body.reportingInstance || existing['reason'] !== body.reason) throw err;
      }
      return;
    }
    try {
      await requestJson(this.kc, 'PATCH', path, { body: { count: body.count, lastTimestamp: body.lastTimestamp }, contentType: 'application/merge-patch+json' });
    } catch (err) {
      // Someone deleted the Event (or it expired): write it whole again, count and all.
      if (!isNotFound(err)) throw err;
      await requestJson(this.kc, 'POST', collection, { body });
    }
  }

  /** Resolves once every event recorded so far has been written (or has failed). */
  /** Events queued and not yet written (a producer may wait while this is high). */
  get pending(): number {
    return this.queued;
  }

  async flush(): Promise<void> {
    await Promise.all(this.lanes);
  }

  private enqueue(eventName: string, write: () => Promise<void>): void {
    this.queued++;
    let h = 0;
    for (let i = 0; i < eventName.length; i++) h = (h * 31 + eventName.charCodeAt(i)) | 0;
    const lane = Math.abs(h) % LANES;
    this.lanes[lane] = this.lanes[lane]!.then(write).finally(() => {
      this.queued--;
    });
  }
}
