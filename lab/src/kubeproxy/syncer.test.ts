import { Syncer, type Timers } from './syncer.js';

/** A manual clock: timers fire only when the test advances time. */
class ManualTimers implements Timers {
  now = 0;
  private pending: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  set(fn: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.pending.push({ at: this.now + ms, fn, id });
    return id;
  }
  clear(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }
  /** Moves time forward, firing each timer at its own moment (and any it sets that fall due). */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const due = this.pending.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.pending = this.pending.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
      await flush();
    }
    this.now = end;
    await flush();
  }
  get armed(): number[] {
    return this.pending.map((t) => t.at - this.now);
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function harness(outcomes: (() => Promise<void>)[] = []) {
  const timers = new ManualTimers();
  const applies: number[] = [];
  const errors: [string, number][] = [];
  const syncer = new Syncer({
    apply: async () => {
      applies.push(timers.now);
      const next = outcomes.shift();
      if (next !== undefined) await next();
    },
    onError: (err, retry) => errors.push([(err as Error).message, retry]),
    debounceMs: 50,
    retryMinMs: 100,
    retryMaxMs: 400,
    timers,
  });
  return { timers, applies, errors, syncer };
}

test('a burst of changes becomes one apply after the quiet period', async () => {
  const { timers, applies, syncer } = harness();
  syncer.poke();
  await timers.advance(20);
  syncer.poke();
  await timers.advance(20);
  syncer.poke();
  await timers.advance(49);
  expect(applies).toEqual([]);
  await timers.advance(1);
  expect(applies).toEqual([90]);
});

test('a change during an apply triggers exactly one more apply after it', async () => {
  let release!: () => void;
  const { timers, applies, syncer } = harness([() => new Promise<void>((r) => (release = r))]);
  syncer.poke();
  await timers.advance(50);
  expect(applies).toEqual([50]);
  syncer.poke();
  syncer.poke();
  await timers.advance(500);
  expect(applies).toEqual([50]);
  release();
  await flush();
  await timers.advance(50);
  expect(applies).toEqual([50, 600]);
  await timers.advance(1000);
  expect(applies).toHaveLength(2);
});

test('failed applies are retried with doubling backoff up to the cap, reset by a success', async () => {
  const fail = () => Promise.reject(new Error('nft: busy'));
  const { timers, applies, errors, syncer } = harness([fail, fail, fail, fail, () => Promise.resolve(), fail]);
  syncer.poke();
  await timers.advance(50 + 100 + 200 + 400 + 400);
  expect(applies).toEqual([50, 150, 350, 750, 1150]);
  expect(errors).toEqual([
    ['nft: busy', 100],
    ['nft: busy', 200],
    ['nft: busy', 400],
    ['nft: busy', 400],
  ]);
  syncer.poke();
  await timers.advance(50);
  expect(errors.at(-1)).toEqual(['nft: busy', 100]);
});

test('stop cancels pending work and nothing runs after it', async () => {
  const { timers, applies, syncer } = harness();
  syncer.poke();
  await syncer.stop();
  syncer.poke();
  await timers.advance(1000);
  expect(applies).toEqual([]);
  expect(timers.armed).toEqual([]);
});
