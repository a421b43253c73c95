// The Service registry's allocation steps for one request, in kube-apiserver's order: normalise,
// allocate, clear what the type no longer uses, validate; anything taken is given back on failure.

import type { ApiError } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import type { ServiceAllocator } from './allocator.js';
import { allocClusterIPs, releaseClusterIPs, updateClusterIPs } from './cluster-ips.js';
import { invalidFailure, toApiError, type Failure } from './failures.js';
import { initIPFamilyFields } from './ip-families.js';
import { allocNodePortsOnCreate, releaseNodePorts, updateNodePortsOnUpdate } from './node-ports.js';
import { applyDecodeDefaults, defaultOnRead, dropTypeDependentFields, normalizeClusterIPs, patchAllocatedValues } from './normalize.js';
import { readService, writeService, type SpecView } from './spec.js';
import { Transaction } from './txn.js';
import { validateCreate, validateUpdate } from './validate.js';

/** The Service to store and the transaction to commit once it is stored (or revert if storing fails). */
export type AllocResult = { ok: true; service: JsonObject; txn: Transaction } | { ok: false; error: ApiError };

function finish(txn: Transaction, name: string, failure: Failure | undefined, out: () => JsonObject): AllocResult {
  if (failure !== undefined) {
    txn.revert();
    return { ok: false, error: toApiError(name, failure) };
  }
  return { ok: true, service: out(), txn };
}

function validated(errors: ReturnType<typeof validateCreate>): Failure | undefined {
  return errors.length > 0 ? invalidFailure(errors) : undefined;
}

/** beginCreate, PrepareForCreate and the allocation checks of Validate, for an admitted (defaulted) Service. */
export function onCreate(alloc: ServiceAllocator, obj: JsonObject): AllocResult {
  const view = readService(obj);
  const s = view.spec;
  applyDecodeDefaults(s);
  normalizeClusterIPs(s, undefined);
  const txn = new Transaction(alloc);
  const failure =
    initIPFamilyFields(alloc, s, undefined) ?? allocClusterIPs(txn, s) ?? allocNodePortsOnCreate(txn, s) ?? validated(validateCreate(s));
  return finish(txn, view.name, failure, () => {
    const out = writeService(obj, view);
    out['status'] = { loadBalancer: {} };
    return out;
  });
}

/**
 * beginUpdate, PrepareForUpdate and the allocation checks of ValidateUpdate. `obj` is the new object
 * with the old status already carried over (the store does that); `old` is the stored one.
 */
export function onUpdate(alloc: ServiceAllocator, old: JsonObject, obj: JsonObject): AllocResult {
  const before: SpecView = readService(old).spec;
  defaultOnRead(before, alloc);
  const view = readService(obj);
  const s = view.spec;
  applyDecodeDefaults(s);
  patchAllocatedValues(s, before);
  normalizeClusterIPs(s, before);
  const txn = new Transaction(alloc);
  let failure = initIPFamilyFields(alloc, s, before) ?? updateClusterIPs(txn, s, before) ?? updateNodePortsOnUpdate(txn, s, before);
  if (failure === undefined) {
    dropTypeDependentFields(s, before);
    failure = validated(validateUpdate(s, before));
  }
  return finish(txn, view.name, failure, () => {
    const out = writeService(obj, view);
    // Load-balancer status means nothing once the Service is no LoadBalancer.
    if (s.type !== 'LoadBalancer') out['status'] = { ...(isObject(out['status']) ? out['status'] : {}), loadBalancer: {} };
    return out;
  });
}

/** afterDelete: frees everything the Service held; returns it as the delete response shows it. */
export function onDelete(alloc: ServiceAllocator, obj: JsonObject): JsonObject {
  const view = readService(obj);
  defaultOnRead(view.spec, alloc);
  releaseClusterIPs(alloc, view.spec);
  releaseNodePorts(alloc, view.spec);
  return writeService(obj, view);
}

/** The Decorator on reads: Services stored before dual-stack show ipFamilies and ipFamilyPolicy. */
export function decorateOnRead(alloc: ServiceAllocator, obj: JsonObject): JsonObject {
  const view = readService(obj);
  defaultOnRead(view.spec, alloc);
  return writeService(obj, view);
}
