// Reading one Kubernetes object of unknown shape: typed field access that records a problem
// (with the field path) instead of throwing, so one bad object never stops the others.
import type { ModelProblem } from './types.js';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  if (text === undefined) return String(v);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

export class ObjectReader {
  readonly problems: ModelProblem[] = [];
  object = '?';

  constructor(
    private readonly module: string,
    readonly kind: ModelProblem['kind'],
  ) {}

  problem(path: string, detail: string): void {
    this.problems.push({ kind: this.kind, object: this.object, path, message: `${this.module}: ${this.kind} ${this.object}: ${path} ${detail}` });
  }

  /** An optional object field: absent or null reads as {}; any other non-object is a problem. */
  optObj(v: unknown, path: string): Obj {
    if (v === undefined || v === null) return {};
    if (isObj(v)) return v;
    this.problem(path, `must be an object, not ${show(v)}`);
    return {};
  }

  optList(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.problem(path, `must be a list, not ${show(v)}`);
    return [];
  }

  /** A required non-empty string; undefined (and a problem) otherwise. */
  str(v: unknown, path: string): string | undefined {
    if (typeof v === 'string' && v !== '') return v;
    this.problem(path, `must be a non-empty string, not ${show(v)}`);
    return undefined;
  }

  optStr(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    this.problem(path, `must be a string, not ${show(v)}`);
    return undefined;
  }

  optBool(v: unknown, path: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    this.problem(path, `must be true or false, not ${show(v)}`);
    return undefined;
  }

  /** A string map (labels, annotations); entries with non-string values are dropped. */
  strings(v: unknown, path: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.optObj(v, path))) {
      if (typeof value === 'string') out[key] = value;
      else this.problem(`${path}[${JSON.stringify(key)}]`, `must be a string, not ${show(value)}`);
    }
    return out;
  }
}

/** metadata.namespace/name (namespace optional for cluster-scoped kinds). */
export function readMeta(r: ObjectReader, obj: unknown, namespaced: boolean): { namespace: string; name: string; meta: Obj } | undefined {
  if (!isObj(obj)) {
    r.problem('(object)', `must be an object, not ${show(obj)}`);
    return undefined;
  }
  const meta = r.optObj(obj['metadata'], 'metadata');
  const rawName = meta['name'];
  const rawNamespace = meta['namespace'];
  r.object = namespaced ? `${typeof rawNamespace === 'string' ? rawNamespace : '?'}/${typeof rawName === 'string' ? rawName : '?'}` : typeof rawName === 'string' ? rawName : '?';
  const name = r.str(rawName, 'metadata.name');
  const namespace = namespaced ? r.str(rawNamespace, 'metadata.namespace') : '';
  if (name === undefined || namespace === undefined) return undefined;
  return { namespace, name, meta };
}
