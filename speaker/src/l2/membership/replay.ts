// Replay protection for authenticated datagrams: the sender's timestamp must be within a window
// of our clock, and a (sender, nonce) pair is accepted once while it could still be in the window.
import { REJECT, type RejectReason } from './errors.js';

export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private sweptAt = 0;

  /** Clocks of the nodes may differ by up to windowMs (NTP keeps them far closer). */
  constructor(private readonly windowMs: number) {}

  /** Undefined when the message is fresh (and now remembered); otherwise why it is refused. */
  check(sender: string, nonce: bigint, timestamp: number, now: number): RejectReason | undefined {
    if (Math.abs(now - timestamp) > this.windowMs) return REJECT.Stale;
    this.sweep(now);
    const id = `${sender}\u0000${nonce}`;
    if (this.seen.has(id)) return REJECT.Replayed;
    // Kept until the message's own timestamp leaves the window: after that, Stale refuses it.
    this.seen.set(id, timestamp + this.windowMs);
    return undefined;
  }

  get size(): number {
    return this.seen.size;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < this.windowMs / 4) return;
    this.sweptAt = now;
    for (const [id, until] of this.seen) if (until < now) this.seen.delete(id);
  }
}
