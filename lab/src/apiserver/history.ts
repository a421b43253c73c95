// The bounded log of watch events behind `?watch=1&resourceVersion=N`: replays what
// happened after N, or says N is too old once the events after it have been dropped.

import type { JsonObject } from './json.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  type: WatchEventType;
  /** resourceKey() of the object's type. */
  resource: string;
  resourceVersion: number;
  object: JsonObject;
  /** The object before a MODIFIED change, so selector watches can turn it into ADDED or DELETED. */
  previous?: JsonObject;
}

export class EventHistory {
  private readonly events: StoredEvent[] = [];
  private head = 0;
  /** Highest resourceVersion among dropped events: watches from below it cannot be served. */
  private droppedThrough: number;

  /** `startAfter`: the resourceVersion the history begins after; older ones are gone from the start. */
  constructor(
    readonly capacity: number,
    startAfter = 0,
  ) {
    this.droppedThrough = startAfter;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history: capacity must be a positive integer, got ${capacity}`);
  }

  append(event: StoredEvent): void {
    if (this.events.length - this.head >= this.capacity) {
      const dropped = this.events[this.head];
      if (dropped !== undefined) this.droppedThrough = dropped.resourceVersion;
      this.head++;
      // Compact now and then instead of shifting the array on every append.
      if (this.head > this.capacity) {
        this.events.splice(0, this.head);
        this.head = 0;
      }
    }
    this.events.push(event);
  }

  /** Events with resourceVersion > rv in order, or undefined when some of them were dropped. */
  since(rv: number): StoredEvent[] | undefined {
    if (rv < this.droppedThrough) return undefined;
    const out: StoredEvent[] = [];
    for (let i = this.head; i < this.events.length; i++) {
      const e = this.events[i];
      if (e !== undefined && e.resourceVersion > rv) out.push(e);
    }
    return out;
  }

  /** The oldest resourceVersion a watch may still start from. */
  get oldestServable(): number {
    return this.droppedThrough;
  }
}
