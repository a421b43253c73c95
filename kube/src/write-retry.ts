// Conflict-safe writes: read the current object, decide the next one, write it with the
// resourceVersion that was read; a 409 means someone wrote in between, so read and decide again.

import { ConfigError } from './errors.js';
import { isConflict } from './status.js';

/**
 * Resolves to what `write` returned, or to undefined when `decide` finds nothing to write.
 * After `attempts` conflicts in a row the last 409 is thrown; any other error at once.
 */
export async function writeWithRetry<T>(read: () => Promise<T>, decide: (current: T) => T | undefined, write: (next: T) => Promise<T>, opts: { attempts?: number } = {}): Promise<T | undefined> {
  const attempts = opts.attempts ?? 5;
  if (!Number.isInteger(attempts) || attempts < 1) throw new ConfigError(`write-retry: attempts must be a positive integer, got ${attempts}`);
  for (let attempt = 1; ; attempt++) {
    const next = decide(await read());
    if (next === undefined) return undefined;
    try {
      return await write(next);
    } catch (err) {
      if (!isConflict(err) || attempt >= attempts) throw err;
    }
  }
}
