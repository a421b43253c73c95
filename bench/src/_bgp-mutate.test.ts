// The fuzz mutators: UPDATE field locations read from real encoded messages, every mutation
// kind drawn, the seed left untouched, and the structure-aware kinds editing only their field.

import { classicContext, parsePrefix, seededRandom, serializeMessage, type BgpMessage } from 'bgp-speaker-ts';
import { MUTATIONS, mutate, updateLayout, type Mutation } from './_bgp-mutate.js';

const update: BgpMessage = {
  type: 'update',
  withdrawn: [parsePrefix('203.0.113.0/24')],
  attributes: [
    { type: 'origin', value: 'igp' },
    { type: 'as-path', value: [{ type: 'sequence', asns: [64512] }] },
    { type: 'next-hop', value: '198.18.0.1' },
    { type: 'communities', value: new Array<number>(70).fill(1) },
  ],
  nlri: [parsePrefix('198.18.64.0/32'), parsePrefix('198.18.64.1/32')],
};
const bytes = serializeMessage(update, classicContext);
const open = serializeMessage({ type: 'open', myAs: 64512, holdTime: 90, identifier: '198.18.0.1', capabilities: [{ type: 'route-refresh' }] }, classicContext);

test('updateLayout finds the length fields, each attribute and the NLRI of an encoded UPDATE', () => {
  const layout = updateLayout(bytes)!;
  // 19-octet header; withdrawn length 4 (one /24: 1 + 3 octets); then the attributes length.
  expect(layout.withdrawnLengthAt).toBe(19);
  expect(layout.attributesLengthAt).toBe(19 + 2 + 4);
  expect(layout.attributes.map((a) => bytes[a.typeAt])).toEqual([1, 2, 3, 8]);
  // 70 communities are 280 octets: the extended-length flag and a 2-octet length.
  expect(layout.attributes.map((a) => a.extended)).toEqual([false, false, false, true]);
  expect(layout.attributes[3]!.end - layout.attributes[3]!.valueAt).toBe(280);
  // Two /32s: 5 octets each, to the end.
  expect(bytes.length - layout.nlriAt).toBe(10);
  expect(Array.from(bytes.subarray(layout.nlriAt, layout.nlriAt + 5))).toEqual([32, 198, 18, 64, 0]);
});

test.each([
  ['an OPEN', open],
  ['a header alone', bytes.subarray(0, 19)],
  ['an UPDATE cut inside the withdrawn routes', bytes.subarray(0, 24)],
])('updateLayout of %s is undefined', (_what, input) => {
  expect(updateLayout(input)).toBeUndefined();
});

test('every mutation kind is drawn, the seed is never changed, and a seed replays the same inputs', () => {
  const seed = bytes.slice();
  const random = seededRandom(11);
  const seen = new Set<Mutation>();
  const first: string[] = [];
  const openSeed = open.slice();
  for (let i = 0; i < 3000; i++) {
    const m = mutate(i % 2 === 0 ? seed : openSeed, [open], random);
    seen.add(m.mutation);
    if (i < 50 && i % 2 === 0) first.push(Buffer.from(m.bytes).toString('hex'));
  }
  expect([...seen].sort()).toEqual([...MUTATIONS].sort());
  expect(seed).toEqual(bytes);
  expect(openSeed).toEqual(open);
  const again = seededRandom(11);
  const replay = Array.from({ length: 50 }, (_, i) => Buffer.from(mutate(i % 2 === 0 ? seed : openSeed, [open], again).bytes).toString('hex')).filter((_, i) => i % 2 === 0);
  expect(replay).toEqual(first);
  // Mutants differ from the seed (or the corpus is never really mutated).
  expect(first.filter((h) => h !== Buffer.from(bytes).toString('hex')).length).toBeGreaterThan(20);
});

test('kinds whose field a seed lacks are not drawn for it (a KEEPALIVE has no attributes or OPEN parameters)', () => {
  const keepalive = serializeMessage({ type: 'keepalive' }, classicContext);
  const random = seededRandom(3);
  const seen = new Set<Mutation>();
  for (let i = 0; i < 2000; i++) seen.add(mutate(keepalive, [open], random).mutation);
  expect([...seen].filter((m) => m.startsWith('attribute-') || m === 'update-lengths' || m === 'nlri-length' || m === 'open-lengths')).toEqual([]);
  expect(seen.size).toBe(MUTATIONS.length - 7);
});

/** Indexes where two byte strings of equal length differ. */
const diff = (a: Uint8Array, b: Uint8Array): number[] => Array.from(a.keys()).filter((i) => a[i] !== b[i]);

test.each<[Mutation, (layout: NonNullable<ReturnType<typeof updateLayout>>) => number[]]>([
  ['attribute-flags', (l) => l.attributes.map((a) => a.flagsAt)],
  ['attribute-type', (l) => l.attributes.map((a) => a.typeAt)],
  ['attribute-length', (l) => l.attributes.flatMap((a) => [a.lengthAt, a.lengthAt + 1])],
  ['update-lengths', (l) => [l.withdrawnLengthAt, l.withdrawnLengthAt + 1, l.attributesLengthAt, l.attributesLengthAt + 1]],
  ['nlri-length', (l) => [l.withdrawnLengthAt + 2, l.nlriAt]],
])('%s edits only its fields (and the header length)', (kind, fields) => {
  const layout = updateLayout(bytes)!;
  const allowed = new Set([16, 17, ...fields(layout)]);
  const random = seededRandom(5);
  let checked = 0;
  for (let i = 0; i < 4000 && checked < 40; i++) {
    const m = mutate(bytes, [], random);
    if (m.mutation !== kind) continue;
    checked++;
    expect(m.bytes.length).toBe(bytes.length);
    for (const at of diff(bytes, m.bytes)) expect(allowed).toContain(at);
  }
  expect(checked).toBe(40);
});
