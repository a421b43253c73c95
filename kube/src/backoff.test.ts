import { Backoff } from './backoff.js';
import { ConfigError } from './errors.js';

test.each([
  // min, max, factor, waits in order
  [100, 1000, 2, [100, 200, 400, 800, 1000, 1000]],
  [50, 200, 2, [50, 100, 200, 200]],
  [300, 300, 2, [300, 300, 300]],
  [10, 100, 3, [10, 30, 90, 100]],
  [5, 5000, 1, [5, 5, 5]],
])('Backoff(%i, %i, x%i) waits %j', (min, max, factor, waits) => {
  const b = new Backoff(min, max, factor);
  expect(waits.map(() => b.next())).toEqual(waits);
});

test('reset starts again from the minimum; peek does not use a wait up', () => {
  const b = new Backoff(100, 1000);
  b.next();
  b.next();
  expect(b.peek()).toBe(400);
  expect(b.peek()).toBe(400);
  b.reset();
  expect(b.next()).toBe(100);
});

test.each([
  [0, 100, 2, 'backoff: minimum must be a positive number of ms, got 0'],
  [-1, 100, 2, 'backoff: minimum must be a positive number of ms, got -1'],
  [Number.NaN, 100, 2, 'backoff: minimum must be a positive number of ms, got NaN'],
  [100, 50, 2, 'backoff: maximum must be at least the minimum (100 ms), got 50'],
  [100, Number.POSITIVE_INFINITY, 2, 'backoff: maximum must be at least the minimum (100 ms), got Infinity'],
  [100, 200, 0.5, 'backoff: factor must be at least 1, got 0.5'],
])('Backoff(%p, %p, %p) is refused', (min, max, factor, message) => {
  expect(() => new Backoff(min, max, factor)).toThrow(new ConfigError(message));
});
