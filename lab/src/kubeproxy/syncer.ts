// Coalesces bursts of changes into one apply after a quiet period, never runs two applies at
// once, and retries a failed apply with backoff. Timers are injected so tests never sleep.

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SyncerOptions {
  /** Does the work; a rejection schedules a retry. */
  readonly apply: () => Promise<void>;
  readonly onError: (err: unknown, retryInMs: number) => void;
  readonly debounceMs: number;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  readonly timers?: Timers;
}

export class Syncer {
  private timer: unknown = undefined;
  private running: Promise<void> | undefined;
  /** A change arrived while an apply ran: apply again when it ends. */
  private dirty = false;
  private retryMs: number;
  private stopped = false;
  private readonly timers: Timers;

  constructor(private readonly opts: SyncerOptions) {
    this.timers = opts.timers ?? realTimers;
    this.retryMs = opts.retryMinMs;
  }

  /** Something changed: apply once things have been quiet for debounceMs. */
  poke(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.dirty = true;
      return;
    }
    this.arm(this.opts.debounceMs);
  }

  /** Cancels pending work and waits for a running apply to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private arm(ms: number): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      this.run();
    }, ms);
  }

  private run(): void {
    if (this.stopped) return;
    this.dirty = false;
    this.running = this.opts.apply().then(
      () => {
        this.running = undefined;
        this.retryMs = this.opts.retryMinMs;
        if (this.dirty) this.arm(this.opts.debounceMs);
      },
      (err: unknown) => {
        this.running = undefined;
        const wait = this.retryMs;
        this.retryMs = Math.min(this.retryMs * 2, this.opts.retryMaxMs);
        if (this.stopped) return;
        this.opts.onError(err, wait);
        this.arm(wait);
      },
    );
  }
}
