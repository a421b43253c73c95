// SIGTERM/SIGINT handling for the programs: run the shutdown work once (withdraw, release
// the Lease, close servers), then exit 0; exit 1 if it fails or takes longer than allowed.

import type { Logger } from './log.js';

export interface ShutdownOptions {
  log: Logger;
  /** Default 25 s: inside Kubernetes' 30 s terminationGracePeriodSeconds. */
  timeoutMs?: number;
  /** For tests: where signals come from and how the process exits. */
  signals?: { once(signal: 'SIGTERM' | 'SIGINT', fn: () => void): unknown };
  exit?: (code: number) => void;
}

export function onShutdown(fn: () => Promise<void>, opts: ShutdownOptions): void {
  const signals = opts.signals ?? process;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = opts.timeoutMs ?? 25_000;
  let started = false;
  const handler = (signal: string) => () => {
    if (started) {
      // A second signal while shutting down: the operator means it.
      opts.log.warn({ signal }, 'shutdown: second signal, exiting now');
      exit(1);
      return;
    }
    started = true;
    opts.log.info({ signal, timeoutMs }, 'shutdown: signal received, shutting down');
    const timer = setTimeout(() => {
      opts.log.error({ timeoutMs }, 'shutdown: took too long, exiting');
      exit(1);
    }, timeoutMs);
    Promise.resolve()
      .then(fn)
      .then(
        () => {
          clearTimeout(timer);
          opts.log.info('shutdown: done');
          exit(0);
        },
        (err: unknown) => {
          clearTimeout(timer);
          opts.log.error({ err: String(err) }, 'shutdown: failed');
          exit(1);
        },
      );
  };
  signals.once('SIGTERM', handler('SIGTERM'));
  signals.once('SIGINT', handler('SIGINT'));
}
