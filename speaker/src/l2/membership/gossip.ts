// SWIM's dissemination: membership updates ride on the datagrams we send anyway, each a bounded
// number of times, so news reaches every member without traffic of its own.
import { MEMBER_STATE, type Update } from './codec.js';
import type { Member } from './member.js';
import type { MembershipOptions } from './options.js';

interface Queued {
  update: Update;
  sent: number;
}

export class GossipQueue {
  /** One update per member, the newest: an older one is no news once a newer exists. */
  private readonly queue = new Map<string, Queued>();

  constructor(private readonly options: Pick<MembershipOptions, 'retransmitMultiplier' | 'maxPiggyback'>) {}

  /** Queued afresh, so even a member's second change rides the full number of messages. */
  hold(update: Update): void {
    this.queue.set(update.name, { update, sent: 0 });
  }

  /**
   * `first` (a broadcast's own update), what we hold against the receiver if it is not alive (so
   * it can refute at once), then the least-sent queued updates. A queued update is dropped once it
   * has ridden retransmitMultiplier x log2(N+1) messages, SWIM's bound for reaching everyone.
   */
  piggyback(to: Member, first: readonly Update[], memberCount: number): Update[] {
    const limit = this.options.retransmitMultiplier * Math.ceil(Math.log2(memberCount + 2));
    const chosen = new Map<string, Update>(first.map((u) => [u.name, u]));
    if (to.state !== MEMBER_STATE.Alive && !chosen.has(to.peer.name)) chosen.set(to.peer.name, { name: to.peer.name, state: to.state, incarnation: to.incarnation });
    const queued = [...this.queue.values()].sort((a, b) => a.sent - b.sent);
    for (const q of queued) {
      if (chosen.size >= this.options.maxPiggyback) break;
      if (chosen.has(q.update.name)) continue;
      chosen.set(q.update.name, q.update);
      if (++q.sent >= limit) this.queue.delete(q.update.name);
    }
    return [...chosen.values()];
  }
}
