// A keyed work queue in the manner of client-go's: a key waits at most once however often it
// is added, is never handed to two workers at once, and a key added while it is being worked
// on runs again afterwards. That coalesces bursts without ever losing the last change.
export class WorkQueue {
  readonly #order: string[] = [];
  #head = 0;
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #waiters: ((key: string | undefined) => void)[] = [];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #shutDown = false;

  add(key: string): void {
    if (this.#shutDown) return;
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      this.#processing.add(key);
      waiter(key);
      return;
    }
    this.#queued.add(key);
    this.#order.push(key);
  }

  /** Adds the key after a delay (a retry); a shut-down queue drops it. */
  addAfter(key: string, ms: number): void {
    if (this.#shutDown) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      this.add(key);
    }, ms);
    this.#timers.add(t);
  }

  /** The next key to work on, or undefined once shut down and drained. Call done(key) after. */
  get(): Promise<string | undefined> {
    while (this.#head < this.#order.length) {
      const key = this.#order[this.#head++]!;
      if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
        this.#order.splice(0, this.#head);
        this.#head = 0;
      }
      if (!this.#queued.delete(key)) continue;
      this.#processing.add(key);
      return Promise.resolve(key);
    }
    if (this.#shutDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.delete(key)) this.add(key);
  }

  get length(): number {
    return this.#queued.size;
  }

  /** Nothing queued and nothing being worked on. */
  idle(): boolean {
    return this.#queued.size === 0 && this.#processing.size === 0 && this.#timers.size === 0;
  }

  shutDown(): void {
    this.#shutDown = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const w of this.#waiters.splice(0)) w(undefined);
    this.#queued.clear();
    this.#order.length = 0;
    this.#head = 0;
  }
}
