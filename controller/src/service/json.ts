// Small readers for Service JSON of unknown shape: every check returns what was wrong as a
// sentence instead of throwing, so a malformed object becomes an InvalidRequest, not a crash.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function where(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** A map of strings (labels, annotations, a selector); absent is empty; else what is wrong. */
export function readStringMap(value: unknown, path: string): Record<string, string> | string {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return `${path} must be a map of strings, not ${describe(value)}`;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') return `${path}[${JSON.stringify(key)}] must be a string, not ${describe(v)}`;
    out[key] = v;
  }
  return out;
}
