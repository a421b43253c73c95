// Figures for the speaker benchmark: latency percentiles over trials (nearest rank, as the
// issue's p50/p99 mean "of 100 trials") and a process's RSS and CPU read from /proc.
import { readFile } from 'node:fs/promises';

export class BenchStatsError extends Error {
  override readonly name = 'BenchStatsError';
}

/** Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new BenchStatsError('bench/speaker-stats: percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new BenchStatsError(`bench/speaker-stats: percentile ${p} is not in (0, 100]`);
  if (samples.some((s) => !Number.isFinite(s))) throw new BenchStatsError('bench/speaker-stats: a sample is not a finite number');
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface LatencySummary {
  readonly trials: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export function summarize(samples: readonly number[]): LatencySummary {
  return { trials: samples.length, p50_ms: round(percentile(samples, 50)), p99_ms: round(percentile(samples, 99)), max_ms: round(Math.max(...samples)) };
}

/** The latency targets: p50 ≤ 100 ms and p99 ≤ 300 ms. */
export const LATENCY_TARGET = { p50_ms: 100, p99_ms: 300 } as const;

export function meetsLatencyTarget(s: LatencySummary): boolean {
  return s.p50_ms <= LATENCY_TARGET.p50_ms && s.p99_ms <= LATENCY_TARGET.p99_ms;
}

/** VmRSS and VmHWM (peak) of /proc/PID/status text, in MB. */
export function parseMemory(statusText: string): { rssMB: number; peakMB: number } {
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(statusText);
    if (m === null) throw new BenchStatsError(`bench/speaker-stats: no ${name} line in the process status`);
    return Number(m[1]) / 1024;
  };
  return { rssMB: field('VmRSS'), peakMB: field('VmHWM') };
}

/** User+system CPU seconds in /proc/PID/stat text (clock ticks at 100 Hz). */
export function parseCpuSeconds(statText: string): number {
  const close = statText.lastIndexOf(')');
  const fields = statText.slice(close + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (close < 0 || !Number.isFinite(user) || !Number.isFinite(system)) throw new BenchStatsError('bench/speaker-stats: /proc stat text has no utime/stime');
  return (user + system) / 100;
}

export async function memoryOf(pid: number): Promise<{ rssMB: number; peakMB: number }> {
  return parseMemory(await readFile(`/proc/${pid}/status`, 'utf8'));
}

export async function cpuSecondsOf(pid: number): Promise<number> {
  return parseCpuSeconds(await readFile(`/proc/${pid}/stat`, 'utf8'));
}
