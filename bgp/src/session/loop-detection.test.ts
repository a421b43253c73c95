import type { PathAttribute } from '../wire/attributes/table.js';
import { parsePrefix } from '../wire/nlri.js';
import type { UpdateVerdict } from '../wire/validate-update.js';
import { pathHoldsAs, withoutLoops } from './loop-detection.js';

const path = (...segments: { type: 'sequence' | 'set'; asns: number[] }[]): PathAttribute[] => [
  { type: 'origin', value: 'igp' },
  { type: 'as-path', value: segments },
];

const verdict = (attributes: PathAttribute[], announce: string[], withdraw: string[] = []): UpdateVerdict => ({
  action: 'accept',
  attributes,
  announce: announce.map((p) => parsePrefix(p)),
  withdraw: withdraw.map((p) => parsePrefix(p)),
  errors: [],
  endOfRib: undefined,
});

test.each([
  ['our AS in a sequence', path({ type: 'sequence', asns: [64601, 64512] }), true],
  ['our AS in a set', path({ type: 'sequence', asns: [64601] }, { type: 'set', asns: [1, 64512] }), true],
  ['a path without it', path({ type: 'sequence', asns: [64601, 4200000001] }), false],
  ['an empty path (iBGP origin)', path(), false],
  ['no AS_PATH at all', [{ type: 'origin', value: 'igp' }] as PathAttribute[], false],
])('pathHoldsAs 64512: %s', (_n, attributes, expected) => {
  expect(pathHoldsAs(attributes, 64512)).toBe(expected);
});

test('a looped UPDATE becomes a withdraw of its prefixes, kept withdrawals included', () => {
  const v = verdict(path({ type: 'sequence', asns: [64601, 64512] }), ['203.0.113.50/32', '2001:db8::/64'], ['203.0.113.9/32']);
  const { verdict: out, looped } = withoutLoops(v, 64512);
  expect(looped).toBe(2);
  expect(out.announce).toEqual([]);
  expect(out.withdraw.map((p) => p)).toEqual([parsePrefix('203.0.113.9/32'), parsePrefix('203.0.113.50/32'), parsePrefix('2001:db8::/64')]);
});

test('a loop-free UPDATE is left alone', () => {
  const v = verdict(path({ type: 'sequence', asns: [64601] }), ['203.0.113.50/32']);
  expect(withoutLoops(v, 64512)).toEqual({ verdict: v, looped: 0 });
});
