import { EventHistory, type StoredEvent } from './history.js';

function ev(rv: number): StoredEvent {
  return { type: 'ADDED', resource: '/configmaps', resourceVersion: rv, object: { metadata: { name: `c${rv}` } } };
}

function filled(capacity: number, rvs: number[]): EventHistory {
  const h = new EventHistory(capacity);
  for (const rv of rvs) h.append(ev(rv));
  return h;
}

test.each([
  ['everything after 0 while nothing dropped', 5, [1, 2, 3], 0, [1, 2, 3]],
  ['only the events after N', 5, [1, 2, 3], 2, [3]],
  ['nothing after the newest', 5, [1, 2, 3], 3, []],
  ['N ahead of the newest gives nothing yet', 5, [1, 2, 3], 9, []],
  ['gaps in resourceVersions (other types) are fine', 5, [2, 5, 9], 4, [5, 9]],
  ['after dropping, the oldest servable N still works', 2, [1, 2, 3, 4], 2, [3, 4]],
  ['after dropping, an older N is gone', 2, [1, 2, 3, 4], 1, undefined],
  ['after dropping, 0 is gone', 2, [1, 2, 3], 0, undefined],
  ['many appends past compaction', 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 7, [8, 9, 10]],
  ['many appends past compaction, too old', 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 6, undefined],
] as [string, number, number[], number, number[] | undefined][])('%s', (_name, capacity, rvs, from, expected) => {
  const got = filled(capacity, rvs).since(from);
  expect(got?.map((e) => e.resourceVersion)).toEqual(expected);
});

test('oldestServable moves with what was dropped', () => {
  const h = filled(2, [1, 2, 3, 4]);
  expect(h.oldestServable).toBe(2);
});

test.each([0, -1, 1.5])('capacity %s is refused', (c) => {
  expect(() => new EventHistory(c)).toThrow('history: capacity must be a positive integer');
});

test('a history that starts after N treats N and below as gone', () => {
  const h = new EventHistory(5, 100);
  h.append(ev(101));
  expect(h.since(99)).toBeUndefined();
  expect(h.since(100)?.map((e) => e.resourceVersion)).toEqual([101]);
});
