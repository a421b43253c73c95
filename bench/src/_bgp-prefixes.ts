// The /32s the bgp benchmark announces: consecutive addresses from 198.18.64.0 up, which stays
// inside the lab's 198.18.0.0/15 and clear of its fabric (198.18.0.0/24) and mgmt (198.19.255.0/24).

const FIRST = ((198 << 24) | (18 << 16) | (64 << 8)) >>> 0;
/** 198.19.255.0, the mgmt network: the range stops below it. */
const LIMIT = ((198 << 24) | (19 << 16) | (255 << 8)) >>> 0;

/** How many /32s the range holds (198.18.64.0 .. 198.19.254.255). */
export const BENCH_PREFIX_CAPACITY = LIMIT - FIRST;

export class BenchPrefixError extends Error {
  override readonly name = 'BenchPrefixError';
}

function dotted(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** The first `count` /32s of the range, as "a.b.c.d/32". */
export function benchPrefixes(count: number): string[] {
  if (!Number.isInteger(count) || count < 0 || count > BENCH_PREFIX_CAPACITY) {
    throw new BenchPrefixError(`bgp-prefixes: count ${String(count)} is not an integer 0..${BENCH_PREFIX_CAPACITY}`);
  }
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = `${dotted(FIRST + i)}/32`;
  return out;
}
