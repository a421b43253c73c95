import { parseArping, percentile } from './_l2-arping.js';

const OUTPUT = `ARPING 203.0.113.10
60 bytes from 02:00:00:00:0b:01 (203.0.113.10): index=0 time=917.390 usec
60 bytes from 02:00:00:00:0b:01 (203.0.113.10): index=1 time=1.434 msec
Timeout
60 bytes from 02:00:00:00:0c:01 (203.0.113.10): index=2 time=84.550 usec

--- 203.0.113.10 statistics ---
4 packets transmitted, 3 packets received,  25% unanswered (0 extra)
rtt min/avg/max/std-dev = 0.085/0.812/1.434/0.552 ms
`;

test('arping replies become microseconds, per MAC; the sent count comes from the statistics', () => {
  expect(parseArping(OUTPUT)).toEqual({ sent: 4, timesUs: [917.39, 1434, 84.55], macs: ['02:00:00:00:0b:01', '02:00:00:00:0c:01'] });
});

test('no replies at all', () => {
  expect(parseArping('ARPING 203.0.113.99\nTimeout\n\n--- 203.0.113.99 statistics ---\n2 packets transmitted, 0 packets received, 100% unanswered (0 extra)\n')).toEqual({
    sent: 2,
    timesUs: [],
    macs: [],
  });
});

test.each<[number[], number, number]>([
  [[5, 1, 3, 2, 4], 50, 3],
  [[5, 1, 3, 2, 4], 99, 5],
  [[5, 1, 3, 2, 4], 0, 1],
  [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
  [[7], 50, 7],
])('percentile(%j, %i) = %i', (xs, p, want) => {
  expect(percentile(xs, p)).toBe(want);
});

test('percentile of nothing is NaN', () => {
  expect(percentile([], 50)).toBeNaN();
});
