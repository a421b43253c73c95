// Capped exponential backoff for retries against the API server: each failure doubles the
// wait up to a cap, and one success starts again from the minimum.

import { ConfigError } from './errors.js';

export class Backoff {
  private nextMs: number;

  constructor(
    readonly minMs: number,
    readonly maxMs: number,
    readonly factor = 2,
  ) {
    if (!Number.isFinite(minMs) || minMs <= 0) throw new ConfigError(`backoff: minimum must be a positive number of ms, got ${minMs}`);
    if (!Number.isFinite(maxMs) || maxMs < minMs) throw new ConfigError(`backoff: maximum must be at least the minimum (${minMs} ms), got ${maxMs}`);
    if (!Number.isFinite(factor) || factor < 1) throw new ConfigError(`backoff: factor must be at least 1, got ${factor}`);
    this.nextMs = minMs;
  }

  /** The wait before the next attempt; the one after it grows. */
  next(): number {
    const wait = this.nextMs;
    this.nextMs = Math.min(this.nextMs * this.factor, this.maxMs);
    return wait;
  }

  /** What next() would return, without using it up. */
  peek(): number {
    return this.nextMs;
  }

  reset(): void {
    this.nextMs = this.minMs;
  }
}
