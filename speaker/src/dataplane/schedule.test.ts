import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { burstEnds, nextSlot, phaseOf, ProbeSchedule, type ProbeAnswer } from './schedule.js';

const TIMES = { periodicMs: 1000, burstIntervalMs: 20, burstMaxMs: 100 };
const OK1: ProbeAnswer = { status: 'ok', signature: 'ok w1' };
const OK2: ProbeAnswer = { status: 'ok', signature: 'ok w2' };
const DOWN: ProbeAnswer = { status: 'failing', signature: '503 localEndpoints 0' };
const NOT_SYNCED: ProbeAnswer = { status: 'failing', signature: '503 not in sync' };
const REFUSED: ProbeAnswer = { status: 'unreachable', signature: 'refused' };

describe('phaseOf', () => {
  it('is stable and inside the period', () => {
    expect(phaseOf('shop/web', 10_000)).toBe(phaseOf('shop/web', 10_000));
    for (let i = 0; i < 1000; i++) {
      const phase = phaseOf(`ns-${i}/svc-${i}`, 10_000);
      expect(Number.isInteger(phase) && phase >= 0 && phase < 10_000).toBe(true);
    }
  });

  it('spreads 100 Services over the period: no tenth of it holds more than 20', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100; i++) buckets[Math.floor(phaseOf(`default/web-${i}`, 10_000) / 1000)]! += 1;
    expect(Math.max(...buckets)).toBeLessThanOrEqual(20);
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(3);
  });
});

describe('nextSlot', () => {
  it.each([
    // now, phase, period -> next tick strictly after now
    [0, 300, 1000, 300],
    [299, 300, 1000, 300],
    [300, 300, 1000, 1300],
    [301, 300, 1000, 1300],
    [1299, 300, 1000, 1300],
    [5000, 0, 1000, 6000],
    [5001, 0, 1000, 6000],
    [1_700_000_000_123, 250, 10_000, 1_700_000_000_250],
  ])('now %d, phase %d, period %d -> %d', (now, phase, period, next) => expect(nextSlot(now, phase, period)).toBe(next));
});

describe('burstEnds', () => {
  it.each([
    // baseline, answer, ends
    ['ok w1', OK1, false],
    ['ok w1', OK2, true],
    ['ok w1', DOWN, true],
    ['ok w1', REFUSED, false],
    [DOWN.signature, DOWN, false],
    [DOWN.signature, NOT_SYNCED, true],
    [DOWN.signature, OK1, true],
    [undefined, OK1, true],
    [undefined, DOWN, false],
    [undefined, REFUSED, false],
  ] as const)('baseline %p, answer %p -> %p', (baseline, answer, ends) => expect(burstEnds(baseline, answer)).toBe(ends));
});

/** Runs rows against one schedule; each row changes the shared state and says what must follow. */
type Row =
  | { readonly at: number; readonly add: string }
  | { readonly at: number; readonly remove: string }
  | { readonly at: number; readonly poke: string; readonly accepted?: boolean }
  | { readonly at: number; readonly start: readonly string[] }
  | { readonly at: number; readonly finish: string; readonly answer: ProbeAnswer; readonly accepted?: boolean; readonly dueAt?: number; readonly bursting?: boolean; readonly seq?: number };

function run(rows: readonly Row[], times = TIMES): ProbeSchedule {
  const schedule = new ProbeSchedule(times);
  const seqs = new Map<string, number>();
  rows.forEach((row, i) => {
    const where = `row ${i}: ${JSON.stringify(row)}`;
    if ('add' in row) schedule.add(row.add, row.at);
    else if ('remove' in row) schedule.remove(row.remove);
    else if ('poke' in row) expect([where, schedule.poke(row.poke, row.at)]).toEqual([where, row.accepted ?? true]);
    else if ('start' in row) {
      const started: string[] = [];
      for (let next = schedule.startNext(row.at); next; next = schedule.startNext(row.at)) {
        started.push(next.key);
        seqs.set(next.key, next.seq);
      }
      expect([where, started]).toEqual([where, row.start]);
    } else {
      const seq = row.seq ?? seqs.get(row.finish) ?? -1;
      expect([where, schedule.finished(row.finish, seq, row.answer, row.at)]).toEqual([where, row.accepted ?? true]);
      if (row.dueAt !== undefined) expect([where, schedule.dueAt(row.finish)]).toEqual([where, row.dueAt]);
      if (row.bursting !== undefined) expect([where, schedule.bursting(row.finish)]).toEqual([where, row.bursting]);
    }
  });
  return schedule;
}

const A = 'shop/web';
const B = 'shop/cart';
const PA = phaseOf(A, TIMES.periodicMs);
const PB = phaseOf(B, TIMES.periodicMs);

