// The failover figure from a client's attempts: the gap is the time from the kill to the end of
// the first successful connection started after the last failed one (0 when none failed).
// Pure, so the bench's arithmetic is tested apart from the lab.

export interface Attempt {
  /** When the connection attempt started and ended, ms since the epoch. */
  readonly start: number;
  readonly end: number;
  readonly ok: boolean;
}

export class FailoverError extends Error {
  override readonly name = 'FailoverError';
}

export interface Gap {
  /** ms from the kill until traffic was back for good; undefined when it never came back. */
  readonly gapMs: number | undefined;
  readonly failed: number;
  readonly ok: number;
}

export function failoverGap(attempts: readonly Attempt[], killAt: number): Gap {
  if (!Number.isFinite(killAt)) throw new FailoverError(`bench/l2-failover: kill time ${killAt} is not a number`);
  for (const a of attempts) {
    if (!Number.isFinite(a.start) || !Number.isFinite(a.end) || a.end < a.start) throw new FailoverError(`bench/l2-failover: attempt ${JSON.stringify(a)} has no valid start and end`);
  }
  const sorted = [...attempts].sort((a, b) => a.start - b.start);
  const failed = sorted.filter((a) => !a.ok).length;
  const ok = sorted.length - failed;
  let lastFail = -1;
  sorted.forEach((a, i) => {
    if (!a.ok) lastFail = i;
  });
  if (lastFail < 0) return { gapMs: 0, failed, ok };
  const back = sorted.slice(lastFail + 1).find((a) => a.ok);
  return { gapMs: back === undefined ? undefined : Math.max(0, back.end - killAt), failed, ok };
}

/** The p-th percentile (nearest rank) of defined values; undefined for none. */
export function nearestRank(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
