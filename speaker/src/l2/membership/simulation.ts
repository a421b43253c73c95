// An in-memory network for the membership protocol: an injected clock, per-link latency,
// partitions and crashes, stepping every member the way the UDP transport does. Tests and
// benchmarks use it; nothing here touches a socket.
import { Membership, type MembershipConfig, type Outbound, type Peer } from './protocol.js';

interface InFlight {
  readonly at: number;
  readonly from: string;
  readonly to: string;
  readonly bytes: Uint8Array;
}

export interface SimulationOptions {
  readonly names: readonly string[];
  readonly key: Uint8Array;
  /** One-way delay of every datagram. */
  readonly latencyMs?: number;
  /** Clock step; members run their timers at this resolution. */
  readonly stepMs?: number;
  /** Start of the clock (ms since the epoch: the replay window compares it with timestamps). */
  readonly startAt?: number;
  readonly seed?: number;
  readonly configure?: (name: string) => Partial<MembershipConfig>;
}

export class SimulatedNetwork {
  now: number;
  readonly members = new Map<string, Membership>();
  readonly stopped = new Set<string>();
  /** Datagrams sent per member, and their bytes plus 28 of IPv4 and UDP headers. */
  readonly sentPackets = new Map<string, number>();
  readonly sentBytes = new Map<string, number>();
  private readonly side = new Map<string, number>();
  private inFlight: InFlight[] = [];
  private readonly latencyMs: number;
  private readonly stepMs: number;

  constructor(options: SimulationOptions) {
    this.now = options.startAt ?? 1_700_000_000_000;
    this.latencyMs = options.latencyMs ?? 1;
    this.stepMs = options.stepMs ?? 1;
    const random = mulberry32(options.seed ?? 1);
    const peers: Peer[] = options.names.map((name) => ({ name, address: name, port: 7946 }));
    for (const name of options.names) {
      const member = new Membership({ self: name, key: options.key, random, nonce: () => BigInt(Math.floor(random() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(random() * 2 ** 32)), ...options.configure?.(name) }, this.now);
      member.setPeers(peers);
      this.members.set(name, member);
    }
  }

  /** Members in different groups cannot reach each other; heal() joins them again. */
  partition(groups: readonly (readonly string[])[]): void {
    this.side.clear();
    groups.forEach((group, i) => group.forEach((name) => this.side.set(name, i)));
  }

  heal(): void {
    this.side.clear();
  }

  /** The process dies: no more ticks, datagrams to it are lost. */
  crash(name: string): void {
    this.stopped.add(name);
  }

  /** The member leaves cleanly (Membership.leave): its leave goes out now, like any datagram. */
  leave(name: string): void {
    const member = this.members.get(name);
    if (member !== undefined && !this.stopped.has(name)) this.send(name, member.leave(this.now));
  }

  /** A datagram from outside (a forger, a replay) to a member, delivered at the next step. */
  inject(to: string, bytes: Uint8Array, from = 'outside'): void {
    this.inFlight.push({ at: this.now, from, to, bytes });
  }

  /** Runs until `until`, calling `observe` after every step. */
  run(forMs: number, observe?: (now: number) => void): void {
    const until = this.now + forMs;
    while (this.now < until) {
      this.now += this.stepMs;
      const due = this.inFlight.filter((d) => d.at <= this.now);
      this.inFlight = this.inFlight.filter((d) => d.at > this.now);
      for (const d of due) {
        const member = this.members.get(d.to);
        if (member === undefined || this.stopped.has(d.to)) continue;
        this.send(d.to, member.receive(d.bytes, this.now));
      }
      for (const [name, member] of this.members) {
        if (this.stopped.has(name) || member.nextWakeAt() > this.now) continue;
        this.send(name, member.tick(this.now));
      }
      observe?.(this.now);
    }
  }

  private send(from: string, out: readonly Outbound[]): void {
    for (const o of out) {
      this.sentPackets.set(from, (this.sentPackets.get(from) ?? 0) + 1);
      this.sentBytes.set(from, (this.sentBytes.get(from) ?? 0) + o.bytes.length + 28);
      const a = this.side.get(from);
      const b = this.side.get(o.to.name);
      if (a !== undefined && b !== undefined && a !== b) continue;
      this.inFlight.push({ at: this.now + this.latencyMs, from, to: o.to.name, bytes: o.bytes });
    }
  }
}

/** A small seeded PRNG, so a simulation replays exactly. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
