// UPDATE encode and decode rates in isolation (no sockets): the 100,000 /32s packed the way a
// session sends them, and single-prefix UPDATEs with every attribute Headland uses.

import {
  classicContext,
  decodeMessage,
  modernContext,
  packUpdates,
  parsePrefix,
  serializeMessage,
  validateUpdate,
  type Announcement,
  type PathAttribute,
  type UpdateMessage,
  type WireContext,
} from 'bgp-speaker-ts';
import { benchPrefixes } from './_bgp-prefixes.js';

export interface CodecFigure {
  readonly case: string;
  readonly messages: number;
  readonly prefixes: number;
  readonly encodeMs: number;
  readonly decodeMs: number;
}

const ebgpPath: PathAttribute[] = [
  { type: 'origin', value: 'igp' },
  { type: 'as-path', value: [{ type: 'sequence', asns: [64513] }] },
];

const richPath: PathAttribute[] = [
  ...ebgpPath,
  { type: 'multi-exit-disc', value: 20 },
  { type: 'communities', value: [0xfc000064, 0xffffff01] },
  { type: 'extended-communities', value: [{ kind: 'link-bandwidth', asn: 64513, bytesPerSecond: 1_250_000 }] },
  { type: 'large-communities', value: [{ global: 64513, local1: 1, local2: 2 }] },
];

const peer = (ctx: WireContext) => ({ external: true, peerAs: 64513, enforceFirstAs: true, fourOctetAs: ctx.fourOctetAs });

/** Encode = pack + serialize (what a session does per flush); decode = decode + validate (per UPDATE received). */
function measure(name: string, build: () => UpdateMessage[], ctx: WireContext): CodecFigure {
  const e0 = performance.now();
  const messages = build();
  const wire = messages.map((m) => serializeMessage(m, ctx));
  const encodeMs = performance.now() - e0;
  const d0 = performance.now();
  let prefixes = 0;
  for (const bytes of wire) {
    const [message] = decodeMessage(bytes, 0, ctx);
    if (message.type !== 'update') throw new Error(`bgp-codec: ${name} decoded to ${message.type}`);
    prefixes += validateUpdate(message, peer(ctx)).announce.length;
  }
  const decodeMs = performance.now() - d0;
  return { case: name, messages: wire.length, prefixes, encodeMs, decodeMs };
}

function packed(count: number, ctx: WireContext): () => UpdateMessage[] {
  const announce: Announcement[] = benchPrefixes(count).map((p) => ({ prefix: parsePrefix(p), nextHop: '198.18.0.2', attributes: ebgpPath }));
  return () => packUpdates({ announce, withdraw: [], endOfRib: [] }, ctx).filter((m) => m.nlri.length > 0);
}

function single(count: number): () => UpdateMessage[] {
  const prefixes = benchPrefixes(count).map(parsePrefix);
  const nextHop: PathAttribute = { type: 'next-hop', value: '198.18.0.2' };
  return () => prefixes.map((p) => ({ type: 'update', withdrawn: [], attributes: [...richPath, nextHop], nlri: [p] }));
}

/** Each case `rounds` times; the median round by total time is reported (the first warms the JIT). */
export function codecFigures(rounds: number): CodecFigure[] {
  const cases: [string, () => UpdateMessage[], WireContext][] = [
    ['update-packed-100k-4k', packed(100_000, classicContext), classicContext],
    ['update-packed-100k-64k', packed(100_000, modernContext), modernContext],
    ['update-single-prefix-50k', single(50_000), modernContext],
  ];
  return cases.map(([name, build, ctx]) => {
    const all = Array.from({ length: rounds }, () => measure(name, build, ctx));
    const sorted = all.sort((a, b) => a.encodeMs + a.decodeMs - (b.encodeMs + b.decodeMs));
    return sorted[Math.floor(sorted.length / 2)]!;
  });
}
