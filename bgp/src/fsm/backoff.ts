// ConnectRetry delays: exponential in the number of consecutive failures, capped, and
// jittered by an injected random source so tests and simulations are deterministic.

import type { BackoffConfig } from './config.js';

/** Seconds before retry number `attempt` (0 for the first). `random` returns [0, 1). */
export function retryDelay(attempt: number, cfg: BackoffConfig, random: () => number): number {
  const exponent = Math.min(Math.max(0, attempt), 30);
  const base = Math.min(cfg.max, cfg.initial * 2 ** exponent);
  const draw = random();
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return base * (1 - cfg.jitter * unit);
}
