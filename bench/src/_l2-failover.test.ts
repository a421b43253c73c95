import { failoverGap, FailoverError, nearestRank, type Attempt } from './_l2-failover.js';

const a = (start: number, end: number, ok: boolean): Attempt => ({ start, end, ok });

describe('failoverGap', () => {
  test.each<[string, Attempt[], number, { gapMs: number | undefined; failed: number; ok: number }]>([
    ['no failure: no gap', [a(0, 1, true), a(10, 11, true)], 5, { gapMs: 0, failed: 0, ok: 2 }],
    ['back at the first success after the last failure, to its end', [a(0, 1, true), a(10, 210, false), a(20, 220, false), a(30, 31, true), a(40, 240, false), a(50, 52, true)], 5, { gapMs: 47, failed: 3, ok: 3 }],
    ['out of order input is sorted by start', [a(50, 52, true), a(40, 240, false), a(0, 1, true)], 5, { gapMs: 47, failed: 1, ok: 2 }],
    ['never back', [a(0, 1, true), a(10, 210, false)], 5, { gapMs: undefined, failed: 1, ok: 1 }],
    ['a success that ended before the kill counts as 0', [a(0, 200, false), a(1, 3, true)], 5, { gapMs: 0, failed: 1, ok: 1 }],
  ])('%s', (_name, attempts, killAt, expected) => {
    expect(failoverGap(attempts, killAt)).toEqual(expected);
  });

  test.each<[string, Attempt[], number, string]>([
    ['kill time not a number', [], Number.NaN, 'kill time NaN'],
    ['end before start', [a(10, 5, true)], 0, 'has no valid start and end'],
    ['start not finite', [a(Number.POSITIVE_INFINITY, 5, true)], 0, 'has no valid start and end'],
  ])('%s: FailoverError', (_name, attempts, killAt, message) => {
    expect(() => failoverGap(attempts, killAt)).toThrow(FailoverError);
    expect(() => failoverGap(attempts, killAt)).toThrow(message);
  });
});

describe('nearestRank', () => {
  test.each<[number[], number, number | undefined]>([
    [[], 50, undefined],
    [[300], 50, 300],
    [[400, 100, 300, 200], 50, 200],
    [[400, 100, 300, 200], 100, 400],
    [[400, 100, 300, 200], 0, 100],
  ])('%j p%d = %s', (values, p, expected) => {
    expect(nearestRank(values, p)).toBe(expected);
  });
});
