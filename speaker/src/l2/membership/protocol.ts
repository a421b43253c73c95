// SWIM-style membership among the speakers, with no I/O: datagrams and clock readings in,
// datagrams out. The UDP transport and the in-memory simulation drive the same code.
import { boundDataPlane, dataPlaneProblem, decodeMessage, encodeMessage, checkKey, interfacesProblem, sameDataPlane, wireVersionOf, MEMBER_STATE, MESSAGE_TYPE, type Message, type MessageType, type NodeDataPlane, type Update } from './codec.js';
import { MembershipError, MembershipWireError, REJECT, type RejectReason } from './errors.js';
import { GossipQueue } from './gossip.js';
import { newMember, supersedes, type Member, type MemberStatus, type Peer } from './member.js';
import { checkOptions, DEFAULTS, type MembershipOptions } from './options.js';
import { PendingProbes } from './probes.js';
import { ReplayGuard } from './replay.js';
import { pick, ProbeRing } from './ring.js';

export interface Outbound {
  readonly to: Peer;
  readonly bytes: Uint8Array;
}

export interface MembershipCounters {
  received: number;
  sent: number;
  rejected: Record<RejectReason, number>;
  /** Times we were suspected or declared dead and answered with a higher incarnation. */
  refuted: number;
}

export type MembershipConfig = Pick<MembershipOptions, 'self' | 'key'> & Partial<MembershipOptions>;

