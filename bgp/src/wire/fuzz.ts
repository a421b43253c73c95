// The decoder fuzz loop: random and mutated messages, from a seeded PRNG so a failure can
// be replayed. Its one property: decoding returns a value or throws BgpWireError, nothing else.

import { classicContext, modernContext, type WireContext } from './context.js';
import { BgpWireError } from './errors.js';
import { decodeMessage, serializeMessage, type BgpMessage } from './message.js';
import { parsePrefix } from './nlri.js';
import { validateUpdate } from './validate-update.js';
import { validateOpen } from './validate-open.js';
import { MessageFramer } from './framer.js';

/** mulberry32: small, fast, and good enough to spread mutations. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Valid messages touching every codec, mutated by the fuzz loop. */
export function fuzzCorpus(): BgpMessage[] {
  const v4 = ['203.0.113.0/24', '203.0.113.128/25', '198.18.0.0/15'].map(parsePrefix);
  const v6 = ['2001:db8::/32', '2001:db8:1::/48', '2001:db8:2:3::/64'].map(parsePrefix);
  return [
    {
      type: 'open',
      myAs: 64512,
      holdTime: 90,
      identifier: '198.18.0.1',
      capabilities: [
        { type: 'multiprotocol', afi: 1, safi: 1 },
        { type: 'multiprotocol', afi: 2, safi: 1 },
        { type: 'route-refresh' },
        { type: 'route-refresh-cisco' },
        { type: 'enhanced-route-refresh' },
        { type: 'extended-message' },
        { type: 'four-octet-as', asn: 4200000000 },
        { type: 'graceful-restart', restarting: true, notification: true, restartTime: 120, families: [{ afi: 1, safi: 1, forwardingPreserved: true }] },
        { type: 'unknown', code: 73, value: Uint8Array.of(4, 0x6e, 0x6f, 0x64, 0x65, 0) },
      ],
    },
    {
      type: 'update',
      withdrawn: [v4[2]!],
      attributes: [
        { type: 'origin', value: 'igp' },
        { type: 'as-path', value: [{ type: 'sequence', asns: [64512, 65001] }, { type: 'set', asns: [65002, 65003] }] },
        { type: 'next-hop', value: '198.18.0.1' },
        { type: 'multi-exit-disc', value: 10 },
        { type: 'local-pref', value: 100 },
        { type: 'atomic-aggregate', value: true },
        { type: 'aggregator', value: { asn: 64512, address: '198.18.0.1' } },
        { type: 'communities', value: [0xfde80064, 0xffffff01] },
        { type: 'extended-communities', value: [{ kind: 'link-bandwidth', asn: 64512, bytesPerSecond: 125000 }, { kind: 'route-target', format: 'as2', asn: 64512, local: 7 }] },
        { type: 'as4-path', value: [{ type: 'sequence', asns: [4200000000] }] },
        { type: 'as4-aggregator', value: { asn: 4200000000, address: '198.18.0.1' } },
        { type: 'large-communities', value: [{ global: 4200000000, local1: 1, local2: 2 }] },
        { type: 'unknown', code: 99, flags: 0xc0, value: Uint8Array.of(1, 2, 3) },
      ],
      nlri: [v4[0]!, v4[1]!],
    },
    {
      type: 'update',
      withdrawn: [],
      attributes: [
        { type: 'mp-reach', value: { family: 'ipv6', nextHop: '2001:db8::1', linkLocalNextHop: 'fe80::1', nlri: v6 } },
        { type: 'mp-unreach', value: { family: 'ipv6', withdrawn: [v6[0]!] } },
        { type: 'origin', value: 'incomplete' },
        { type: 'as-path', value: [{ type: 'confed-sequence', asns: [65010] }, { type: 'sequence', asns: [64512] }] },
      ],
      nlri: [],
    },
    { type: 'notification', code: 6, subcode: 2, data: Uint8Array.of(3, 0x62, 0x79, 0x65) },
    { type: 'keepalive' },
    { type: 'route-refresh', afi: 2, safi: 1, subtype: 1 },
  ];
}

export interface FuzzReport {
  readonly iterations: number;
  /** Inputs that decoded to a message. */
  readonly decoded: number;
  /** Inputs rejected with a BgpWireError. */
  readonly rejected: number;
}

const interesting = [0, 1, 2, 3, 4, 0x0f, 0x10, 0x1f, 0x20, 0x40, 0x7f, 0x80, 0xc0, 0xe0, 0xfe, 0xff];

function mutate(seed: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  const bytes = seed.slice();
  const mode = pick(6);
  if (mode === 0) {
    // Entirely random body behind a valid marker, so the header checks are passed now and then.
    const out = new Uint8Array(19 + pick(80));
    out.fill(0xff, 0, 16);
    for (let i = 16; i < out.length; i++) out[i] = pick(256);
    if (random() < 0.7) {
      out[16] = out.length >>> 8;
      out[17] = out.length & 0xff;
      out[18] = 1 + pick(5);
    }
    return out;
  }
  if (mode === 1) return bytes.subarray(0, pick(bytes.length + 1));
  const edits = 1 + pick(4);
  for (let i = 0; i < edits; i++) {
    // Past the header, except now and then, so most inputs reach the body decoders.
    const at = random() < 0.9 ? 19 + pick(Math.max(1, bytes.length - 19)) : pick(bytes.length);
    if (at >= bytes.length) continue;
    bytes[at] = mode === 2 ? pick(256) : mode === 3 ? (interesting[pick(interesting.length)] ?? 0) : (bytes[at] ?? 0) ^ (1 << pick(8));
  }
  return bytes;
}

/** Decodes, validates and re-encodes one input; anything but BgpWireError escapes. */
function exercise(bytes: Uint8Array, ctx: WireContext): boolean {
  try {
    const [message] = decodeMessage(bytes, 0, ctx);
    if (message.type === 'update') {
      validateUpdate(message, { external: true, peerAs: 64512, enforceFirstAs: true, fourOctetAs: ctx.fourOctetAs });
    }
    if (message.type === 'open') validateOpen(message, { localAs: 64512, localIdentifier: '198.18.0.2', peerAs: undefined });
    serializeMessage(message, ctx);
    return true;
  } catch (error) {
    if (error instanceof BgpWireError) return false;
    throw error;
  }
}

/**
 * Runs `iterations` inputs from `seed`; throws (with the input in hex) if anything other
 * than BgpWireError escapes, or if re-encoding a decoded message fails.
 */
export function fuzzDecode(iterations: number, seed: number): FuzzReport {
  const random = seededRandom(seed);
  const seeds = fuzzCorpus().flatMap((m) => [classicContext, modernContext].map((ctx) => ({ bytes: serializeMessage(m, ctx), ctx })));
  let decoded = 0;
  for (let i = 0; i < iterations; i++) {
    const chosen = seeds[Math.floor(random() * seeds.length)]!;
    const input = mutate(chosen.bytes, random);
    try {
      if (exercise(input, chosen.ctx)) decoded++;
      if (i % 64 === 0) new MessageFramer(chosen.ctx).push(input);
    } catch (error) {
      if (error instanceof BgpWireError) continue;
      const hex = Array.from(input, (b) => b.toString(16).padStart(2, '0')).join('');
      throw new Error(`fuzz: iteration ${i} (seed ${seed}) escaped with ${String(error)}; input ${hex}`, { cause: error });
    }
  }
  return { iterations, decoded, rejected: iterations - decoded };
}
