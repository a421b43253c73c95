// Reading the few fields of Kubernetes objects the reconcilers need, from plain JSON that may
// be malformed; nothing here throws.
export type Json = Record<string, unknown>;

export const MERGE_PATCH = 'application/merge-patch+json';

export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function field(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

export function str(obj: unknown, ...path: string[]): string | undefined {
  const v = field(obj, ...path);
  return typeof v === 'string' ? v : undefined;
}

export function labelsOf(obj: unknown, which: 'labels' | 'annotations' = 'labels'): Record<string, string> {
  const m = field(obj, 'metadata', which);
  if (!isRecord(m)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'string') out[k] = v;
  return out;
}

export interface ObjectKey {
  readonly namespace: string;
  readonly name: string;
}

/** "namespace/name", or undefined for an object without a name. */
export function keyOf(obj: unknown): string | undefined {
  const name = str(obj, 'metadata', 'name');
  if (name === undefined || name === '') return undefined;
  return `${str(obj, 'metadata', 'namespace') ?? ''}/${name}`;
}

export function splitKey(key: string): ObjectKey {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** Milliseconds since the epoch of metadata.creationTimestamp; unparseable sorts last. */
export function createdAt(obj: unknown): number {
  const t = Date.parse(str(obj, 'metadata', 'creationTimestamp') ?? '');
  return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t;
}

export interface InvolvedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { namespace?: string; name?: string; uid?: string; resourceVersion?: string };
}

/** The reference an Event needs, from an object's own apiVersion, kind and metadata. */
export function involvedObject(obj: unknown): InvolvedObject {
  const metadata: { namespace?: string; name?: string; uid?: string; resourceVersion?: string } = {};
  for (const k of ['namespace', 'name', 'uid', 'resourceVersion'] as const) {
    const v = field(obj, 'metadata', k);
    if (typeof v === 'string') metadata[k] = v;
  }
  return { apiVersion: str(obj, 'apiVersion') ?? 'v1', kind: str(obj, 'kind') ?? '', metadata };
}
