// One open watch: newline-delimited JSON events on a kept-open response, replayed from the
// history or started with ADDED for what exists, with bookmarks, a timeout, and 410 in-stream.

import type { ServerResponse } from 'node:http';
import { gone, toStatus } from './errors.js';
import type { StoredEvent } from './history.js';
import type { JsonObject } from './json.js';
import type { Store } from './store.js';
import { translate, type WatchFilter } from './watch-filter.js';

export interface WatchParams {
  filter: WatchFilter;
  /** Undefined or 0: start with ADDED for every selected object, then live events. */
  resourceVersion: number | undefined;
  sendInitialEvents: boolean;
  bookmarks: boolean;
  bookmarkIntervalMs: number;
  timeoutMs: number | undefined;
  /** Sets apiVersion (version served) and kind on objects written out. */
  present: (obj: JsonObject) => JsonObject;
  /** The selected objects that exist now. */
  initial: () => JsonObject[];
  bookmarkKind: { apiVersion: string; kind: string };
}

export class WatchStream {
  private unsubscribe: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly store: Store,
    private readonly params: WatchParams,
    private readonly onClose: (w: WatchStream) => void,
  ) {}

  get resource(): string {
    return this.params.filter.resource;
  }

  start(): void {
    const p = this.params;
    this.res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache' });
    this.res.flushHeaders();
    this.res.on('close', () => this.close());
    let backlog: StoredEvent[] = [];
    const from = p.resourceVersion;
    if (from !== undefined && from > 0 && !p.sendInitialEvents) {
      const since = from > this.store.resourceVersion ? undefined : this.store.eventsSince(from);
      if (since === undefined) {
        // A version from the future was handed out by an earlier run of this server: relist too.
        const err = gone(
          from > this.store.resourceVersion
            ? `resource version ${from} is newer than this server's ${this.store.resourceVersion}: the server restarted and lost its state`
            : `too old resource version: ${from} (${this.store.resourceVersion})`,
        );
        this.write({ type: 'ERROR', object: toStatus(err) });
        this.close();
        return;
      }
      backlog = since;
    } else {
      for (const obj of p.initial()) this.write({ type: 'ADDED', object: p.present(obj) });
      if (p.sendInitialEvents && p.bookmarks) this.bookmark(true);
    }
    for (const e of backlog) this.deliver(e);
    // Subscribing in the same tick as reading the backlog leaves no gap between them.
    this.unsubscribe = this.store.subscribe((e) => this.deliver(e));
    if (p.bookmarks) this.timers.push(setInterval(() => this.bookmark(false), p.bookmarkIntervalMs));
    if (p.timeoutMs !== undefined) this.timers.push(setTimeout(() => this.close(), p.timeoutMs));
  }

  private deliver(e: StoredEvent): void {
    const t = translate(this.params.filter, e);
    if (t !== undefined) this.write({ type: t.type, object: this.params.present(t.object) });
  }

  private bookmark(initialEnd: boolean): void {
    const metadata: JsonObject = { resourceVersion: String(this.store.resourceVersion) };
    if (initialEnd) metadata['annotations'] = { 'k8s.io/initial-events-end': 'true' };
    this.write({ type: 'BOOKMARK', object: { ...this.params.bookmarkKind, metadata } });
  }

  private write(event: unknown): void {
    if (!this.closed) this.res.write(JSON.stringify(event) + '\n');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.res.end();
    this.onClose(this);
  }
}
