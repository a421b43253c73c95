// Reads Thomas Habets' arping 2.x output ("60 bytes from MAC (IP): index=0 time=45.123 usec")
// into reply times in microseconds, and the percentiles the l2 benchmark prints. Pure.

export interface ArpingResult {
  readonly sent: number;
  /** Reply times in µs, in arrival order. */
  readonly timesUs: number[];
  /** MACs that answered (more than one: someone else answers too). */
  readonly macs: string[];
}

const REPLY = /^\d+ bytes from ([0-9a-f:]{17}) \(([^)]+)\): index=\d+ time=([0-9.]+) (usec|msec|sec)$/i;
const SENT = /^(\d+) packets transmitted/;
const SCALE: Record<string, number> = { usec: 1, msec: 1000, sec: 1_000_000 };

export function parseArping(output: string): ArpingResult {
  const timesUs: number[] = [];
  const macs = new Set<string>();
  let sent = 0;
  for (const line of output.split('\n')) {
    const reply = REPLY.exec(line.trim());
    if (reply) {
      macs.add(reply[1]!.toLowerCase());
      timesUs.push(Number(reply[3]) * SCALE[reply[4]!.toLowerCase()]!);
      continue;
    }
    const total = SENT.exec(line.trim());
    if (total) sent = Number(total[1]);
  }
  return { sent, timesUs, macs: [...macs] };
}

/** The nearest-rank percentile (p in 0..100) of xs; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
