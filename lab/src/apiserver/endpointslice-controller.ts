// What kube-controller-manager's EndpointSlice controller does, in process and opt in
// (--endpointslice-controller): keeps the slices of every Service with a selector in step with
// its Pods. It owns only slices labelled managed-by endpointslice-controller.k8s.io; slices a
// suite writes itself are never touched.

import { admit, internalContext } from './admission.js';
import { CONTROLLER_NAME, desiredSlices, MANAGED_BY_LABEL, managedSelector, selects, SERVICE_NAME_LABEL } from './endpointslices.js';
import { ApiError } from './errors.js';
import type { StoredEvent } from './history.js';
import { deepEqual, isObject, type JsonObject } from './json.js';
import type { Registry } from './registry.js';
import { resourceKey, type ResourceType } from './resources.js';
import type { Store } from './store.js';

const SERVICES = resourceKey('', 'services');
const PODS = resourceKey('', 'pods');
const SLICES = resourceKey('discovery.k8s.io', 'endpointslices');
/** The parts of a slice the controller decides; anything else (annotations, finalizers) is left as found. */
const COMPARED = ['addressType', 'endpoints', 'ports'] as const;

function meta(o: JsonObject): JsonObject {
  return isObject(o['metadata']) ? o['metadata'] : {};
}

function labels(o: JsonObject): Record<string, unknown> {
  const l = meta(o)['labels'];
  return isObject(l) ? l : {};
}

/** The Service a slice belongs to when the controller manages it, as namespace/name. */
function managedServiceKey(slice: JsonObject): string | undefined {
  const l = labels(slice);
  const svc = l[SERVICE_NAME_LABEL];
  return l[MANAGED_BY_LABEL] === CONTROLLER_NAME && typeof svc === 'string' ? `${String(meta(slice)['namespace'])}/${svc}` : undefined;
}

export class EndpointSliceController {
  private readonly services: ResourceType;
  private readonly pods: ResourceType;
  private readonly slices: ResourceType;
  /** Service keys (namespace/name) to reconcile at the next flush. */
  private readonly pendingServices = new Set<string>();
  /** Pods changed since the last flush (before and after), to find the Services selecting them. */
  private readonly pendingPods: JsonObject[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    registry: Registry,
    private readonly log: (line: JsonObject) => void = () => undefined,
  ) {
    this.services = registry.builtIn('', 'v1', 'services');
    this.pods = registry.builtIn('', 'v1', 'pods');
    this.slices = registry.builtIn('discovery.k8s.io', 'v1', 'endpointslices');
    // Only noted here: a write from inside a store event would reach watchers before the event itself.
    store.subscribe((e) => this.note(e));
  }

  /** Every Service, and every managed slice whose Service may be gone (start-up). */
  syncAll(): void {
    const keys = new Set<string>();
    for (const svc of this.store.list(this.services, undefined)) keys.add(`${String(meta(svc)['namespace'])}/${String(meta(svc)['name'])}`);
    for (const slice of this.store.list(this.slices, undefined)) {
      const key = managedServiceKey(slice);
      if (key !== undefined) keys.add(key);
    }
    for (const key of keys) this.reconcile(key);
  }

  private note(e: StoredEvent): void {
    const objects = e.previous === undefined ? [e.object] : [e.object, e.previous];
    if (e.resource === SERVICES) for (const o of objects) this.pendingServices.add(`${String(meta(o)['namespace'])}/${String(meta(o)['name'])}`);
    else if (e.resource === PODS) this.pendingPods.push(...objects);
    else if (e.resource === SLICES) {
      for (const o of objects) {
        const key = managedServiceKey(o);
        if (key !== undefined) this.pendingServices.add(key);
      }
    } else return;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const keys = new Set(this.pendingServices);
    this.pendingServices.clear();
    const pods = this.pendingPods.splice(0);
    for (const ns of new Set(pods.map((p) => String(meta(p)['namespace'])))) {
      for (const svc of this.store.list(this.services, ns)) {
        const selector = managedSelector(svc);
        if (selector !== undefined && pods.some((p) => meta(p)['namespace'] === ns && selects(selector, p))) keys.add(`${ns}/${String(meta(svc)['name'])}`);
      }
    }
    // Writes below note events of their own: those schedule another flush, which finds nothing to change.
    for (const key of keys) this.reconcile(key);
  }

  private reconcile(key: string): void {
    const slash = key.indexOf('/');
    const ns = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const svc = this.store.find(this.services, ns, name);
    const want = svc === undefined ? [] : desiredSlices(svc, this.store.list(this.pods, ns));
    const have = new Map(this.store.list(this.slices, ns).filter((s) => managedServiceKey(s) === key).map((s) => [String(meta(s)['name']), s]));
    for (const slice of want) {
      const sliceName = String(meta(slice)['name']);
      const current = have.get(sliceName);
      have.delete(sliceName);
      if (current === undefined) this.write(() => this.store.create(this.slices, ns, slice, { admit: (o) => admit(this.slices, o, internalContext()) }));
      else if (this.differs(current, slice)) this.write(() => this.store.update(this.slices, ns, sliceName, this.merged(current, slice), undefined, { admit: (o) => admit(this.slices, o, internalContext()) }));
    }
    for (const [sliceName, stale] of have) {
      this.write(() => this.store.delete(this.slices, ns, sliceName, { resourceVersion: String(meta(stale)['resourceVersion']) }));
    }
  }

  private differs(current: JsonObject, want: JsonObject): boolean {
    // Defaulted as stored, so a port without a protocol does not read as a change every time.
    const stored = admit(this.slices, want, internalContext());
    return COMPARED.some((f) => !deepEqual(current[f], stored[f])) || !deepEqual(labels(current), labels(want)) || !deepEqual(meta(current)['ownerReferences'], meta(want)['ownerReferences']);
  }

  /** The stored slice with the controller's fields replaced; its resourceVersion guards against a write in between. */
  private merged(current: JsonObject, want: JsonObject): JsonObject {
    const next: JsonObject = { ...current, metadata: { ...meta(current), labels: meta(want)['labels'] ?? {}, ownerReferences: meta(want)['ownerReferences'] ?? [] } };
    for (const f of COMPARED) next[f] = want[f] ?? null;
    return next;
  }

  private write(op: () => unknown): void {
    try {
      op();
    } catch (e) {
      // Someone else wrote it in between, or the namespace is going away: the next event sets it right.
      if (e instanceof ApiError && (e.code === 409 || e.code === 404)) return;
      this.log({ level: 'warn', msg: 'endpointslice controller write failed', error: e instanceof Error ? e.message : String(e) });
    }
  }
}