export class Membership {
  readonly options: MembershipOptions;
  readonly counters: MembershipCounters = { received: 0, sent: 0, rejected: { 'malformed': 0, 'bad-version': 0, 'bad-mac': 0, 'stale': 0, 'replayed': 0, 'unknown-sender': 0, 'from-self': 0, 'wrong-target': 0 }, refuted: 0 };
  /** Bumped on every change of a member's state or incarnation: the caller re-elects when it moves. */
  version = 0;
  private incarnation = 0;
  private readonly members = new Map<string, Member>();
  private readonly ring: ProbeRing;
  private readonly probes = new PendingProbes();
  private readonly gossip: GossipQueue;
  private readonly replay: ReplayGuard;
  private nextRoundAt: number;
  private lastHeardAt: number;
  /** Ours, sent in every message. */
  private interfaces: readonly string[] = [];
  /** Ours, sent in every version 3 message; undefined: not published (peers keep us a candidate). */
  private dataPlane: NodeDataPlane | undefined;
  /** Broadcasts of our data plane still to send (one per round), and when the next may go. */
  private dataPlaneBroadcasts = 0;
  private nextBroadcastAt = 0;
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
    this.ring = new ProbeRing(this.options);
    this.gossip = new GossipQueue(this.options);
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
      else this.members.set(name, newMember(peer));
    }
    this.ring.reset(this.members.keys());
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
   * This node's data plane (what its kube-proxy serves, for the L2 election): every message
   * carries it from now on. A list beyond the wire's bounds is sent as overflow; the state as sent
   * is returned. A change is also broadcast to every member at the next tick and once more a round
   * later (against loss): ordinary messages reach a member of a large cluster only now and then.
   */
  setDataPlane(state: NodeDataPlane | undefined): NodeDataPlane | undefined {
    const bounded = state === undefined ? undefined : boundDataPlane(state);
    const problem = bounded === undefined ? undefined : dataPlaneProblem(bounded);
    if (problem !== undefined) throw new MembershipError(`cannot publish this data plane: ${problem}`);
    if (sameDataPlane(bounded, this.dataPlane)) return this.dataPlane;
    this.dataPlane = bounded;
    this.version++;
    this.dataPlaneBroadcasts = DATA_PLANE_BROADCASTS;
    return bounded;
  }

  /**
   * A clean exit: we declare ourselves dead at our own incarnation (dead beats alive at the same
   * incarnation, so every peer applies it at once and re-elects) and tell every member not dead.
   * From then on we refute nothing and answer nothing. Each call makes fresh datagrams (new
   * nonces), so sending it again against loss is not refused as a replay.
   */
  leave(now: number): Outbound[] {
    this.left = true;
    this.probes.clear();
    const update: Update = { name: this.self, state: MEMBER_STATE.Dead, incarnation: this.incarnation };
    const out: Outbound[] = [];
    for (const m of this.members.values()) if (m.state !== MEMBER_STATE.Dead) out.push(this.message(MESSAGE_TYPE.Gossip, m, 0, '', now, [update]));
    return out;
  }

  get hasLeft(): boolean {
    return this.left;
  }

  status(): MemberStatus[] {
    const out: MemberStatus[] = [{ name: this.self, state: this.left ? MEMBER_STATE.Dead : MEMBER_STATE.Alive, incarnation: this.incarnation, heard: true, interfaces: this.interfaces, dataPlane: this.dataPlane }];
    for (const m of this.members.values()) out.push({ name: m.peer.name, state: m.state, incarnation: m.incarnation, heard: m.heard, interfaces: m.interfaces, dataPlane: m.dataPlane });
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** False when peers exist and none has been heard for silenceMs: our port is blocked, or we are cut off. */
  probesWorking(now: number): boolean {
    return this.members.size === 0 || now - this.lastHeardAt < this.options.silenceMs;
  }

  /** The earliest time tick() has something to do. */
  nextWakeAt(): number {
    if (this.left) return Number.MAX_SAFE_INTEGER;
    let at = this.probes.earliest(this.nextRoundAt);
    if (this.dataPlaneBroadcasts > 0) at = Math.min(at, this.nextBroadcastAt);
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
    if (this.dataPlaneBroadcasts > 0 && now >= this.nextBroadcastAt) {
      this.dataPlaneBroadcasts--;
      this.nextBroadcastAt = now + this.options.probeIntervalMs;
      for (const m of this.members.values()) if (m.state !== MEMBER_STATE.Dead) out.push(this.message(MESSAGE_TYPE.Gossip, m, 0, '', now));
    }
    if (now >= this.nextRoundAt) {
      // A late tick (a busy event loop) starts the next round from now rather than bunching rounds.
      this.nextRoundAt = Math.max(this.nextRoundAt + this.options.probeIntervalMs, now + 1);
      for (const name of this.ring.targets(this.members)) {
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
    // So is its data plane (undefined from a version 2 speaker: it stays a candidate).
    if (!sameDataPlane(sender.dataPlane, message.dataPlane)) {
      sender.dataPlane = message.dataPlane;
      this.version++;
    }
    sender.speaks = wireVersionOf(bytes);
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
        const seq = this.probes.open({ kind: 'relay', target: target.peer.name, requester: sender.peer.name, requesterSeq: message.seq, until: now + this.options.indirectTimeoutMs });
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
    const probe = this.probes.answer(message);
    if (probe === undefined) return;
    const target = this.members.get(probe.target);
    if (probe.kind === 'relay') {
      const requester = this.members.get(probe.requester);
      if (requester !== undefined) out.push(this.message(MESSAGE_TYPE.Ack, requester, probe.requesterSeq, probe.target, now));
      return;
    }
    if (target === undefined) return;
    if (target.probing === message.seq) target.probing = undefined;
    target.missed = 0;
    target.indirectUntil = undefined;
  }

  private expireProbes(now: number, out: Outbound[]): void {
    for (const { seq, target } of this.probes.expire(now)) {
      const m = this.members.get(target);
      if (m === undefined || m.probing !== seq) continue;
      m.probing = undefined;
      m.missed++;
      if (m.missed >= this.options.missesBeforeIndirect && m.state === MEMBER_STATE.Alive && m.indirectUntil === undefined) this.probeIndirectly(m, now, out);
    }
  }

  private probeIndirectly(m: Member, now: number, out: Outbound[]): void {
    m.indirectUntil = now + this.options.indirectTimeoutMs;
    const helpers = pick([...this.members.values()].filter((h) => h !== m && h.state !== MEMBER_STATE.Dead), this.options.indirectProbes, this.options.random);
    for (const helper of helpers) {
      const seq = this.probes.open({ kind: 'indirect', target: m.peer.name, until: m.indirectUntil });
      out.push(this.message(MESSAGE_TYPE.PingReq, helper, seq, m.peer.name, now));
    }
    this.ping(m, now, out);
  }

  private ping(m: Member, now: number, out: Outbound[]): void {
    const seq = this.probes.open({ kind: 'direct', target: m.peer.name, until: now + this.options.ackTimeoutMs });
    m.probing = seq;
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
    else this.gossip.hold(update);
  }

  private spread(update: Update, now: number, out: Outbound[]): void {
    this.gossip.hold(update);
    for (const m of this.members.values()) out.push(this.message(MESSAGE_TYPE.Gossip, m, 0, '', now, [update]));
  }

  private message(type: MessageType, to: Member, seq: number, target: string, now: number, first: readonly Update[] = []): Outbound {
    const updates = this.gossip.piggyback(to, first, this.members.size);
    const message: Message = { type, timestamp: now, nonce: this.options.nonce(), seq, sender: this.self, incarnation: this.incarnation, target, interfaces: this.interfaces, ...(this.dataPlane === undefined ? {} : { dataPlane: this.dataPlane }), updates };
    this.counters.sent++;
    return { to: to.peer, bytes: encodeMessage(message, this.options.key, to.speaks) };
  }
}

/** A data-plane change goes to every member this many times, a round apart. */
const DATA_PLANE_BROADCASTS = 2;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// Importers reach the member types and the precedence rule through here, as before they moved.
export { MembershipError, supersedes, type MemberStatus, type Peer };
