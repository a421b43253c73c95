// Plain JSON values and the few helpers every other module needs on them: type guard,
// deep copy and deep equality (key order ignored, as Kubernetes compares objects).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function clone<T extends Json>(v: T): T {
  return structuredClone(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Walks an object along `path`, returning undefined where a step is missing or not an object. */
export function getPath(obj: unknown, path: readonly string[]): Json | undefined {
  let cur: unknown = obj;
  for (const step of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[step];
  }
  return cur as Json | undefined;
}

/** The object at `path`, created (as empty objects) where missing. */
export function ensureObject(obj: JsonObject, path: readonly string[]): JsonObject {
  let cur = obj;
  for (const step of path) {
    const next = cur[step];
    if (isObject(next)) cur = next;
    else {
      const made: JsonObject = {};
      cur[step] = made;
      cur = made;
    }
  }
  return cur;
}
