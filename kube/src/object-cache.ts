// An informer's store: objects by namespace/name, turned into add/update/delete changes
// from watch events and from whole relists (a relist's missing objects are deletes).

import type { KubernetesObject } from '@kubernetes/client-node';

export type ChangeType = 'add' | 'update' | 'delete';
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change<T> {
  type: ChangeType;
  obj: T;
  old: T | undefined;
}

export function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function objectKey(obj: KubernetesObject): string {
  return keyOf(obj.metadata?.namespace, obj.metadata?.name ?? '');
}

function sameVersion(a: KubernetesObject, b: KubernetesObject): boolean {
  const ra = a.metadata?.resourceVersion;
  return ra !== undefined && ra !== '' && ra === b.metadata?.resourceVersion;
}

/**
 * What a store keeps of an object when its owner never reads the rest back: the identity that
 * keys and dedupes it (name, namespace, resourceVersion) and that an Event's involvedObject needs.
 */
export function objectSkeleton<T extends KubernetesObject>(obj: T): T {
  const m = obj.metadata;
  const metadata = { name: m?.name, namespace: m?.namespace, uid: m?.uid, resourceVersion: m?.resourceVersion };
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata } as T;
}

export class ObjectCache<T extends KubernetesObject> {
  private readonly objects = new Map<string, T>();

  /** storeAs: what is kept of each object (get, list, and the `old` of a change); changes carry it whole. */
  constructor(private readonly storeAs: (obj: T) => T = (obj) => obj) {}

  get size(): number {
    return this.objects.size;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(keyOf(namespace, name));
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  /** One watch event; undefined when it changes nothing (a replay of a version we hold). */
  apply(type: WatchEventType, obj: T): Change<T> | undefined {
    const key = objectKey(obj);
    const old = this.objects.get(key);
    if (type === 'DELETED') {
      if (old === undefined) return undefined;
      this.objects.delete(key);
      return { type: 'delete', obj, old };
    }
    if (old !== undefined && sameVersion(old, obj)) return undefined;
    this.objects.set(key, this.storeAs(obj));
    return old === undefined ? { type: 'add', obj, old } : { type: 'update', obj, old };
  }

  /** A complete list replaces the cache: what is new is added, what changed updated, what is gone deleted. */
  replace(items: readonly T[]): Change<T>[] {
    const changes: Change<T>[] = [];
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(objectKey(obj));
      const c = this.apply('MODIFIED', obj);
      if (c !== undefined) changes.push(c);
    }
    for (const [key, old] of this.objects) {
      if (seen.has(key)) continue;
      this.objects.delete(key);
      changes.push({ type: 'delete', obj: old, old });
    }
    return changes;
  }
}
