// Percentiles by nearest rank, the latency target, and the /proc readers of the speaker bench.
import { BenchStatsError, meetsLatencyTarget, parseCpuSeconds, parseMemory, percentile, summarize } from './_speaker-stats.js';

const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose

test.each([
  [hundred, 50, 50],
  [hundred, 99, 99],
  [hundred, 100, 100],
  [hundred, 1, 1],
  [[7], 50, 7],
  [[7], 99, 7],
  [[3, 1, 2], 50, 2],
  [[3, 1, 2], 99, 3],
  [[10, 20, 30, 40], 50, 20],
])('percentile(%j, %i) = %i', (samples, p, want) => {
  expect(percentile(samples, p)).toBe(want);
});

test.each([
  [[], 50, 'no samples'],
  [[1], 0, 'percentile 0'],
  [[1], 101, 'percentile 101'],
  [[1, Number.NaN], 50, 'not a finite number'],
])('percentile(%j, %i) is refused: %s', (samples, p, message) => {
  expect(() => percentile(samples, p)).toThrow(BenchStatsError);
  expect(() => percentile(samples, p)).toThrow(message);
});

test('summarize rounds to 0.1 ms and keeps the maximum', () => {
  expect(summarize([1.234, 2.26, 400.04])).toEqual({ trials: 3, p50_ms: 2.3, p99_ms: 400, max_ms: 400 });
});

test.each([
  [{ trials: 1, p50_ms: 100, p99_ms: 300, max_ms: 900 }, true],
  [{ trials: 1, p50_ms: 100.1, p99_ms: 120, max_ms: 120 }, false],
  [{ trials: 1, p50_ms: 20, p99_ms: 300.1, max_ms: 301 }, false],
])('the target is p50 <= 100 and p99 <= 300: %j -> %s', (s, ok) => {
  expect(meetsLatencyTarget(s)).toBe(ok);
});

test('parseMemory reads VmRSS and VmHWM in MB', () => {
  const text = 'Name:\tnode\nVmPeak:\t  999999 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t7\n';
  expect(parseMemory(text)).toEqual({ rssMB: 100, peakMB: 200 });
  expect(() => parseMemory('Name:\tnode\n')).toThrow('no VmRSS line');
});

test('parseCpuSeconds adds utime and stime, even with spaces and parentheses in the name', () => {
  // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
  const stat = '42 (node (x) y) S 1 42 42 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0';
  expect(parseCpuSeconds(stat)).toBe(3);
  expect(() => parseCpuSeconds('garbage')).toThrow(BenchStatsError);
});
