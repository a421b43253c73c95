// When to probe what: pure bookkeeping over clock readings (no timers, no I/O). The prober asks
// it for due targets, reports starts and answers, and arms one timer for wakeAt().
//
// Periodic: each target has a fixed phase in [0, periodicMs) from a hash of its key, and is
// re-checked on the next tick of its own phase, so 100 targets spread over the period instead of
// firing together, and adding or removing one never moves the others.
// Burst: poke() probes at once, then every burstIntervalMs (start to start), until an answer
// asked after the poke shows the change, or burstMaxMs has passed; then back to the phase.
import { DataPlaneError } from './errors.js';
import { CHECK_STATUS, type CheckStatus } from './types.js';

export interface ScheduleTimes {
  readonly periodicMs: number;
  readonly burstIntervalMs: number;
  readonly burstMaxMs: number;
}

/** What the schedule needs to know of an answer. */
export interface ProbeAnswer {
  readonly status: CheckStatus;
  /** Equal for answers that say the same thing (answerSignature in parse.ts). */
  readonly signature: string;
}

interface Burst {
  readonly until: number;
  /** Requests numbered up to this one were asked before the poke: their answers do not count. */
  readonly afterSeq: number;
  /** The HTTP answer (ok or failing) the change must move away from; undefined when there was none. */
  baseline: string | undefined;
}

interface Entry {
  readonly phase: number;
  /** undefined while a request is in flight. */
  dueAt: number | undefined;
  inFlight: { readonly seq: number; readonly startedAt: number } | undefined;
  burst: Burst | undefined;
  last: ProbeAnswer | undefined;
  /** Bumped whenever dueAt is set, so older heap items for this entry are skipped. */
  gen: number;
}

interface HeapItem {
  readonly at: number;
  readonly order: number;
  readonly key: string;
  readonly entry: Entry;
  readonly gen: number;
}

/** FNV-1a over the key's UTF-16 units: stable across restarts and nodes, cheap, well spread. */
export function phaseOf(key: string, periodicMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % periodicMs;
}

/** The first tick of `phase` strictly after `now`: ticks are phase + k * periodicMs. */
export function nextSlot(now: number, phase: number, periodicMs: number): number {
  return phase + (Math.floor((now - phase) / periodicMs) + 1) * periodicMs;
}

/**
 * Whether an answer asked after the poke ends the burst. Unreachable never does (kube-proxy
 * restarting is not the change a poke waits for). Without a baseline (a new target, or only
 * unreachable before) an ok answer ends it and the first failing one becomes the baseline.
 */
export function burstEnds(baseline: string | undefined, answer: ProbeAnswer): boolean {
  if (answer.status === CHECK_STATUS.Unreachable) return false;
  if (baseline === undefined) return answer.status === CHECK_STATUS.Ok;
  return answer.signature !== baseline;
}

export class ProbeSchedule {
  private readonly entries = new Map<string, Entry>();
  private heap: HeapItem[] = [];
  private seq = 0;
  private order = 0;

  constructor(private readonly times: ScheduleTimes) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  inFlight(key: string): boolean {
    return this.entries.get(key)?.inFlight !== undefined;
  }

  bursting(key: string): boolean {
    return this.entries.get(key)?.burst !== undefined;
  }

  /** When the target is next due; undefined while in flight or unknown. */
  dueAt(key: string): number | undefined {
    return this.entries.get(key)?.dueAt;
  }

  /** A new target is due at once (it has no answer yet), then follows its phase. */
  add(key: string, now: number): void {
    if (this.entries.has(key)) throw new DataPlaneError(`schedule: ${key} is already a target`);
    const entry: Entry = { phase: phaseOf(key, this.times.periodicMs), dueAt: undefined, inFlight: undefined, burst: undefined, last: undefined, gen: 0 };
    this.entries.set(key, entry);
    this.setDue(key, entry, now);
  }

  /** Forgets the target; an answer to its request in flight will not be accepted. */
  remove(key: string): void {
    this.entries.delete(key);
  }

  /** Starts (or restarts) a burst; false for an unknown target. A request in flight does not count for it. */
  poke(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    const baseline = entry.last && entry.last.status !== CHECK_STATUS.Unreachable ? entry.last.signature : undefined;
    entry.burst = { until: now + this.times.burstMaxMs, afterSeq: this.seq, baseline };
    if (!entry.inFlight) this.setDue(key, entry, now);
    return true;
  }

  /**
   * Takes the target due earliest (first queued on a tie) that is due by `now` and starts a request
   * for it: returns its key and the request's number for finished(); undefined when none is due.
   */
  startNext(now: number): { readonly key: string; readonly seq: number } | undefined {
    const top = this.peek();
    if (!top || top.at > now) return undefined;
    this.pop();
    return { key: top.key, seq: this.started(top.key, now) };
  }

  /** When the next target falls due (maybe in the past: then the prober is at its concurrency limit). */
  wakeAt(): number | undefined {
    return this.peek()?.at;
  }

  private started(key: string, now: number): number {
    const entry = this.entries.get(key) as Entry;
    const seq = ++this.seq;
    entry.inFlight = { seq, startedAt: now };
    entry.dueAt = undefined;
    entry.gen++;
    return seq;
  }

  /** The answer to request `seq` came in; false when it no longer counts (target removed or re-added). */
  finished(key: string, seq: number, answer: ProbeAnswer, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || entry.inFlight?.seq !== seq) return false;
    const { startedAt } = entry.inFlight;
    entry.inFlight = undefined;
    entry.last = answer;
    const burst = entry.burst;
    if (burst) {
      if (seq <= burst.afterSeq) {
        // Asked before the poke: probe again at once, even past burstMaxMs (a poke gets one fresh answer).
        this.setDue(key, entry, now);
        return true;
      }
      if (burstEnds(burst.baseline, answer)) entry.burst = undefined;
      else {
        if (burst.baseline === undefined && answer.status === CHECK_STATUS.Failing) burst.baseline = answer.signature;
        const next = Math.max(now, startedAt + this.times.burstIntervalMs);
        if (next <= burst.until) {
          this.setDue(key, entry, next);
          return true;
        }
        entry.burst = undefined;
      }
    }
    this.setDue(key, entry, nextSlot(now, entry.phase, this.times.periodicMs));
    return true;
  }

  private setDue(key: string, entry: Entry, at: number): void {
    if (this.heap.length > 2 * this.entries.size + 64) this.compact();
    entry.dueAt = at;
    entry.gen++;
    this.push({ at, order: this.order++, key, entry, gen: entry.gen });
  }

  private valid(item: HeapItem): boolean {
    return this.entries.get(item.key) === item.entry && item.entry.gen === item.gen && item.entry.dueAt !== undefined;
  }

  private peek(): HeapItem | undefined {
    for (;;) {
      const top = this.heap[0];
      if (!top || this.valid(top)) return top;
      this.pop();
    }
  }

  private compact(): void {
    const items = this.heap.filter((item) => this.valid(item));
    this.heap = [];
    for (const item of items) this.push(item);
  }

  // A binary min-heap on (at, order): stale items are skipped when they reach the top.
  private before(a: HeapItem, b: HeapItem): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(item: HeapItem): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as HeapItem;
      if (!this.before(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const l = heap[left] as HeapItem;
      const r = heap[right];
      const child = r && this.before(r, l) ? right : left;
      const c = heap[child] as HeapItem;
      if (!this.before(c, last)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
  }
}
