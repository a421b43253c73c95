// The fuzz runner on a short run: typed rejections are named, untyped errors are not, every
// stage is reached, outcomes add up, and a seed replays the same run.

import { BgpEncodeError, BgpWireError } from 'bgp-speaker-ts';
import { builtSeeds, capturedSeeds, rejection, runFuzz } from './_bgp-fuzz-run.js';

test.each<[string, unknown, string | undefined]>([
  ['a BgpWireError by code, subcode, name and action', new BgpWireError('x', { code: 3, subcode: 1, action: 'treat-as-withdraw' }), '3/1 UPDATE Message Error / Malformed Attribute List (treat-as-withdraw)'],
  ['a BgpEncodeError is not a rejection', new BgpEncodeError('x'), undefined],
  ['a RangeError is not a rejection', new RangeError('x'), undefined],
  ['a thrown string is not a rejection', 'boom', undefined],
])('rejection: %s', (_what, error, name) => {
  expect(rejection(error)).toBe(name);
});

test('captured messages from FRR, BIRD and GoBGP are among the seeds', () => {
  const names = capturedSeeds().map((s) => s.name);
  for (const router of ['frr', 'bird', 'gobgp']) expect(names.some((n) => n.startsWith(`${router}:`))).toBe(true);
  expect(names.length).toBeGreaterThan(30);
});

test('20,000 inputs reach every stage, only typed outcomes, counts add up, replayable', () => {
  const seeds = [...builtSeeds(), ...capturedSeeds()];
  const run = runFuzz(20_000, 42, seeds);
  const sum = (t: Record<string, number>) => Object.values(t).reduce((a, b) => a + b, 0);
  expect(sum(run.outcomes.decode)).toBe(20_000);
  expect(sum(run.outcomes.framer)).toBe(20_000);
  const decoded = Object.entries(run.outcomes.decode).filter(([k]) => k.startsWith('decoded ')).reduce((n, [, v]) => n + v, 0);
  // Both outcomes common, or the mutations do not reach the decoders.
  expect(decoded).toBeGreaterThan(2_000);
  expect(20_000 - decoded).toBeGreaterThan(2_000);
  expect(run.outcomes.reencode['ok']).toBe(decoded);
  expect(sum(run.outcomes['validate-update'])).toBe(run.outcomes.decode['decoded update']);
  expect(sum(run.outcomes['validate-open'])).toBe(run.outcomes.decode['decoded open']);
  // RFC 7606 outcomes and session resets both occur.
  expect(run.outcomes['validate-update']['treat-as-withdraw']).toBeGreaterThan(0);
  expect(Object.keys(run.outcomes.decode).some((k) => k.endsWith('(session-reset)'))).toBe(true);
  expect(runFuzz(2_000, 7, seeds).outcomes).toEqual(runFuzz(2_000, 7, seeds).outcomes);
});
