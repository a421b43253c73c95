// Test fixtures: Service objects as admission leaves them, and a stand-in for the store that
// commits a transaction when the write lands and reverts it when it does not, as the lead will.

import type { ApiError } from '../errors.js';
import { clone, isObject, type Json, type JsonObject } from '../json.js';
import type { ServiceAllocator } from './allocator.js';
import { onCreate, onDelete, onUpdate } from './registry.js';
import { readService } from './spec.js';

/** A Service the way admission.ts hands it over: type, sessionAffinity and port defaults filled. */
export function service(name: string, spec: JsonObject = {}): JsonObject {
  const type = typeof spec['type'] === 'string' ? spec['type'] : 'ClusterIP';
  const base: JsonObject = { type, sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] };
  if (type === 'NodePort' || type === 'LoadBalancer') base['externalTrafficPolicy'] = 'Cluster';
  if (type === 'ExternalName') base['externalName'] = 'example.com';
  return { metadata: { name, namespace: 'default' }, spec: { ...base, ...spec } };
}

/** Shallow edits of spec, as a merge patch would make them; null removes a field. */
export function edit(obj: JsonObject, changes: Record<string, Json>): JsonObject {
  const out = clone(obj);
  const spec = isObject(out['spec']) ? out['spec'] : {};
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete spec[k];
    else spec[k] = v;
  }
  out['spec'] = spec;
  return out;
}

export type Outcome = JsonObject | ApiError;

/** Services by name, written only when allocation succeeded, like the store around the hooks. */
export class MiniStore {
  readonly objects = new Map<string, JsonObject>();

  constructor(readonly alloc: ServiceAllocator) {}

  create(obj: JsonObject): Outcome {
    const name = readService(obj).name;
    const r = onCreate(this.alloc, obj);
    if (!r.ok) return r.error;
    if (this.objects.has(name)) {
      r.txn.revert();
      throw new Error(`${name} exists`);
    }
    this.objects.set(name, r.service);
    r.txn.commit();
    return r.service;
  }

  update(name: string, change: (stored: JsonObject) => JsonObject): Outcome {
    const old = this.get(name);
    const next = change(clone(old));
    // The store carries the old status over before the hooks run.
    if (old['status'] !== undefined) next['status'] = clone(old['status']);
    const r = onUpdate(this.alloc, old, next);
    if (!r.ok) return r.error;
    this.objects.set(name, r.service);
    r.txn.commit();
    return r.service;
  }

  delete(name: string): JsonObject {
    const out = onDelete(this.alloc, this.get(name));
    this.objects.delete(name);
    return out;
  }

  get(name: string): JsonObject {
    const o = this.objects.get(name);
    if (o === undefined) throw new Error(`no Service ${name}`);
    return o;
  }
}

export function specOf(o: Outcome): JsonObject {
  if (!isObject(o) || !isObject(o['spec'])) throw new Error(`not a Service: ${o instanceof Error ? o.message : JSON.stringify(o)}`);
  return o['spec'];
}

export function nodePorts(o: Outcome): number[] {
  const ports = specOf(o)['ports'];
  return (Array.isArray(ports) ? ports : []).map((p) => (isObject(p) && typeof p['nodePort'] === 'number' ? p['nodePort'] : 0));
}

/** The error text, or "ok" when the request went through. */
export function outcomeText(o: Outcome): string {
  return o instanceof Error ? o.message : 'ok';
}
