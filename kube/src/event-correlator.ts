// Event dedup and spam control, as client-go's recorder does it: the same (object, type,
// reason, message) seen again within the window becomes count+1 on the existing Event, and
// each object gets a token bucket so a flapping one cannot flood the API server.

import { randomInt } from 'node:crypto';
import { TokenBucket } from './token-bucket.js';

export type EventType = 'Normal' | 'Warning';

export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  metadata: { namespace?: string; name?: string; uid?: string; resourceVersion?: string };
}

export interface EventSource {
  component: string;
  host?: string;
}

export type Correlation =
  | { action: 'create'; name: string; namespace: string; count: 1; firstMs: number }
  | { action: 'patch'; name: string; namespace: string; count: number; firstMs: number }
  /** Over the object's rate limit. */
  | { action: 'drop' };

export interface CorrelatorOptions {
  /** A repeat after this long makes a new Event (client-go: 10 minutes). */
  windowMs?: number;
  /** Events remembered for dedup; the least recently seen are forgotten first (client-go: 4096). */
  maxEntries?: number;
  /** Per object: this many at once, then one per refill interval (client-go: 25, one per 5 minutes). */
  burst?: number;
  refillEveryMs?: number;
}

/** Events go into the object's namespace; cluster-scoped objects' Events into `default`. */
export function eventNamespace(obj: InvolvedObject): string {
  return obj.metadata.namespace === undefined || obj.metadata.namespace === '' ? 'default' : obj.metadata.namespace;
}

/** What makes two Events the same one: every field of the source, the object, and the text. */
export function eventKey(source: EventSource, obj: InvolvedObject, type: EventType, reason: string, message: string): string {
  const m = obj.metadata;
  return JSON.stringify([source.component, source.host ?? '', obj.apiVersion, obj.kind, m.namespace ?? '', m.name ?? '', m.uid ?? '', type, reason, message]);
}

/** The rate limit is per object (uid when known, so a recreated object starts afresh). */
export function objectKey(source: EventSource, obj: InvolvedObject): string {
  const m = obj.metadata;
  return JSON.stringify([source.component, source.host ?? '', obj.apiVersion, obj.kind, m.namespace ?? '', m.name ?? '', m.uid ?? '']);
}

/** client-go's naming: object name, a dot, the time in hex nanoseconds (a sequence keeps same-ms names apart). */
export function eventName(objectName: string, nowMs: number, seq: number): string {
  return `${objectName}.${(BigInt(Math.floor(nowMs)) * 1_000_000n + BigInt(seq % 1_000_000)).toString(16)}`;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstMs: number;
  lastMs: number;
}

export class EventCorrelator {
  private readonly seen = new Map<string, Seen>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly burst: number;
  private readonly refillEveryMs: number;
  /**
   * Starts anywhere: speakers on every node record the same Event for the same Service in the same
   * millisecond, with the same history behind them, and a shared start made their names collide
   * (the second create got 409 and the Event was lost).
   */
  private seq = randomInt(1_000_000);

  constructor(opts: CorrelatorOptions = {}) {
    this.windowMs = opts.windowMs ?? 600_000;
    this.maxEntries = opts.maxEntries ?? 4096;
    this.burst = opts.burst ?? 25;
    this.refillEveryMs = opts.refillEveryMs ?? 300_000;
  }

  correlate(source: EventSource, obj: InvolvedObject, type: EventType, reason: string, message: string, nowMs: number): Correlation {
    const objKey = objectKey(source, obj);
    let bucket = this.buckets.get(objKey);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.burst, this.refillEveryMs, nowMs);
      this.buckets.set(objKey, bucket);
    }
    if (!bucket.take(nowMs)) return { action: 'drop' };
    this.forgetFullBuckets(nowMs);

    const key = eventKey(source, obj, type, reason, message);
    const prev = this.seen.get(key);
    this.seen.delete(key);
    if (prev !== undefined && nowMs - prev.lastMs <= this.windowMs) {
      const next = { ...prev, count: prev.count + 1, lastMs: nowMs };
      this.remember(key, next);
      return { action: 'patch', name: next.name, namespace: next.namespace, count: next.count, firstMs: next.firstMs };
    }
    const created: Seen = { name: eventName(obj.metadata.name ?? 'unnamed', nowMs, this.seq++), namespace: eventNamespace(obj), count: 1, firstMs: nowMs, lastMs: nowMs };
    this.remember(key, created);
    return { action: 'create', name: created.name, namespace: created.namespace, count: 1, firstMs: nowMs };
  }

  /** After a failed write: the next repeat makes a fresh Event instead of patching one that is not there. */
  forget(source: EventSource, obj: InvolvedObject, type: EventType, reason: string, message: string): void {
    this.seen.delete(eventKey(source, obj, type, reason, message));
  }

  get size(): number {
    return this.seen.size;
  }

  private remember(key: string, s: Seen): void {
    this.seen.set(key, s);
    // Map keeps insertion order and every use re-inserts, so the first key is the least recently seen.
    while (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next();
      if (oldest.done === true) break;
      this.seen.delete(oldest.value);
    }
  }

  /**
   * Amortised O(1): sweeps only when the map has doubled past maxEntries, so a burst over many
   * objects (a cold start with 10,000 Services) does not scan every bucket on every event.
   */
  private forgetFullBuckets(nowMs: number): void {
    if (this.buckets.size <= 2 * this.maxEntries) return;
    for (const [k, b] of this.buckets) if (b.isFull(nowMs)) this.buckets.delete(k);
    // Still too many: forget the oldest; at worst such an object gets a fresh burst again.
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= this.maxEntries) break;
      this.buckets.delete(k);
    }
  }
}
