// The BFD decoder fuzz loop: random and mutated datagrams from a seeded PRNG, so a failure can be
// replayed. Its properties: decoding returns a packet or throws BfdWireError, nothing else, and
// a decoded packet re-encodes to the octets it came from (the ignored Reserved octet aside).

import { toHex } from '../wire/bytes.js';
import { seededRandom } from '../wire/fuzz.js';
import type { BfdAuthSection } from './auth-section.js';
import { decodeControl, serializeControl, type BfdControlPacket } from './codec.js';
import { BfdWireError } from './errors.js';

const base: BfdControlPacket = {
  diag: 0,
  state: 'Down',
  poll: false,
  final: false,
  controlPlaneIndependent: false,
  demand: false,
  detectMult: 3,
  myDiscriminator: 0x11223344,
  yourDiscriminator: 0,
  desiredMinTxUs: 1_000_000,
  requiredMinRxUs: 300_000,
  requiredMinEchoRxUs: 0,
};

const auths: BfdAuthSection[] = [
  { type: 'simple-password', keyId: 1, password: Uint8Array.of(0x73, 0x65, 0x63, 0x72, 0x65, 0x74) },
  { type: 'keyed-md5', keyId: 2, sequence: 7, digest: new Uint8Array(16).fill(0xab) },
  { type: 'meticulous-keyed-sha1', keyId: 3, sequence: 0xfffffffe, digest: new Uint8Array(20).fill(0xcd) },
  { type: 'unknown', code: 9, data: Uint8Array.of(1, 2, 3, 4) },
];

/** Valid packets touching every field and auth section kind, mutated by the loop. */
export function bfdFuzzCorpus(): BfdControlPacket[] {
  return [
    base,
    { ...base, state: 'Init', yourDiscriminator: 0x55667788, poll: true },
    { ...base, state: 'Up', yourDiscriminator: 1, final: true, demand: true, controlPlaneIndependent: true, diag: 31, detectMult: 255 },
    { ...base, state: 'AdminDown', diag: 7, requiredMinEchoRxUs: 50_000 },
    ...auths.map((auth) => ({ ...base, auth })),
  ];
}

export interface BfdFuzzReport {
  readonly iterations: number;
  readonly decoded: number;
  readonly rejected: number;
}

const interesting = [0, 1, 2, 3, 0x04, 0x18, 0x19, 0x1a, 0x1f, 0x20, 0x21, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xfe, 0xff];

function mutate(seed: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(random() * n);
  const mode = pick(6);
  if (mode === 0) {
    // Random octets behind a plausible first word, so the later checks are reached now and then.
    const out = new Uint8Array(pick(64));
    for (let i = 0; i < out.length; i++) out[i] = pick(256);
    if (out.length >= 4 && random() < 0.7) {
      out[0] = 0x20 | (pick(256) & 0x1f);
      out[3] = random() < 0.5 ? out.length : 24 + pick(40);
    }
    return out;
  }
  if (mode === 1) return seed.slice(0, pick(seed.length + 1));
  if (mode === 2) {
    // Padding past Length, or a Length pointing past the datagram.
    const out = new Uint8Array(seed.length + 1 + pick(16));
    out.set(seed);
    if (random() < 0.5) out[3] = Math.min(255, seed.length + pick(out.length - seed.length + 2));
    return out;
  }
  const bytes = seed.slice();
  const edits = 1 + pick(3);
  for (let i = 0; i < edits; i++) {
    // The first word and the auth section hold most of the rules: hit them more often.
    const at = random() < 0.5 ? pick(4) : random() < 0.5 ? 24 + pick(Math.max(1, bytes.length - 24)) : pick(bytes.length);
    if (at >= bytes.length) continue;
    bytes[at] = mode === 3 ? pick(256) : mode === 4 ? (interesting[pick(interesting.length)] ?? 0) : (bytes[at] ?? 0) ^ (1 << pick(8));
  }
  return bytes;
}

/** Decodes one input; true if it decoded. Throws if anything but BfdWireError escapes or re-encoding differs. */
function exercise(input: Uint8Array): boolean {
  let packet: BfdControlPacket;
  let next: number;
  try {
    [packet, next] = decodeControl(input);
  } catch (error) {
    if (error instanceof BfdWireError) return false;
    throw error;
  }
  const again = serializeControl(packet);
  const expected = input.slice(0, next);
  // The Reserved octet of MD5/SHA1 sections is ignored on receipt and sent as zero.
  if (packet.auth && packet.auth.type !== 'simple-password' && packet.auth.type !== 'unknown') expected[27] = 0;
  if (again.length !== next || again.some((b, i) => b !== expected[i])) throw new Error(`re-encoded as ${toHex(again)}`);
  return true;
}

/** Runs `iterations` inputs from `seed`; throws, with the input in hex, on the first failure. */
export function fuzzBfdDecode(iterations: number, seed: number): BfdFuzzReport {
  const random = seededRandom(seed);
  const seeds = bfdFuzzCorpus().map(serializeControl);
  let decoded = 0;
  for (let i = 0; i < iterations; i++) {
    const input = mutate(seeds[Math.floor(random() * seeds.length)] ?? new Uint8Array(0), random);
    try {
      if (exercise(input)) decoded++;
    } catch (error) {
      throw new Error(`bfd fuzz: iteration ${i} (seed ${seed}) failed: ${String(error)}; input ${toHex(input)}`, { cause: error });
    }
  }
  return { iterations, decoded, rejected: iterations - decoded };
}
