// Names as the real controllers make them: pod-template-hash (FNV-32a rendered with
// SafeEncodeString's alphabet) over a canonical JSON of the template and the collision count.

/** k8s.io/apimachinery/pkg/util/rand's alphabet: no vowels, no look-alikes. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so equal templates hash equal whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** rand.SafeEncodeString: each character of the decimal number mapped into the alphabet. */
export function safeEncode(text: string): string {
  return [...text].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]!).join('');
}

/**
 * controller.ComputeHash's shape: FNV-32a of the template (and the collision count when set),
 * safe-encoded. Not byte-identical to kube-controller-manager, which hashes a Go struct dump.
 */
export function templateHash(template: unknown, collisionCount?: number): string {
  const suffix = collisionCount === undefined ? '' : `#${collisionCount}`;
  return safeEncode(String(fnv32a(canonicalJson(template) + suffix)));
}
