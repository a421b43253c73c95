import { BandedBitmap, IP_BAND, PORT_BAND, staticBandSize, type Random } from './bitmap.js';

/** Hands out the given picks in turn; each is reduced modulo n as the real rand.Intn range would be. */
function scripted(...picks: number[]): Random & { asked: number[] } {
  let i = 0;
  const asked: number[] = [];
  const r = (n: number): number => {
    asked.push(n);
    return (picks[i++ % picks.length] ?? 0) % n;
  };
  return Object.assign(r, { asked });
}

test.each([
  ['a /20 service CIDR (4096)', 4096n, IP_BAND, 256],
  ['a /24 service CIDR (256)', 256n, IP_BAND, 16],
  ['a /26 service CIDR (64): never below min', 64n, IP_BAND, 16],
  ['a /28 service CIDR (16): too small to split', 16n, IP_BAND, 0],
  ['a /27 service CIDR (32)', 32n, IP_BAND, 16],
  ['a /112 IPv6 CIDR (65536): capped at max', 65536n, IP_BAND, 256],
  ['a /64 IPv6 CIDR', 1n << 64n, IP_BAND, 256],
  ['the default node ports (2768)', 2768n, PORT_BAND, 86],
  ['16 node ports', 16n, PORT_BAND, 0],
  ['17 node ports', 17n, PORT_BAND, 16],
  ['10000 node ports: capped at max', 10000n, PORT_BAND, 128],
] as const)('static band of %s', (_name, size, steps, want) => {
  expect(staticBandSize(size, steps)).toBe(want);
});

// One bitmap of 8 slots with a static band of 3, driven step by step.
describe('random picks prefer the upper band and scan forward with wrap-around', () => {
  const random = scripted(0, 4, 4, 4, 4, 4, 1, 1, 1);
  const b = new BandedBitmap(8, 3, random);
  test.each([
    ['first pick at the start of the upper band', () => b.takeNext(), 3],
    ['pick 4 of the upper band (3+4)', () => b.takeNext(), 7],
    ['pick 4 again: 7 taken, wraps to 3 (taken), then 4', () => b.takeNext(), 4],
    ['a static take in the lower band', () => b.take(1), true],
    ['the same static take again', () => b.take(1), false],
    ['pick 4: 7,3,4 taken, then 5', () => b.takeNext(), 5],
    ['pick 4: only 6 is free above', () => b.takeNext(), 6],
    ['upper band full: lower band from pick 1 (taken) to 2', () => b.takeNext(), 2],
    ['lower band from pick 1 (taken), 2 (taken), wraps to 0', () => b.takeNext(), 0],
    ['full', () => b.takeNext(), undefined],
    ['release 5 then pick again: 5', () => (b.release(5), b.takeNext()), 5],
  ] as const)('%s', (_name, step, want) => {
    expect(step()).toBe(want);
  });
  test('the upper band was asked for with its own size, the lower with the offset', () => {
    expect(new Set(random.asked)).toEqual(new Set([5, 3]));
    expect(b.used).toBe(8);
    expect(b.slots()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

test.each([
  ['a slot past the end', 8],
  ['a negative slot', -1],
  ['a fraction', 1.5],
])('taking %s is a programming error', (_name, slot) => {
  expect(() => new BandedBitmap(8, 3, scripted(0)).take(slot)).toThrow(RangeError);
});

test.each([
  ['offset equal to size', 4, 4],
  ['negative size', -1, 0],
])('a bitmap with %s is refused', (_name, size, offset) => {
  expect(() => new BandedBitmap(size, offset, scripted(0))).toThrow(RangeError);
});

test('an empty bitmap has nothing to hand out', () => {
  expect(new BandedBitmap(0, 0, scripted(0)).takeNext()).toBeUndefined();
});
