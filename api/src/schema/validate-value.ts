// Small helpers validate.ts needs for values of unknown shape: field paths in Kubernetes
// notation, values quoted for messages, and a deep copy that survives YAML alias cycles.

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field paths as Kubernetes prints them: spec.addresses[0], spec.matchLabels[app]. */
export const fieldPath = {
  child: (path: string, name: string): string => (path === '' ? name : `${path}.${name}`),
  index: (path: string, i: number): string => `${path}[${i}]`,
  key: (path: string, key: string): string => `${path}[${key}]`,
};

/** A value as a message shows it: strings quoted, scalars as written, containers by kind. */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'object':
      return 'object';
    default:
      return typeof value;
  }
}

/**
 * A deep copy of plain objects and arrays; other values are shared. Shared and cyclic
 * references (YAML anchors can make both) keep their shape instead of recursing forever.
 */
export function cloneJson<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copy(item, seen));
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) {
    // defineProperty, because assigning a "__proto__" key would set the prototype instead.
    Object.defineProperty(out, k, { value: copy(v, seen), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
