// Polls a probe until its value is accepted, and on timeout says what it last saw.
// The clock and sleep are injectable so the unit tests run without waiting.

import { WaitTimeoutError } from './errors.js';

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message. */
  readonly what?: string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls probe until accept(value) is true and returns that value. A probe that throws counts as
 * "not yet" (the daemon may not answer yet); its error is what is reported if time runs out.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, accept: (value: T) => boolean, opts: WaitOptions): Promise<T> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const interval = opts.intervalMs ?? 250;
  const deadline = now() + opts.timeoutMs;
  let lastSeen: unknown = 'nothing (probe never ran)';
  for (;;) {
    try {
      const value = await probe();
      if (accept(value)) return value;
      lastSeen = value;
    } catch (err) {
      lastSeen = err;
    }
    if (now() >= deadline) throw new WaitTimeoutError(opts.what ?? 'a condition', opts.timeoutMs, lastSeen);
    await sleep(Math.min(interval, Math.max(0, deadline - now())));
  }
}
