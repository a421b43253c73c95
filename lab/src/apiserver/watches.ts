// The open watches, kept in one place because /metrics counts them and drop-watches, shutdown
// and a deleted CRD must end them; also turns a watch request's query into a WatchStream.

import type { ServerResponse } from 'node:http';
import { badRequest } from './errors.js';
import type { JsonObject } from './json.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import type { Store } from './store.js';
import type { WatchFilter } from './watch-filter.js';
import { WatchStream } from './watch-stream.js';

/** What the list request that asked for the watch has already worked out. */
export interface WatchRequest {
  type: ResourceType;
  filter: WatchFilter;
  present: (obj: JsonObject) => JsonObject;
  /** The selected objects that exist now. */
  initial: () => JsonObject[];
}

export class Watches {
  private readonly open = new Set<WatchStream>();

  constructor(
    private readonly store: Store,
    private readonly bookmarkIntervalMs: number,
  ) {}

  get size(): number {
    return this.open.size;
  }

  start(res: ServerResponse, q: URLSearchParams, w: WatchRequest): void {
    const rvText = q.get('resourceVersion');
    let rv: number | undefined;
    if (rvText !== null && rvText !== '') {
      if (!/^\d+$/.test(rvText)) throw badRequest(`server: resourceVersion "${rvText}" is not a valid resource version`);
      rv = Number(rvText);
    }
    const timeoutText = q.get('timeoutSeconds');
    if (timeoutText !== null && !/^\d+$/.test(timeoutText)) throw badRequest(`server: timeoutSeconds "${timeoutText}" is not a whole number`);
    const stream = new WatchStream(
      res,
      this.store,
      {
        filter: w.filter,
        resourceVersion: rv,
        sendInitialEvents: q.get('sendInitialEvents') === 'true',
        bookmarks: q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1',
        bookmarkIntervalMs: this.bookmarkIntervalMs,
        timeoutMs: timeoutText === null ? undefined : Number(timeoutText) * 1000,
        present: w.present,
        initial: w.initial,
        bookmarkKind: { apiVersion: apiVersionOf(w.type.group, w.type.versions[0] ?? 'v1'), kind: w.type.kind },
      },
      (s) => this.open.delete(s),
    );
    this.open.add(stream);
    stream.start();
  }

  /** Ends every open watch; clients see their stream close and re-watch. Returns how many. */
  closeAll(): number {
    const n = this.open.size;
    for (const s of [...this.open]) s.close();
    return n;
  }

  /** Ends the watches on one resource (a resourceKey), as when its CRD is deleted. */
  closeResource(resource: string): void {
    for (const s of [...this.open]) if (s.resource === resource) s.close();
  }
}