describe('ProbeSchedule', () => {
  it('probes a new target at once, then on its own phase every period', () => {
    run([
      { at: 5, add: A },
      { at: 5, start: [A] },
      { at: 6, start: [] },
      { at: 7, finish: A, answer: OK1, dueAt: nextSlot(7, PA, 1000), bursting: false },
      { at: nextSlot(7, PA, 1000) - 1, start: [] },
      { at: nextSlot(7, PA, 1000), start: [A] },
      { at: nextSlot(7, PA, 1000) + 3, finish: A, answer: OK1, dueAt: nextSlot(7, PA, 1000) + 1000 },
    ]);
  });

  it('a poke probes at once, then every burstIntervalMs (start to start) until the answer changes', () => {
    run([
      { at: 0, add: A },
      { at: 0, start: [A] },
      { at: 1, finish: A, answer: DOWN },
      { at: 2000, poke: A },
      { at: 2000, start: [A] },
      { at: 2001, finish: A, answer: DOWN, dueAt: 2020, bursting: true },
      { at: 2020, start: [A] },
      { at: 2045, finish: A, answer: DOWN, dueAt: 2045, bursting: true }, // slower than the interval: again at once
      { at: 2045, start: [A] },
      { at: 2046, finish: A, answer: OK1, dueAt: nextSlot(2046, PA, 1000), bursting: false },
    ]);
  });

  it('a burst that sees no change stops after burstMaxMs and goes back to the phase', () => {
    const rows: Row[] = [
      { at: 0, add: A },
      { at: 0, start: [A] },
      { at: 0, finish: A, answer: OK1 },
      { at: 1000, poke: A },
    ];
    for (let t = 1000; t <= 1100; t += 20) {
      rows.push({ at: t, start: [A] }, { at: t + 1, finish: A, answer: OK1, bursting: t + 20 <= 1100 });
    }
    rows.push({ at: 1120, start: [] });
    const schedule = run(rows);
    expect(schedule.dueAt(A)).toBe(nextSlot(1101, PA, 1000));
  });

  it('an answer to a request sent before the poke does not count, even when it differs', () => {
    run([
      { at: 0, add: A },
      { at: 0, start: [A] },
      { at: 1, finish: A, answer: DOWN },
      { at: 2000, poke: A }, // baseline DOWN
      { at: 2000, start: [A] },
      { at: 2010, poke: A }, // in flight: nothing is queued twice
      { at: 2010, start: [] },
      { at: 2011, finish: A, answer: OK1, dueAt: 2011, bursting: true }, // asked before the second poke
      { at: 2011, start: [A] },
      { at: 2012, finish: A, answer: OK1, bursting: false }, // fresh, and not the DOWN of poke time
    ]);
  });

  it('a periodic request in flight at the poke is followed by a fresh one at once', () => {
    const T = nextSlot(1, PA, 1000);
    run([
      { at: 0, add: A },
      { at: 0, start: [A] },
      { at: 1, finish: A, answer: OK1, dueAt: T },
      { at: T - 1, start: [] },
      { at: T, start: [A] }, // periodic request in flight ...
      { at: T + 1, poke: A }, // ... when the EndpointSlice changes (baseline OK1)
      { at: T + 5, finish: A, answer: OK2, dueAt: T + 5, bursting: true }, // old request: asked again at once
      { at: T + 5, start: [A] },
      { at: T + 6, finish: A, answer: OK2, bursting: false }, // fresh and not OK1: done
    ]);
  });

  it('with no answer before the poke: failing answers become the baseline, the first ok ends it', () => {
    run([
      { at: 0, add: A },
      { at: 0, poke: A },
      { at: 0, start: [A] },
      { at: 1, finish: A, answer: REFUSED, dueAt: 20, bursting: true }, // kube-proxy has not opened the port yet
      { at: 20, start: [A] },
      { at: 21, finish: A, answer: DOWN, dueAt: 40, bursting: true }, // opened, rules not there yet: baseline now
      { at: 40, start: [A] },
      { at: 41, finish: A, answer: DOWN, dueAt: 60, bursting: true },
      { at: 60, start: [A] },
      { at: 61, finish: A, answer: OK1, bursting: false },
    ]);
  });

  it('a new target that answers ok at once needs no burst', () => {
    run([
      { at: 0, add: A },
      { at: 0, poke: A },
      { at: 0, start: [A] },
      { at: 1, finish: A, answer: OK1, dueAt: nextSlot(1, PA, 1000), bursting: false },
    ]);
  });

  it('an unreachable last answer gives no baseline: any ok afterwards ends the burst', () => {
    run([
      { at: 0, add: A },
      { at: 0, start: [A] },
      { at: 1, finish: A, answer: OK1 },
      { at: 1000, poke: A },
      { at: 1000, start: [A] },
      { at: 1001, finish: A, answer: REFUSED, bursting: true },
      { at: 1200, poke: A }, // last answer REFUSED: no baseline
      { at: 1200, start: [A] },
      { at: 1201, finish: A, answer: OK1, bursting: false },
    ]);
  });

  it('a removed or re-added target does not accept the old answer', () => {
    const schedule = run([
      { at: 0, add: A },
      { at: 0, start: [A] },
      { at: 1, remove: A },
      { at: 2, finish: A, answer: OK1, accepted: false },
      { at: 3, add: A },
      { at: 4, finish: A, answer: OK1, accepted: false, seq: 1 }, // the request sent before removal
      { at: 4, start: [A] },
      { at: 5, finish: A, answer: OK1, accepted: true },
      { at: 6, poke: B, accepted: false },
    ]);
    expect(schedule.size).toBe(1);
  });

  it('takes the earliest due first, then the first queued', () => {
    const C = 'shop/db';
    run([
      { at: 10, add: A },
      { at: 10, add: B },
      { at: 5, add: C },
      { at: 20, start: [C, A, B] },
    ]);
  });

  it('wakeAt is the earliest due target not in flight', () => {
    const schedule = run([
      { at: 0, add: A },
      { at: 0, add: B },
      { at: 0, start: [A, B] },
      { at: 1, finish: A, answer: OK1 },
    ]);
    expect(schedule.wakeAt()).toBe(nextSlot(1, PA, 1000));
    expect(schedule.inFlight(B)).toBe(true);
    schedule.finished(B, 2, OK1, 1);
    expect(schedule.wakeAt()).toBe(Math.min(nextSlot(1, PA, 1000), nextSlot(1, PB, 1000)));
    schedule.remove(A);
    schedule.remove(B);
    expect(schedule.wakeAt()).toBeUndefined();
  });

  it('keeps its order through many pokes and removals (the queue compacts)', () => {
    const schedule = new ProbeSchedule(TIMES);
    for (let i = 0; i < 50; i++) schedule.add(`ns/s${i}`, 1000 + i);
    for (let round = 0; round < 200; round++) for (let i = 0; i < 50; i += 7) schedule.poke(`ns/s${i}`, 500 + round);
    for (let i = 1; i < 50; i += 2) schedule.remove(`ns/s${i}`);
    const order: string[] = [];
    for (let next = schedule.startNext(10_000); next; next = schedule.startNext(10_000)) order.push(next.key);
    const expected = [...Array(50).keys()].filter((i) => i % 2 === 0 && i % 7 === 0).map((i) => `ns/s${i}`);
    const rest = [...Array(50).keys()].filter((i) => i % 2 === 0 && i % 7 !== 0).map((i) => `ns/s${i}`);
    expect(order).toEqual([...expected, ...rest]);
  });
});

