// Runs the demo as named steps: one short line each as it goes ("title ... done, 1.2 s"),
// and a failure that names its step, so the user knows what broke and whose log to read.

export class StepFailed extends Error {
  override readonly name = 'StepFailed';
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(`demo/steps: step "${step}" failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface StepRunner {
  run<T>(title: string, fn: () => Promise<T>, done?: (value: T) => string): Promise<T>;
}

/**
 * write gets partial lines (the title first, the outcome when the step ends) so a slow step
 * shows what it is waiting for; `done` may add a few words on what the step found.
 */
export function stepRunner(write: (text: string) => void, opts: { now?: () => number; cancelled?: () => boolean } = {}): StepRunner {
  const now = opts.now ?? Date.now;
  return {
    async run(title, fn, done) {
      // Checked between steps only: a step half done is harder to undo than one not begun.
      if (opts.cancelled?.() === true) throw new StepFailed(title, new Error('interrupted before this step'));
      write(`- ${title} ... `);
      const started = now();
      const secs = (): string => `${((now() - started) / 1000).toFixed(1)} s`;
      try {
        const value = await fn();
        const extra = done?.(value);
        write(`${extra === undefined || extra === '' ? 'done' : extra}, ${secs()}\n`);
        return value;
      } catch (err) {
        write(`FAILED after ${secs()}\n`);
        throw new StepFailed(title, err);
      }
    },
  };
}
