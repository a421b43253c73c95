import { accountFailures, unexplainedCount, type RouteChange } from './route-change.js';
import type { FailedConnection } from './summary.js';

const change: RouteChange = { from: 1000, to: 1040 };
const f = (reason: string, startedAt: number, endedAt: number): FailedConnection => ({ reason, startedAt, endedAt });

test.each<[string, FailedConnection, 'rehashed' | 'unexplained']>([
  ['a reset of a connection open across the change', f('ECONNRESET', 990, 1010), 'rehashed'],
  ['a reset of a connection started while the change was being made', f('ECONNRESET', 1020, 1030), 'rehashed'],
  ['a reset seen up to its timeout after the change', f('ECONNRESET', 1040, 1500), 'rehashed'],
  ['a reset that ended before the change was made', f('ECONNRESET', 900, 999), 'unexplained'],
  ['a reset of a connection started after the change was seen', f('ECONNRESET', 1041, 1050), 'unexplained'],
  ['a timeout across the change (a node dropping SYNs)', f('timeout', 990, 1490), 'unexplained'],
  ['a refusal across the change', f('ECONNREFUSED', 1000, 1001), 'unexplained'],
])('%s is %s', (_name, failure, kind) => {
  const a = accountFailures(1, [failure], [change]);
  expect(kind === 'rehashed' ? a.rehashed : a.unexplained).toEqual([failure]);
  expect(unexplainedCount(a)).toBe(kind === 'rehashed' ? 0 : 1);
});

test('any of several changes explains a reset; failures counted but not listed are unexplained', () => {
  const a = accountFailures(4, [f('ECONNRESET', 5000, 5010), f('ECONNRESET', 1010, 1020), f('ECONNRESET', 3000, 3001)], [change, { from: 4990, to: 5000 }]);
  expect(a.rehashed).toHaveLength(2);
  expect(a.unexplained).toEqual([f('ECONNRESET', 3000, 3001)]);
  expect(a.unlisted).toBe(1);
  expect(unexplainedCount(a)).toBe(2);
});

test('no change explains nothing', () => {
  expect(unexplainedCount(accountFailures(1, [f('ECONNRESET', 1, 2)], []))).toBe(1);
  expect(unexplainedCount(accountFailures(0, [], []))).toBe(0);
});
