import { DurationError, parseDuration } from './duration.js';

const S = 1_000_000_000n;

test.each<[string, bigint]>([
  ['0', 0n],
  ['0s', 0n],
  ['+5s', 5n * S],
  ['90s', 90n * S],
  ['1m30s', 90n * S],
  ['1h', 3600n * S],
  ['500ms', S / 2n],
  ['1.5s', (3n * S) / 2n],
  ['.5s', S / 2n],
  ['1.s', S],
  ['2h45m', (2n * 3600n + 45n * 60n) * S],
  ['1us', 1_000n],
  ['1µs', 1_000n],
  ['1μs', 1_000n],
  ['7ns', 7n],
  ['1.0000000019s', S + 1n], // Go truncates past the nanosecond
  ['2562047h47m16.854775807s', (1n << 63n) - 1n],
])('%s parses', (text, nanoseconds) => {
  expect(parseDuration(text)).toBe(nanoseconds);
});

test.each<[string, RegExp]>([
  ['', /empty/],
  ['90', /does not start with a number and a unit/],
  ['5', /does not start with a number and a unit/],
  ['s', /number is missing/],
  ['.s', /number is missing/],
  ['-1s', /negative/],
  ['1d', /unknown unit "d"/],
  ['1 s', /unknown unit " s"/],
  ['1S', /unknown unit "S"/],
  ['1s ', /unknown unit "s "/],
  ['2562047h47m16.854775808s', /longer than Go can represent/],
])('%s is rejected', (text, message) => {
  expect(() => parseDuration(text)).toThrow(DurationError);
  expect(() => parseDuration(text)).toThrow(message);
  expect(() => parseDuration(text)).toThrow(/^duration: /);
});

test('a non-string is rejected with a typed error', () => {
  expect(() => parseDuration(90 as unknown as string)).toThrow(DurationError);
});
