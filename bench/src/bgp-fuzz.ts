// `npm run bench -- bgp-fuzz`: at least 1,000,000 mutated BGP messages through the decoder, the
// validators, re-encoding and the framer. Prints outcome counts and messages per second as JSON
// lines; exits 1 if anything but a decoded message or a BgpWireError ever comes out.
//
// Environment: BGP_FUZZ_ITERATIONS (default 1000000), BGP_FUZZ_SEED (default: from the clock,
// printed so a failure can be replayed).

import { loadavg } from 'node:os';
import { toHex } from 'bgp-speaker-ts';
import { FuzzEscape, builtSeeds, capturedSeeds, runFuzz } from './_bgp-fuzz-run.js';

const TARGET = 1_000_000;
const iterations = Number(process.env['BGP_FUZZ_ITERATIONS'] ?? TARGET);
const seed = Number(process.env['BGP_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const print = (line: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'bgp-fuzz', ...line }));

const seeds = [...builtSeeds(), ...capturedSeeds()];
try {
  const run = runFuzz(iterations, seed, seeds);
  const decoded = Object.values(run.byMutation).reduce((n, m) => n + m.decoded, 0);
  print({
    case: 'summary',
    messages: run.iterations,
    decoded,
    rejected: run.iterations - decoded,
    escaped: 0,
    ms: Math.round(run.ms),
    messages_per_s: Math.round((run.iterations / run.ms) * 1000),
    seed,
    seeds: seeds.length,
    target_messages: TARGET,
    load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  });
  for (const [stage, outcomes] of Object.entries(run.outcomes)) print({ case: stage, outcomes });
  print({ case: 'mutations', outcomes: run.byMutation });
  process.exit(iterations >= TARGET ? 0 : 1);
} catch (error) {
  if (!(error instanceof FuzzEscape)) throw error;
  print({ case: 'escape', iteration: error.iteration, seed: error.seed, stage: error.stage, mutation: error.mutation, error: String(error.error), input: toHex(error.input) });
  process.exit(1);
}
