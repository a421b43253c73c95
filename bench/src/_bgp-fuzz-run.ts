// The fuzz loop of `npm run bench -- bgp-fuzz`: mutated valid messages (the codec's corpus,
// messages captured from FRR, BIRD and GoBGP, packed tables) through the decoder, the UPDATE and
// OPEN validators, re-encoding and the stream framer. Outcomes are counted; anything thrown
// that is not a BgpWireError stops the run as a FuzzEscape carrying the input.

import { readFileSync } from 'node:fs';
import {
  BgpWireError,
  MessageFramer,
  classicContext,
  decodeMessage,
  endOfRibMarker,
  fuzzCorpus,
  hex,
  modernContext,
  notificationName,
  packUpdates,
  parsePrefix,
  seededRandom,
  serializeMessage,
  validateOpen,
  validateUpdate,
  type WireContext,
} from 'bgp-speaker-ts';
import { mutate, type Mutation } from './_bgp-mutate.js';
import { benchPrefixes } from './_bgp-prefixes.js';

export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly ctx: WireContext;
}

export type Stage = 'decode' | 'validate-update' | 'validate-open' | 'reencode' | 'framer';

export class FuzzEscape extends Error {
  override readonly name = 'FuzzEscape';
  constructor(
    readonly iteration: number,
    readonly seed: number,
    readonly stage: Stage,
    readonly mutation: Mutation,
    readonly input: Uint8Array,
    readonly error: unknown,
  ) {
    super(`bgp-fuzz: iteration ${iteration} (seed ${seed}, ${mutation}) escaped ${stage} with ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

export interface FuzzRun {
  readonly iterations: number;
  readonly ms: number;
  /** Per stage: outcome -> count ("decoded update", "3/1 UPDATE Message Error / Malformed Attribute List"...). */
  readonly outcomes: Readonly<Record<Stage, Record<string, number>>>;
  /** Per mutation kind: how many inputs decoded and how many were rejected. */
  readonly byMutation: Readonly<Record<string, { decoded: number; rejected: number }>>;
}

/** The outcome name of a typed rejection; undefined for anything else (which must not happen). */
export function rejection(error: unknown): string | undefined {
  if (!(error instanceof BgpWireError)) return undefined;
  return `${error.code}/${error.subcode} ${notificationName(error.code, error.subcode)} (${error.action})`;
}

const contextOf = (name: string): WireContext => (name.startsWith('v4-as2') ? classicContext : modernContext);

/** Messages captured off the wire (bgp/src/wire/fixtures/*.hex: "== NAME" then commented hex). */
export function capturedSeeds(dir: URL = new URL('../../bgp/src/wire/fixtures/', import.meta.url)): Seed[] {
  const out: Seed[] = [];
  for (const router of ['frr', 'bird', 'gobgp']) {
    const text = readFileSync(new URL(`${router}.hex`, dir), 'utf8');
    for (const section of text.split(/^== /m).slice(1)) {
      const [title = '', ...body] = section.split('\n');
      const name = title.split('  (')[0]!.trim();
      out.push({ name: `${router}:${name}`, bytes: hex(body.join('\n')), ctx: contextOf(name) });
    }
  }
  return out;
}

/** The codec's corpus in both contexts, a packed table in both, IPv6 MP and End-of-RIB markers. */
export function builtSeeds(): Seed[] {
  const seeds: Seed[] = [];
  for (const ctx of [classicContext, modernContext]) {
    const tag = ctx.fourOctetAs ? 'modern' : 'classic';
    fuzzCorpus().forEach((m, i) => seeds.push({ name: `corpus-${i}-${tag}`, bytes: serializeMessage(m, ctx), ctx }));
    const attributes = [
      { type: 'origin', value: 'igp' },
      { type: 'as-path', value: [{ type: 'sequence', asns: [64513, 64514] }] },
      { type: 'communities', value: [0xfc000064] },
    ] as const;
    const v4 = benchPrefixes(300).map((p) => ({ prefix: parsePrefix(p), nextHop: '198.18.0.2', attributes: [...attributes] }));
    const v6 = Array.from({ length: 40 }, (_, i) => ({ prefix: parsePrefix(`2001:db8:${i.toString(16)}::/48`), nextHop: '2001:db8::2', attributes: [...attributes] }));
    const packed = packUpdates({ announce: [...v4.slice(0, 200), ...v6], withdraw: v4.slice(200).map((a) => a.prefix), endOfRib: [] }, ctx);
    packed.slice(0, 4).forEach((m, i) => seeds.push({ name: `packed-${i}-${tag}`, bytes: serializeMessage(m, ctx), ctx }));
    for (const family of ['ipv4', 'ipv6'] as const) seeds.push({ name: `eor-${family}-${tag}`, bytes: serializeMessage(endOfRibMarker(family), ctx), ctx });
  }
  return seeds;
}

const count = (table: Record<string, number>, key: string): void => {
  table[key] = (table[key] ?? 0) + 1;
};

/** Runs `iterations` mutated inputs from `seed` over `seeds`; throws FuzzEscape on the first untyped error. */
export function runFuzz(iterations: number, seed: number, seeds: readonly Seed[]): FuzzRun {
  const random = seededRandom(seed);
  const donors = seeds.map((s) => s.bytes);
  const outcomes: Record<Stage, Record<string, number>> = { decode: {}, 'validate-update': {}, 'validate-open': {}, reencode: {}, framer: {} };
  const byMutation: Record<string, { decoded: number; rejected: number }> = {};
  let framer = new MessageFramer(classicContext);
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    const chosen = seeds[Math.floor(random() * seeds.length)]!;
    // Now and then the other context, as if the capabilities had been negotiated differently.
    const ctx = random() < 0.2 ? (chosen.ctx === modernContext ? classicContext : modernContext) : chosen.ctx;
    const { mutation, bytes } = mutate(chosen.bytes, donors, random);
    const tally = (byMutation[mutation] ??= { decoded: 0, rejected: 0 });
    let stage: Stage = 'decode';
    const escape = (error: unknown): never => {
      throw new FuzzEscape(i, seed, stage, mutation, bytes, error);
    };
    const typed = (error: unknown): string => rejection(error) ?? escape(error);
    try {
      const [message] = decodeMessage(bytes, 0, ctx);
      count(outcomes.decode, `decoded ${message.type}`);
      tally.decoded++;
      if (message.type === 'update') {
        stage = 'validate-update';
        try {
          const external = random() < 0.7;
          const verdict = validateUpdate(message, { external, peerAs: external ? 64512 : 64513, enforceFirstAs: random() < 0.8, fourOctetAs: ctx.fourOctetAs });
          count(outcomes['validate-update'], verdict.action);
        } catch (error) {
          count(outcomes['validate-update'], typed(error));
        }
      } else if (message.type === 'open') {
        stage = 'validate-open';
        try {
          validateOpen(message, { localAs: 64513, localIdentifier: '198.18.0.2', peerAs: random() < 0.5 ? 64512 : undefined });
          count(outcomes['validate-open'], 'accepted');
        } catch (error) {
          count(outcomes['validate-open'], typed(error));
        }
      }
      // What was decoded must encode again: a decoder that accepts what the encoder cannot write is a bug.
      stage = 'reencode';
      serializeMessage(message, ctx);
      count(outcomes.reencode, 'ok');
    } catch (error) {
      if (error instanceof FuzzEscape) throw error;
      count(outcomes.decode, typed(error));
      tally.rejected++;
    }
    // The same bytes as a TCP stream, split at a random point; a stream error ends that stream.
    stage = 'framer';
    try {
      framer.context = ctx;
      const cut = Math.floor(random() * (bytes.length + 1));
      const frames = framer.push(bytes.subarray(0, cut)).length + framer.push(bytes.subarray(cut)).length;
      count(outcomes.framer, frames > 0 ? 'frames' : 'waiting for more');
    } catch (error) {
      count(outcomes.framer, typed(error));
      framer = new MessageFramer(ctx);
    }
  }
  return { iterations, ms: performance.now() - t0, outcomes, byMutation };
}
