import { ConfigError } from './errors.js';
import { TokenBucket } from './token-bucket.js';

// Sequential: one bucket (burst 3, +1 per 1000 ms); each row takes a token at a time.
test('burst, then one token per interval', () => {
  const b = new TokenBucket(3, 1000, 0);
  const rows: [number, boolean][] = [
    [0, true],
    [0, true],
    [0, true],
    [0, false],
    [999, false],
    [1000, true],
    [1000, false],
    [2500, true],
    [3000, true],
    [3000, false],
    [100_000, true],
    [100_000, true],
    [100_000, true],
    [100_000, false],
  ];
  for (const [t, ok] of rows) expect(`${t}: ${b.take(t)}`).toBe(`${t}: ${ok}`);
});

test('a clock going backwards neither refills nor breaks the bucket', () => {
  const b = new TokenBucket(1, 1000, 5000);
  expect(b.take(5000)).toBe(true);
  expect(b.take(1000)).toBe(false);
  expect(b.take(6000)).toBe(true);
});

test('isFull once everything spent has come back', () => {
  const b = new TokenBucket(2, 1000, 0);
  expect(b.isFull(0)).toBe(true);
  b.take(0);
  expect(b.isFull(500)).toBe(false);
  expect(b.isFull(1000)).toBe(true);
});

test.each([
  [0, 1000, 'token-bucket: burst must be a positive integer, got 0'],
  [1.5, 1000, 'token-bucket: burst must be a positive integer, got 1.5'],
  [3, 0, 'token-bucket: refill interval must be a positive number of ms, got 0'],
  [3, Number.NaN, 'token-bucket: refill interval must be a positive number of ms, got NaN'],
])('TokenBucket(%p, %p) is refused', (burst, every, message) => {
  expect(() => new TokenBucket(burst, every, 0)).toThrow(new ConfigError(message));
});
