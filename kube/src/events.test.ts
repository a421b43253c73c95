import { kubeTime, truncateMessage } from './events.js';

test.each([
  [Date.parse('2025-03-01T10:00:00.999Z'), '2025-03-01T10:00:00Z'],
  [0, '1970-01-01T00:00:00Z'],
])('kubeTime(%i) = %s', (ms, s) => {
  expect(kubeTime(ms)).toBe(s);
});

test.each([
  ['short', 'short'],
  ['x'.repeat(1024), 'x'.repeat(1024)],
  ['x'.repeat(1025), `${'x'.repeat(1009)}... (truncated)`],
  ['é'.repeat(600), `${'é'.repeat(504)}... (truncated)`],
  ['😀'.repeat(300), `${'😀'.repeat(252)}... (truncated)`],
])('truncateMessage keeps an Event message within 1 KiB (%#)', (input, output) => {
  expect(truncateMessage(input)).toBe(output);
  expect(Buffer.byteLength(truncateMessage(input))).toBeLessThanOrEqual(1024);
});
