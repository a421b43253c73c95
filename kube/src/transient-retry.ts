// Retries a write that failed for a reason that may pass (no answer, 429, 5xx), with doubling
// waits; a refusal (any other 4xx) is final at once. Events use it so a blip loses none.
import { statusCodeOf } from './status.js';

export interface TransientRetryOptions {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Wait before the second try; each later wait doubles. */
  readonly firstDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** No HTTP status (a reset connection, a timeout), too many requests, or a server error. */
export function isTransient(err: unknown): boolean {
  const code = statusCodeOf(err);
  return code === undefined || code === 429 || code >= 500;
}

export async function retryTransient<T>(write: () => Promise<T>, opts: TransientRetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= opts.attempts || !isTransient(err)) throw err;
      await opts.sleep(opts.firstDelayMs * 2 ** (attempt - 1));
    }
  }
}
