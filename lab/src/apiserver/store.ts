// The in-memory object store: one global resourceVersion counter, create/update/delete
// with Kubernetes metadata rules (uid, generation, finalizers, status subresource,
// optimistic concurrency), and the event stream watches are served from. No I/O.

import { alreadyExists, badRequest, conflict, invalid, notFound, STALE_OBJECT, type FieldError, type Target } from './errors.js';
import { EventHistory, type StoredEvent, type WatchEventType } from './history.js';
import { clone, deepEqual, isObject, type Json, type JsonObject } from './json.js';
import { apiVersionOf, resourceKey, type ResourceType } from './resources.js';

export interface StoreOptions {
  historySize: number;
  now: () => Date;
  newUid: () => string;
  /** Five characters appended to generateName. */
  nameSuffix: () => string;
  /**
   * Where the resourceVersion counter starts. A server started later should start above
   * anything an earlier run handed out, so clients holding old versions are told 410 Gone.
   */
  firstResourceVersion?: number;
}

export interface WriteOptions {
  /** Runs on the final object before it is stored (defaults, schema); may throw ApiError. */
  admit?: (obj: JsonObject, old: JsonObject | undefined) => JsonObject;
}

export interface DeleteOptions {
  uid?: string;
  resourceVersion?: string;
  /** DeleteOptions.gracePeriodSeconds: for a Pod, how long its kubelet gives it (else its terminationGracePeriodSeconds, else 30). */
  gracePeriodSeconds?: number;
}

export type Listener = (event: StoredEvent) => void;

const NAMESPACES = resourceKey('', 'namespaces');
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function meta(obj: JsonObject): JsonObject {
  const m = obj['metadata'];
  if (isObject(m)) return m;
  const made: JsonObject = {};
  obj['metadata'] = made;
  return made;
}

function strings(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function target(type: ResourceType, name: string): Target {
  return { group: type.group, plural: type.plural, kind: type.kind, name };
}

/** RBAC objects are named by path segments (`system:discovery`), as the real validation allows. */
function pathSegmentName(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`;
  for (const bad of ['/', '%']) if (name.includes(bad)) return `may not contain '${bad}'`;
  return undefined;
}

/** Field problems every object can have in its metadata, whatever its kind. */
function metadataErrors(m: JsonObject, type?: ResourceType): FieldError[] {
  const errors: FieldError[] = [];
  const name = m['name'];
  if (type?.group === 'rbac.authorization.k8s.io' && typeof name === 'string' && name !== '') {
    const problem = pathSegmentName(name);
    if (problem !== undefined) errors.push({ field: 'metadata.name', type: 'FieldValueInvalid', detail: `Invalid value: ${JSON.stringify(name)}: ${problem}` });
  } else if (typeof name !== 'string' || !DNS_SUBDOMAIN.test(name) || name.length > 253) {
    errors.push({
      field: 'metadata.name',
      type: 'FieldValueInvalid',
      detail: `Invalid value: ${JSON.stringify(name ?? null)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = m[field];
    if (map === undefined || map === null) continue;
    if (!isObject(map)) {
      errors.push({ field: `metadata.${field}`, type: 'FieldValueInvalid', detail: `Invalid value: ${JSON.stringify(map)}: must be a map of strings` });
      continue;
    }
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string') errors.push({ field: `metadata.${field}.${k}`, type: 'FieldValueInvalid', detail: `Invalid value: ${JSON.stringify(v)}: must be string` });
    }
  }
  return errors;
}

/** What generation tracks: spec for kinds that have one, else everything but metadata (and status when it is a subresource). */
function generationView(type: ResourceType, obj: JsonObject): Json {
  if (type.specDrivesGeneration) return obj['spec'] ?? null;
  const view: JsonObject = { ...obj };
  delete view['metadata'];
  delete view['apiVersion'];
  delete view['kind'];
  if (type.hasStatus) delete view['status'];
  return view;
}

