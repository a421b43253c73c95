// The clock a session runs its timers on: the system one, or a manual one that tests and
// simulations advance by hand, so nothing ever sleeps to test a hold timer.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since an arbitrary epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};

interface Pending {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
}

/** Time moves only when `advance` is called; due callbacks run in due order. */
export class ManualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly pending = new Set<Pending>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const entry: Pending = { due: this.time + Math.max(0, ms), seq: this.seq++, callback };
    this.pending.add(entry);
    return { cancel: () => this.pending.delete(entry) };
  }

  /** Timers still armed, for assertions. */
  get armed(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending) if (p.due <= until && (!next || p.due < next.due || (p.due === next.due && p.seq < next.seq))) next = p;
      if (!next) break;
      this.pending.delete(next);
      this.time = next.due;
      next.callback();
    }
    this.time = until;
  }
}
