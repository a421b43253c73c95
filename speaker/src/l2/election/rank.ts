// Rendezvous ranks: how much an IP "wants" a node, the same number on every speaker. Names and
// IPs are hashed once with SHA-256; a pair's rank mixes the two digests (M + N digests, not M x N).
import { createHash } from 'node:crypto';

/** Two 32-bit words of a SHA-256 digest: enough entropy for ranks, cheap to mix. */
export interface Digest {
  readonly hi: number;
  readonly lo: number;
}

const digests = new Map<string, Digest>();
const DIGEST_CACHE_LIMIT = 100_000;

/** The digest of a name or IP, cached: the same names come back on every election. */
export function digestOf(text: string): Digest {
  const cached = digests.get(text);
  if (cached !== undefined) return cached;
  const bytes = createHash('sha256').update(text, 'utf8').digest();
  const digest = { hi: bytes.readUInt32BE(0), lo: bytes.readUInt32BE(4) };
  // A long-lived speaker sees IPs and nodes come and go; forgetting everything now and then
  // bounds the memory and costs one rehash per name.
  if (digests.size >= DIGEST_CACHE_LIMIT) digests.clear();
  digests.set(text, digest);
  return digest;
}

/** MurmurHash3's finaliser: a bijection on 32 bits where every input bit flips half the output. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 53-bit rank (a safe integer), uniform and independent across nodes for one key. */
export function rankOf(key: Digest, node: Digest): number {
  const high = fmix32(key.hi ^ node.hi);
  const low = fmix32(key.lo ^ node.lo ^ high);
  return high * 2 ** 21 + (low >>> 11);
}

/** Higher rank first; equal ranks (about 1 in 2^53) fall back to the node name, so order is total. */
export function compareRanked(a: { readonly rank: number; readonly node: string }, b: { readonly rank: number; readonly node: string }): number {
  if (a.rank !== b.rank) return b.rank - a.rank;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}
