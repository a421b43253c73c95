// The probes awaiting an ack, by seq: which one an ack answers, and when each gives up. Seqs are
// ours alone, so an ack from the wrong node, or for a probe already closed, matches nothing.
import type { Message } from './codec.js';

export type Probe =
  | { readonly kind: 'direct'; readonly target: string; readonly until: number }
  | { readonly kind: 'indirect'; readonly target: string; readonly until: number }
  | { readonly kind: 'relay'; readonly target: string; readonly requester: string; readonly requesterSeq: number; readonly until: number };

export class PendingProbes {
  private readonly pending = new Map<number, Probe>();
  private seq = 0;

  /** Tracks a probe under a fresh seq, which its ping carries. 0 is skipped: gossip carries seq 0. */
  open(probe: Probe): number {
    this.seq = (this.seq + 1) >>> 0;
    if (this.seq === 0) this.seq = 1;
    this.pending.set(this.seq, probe);
    return this.seq;
  }

  /** The probe this ack closes, or undefined when it answers none of ours. */
  answer(ack: Message): Probe | undefined {
    const probe = this.pending.get(ack.seq);
    if (probe === undefined) return undefined;
    // Our own pings are acked by their target itself; a helper's ack for an indirect probe names the target.
    if (probe.kind === 'direct' && ack.sender !== probe.target) return undefined;
    if (probe.kind === 'relay' && ack.sender !== probe.target) return undefined;
    if (probe.kind === 'indirect' && ack.target !== probe.target) return undefined;
    this.pending.delete(ack.seq);
    return probe;
  }

  /**
   * Drops the probes whose time is up, yielding the direct ones (only those are misses). Lazy over
   * the live table: the caller may open probes while it walks, and a timeout of 0 expires them too.
   */
  *expire(now: number): Generator<{ readonly seq: number; readonly target: string }> {
    for (const [seq, p] of this.pending) {
      if (p.until > now) continue;
      this.pending.delete(seq);
      if (p.kind === 'direct') yield { seq, target: p.target };
    }
  }

  /** The earliest of `at` and every probe's deadline. */
  earliest(at: number): number {
    for (const p of this.pending.values()) at = Math.min(at, p.until);
    return at;
  }

  clear(): void {
    this.pending.clear();
  }
}
