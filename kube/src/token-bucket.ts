// A token bucket on an injected clock: `burst` tokens, one more every `refillEveryMs`.
// The event recorder keeps one per object so a flapping object cannot flood the API server.

import { ConfigError } from './errors.js';

export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    readonly burst: number,
    readonly refillEveryMs: number,
    nowMs: number,
  ) {
    if (!Number.isInteger(burst) || burst < 1) throw new ConfigError(`token-bucket: burst must be a positive integer, got ${burst}`);
    if (!Number.isFinite(refillEveryMs) || refillEveryMs <= 0) throw new ConfigError(`token-bucket: refill interval must be a positive number of ms, got ${refillEveryMs}`);
    this.tokens = burst;
    this.updatedMs = nowMs;
  }

  private refill(nowMs: number): void {
    if (nowMs <= this.updatedMs) return;
    this.tokens = Math.min(this.burst, this.tokens + (nowMs - this.updatedMs) / this.refillEveryMs);
    this.updatedMs = nowMs;
  }

  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Full again: nothing was spent that has not come back, so the bucket can be forgotten. */
  isFull(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.burst;
  }
}