export class Store {
  private rv: number;
  private readonly objects = new Map<string, Map<string, JsonObject>>();
  private readonly history: EventHistory;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly opts: StoreOptions) {
    this.rv = opts.firstResourceVersion ?? 0;
    this.history = new EventHistory(opts.historySize, this.rv);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `rv`, or undefined when the history no longer reaches back that far. */
  eventsSince(rv: number): StoredEvent[] | undefined {
    return this.history.since(rv);
  }

  private bucket(type: ResourceType): Map<string, JsonObject> {
    const key = resourceKey(type.group, type.plural);
    let b = this.objects.get(key);
    if (b === undefined) {
      b = new Map();
      this.objects.set(key, b);
    }
    return b;
  }

  private emit(type: ResourceType, eventType: WatchEventType, obj: JsonObject, previous?: JsonObject): void {
    const event: StoredEvent = { type: eventType, resource: resourceKey(type.group, type.plural), resourceVersion: this.rv, object: obj };
    if (previous !== undefined) event.previous = previous;
    this.history.append(event);
    for (const l of [...this.listeners]) l(event);
  }

  private stamp(obj: JsonObject): void {
    this.rv++;
    meta(obj)['resourceVersion'] = String(this.rv);
  }

  namespaceExists(ns: string): boolean {
    return this.objects.get(NAMESPACES)?.has(`/${ns}`) ?? false;
  }

  get(type: ResourceType, ns: string, name: string): JsonObject {
    const obj = this.bucket(type).get(`${type.namespaced ? ns : ''}/${name}`);
    if (obj === undefined) throw notFound(target(type, name));
    return clone(obj);
  }

  /** The object, or undefined where get() would throw: for lookups on every request (RBAC, tokens). */
  find(type: ResourceType, ns: string, name: string): JsonObject | undefined {
    const obj = this.bucket(type).get(`${type.namespaced ? ns : ''}/${name}`);
    return obj === undefined ? undefined : clone(obj);
  }

  /** Every object of the type, in one namespace or (ns undefined) all, sorted by namespace and name. */
  list(type: ResourceType, ns: string | undefined): JsonObject[] {
    const keys = [...this.bucket(type).keys()].sort();
    const prefix = type.namespaced && ns !== undefined ? `${ns}/` : '';
    return keys.filter((k) => k.startsWith(prefix)).map((k) => clone(this.bucket(type).get(k) as JsonObject));
  }

  create(type: ResourceType, ns: string, input: JsonObject, wo: WriteOptions = {}): JsonObject {
    const obj = clone(input);
    const m = meta(obj);
    if (typeof m['name'] !== 'string' || m['name'] === '') {
      const prefix = m['generateName'];
      if (typeof prefix !== 'string' || prefix === '') {
        throw invalid(type.kind, type.group, '', [{ field: 'metadata.name', type: 'FieldValueRequired', detail: 'Required value: name or generateName is required' }]);
      }
      m['name'] = prefix + this.opts.nameSuffix();
    }
    const name = String(m['name']);
    if (type.namespaced) {
      if (m['namespace'] !== undefined && m['namespace'] !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      m['namespace'] = ns;
      if (!this.namespaceExists(ns)) throw notFound({ group: '', plural: 'namespaces', kind: 'Namespace', name: ns });
    } else delete m['namespace'];
    if (m['resourceVersion'] !== undefined && m['resourceVersion'] !== '') {
      throw badRequest('resourceVersion should not be set on objects to be created');
    }
    const errors = metadataErrors(m, type);
    if (errors.length > 0) throw invalid(type.kind, type.group, name, errors);
    obj['apiVersion'] = apiVersionOf(type.group, type.versions[0] ?? 'v1');
    obj['kind'] = type.kind;
    m['uid'] = this.opts.newUid();
    m['creationTimestamp'] = timestamp(this.opts.now());
    m['generation'] = 1;
    delete m['deletionTimestamp'];
    delete m['deletionGracePeriodSeconds'];
    delete m['managedFields'];
    if (type.hasStatus && !type.keepsStatusOnCreate) delete obj['status'];
    const admitted = wo.admit ? wo.admit(obj, undefined) : obj;
    const key = `${type.namespaced ? ns : ''}/${name}`;
    const bucket = this.bucket(type);
    if (bucket.has(key)) throw alreadyExists(target(type, name));
    this.stamp(admitted);
    bucket.set(key, admitted);
    this.emit(type, 'ADDED', admitted);
    return clone(admitted);
  }

  /** PUT semantics: the whole object, or only its status with `subresource: 'status'`. */
  update(type: ResourceType, ns: string, name: string, input: JsonObject, subresource: 'status' | undefined, wo: WriteOptions = {}): JsonObject {
    const key = `${type.namespaced ? ns : ''}/${name}`;
    const bucket = this.bucket(type);
    const old = bucket.get(key);
    if (old === undefined) throw notFound(target(type, name));
    const oldMeta = meta(old);
    const inMeta = isObject(input['metadata']) ? input['metadata'] : {};
    if (inMeta['name'] !== undefined && inMeta['name'] !== name) {
      throw badRequest(`the name of the object (${String(inMeta['name'])}) does not match the name on the URL (${name})`);
    }
    if (type.namespaced && inMeta['namespace'] !== undefined && inMeta['namespace'] !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const givenRv = inMeta['resourceVersion'];
    if (givenRv !== undefined && givenRv !== '' && givenRv !== oldMeta['resourceVersion']) throw conflict(target(type, name), STALE_OBJECT);
    if (inMeta['uid'] !== undefined && inMeta['uid'] !== '' && inMeta['uid'] !== oldMeta['uid']) {
      throw conflict(target(type, name), `Precondition failed: UID in precondition: ${String(inMeta['uid'])}, UID in object meta: ${String(oldMeta['uid'])}`);
    }

    let next: JsonObject;
    if (subresource === 'status') {
      next = clone(old);
      if (input['status'] === undefined) delete next['status'];
      else next['status'] = clone(input['status']);
    } else {
      next = clone(input);
      const m = meta(next);
      for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
        if (oldMeta[f] === undefined) delete m[f];
        else m[f] = oldMeta[f];
      }
      m['name'] = name;
      if (type.namespaced) m['namespace'] = ns;
      delete m['managedFields'];
      if (type.hasStatus) {
        if (old['status'] === undefined) delete next['status'];
        else next['status'] = clone(old['status']);
      }
      const errors = metadataErrors(m, type);
      if (oldMeta['deletionTimestamp'] !== undefined) {
        const before = strings(oldMeta['finalizers']);
        const added = strings(m['finalizers']).filter((f) => !before.includes(f));
        if (added.length > 0) errors.push({ field: 'metadata.finalizers', type: 'FieldValueForbidden', detail: 'Forbidden: no new finalizers can be added if the object is being deleted' });
      }
      if (errors.length > 0) throw invalid(type.kind, type.group, name, errors);
    }
    next['apiVersion'] = apiVersionOf(type.group, type.versions[0] ?? 'v1');
    next['kind'] = type.kind;
    meta(next)['resourceVersion'] = oldMeta['resourceVersion'] ?? '';
    const admitted = wo.admit ? wo.admit(next, clone(old)) : next;
    if (deepEqual(admitted, old)) return clone(old);
    if (!deepEqual(generationView(type, admitted), generationView(type, old))) {
      meta(admitted)['generation'] = (typeof oldMeta['generation'] === 'number' ? oldMeta['generation'] : 1) + 1;
    }
    this.stamp(admitted);
    const am = meta(admitted);
    if (am['deletionTimestamp'] !== undefined && strings(am['finalizers']).length === 0) {
      bucket.delete(key);
      this.emit(type, 'DELETED', admitted);
      return clone(admitted);
    }
    bucket.set(key, admitted);
    this.emit(type, 'MODIFIED', admitted, old);
    return clone(admitted);
  }

  /** Deletes, or with finalizers marks deletionTimestamp; returns the object as it ends up. */
  delete(type: ResourceType, ns: string, name: string, pre: DeleteOptions = {}): JsonObject {
    const key = `${type.namespaced ? ns : ''}/${name}`;
    const bucket = this.bucket(type);
    const old = bucket.get(key);
    if (old === undefined) throw notFound(target(type, name));
    const m = meta(old);
    if (pre.uid !== undefined && pre.uid !== m['uid']) {
      throw conflict(target(type, name), `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(m['uid'])}`);
    }
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== m['resourceVersion']) {
      throw conflict(target(type, name), `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${String(m['resourceVersion'])}`);
    }
    if (strings(m['finalizers']).length > 0) {
      if (m['deletionTimestamp'] !== undefined) return clone(old);
      const marked = clone(old);
      const mm = meta(marked);
      mm['deletionTimestamp'] = timestamp(this.opts.now());
      // Graceful deletion is a Pod's: the kubelet reads the period here. Other kinds get 0.
      const spec = marked['spec'];
      const own = isObject(spec) && typeof spec['terminationGracePeriodSeconds'] === 'number' ? spec['terminationGracePeriodSeconds'] : 30;
      mm['deletionGracePeriodSeconds'] = isPod(type) ? (pre.gracePeriodSeconds ?? own) : 0;
      this.stamp(marked);
      bucket.set(key, marked);
      this.emit(type, 'MODIFIED', marked, old);
      return clone(marked);
    }
    if (type.group === '' && type.plural === 'namespaces') this.dropNamespaceContents(name);
    bucket.delete(key);
    const gone = clone(old);
    this.stamp(gone);
    this.emit(type, 'DELETED', gone);
    return clone(gone);
  }

  /** Kubernetes empties a namespace before it goes; finalizers of its contents are not waited for here. */
  private dropNamespaceContents(ns: string): void {
    for (const [resource, bucket] of this.objects) {
      for (const [key, obj] of [...bucket]) {
        if (!key.startsWith(`${ns}/`)) continue;
        bucket.delete(key);
        const gone = clone(obj);
        this.stamp(gone);
        const event: StoredEvent = { type: 'DELETED', resource, resourceVersion: this.rv, object: gone };
        this.history.append(event);
        for (const l of [...this.listeners]) l(event);
      }
    }
  }

  /** Removes every object of a type (its CRD went away), each with a DELETED event. */
  dropType(type: ResourceType): void {
    const bucket = this.bucket(type);
    for (const [key, obj] of [...bucket]) {
      bucket.delete(key);
      const gone = clone(obj);
      this.stamp(gone);
      this.emit(type, 'DELETED', gone);
    }
  }
}

const isPod = (type: ResourceType): boolean => type.group === '' && type.plural === 'pods';
