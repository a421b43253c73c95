// Whom each round probes. The choice alone decides how fast a crash is seen and how far news
// spreads, so it sits apart from what a probe's answer (or silence) does.
import { MEMBER_STATE } from './codec.js';
import type { Member } from './member.js';
import type { MembershipOptions } from './options.js';

export class ProbeRing {
  /** Names sorted, ours among them: the ring that decides who monitors whom. */
  private ring: string[] = [];
  private deadCursor = 0;

  constructor(private readonly options: Pick<MembershipOptions, 'self' | 'ringMonitors' | 'random'>) {}

  /** The other members' names, whenever the Node list changes. */
  reset(names: Iterable<string>): void {
    this.ring = [...names, this.options.self].sort();
  }

  /**
   * The ring successors that are not dead (so every live member has `ringMonitors` watchers
   * and a crash is seen by all of them within a few rounds), one random member (SWIM's epidemic
   * spread of the piggybacked updates), and one dead member in turn (so a healed partition or a
   * restarted speaker is found again within a few rounds).
   */
  targets(members: ReadonlyMap<string, Member>): string[] {
    const targets = new Set<string>();
    const start = this.ring.indexOf(this.options.self);
    for (let i = 1; i < this.ring.length && targets.size < this.options.ringMonitors; i++) {
      const name = this.ring[(start + i) % this.ring.length] ?? '';
      const m = members.get(name);
      if (m !== undefined && m.state !== MEMBER_STATE.Dead) targets.add(name);
    }
    const others = [...members.values()].filter((m) => m.state !== MEMBER_STATE.Dead && !targets.has(m.peer.name));
    for (const m of pick(others, 1, this.options.random)) targets.add(m.peer.name);
    const dead = [...members.values()].filter((m) => m.state === MEMBER_STATE.Dead).map((m) => m.peer.name).sort();
    if (dead.length > 0) targets.add(dead[this.deadCursor++ % dead.length] ?? '');
    return [...targets];
  }
}

/** Up to `count` of `list`, without repeats; `random` is injected so a simulation replays exactly. */
export function pick<T>(list: readonly T[], count: number, random: () => number): T[] {
  const pool = [...list];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    const [one] = pool.splice(Math.floor(random() * pool.length), 1);
    if (one !== undefined) out.push(one);
  }
  return out;
}
