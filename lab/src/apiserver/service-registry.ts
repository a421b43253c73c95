// Service writes with allocation, as the real registry does them: cluster IPs and node ports
// are taken in the admit step, kept only if the store write lands, and freed when a Service goes.

import type { JsonObject } from './json.js';
import { resourceKey } from './resources.js';
import { onCreate, onDelete, onUpdate, type ServiceAllocator, type Transaction } from './service-alloc/index.js';
import type { Store } from './store.js';

export const SERVICES = resourceKey('', 'services');

export type Allocate = (obj: JsonObject, old: JsonObject | undefined) => JsonObject;

export class ServiceRegistry {
  constructor(
    readonly allocator: ServiceAllocator,
    store: Store,
  ) {
    // Every way a Service leaves the store (delete, a namespace's deletion, finalizers gone) emits DELETED.
    store.subscribe((e) => {
      if (e.resource === SERVICES && e.type === 'DELETED') onDelete(this.allocator, e.object);
    });
  }

  /** Runs one store write; `allocate` is for its admit step. What it took is kept only if the write lands. */
  write<T>(run: (allocate: Allocate) => T): T {
    const taken: Transaction[] = [];
    const allocate: Allocate = (obj, old) => {
      const r = old === undefined ? onCreate(this.allocator, obj) : onUpdate(this.allocator, old, obj);
      if (!r.ok) throw r.error;
      taken.push(r.txn);
      return r.service;
    };
    try {
      const result = run(allocate);
      for (const t of taken) t.commit();
      return result;
    } catch (e) {
      for (const t of taken.reverse()) t.revert();
      throw e;
    }
  }
}
