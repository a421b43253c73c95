// SWIM-style membership among the speakers, with no I/O: datagrams and clock readings in,
// datagrams out. The UDP transport and the in-memory simulation drive the same code.
import { decodeMessage, encodeMessage, checkKey, interfacesProblem, MEMBER_STATE, MESSAGE_TYPE, type MemberState, type Message, type MessageType, type Update } from './codec.js';
import { MembershipError, MembershipWireError, REJECT, type RejectReason } from './errors.js';
import { checkOptions, DEFAULTS, type MembershipOptions } from './options.js';
import { ReplayGuard } from './replay.js';

/** Where a member's speaker listens; the address is opaque here (an IP for UDP, a name in a simulation). */
export interface Peer {
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

export interface Outbound {
  readonly to: Peer;
  readonly bytes: Uint8Array;
}

export interface MemberStatus {
  readonly name: string;
  readonly state: MemberState;
  readonly incarnation: number;
  /** An authenticated message from it has arrived since we started: probes work between us. */
  readonly heard: boolean;
  /** Its interfaces among those L2Advertisements name, from its last message; undefined until heard. */
  readonly interfaces: readonly string[] | undefined;
}

export interface MembershipCounters {
  received: number;
  sent: number;
  rejected: Record<RejectReason, number>;
  /** Times we were suspected or declared dead and answered with a higher incarnation. */
  refuted: number;
}

interface Member {
  peer: Peer;
  state: MemberState;
  incarnation: number;
  heard: boolean;
  interfaces: readonly string[] | undefined;
  missed: number;
  /** Seq of the unanswered direct ping, if any. */
  probing: number | undefined;
  /** When the indirect probes give up, while they run. */
  indirectUntil: number | undefined;
  suspectUntil: number | undefined;
}

type Pending =
  | { readonly kind: 'direct'; readonly target: string; readonly until: number }
  | { readonly kind: 'indirect'; readonly target: string; readonly until: number }
  | { readonly kind: 'relay'; readonly target: string; readonly requester: string; readonly requesterSeq: number; readonly until: number };

interface Queued {
  update: Update;
  sent: number;
}

export type MembershipConfig = Pick<MembershipOptions, 'self' | 'key'> & Partial<MembershipOptions>;

export class Membership {
  readonly options: MembershipOptions;
  readonly counters: MembershipCounters = { received: 0, sent: 0, rejected: { 'malformed': 0, 'bad-version': 0, 'bad-mac': 0, 'stale': 0, 'replayed': 0, 'unknown-sender': 0, 'from-self': 0, 'wrong-target': 0 }, refuted: 0 };
  /** Bumped on every change of a member's state or incarnation: the caller re-elects when it moves. */
  version = 0;
  private incarnation = 0;
  private readonly members = new Map<string, Member>();
  /** Names sorted: the ring that decides who monitors whom. */
  private ring: string[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly queue = new Map<string, Queued>();
  private readonly replay: ReplayGuard;
  private seq = 0;
  private nextRoundAt: number;
  private deadCursor = 0;
  private lastHeardAt: number;
  /** Ours, sent in every message. */
  private interfaces: readonly string[] = [];
  /** After leave(): we are dead by our own word, and say nothing more. */
  private left = false;

  constructor(config: MembershipConfig, now: number) {
    checkKey(config.key);
    this.options = {
      ...DEFAULTS,
      random: Math.random,
      nonce: () => BigInt(Math.floor(Math.random() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(Math.random() * 2 ** 32)),
      ...config,
    };
    checkOptions(this.options);
    this.replay = new ReplayGuard(this.options.replayWindowMs);
    this.nextRoundAt = now;
    this.lastHeardAt = now;
  }

  get self(): string {
    return this.options.self;
  }

  /** The speakers to watch (from the Node list); ourselves may be in it. Known members keep their state. */
  setPeers(peers: readonly Peer[]): void {
    const wanted = new Map(peers.filter((p) => p.name !== this.self).map((p) => [p.name, p]));
    for (const name of this.members.keys()) if (!wanted.has(name)) this.members.delete(name);
    for (const [name, peer] of wanted) {
      const known = this.members.get(name);
      if (known !== undefined) known.peer = peer;
      else this.members.set(name, { peer, state: MEMBER_STATE.Alive, incarnation: 0, heard: false, interfaces: undefined, missed: 0, probing: undefined, indirectUntil: undefined, suspectUntil: undefined });
    }
    this.ring = [...this.members.keys(), this.self].sort();
    this.version++;
  }

  /**
   * This node's interfaces among those any L2Advertisement names (a node only knows its own):
   * every message carries them from now on. Duplicates and order do not matter.
   */
  setInterfaces(names: readonly string[]): void {
    const sorted = [...new Set(names)].sort();
    const problem = interfacesProblem(sorted);
    if (problem !== undefined) throw new MembershipError(`cannot publish these interfaces: ${problem}`);
    if (sameList(sorted, this.interfaces)) return;
    this.interfaces = sorted;
    this.version++;
  }

  /**
   * A clean exit: we declare ourselves dead at our own incarnation (dead beats alive at the same
   * incarnation, so every peer applies it at once and re-elects) and tell every member not dead.
   * From then on we refute nothing and answer nothing. Each call makes fresh datagrams (new
   * nonces), so sending it again against loss is not refused as a replay.
   */
  leave(now: number): Outbound[] {
    this.left = true;
    this.pending.clear();
    const update: Update = { name: this.self, state: MEMBER_STATE.Dead, incarnation: this.incarnation };
    const out: Outbound[] = [];
    for (const m of this.members.values()) if (m.state !== MEMBER_STATE.Dead) out.push(this.message(MESSAGE_TYPE.Gossip, m, 0, '', now, [update]));
    return out;
  }

  get hasLeft(): boolean {
    return this.left;
  }

  status(): MemberStatus[] {
    const out: MemberStatus[] = [{ name: this.self, state: this.left ? MEMBER_STATE.Dead : MEMBER_STATE.Alive, incarnation: this.incarnation, heard: true, interfaces: this.interfaces }];
    for (const m of this.members.values()) out.push({ name: m.peer.name, state: m.state, incarnation: m.incarnation, heard: m.heard, interfaces: m.interfaces });
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** False when peers exist and none has been heard for silenceMs: our port is blocked, or we are cut off. */
  probesWorking(now: number): boolean {
    return this.members.size === 0 || now - this.lastHeardAt < this.options.silenceMs;
  }

  /** The earliest time tick() has something to do. */
  nextWakeAt(): number {
    if (this.left) return Number.MAX_SAFE_INTEGER;
    let at = this.nextRoundAt;
    for (const p of this.pending.values()) at = Math.min(at, p.until);
    for (const m of this.members.values()) {
      if (m.indirectUntil !== undefined) at = Math.min(at, m.indirectUntil);
      if (m.suspectUntil !== undefined) at = Math.min(at, m.suspectUntil);
    }
    return at;
  }

  tick(now: number): Outbound[] {
    if (this.left) return [];
    const out: Outbound[] = [];
    this.expireProbes(now, out);
    for (const m of this.members.values()) {
      if (m.indirectUntil !== undefined && m.indirectUntil <= now) {
        m.indirectUntil = undefined;
        if (m.state === MEMBER_STATE.Alive) this.learn({ name: m.peer.name, state: MEMBER_STATE.Suspect, incarnation: m.incarnation }, now, out);
      }
      if (m.state === MEMBER_STATE.Suspect && m.suspectUntil !== undefined && m.suspectUntil <= now) {
        this.learn({ name: m.peer.name, state: MEMBER_STATE.Dead, incarnation: m.incarnation }, now, out);
      }
    }
    if (now >= this.nextRoundAt) {
      // A late tick (a busy event loop) starts the next round from now rather than bunching rounds.
      this.nextRoundAt = Math.max(this.nextRoundAt + this.options.probeIntervalMs, now + 1);
      for (const name of this.roundTargets()) {
        const m = this.members.get(name);
        if (m !== undefined && m.probing === undefined) this.ping(m, now, out);
      }
    }
    return out;
  }

  /** One datagram from the network. Refused ones are counted by reason and answered with nothing. */
  receive(bytes: Uint8Array, now: number): Outbound[] {
    if (this.left) return [];
    let message: Message;
    try {
      message = decodeMessage(bytes, this.options.key);
      const refused = this.refusal(message, now);
      if (refused !== undefined) throw new MembershipWireError(refused, `from ${JSON.stringify(message.sender)}`);
    } catch (error) {
      if (error instanceof MembershipWireError) {
        this.counters.rejected[error.reason]++;
        return [];
      }
      throw error;
    }
    this.counters.received++;
    this.lastHeardAt = now;
    const out: Outbound[] = [];
    const sender = this.members.get(message.sender);
    if (sender === undefined) return out;
    if (!sender.heard) {
      sender.heard = true;
      this.version++;
    }
    // Its interfaces decide which IPs it may own: a change re-runs the election like a state change.
    if (sender.interfaces === undefined || !sameList(sender.interfaces, message.interfaces)) {
      sender.interfaces = message.interfaces;
      this.version++;
    }
    // Every message is its sender's word that it is alive at its incarnation.
    this.learn({ name: message.sender, state: MEMBER_STATE.Alive, incarnation: message.incarnation }, now, out);
    for (const update of message.updates) this.learn(update, now, out);

    switch (message.type) {
      case MESSAGE_TYPE.Ping:
        out.push(this.message(MESSAGE_TYPE.Ack, sender, message.seq, this.self, now));
        break;
      case MESSAGE_TYPE.PingReq: {
        const target = this.members.get(message.target);
        if (target === undefined) break;
        const seq = this.nextSeq();
        this.pending.set(seq, { kind: 'relay', target: target.peer.name, requester: sender.peer.name, requesterSeq: message.seq, until: now + this.options.indirectTimeoutMs });
        out.push(this.message(MESSAGE_TYPE.Ping, target, seq, target.peer.name, now));
        break;
      }
      case MESSAGE_TYPE.Ack:
        this.acked(message, now, out);
        break;
      default:
        break;
    }
    return out;
  }

  private refusal(message: Message, now: number): RejectReason | undefined {
    if (message.sender === this.self) return REJECT.FromSelf;
    if (!this.members.has(message.sender)) return REJECT.UnknownSender;
    // A ping for another name is a replay to the wrong host (or an address reused by another node).
    if (message.type === MESSAGE_TYPE.Ping && message.target !== this.self) return REJECT.WrongTarget;
    return this.replay.check(message.sender, message.nonce, message.timestamp, now);
  }

  private acked(message: Message, now: number, out: Outbound[]): void {
    const pending = this.pending.get(message.seq);
    if (pending === undefined) return;
    if (pending.kind === 'direct' && message.sender !== pending.target) return;
    if (pending.kind === 'relay' && message.sender !== pending.target) return;
    if (pending.kind === 'indirect' && message.target !== pending.target) return;
    this.pending.delete(message.seq);
    const target = this.members.get(pending.target);
    if (pending.kind === 'relay') {
      const requester = this.members.get(pending.requester);
      if (requester !== undefined) out.push(this.message(MESSAGE_TYPE.Ack, requester, pending.requesterSeq, pending.target, now));
      return;
    }
    if (target === undefined) return;
    if (target.probing === message.seq) target.probing = undefined;
    target.missed = 0;
    target.indirectUntil = undefined;
  }

  private expireProbes(now: number, out: Outbound[]): void {
    for (const [seq, p] of this.pending) {
      if (p.until > now) continue;
      this.pending.delete(seq);
      if (p.kind !== 'direct') continue;
      const m = this.members.get(p.target);
      if (m === undefined || m.probing !== seq) continue;
      m.probing = undefined;
      m.missed++;
      if (m.missed >= this.options.missesBeforeIndirect && m.state === MEMBER_STATE.Alive && m.indirectUntil === undefined) this.probeIndirectly(m, now, out);
    }
  }

  private probeIndirectly(m: Member, now: number, out: Outbound[]): void {
    m.indirectUntil = now + this.options.indirectTimeoutMs;
    const helpers = this.pick([...this.members.values()].filter((h) => h !== m && h.state !== MEMBER_STATE.Dead), this.options.indirectProbes);
    for (const helper of helpers) {
      const seq = this.nextSeq();
      this.pending.set(seq, { kind: 'indirect', target: m.peer.name, until: m.indirectUntil });
      out.push(this.message(MESSAGE_TYPE.PingReq, helper, seq, m.peer.name, now));
    }
    this.ping(m, now, out);
  }

  /**
   * The ring successors that are not dead (so every live member has `ringMonitors` watchers
   * and a crash is seen by all of them within a few rounds), one random member (SWIM's epidemic
   * spread of the piggybacked updates), and one dead member in turn (so a healed partition or a
   * restarted speaker is found again within a few rounds).
   */
  private roundTargets(): string[] {
    const targets = new Set<string>();
    const start = this.ring.indexOf(this.self);
    for (let i = 1; i < this.ring.length && targets.size < this.options.ringMonitors; i++) {
      const name = this.ring[(start + i) % this.ring.length] ?? '';
      const m = this.members.get(name);
      if (m !== undefined && m.state !== MEMBER_STATE.Dead) targets.add(name);
    }
    const others = [...this.members.values()].filter((m) => m.state !== MEMBER_STATE.Dead && !targets.has(m.peer.name));
    for (const m of this.pick(others, 1)) targets.add(m.peer.name);
    const dead = [...this.members.values()].filter((m) => m.state === MEMBER_STATE.Dead).map((m) => m.peer.name).sort();
    if (dead.length > 0) targets.add(dead[this.deadCursor++ % dead.length] ?? '');
    return [...targets];
  }

  private ping(m: Member, now: number, out: Outbound[]): void {
    const seq = this.nextSeq();
    m.probing = seq;
    this.pending.set(seq, { kind: 'direct', target: m.peer.name, until: now + this.options.ackTimeoutMs });
    out.push(this.message(MESSAGE_TYPE.Ping, m, seq, m.peer.name, now));
  }

  /** Applies SWIM's precedence; a change is queued for piggybacking and, if it matters, broadcast. */
  private learn(update: Update, now: number, out: Outbound[]): void {
    if (update.name === this.self) {
      if (update.state !== MEMBER_STATE.Alive && update.incarnation >= this.incarnation) {
        this.incarnation = update.incarnation + 1;
        this.counters.refuted++;
        this.version++;
        this.spread({ name: this.self, state: MEMBER_STATE.Alive, incarnation: this.incarnation }, now, out);
      }
      return;
    }
    const m = this.members.get(update.name);
    if (m === undefined || !supersedes(update, m)) return;
    const wasDead = m.state === MEMBER_STATE.Dead;
    m.state = update.state;
    m.incarnation = update.incarnation;
    m.suspectUntil = update.state === MEMBER_STATE.Suspect ? now + this.options.suspicionTimeoutMs : undefined;
    if (update.state !== MEMBER_STATE.Alive) m.indirectUntil = undefined;
    if (update.state === MEMBER_STATE.Alive) m.missed = 0;
    this.version++;
    // Suspicion, death and a return from the dead change elections: every member hears at once.
    // Plain incarnation bumps of live members only ride along on pings.
    if (update.state !== MEMBER_STATE.Alive || wasDead) this.spread(update, now, out);
    else this.queue.set(update.name, { update, sent: 0 });
  }

  private spread(update: Update, now: number, out: Outbound[]): void {
    this.queue.set(update.name, { update, sent: 0 });
    for (const m of this.members.values()) out.push(this.message(MESSAGE_TYPE.Gossip, m, 0, '', now, [update]));
  }

  private message(type: MessageType, to: Member, seq: number, target: string, now: number, first: readonly Update[] = []): Outbound {
    const updates = this.piggyback(to, first);
    const message: Message = { type, timestamp: now, nonce: this.options.nonce(), seq, sender: this.self, incarnation: this.incarnation, target, interfaces: this.interfaces, updates };
    this.counters.sent++;
    return { to: to.peer, bytes: encodeMessage(message, this.options.key) };
  }

  /**
   * `first` (a broadcast's own update), what we hold against the receiver if it is not alive (so
   * it can refute at once), then the least-sent queued updates. A queued update is dropped once it
   * has ridden retransmitMultiplier x log2(N+1) messages, SWIM's bound for reaching everyone.
   */
  private piggyback(to: Member, first: readonly Update[]): Update[] {
    const limit = this.options.retransmitMultiplier * Math.ceil(Math.log2(this.members.size + 2));
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

  private pick<T>(list: readonly T[], count: number): T[] {
    const pool = [...list];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) {
      const [one] = pool.splice(Math.floor(this.options.random() * pool.length), 1);
      if (one !== undefined) out.push(one);
    }
    return out;
  }

  private nextSeq(): number {
    this.seq = (this.seq + 1) >>> 0;
    if (this.seq === 0) this.seq = 1;
    return this.seq;
  }
}

/**
 * SWIM's order: a higher incarnation always wins; at the same incarnation dead beats suspect
 * beats alive. Only the member itself raises its incarnation, which is how it refutes.
 */
export function supersedes(update: Update, current: { readonly state: MemberState; readonly incarnation: number }): boolean {
  if (update.incarnation !== current.incarnation) return update.incarnation > current.incarnation;
  return update.state > current.state;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export { MembershipError };
