// Which events a watch sees: its type, namespace and selectors, with an object that moves
// into or out of the selection reported as ADDED or DELETED, as kube-apiserver does.

import type { StoredEvent, WatchEventType } from './history.js';
import { isObject, type JsonObject } from './json.js';
import { matchesFields, matchesLabels, type FieldSelector, type LabelSelector } from './selectors.js';

export interface WatchFilter {
  resource: string;
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
}

function labelsOf(obj: JsonObject): Record<string, string> {
  const m = obj['metadata'];
  const l = isObject(m) ? m['labels'] : undefined;
  return isObject(l) ? (l as Record<string, string>) : {};
}

export function selects(filter: WatchFilter, obj: JsonObject): boolean {
  if (filter.namespace !== undefined) {
    const m = obj['metadata'];
    if (!isObject(m) || m['namespace'] !== filter.namespace) return false;
  }
  return matchesLabels(filter.labels, labelsOf(obj)) && matchesFields(filter.fields, obj);
}

export function translate(filter: WatchFilter, event: StoredEvent): { type: WatchEventType; object: JsonObject } | undefined {
  if (event.resource !== filter.resource) return undefined;
  const now = selects(filter, event.object);
  if (event.type !== 'MODIFIED' || event.previous === undefined) return now ? { type: event.type, object: event.object } : undefined;
  const before = selects(filter, event.previous);
  if (now && before) return { type: 'MODIFIED', object: event.object };
  if (now) return { type: 'ADDED', object: event.object };
  if (before) return { type: 'DELETED', object: event.object };
  return undefined;
}