describe('ProbeSchedule under any sequence of calls', () => {
  const KEYS = ['a/1', 'a/2', 'a/3', 'b/1'];
  const answers = [OK1, OK2, DOWN, NOT_SYNCED, REFUSED];
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom(...KEYS) }),
    fc.record({ kind: fc.constant('remove' as const), key: fc.constantFrom(...KEYS) }),
    fc.record({ kind: fc.constant('poke' as const), key: fc.constantFrom(...KEYS) }),
    fc.record({ kind: fc.constant('start' as const) }),
    fc.record({ kind: fc.constant('finish' as const), key: fc.constantFrom(...KEYS), answer: fc.constantFrom(...answers), stale: fc.boolean() }),
  );
  const step = fc.record({ op, elapse: fc.integer({ min: 0, max: 300 }) });

  it('keeps one request per target, starts only what is due, and re-checks within a period', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const schedule = new ProbeSchedule(TIMES);
        const inFlight = new Map<string, number>();
        let now = 0;
        for (const { op, elapse } of steps) {
          now += elapse;
          switch (op.kind) {
            case 'add':
              if (!schedule.has(op.key)) schedule.add(op.key, now);
              break;
            case 'remove':
              schedule.remove(op.key);
              inFlight.delete(op.key);
              break;
            case 'poke':
              expect(schedule.poke(op.key, now)).toBe(schedule.has(op.key));
              break;
            case 'start':
              for (let next = schedule.startNext(now); next; next = schedule.startNext(now)) {
                expect(inFlight.has(next.key)).toBe(false);
                inFlight.set(next.key, next.seq);
              }
              expect(schedule.wakeAt() === undefined || (schedule.wakeAt() as number) > now).toBe(true);
              break;
            case 'finish': {
              const seq = inFlight.get(op.key);
              const accepted = schedule.finished(op.key, op.stale || seq === undefined ? -1 : seq, op.answer, now);
              expect(accepted).toBe(!op.stale && seq !== undefined);
              if (accepted) {
                inFlight.delete(op.key);
                const due = schedule.dueAt(op.key) as number;
                expect(due).toBeGreaterThanOrEqual(now);
                expect(due - now).toBeLessThanOrEqual(TIMES.periodicMs);
              }
              break;
            }
          }
          for (const key of KEYS) expect(schedule.inFlight(key)).toBe(inFlight.has(key));
        }
      }),
    );
  });
});
