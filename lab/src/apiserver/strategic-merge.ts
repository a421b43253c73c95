// Strategic merge patch, the Kubernetes dialect of merge patch for built-in kinds: lists
// merge by their merge key(s) per a per-kind table, and `$patch`, `$retainKeys`,
// `$deleteFromPrimitiveList/…` and `$setElementOrder/…` directives are honoured.

import { clone, deepEqual, isObject, type Json, type JsonObject } from './json.js';

export class StrategicMergeError extends Error {
  override readonly name = 'StrategicMergeError';
  constructor(message: string) {
    super(`strategic-merge: ${message}`);
  }
}

/** How one list field merges: by merge keys, as a set of primitives, or replaced whole. */
export type ListStrategy = { readonly mergeKeys: readonly string[] } | 'set' | 'replace';

/**
 * Keyed by the dotted field path with `[]` after a list, e.g. `spec.containers[].ports`.
 * Lists not named here are atomic (replaced), as for fields without a patchStrategy.
 */
export type PatchMeta = Readonly<Record<string, ListStrategy>>;

/** Values a merge key takes when absent, so `{port: 80}` matches `{port: 80, protocol: TCP}`. */
const KEY_DEFAULTS: Readonly<Record<string, Json>> = { protocol: 'TCP' };

const DELETE_FROM = '$deleteFromPrimitiveList/';
const SET_ORDER = '$setElementOrder/';

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function keyValue(el: JsonObject, key: string): Json | undefined {
  return el[key] ?? KEY_DEFAULTS[key];
}

function sameKeys(a: JsonObject, b: JsonObject, keys: readonly string[]): boolean {
  return keys.every((k) => deepEqual(keyValue(a, k), keyValue(b, k)));
}

/** Returns undefined when the patch deletes the whole map (`$patch: delete`). */
function mergeMap(original: JsonObject, patch: JsonObject, path: string, meta: PatchMeta): JsonObject | undefined {
  const directive = patch['$patch'];
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'replace' && directive !== 'merge') {
    throw new StrategicMergeError(`unknown $patch directive ${JSON.stringify(directive)} at ${path || '<root>'}`);
  }
  const result: JsonObject = directive === 'replace' ? {} : { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      if (!Array.isArray(value)) throw new StrategicMergeError(`${key} at ${path || '<root>'} must be a list`);
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((x) => !value.some((v) => deepEqual(v, x)));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const here = child(path, key);
    const existing = result[key];
    if (isObject(value)) {
      const merged = mergeMap(isObject(existing) ? existing : {}, value, here, meta);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = mergeList(Array.isArray(existing) ? existing : [], value, `${here}[]`, meta[here] ?? 'replace', meta);
    } else {
      result[key] = value;
    }
  }
  const retain = patch['$retainKeys'];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new StrategicMergeError(`$retainKeys at ${path || '<root>'} must be a list`);
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

function mergeList(original: Json[], patch: Json[], path: string, strategy: ListStrategy, meta: PatchMeta): Json[] {
  if (strategy === 'replace') return stripDirectives(patch, path, meta);
  if (patch.some((el) => isObject(el) && el['$patch'] === 'replace')) {
    return stripDirectives(patch.filter((el) => !(isObject(el) && el['$patch'] === 'replace')), path, meta);
  }
  if (strategy === 'set') {
    const result = [...original];
    for (const el of patch) if (!result.some((x) => deepEqual(x, el))) result.push(el);
    return result;
  }
  const keys = strategy.mergeKeys;
  let result = [...original];
  for (const el of patch) {
    if (!isObject(el)) {
      if (!result.some((x) => deepEqual(x, el))) result.push(el);
      continue;
    }
    if (keys.every((k) => keyValue(el, k) === undefined)) {
      throw new StrategicMergeError(`list element at ${path} has none of its merge keys (${keys.join(', ')})`);
    }
    if (el['$patch'] === 'delete') {
      result = result.filter((x) => !(isObject(x) && sameKeys(x, el, keys)));
      continue;
    }
    const at = result.findIndex((x) => isObject(x) && sameKeys(x, el, keys));
    const base = at >= 0 ? (result[at] as JsonObject) : {};
    const merged = mergeMap(base, el, path, meta);
    if (merged === undefined) {
      if (at >= 0) result.splice(at, 1);
    } else if (at >= 0) result[at] = merged;
    else result.push(merged);
  }
  return result;
}

/** A value taken whole from a patch still must not carry directives into the object. */
function stripDirectives(list: Json[], path: string, meta: PatchMeta): Json[] {
  return list.map((el) => (isObject(el) ? (mergeMap({}, el, path, meta) ?? {}) : el));
}

export function applyStrategicMergePatch(target: JsonObject, patch: Json, meta: PatchMeta): JsonObject {
  if (!isObject(patch)) throw new StrategicMergeError('a strategic merge patch must be a JSON object');
  return mergeMap(clone(target), patch, '', meta) ?? {};
}
