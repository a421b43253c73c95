// BGP mode: one BgpSpeaker for the node, its sessions kept equal to the BGPPeers that select the
// node (untouched peers keep their sessions), and the policy's deltas turned into its routes.
import type { Config } from '@headland/api';
import type { Logger } from '@headland/kube';
import { BgpSpeaker } from 'bgp-speaker-ts';
import type { SessionFigures } from '../metrics.js';
import type { SessionFact } from '../status/speaker-status.js';
import type { Announcement } from '../policy/types.js';
import { chooseRouterId, defaultLocalAs, diffPeers, planPeers, type NodeAddresses, type PeerProblem, type SessionPlan } from './peers.js';
import { RouteTable, type RouteOp } from './routes.js';

export interface BgpModeOptions {
  readonly log: Logger;
  readonly routerIdFlag: string | undefined;
  /** 0: connect out only. */
  readonly listenPort: number;
  /** This start follows a graceful stop (the R bit). */
  readonly restarted: boolean;
  /** A session's BGP or BFD state changed (SpeakerStatus shows both). */
  readonly onSessionChange?: () => void;
}

const NO_ROUTER_ID = 'no BGP router id: the node has no IPv4 address; set --router-id or a BGPPeer routerID';

export class BgpMode {
  private speaker: BgpSpeaker | undefined;
  private readonly table = new RouteTable();
  /** By BGPPeer name: the sessions handed to the speaker. */
  private sessions = new Map<string, SessionPlan>();
  private addressNames = new Map<string, string>();
  private problems: readonly PeerProblem[] = [];
  private stopped = false;
  private noRouterId = false;

  constructor(private readonly o: BgpModeOptions) {}

  /** Creates the speaker on first use, then adds, replaces and removes sessions to match. */
  async configure(config: Config, selected: readonly string[], node: NodeAddresses): Promise<void> {
    if (this.stopped) return;
    const plan = planPeers(config, selected, node);
    this.reportProblems(plan.problems);
    if (this.speaker === undefined) {
      if (plan.sessions.size === 0) return;
      const routerId = chooseRouterId(this.o.routerIdFlag, config, selected, node);
      if (routerId === undefined) {
        this.o.log.warn(NO_ROUTER_ID);
        this.noRouterId = true;
        return;
      }
      this.noRouterId = false;
      this.speaker = await this.createSpeaker(defaultLocalAs(config, selected), routerId);
      if (this.stopped) return;
    }
    const speaker = this.speaker;
    const running = new Map([...this.sessions.values()].map((s) => [s.address, s.fingerprint]));
    const diff = diffPeers(running, plan.sessions);
    for (const address of diff.remove) {
      speaker.removePeer(address);
      this.o.log.info({ peer: this.addressNames.get(address), address }, 'BGP peer removed');
    }
    for (const s of diff.replace) {
      speaker.removePeer(s.address);
      this.o.log.info({ peer: s.name, address: s.address }, 'BGP peer settings changed; reopening its session');
    }
    const sessions = new Map<string, SessionPlan>();
    const failed = new Set<string>();
    for (const s of [...diff.add, ...diff.replace]) {
      try {
        speaker.addPeer(s.config);
        this.o.log.info({ peer: s.name, address: s.address }, 'BGP peer added');
      } catch (err) {
        failed.add(s.name);
        this.o.log.error({ peer: s.name, address: s.address, err: String(err) }, 'BGP peer refused by the speaker');
      }
    }
    // BFD timers or mode changed alone: in place (a Poll Sequence, or a new BFD session), BGP untouched.
    const replaced = new Set([...diff.add, ...diff.replace].map((s) => s.address));
    for (const s of plan.sessions.values()) {
      const old = [...this.sessions.values()].find((x) => x.address === s.address);
      if (old === undefined || replaced.has(s.address) || old.bfdFingerprint === s.bfdFingerprint) continue;
      try {
        speaker.setPeerBfd(s.address, s.config.bfd);
        this.o.log.info({ peer: s.name, address: s.address, bfd: s.config.bfd ?? null }, 'BFD settings changed; BGP session kept');
      } catch (err) {
        this.o.log.error({ peer: s.name, address: s.address, err: String(err) }, 'BFD settings refused by the speaker');
      }
    }
    for (const [name, s] of plan.sessions) if (!failed.has(name)) sessions.set(name, s);
    this.sessions = sessions;
    this.addressNames = new Map([...sessions.values()].map((s) => [s.address, s.name]));
    this.run(this.table.rebind(this.addressOf));
  }

  /** Applies a PolicyDelta's changed prefixes. */
  apply(changed: ReadonlyMap<string, readonly Announcement[]>): void {
    if (changed.size === 0) return;
    this.run(this.table.apply(changed, this.addressOf));
  }

  /** Prefixes handed to the library. */
  get announced(): number {
    return this.table.size;
  }

  get configProblems(): number {
    return this.problems.length;
  }

  /** Every configured session as the node's SpeakerStatus shows it. */
  sessionFacts(now = Date.now()): SessionFact[] {
    return (this.speaker?.status() ?? []).map((s) => {
      const c = s.counters;
      const errors = [c.lastErrorSent === undefined ? undefined : { ...c.lastErrorSent, dir: 'sent' }, c.lastErrorReceived === undefined ? undefined : { ...c.lastErrorReceived, dir: 'received' }].filter((e) => e !== undefined);
      const last = errors.sort((a, b) => b.at - a.at)[0];
      return {
        peer: this.addressNames.get(s.address) ?? s.address,
        address: s.address,
        state: s.state,
        establishedAt: s.state === 'Established' ? now - s.uptimeMs : undefined,
        prefixesSent: c.prefixesAnnounced,
        prefixesReceived: c.prefixesAccepted,
        lastError: last === undefined ? undefined : `${last.name} (${last.code}/${last.subcode}) ${last.dir}`,
        bfd: s.bfd === undefined ? undefined : { state: s.bfd.state, diagnostic: s.bfd.diagName, downs: s.counters.sessionDownsByBfd ?? 0 },
      };
    });
  }

  /** BFD datagrams no peer's session saw: malformed by codec reason, and valid ones for no session; undefined without BFD. */
  bfdDropped(): Record<string, number> | undefined {
    const c = this.speaker?.bfdCounters();
    if (c === undefined) return undefined;
    return { ...Object.fromEntries(Object.entries(c.malformed).map(([k, v]) => [`malformed-${k}`, v])), ...Object.fromEntries(Object.entries(c.unmatched).map(([k, v]) => [k, v])) };
  }

  /** The configuration problems of the peers this node would run, in words. */
  problemMessages(): string[] {
    return [...(this.noRouterId ? [NO_ROUTER_ID] : []), ...this.problems.map((p) => p.message)];
  }

  figures(): SessionFigures[] {
    return (this.speaker?.status() ?? []).map((s) => ({
      peer: this.addressNames.get(s.address) ?? s.address,
      address: s.address,
      up: s.state === 'Established',
      prefixesAnnounced: s.counters.prefixesAnnounced,
      updatesSent: s.counters.messagesOut.update,
      ...(s.bfd === undefined ? {} : { bfd: { up: s.bfd.state === 'Up', packetsIn: s.bfd.counters.packetsIn, packetsOut: s.bfd.counters.packetsOut, stateChanges: s.bfd.counters.stateChanges, dropped: s.bfd.counters.dropped, sessionDowns: s.counters.sessionDownsByBfd ?? 0 } }),
    }));
  }

  /**
   * Shutdown withdraws everything and sends Cease; `graceful` (a restart) leaves the routes with
   * peers that agreed graceful restart. Returns those peers.
   */
  async stop(graceful: boolean): Promise<readonly string[]> {
    this.stopped = true;
    const speaker = this.speaker;
    if (speaker === undefined) return [];
    const report = await speaker.stop({ graceful });
    return report.retainedBy;
  }

  private readonly addressOf = (peer: string): string | undefined => this.sessions.get(peer)?.address;

  private run(ops: readonly RouteOp[]): void {
    const speaker = this.speaker;
    if (speaker === undefined) return;
    for (const op of ops) {
      try {
        if (op.op === 'withdraw') speaker.withdraw(op.prefix);
        else speaker.announceEach(op.route.prefix, op.route.byPeer);
        this.o.log.debug({ op: op.op, prefix: op.op === 'withdraw' ? op.prefix : op.route.prefix, ...(op.op === 'announce' ? { byPeer: op.route.byPeer } : {}) }, 'route');
      } catch (err) {
        this.o.log.error({ op: op.op, err: String(err) }, 'the BGP library refused a route');
      }
    }
  }

  private async createSpeaker(localAs: number, routerId: string): Promise<BgpSpeaker> {
    const log = this.o.log;
    const make = (address: string) =>
      new BgpSpeaker({
        localAs,
        routerId,
        ...(this.o.listenPort > 0 ? { listen: { address, port: this.o.listenPort } } : {}),
        restarted: this.o.restarted,
        log: (entry) => log.debug({ ...entry }, 'bgp fsm'),
      });
    let speaker = make('::');
    try {
      await speaker.start();
    } catch (err) {
      // A node without IPv6 cannot bind "::"; IPv4 alone will do.
      log.info({ err: String(err) }, 'cannot listen on [::]; listening on 0.0.0.0');
      speaker = make('0.0.0.0');
      await speaker.start();
    }
    speaker.on('state', (e) => {
      const name = this.addressNames.get(e.peer);
      if (e.to === 'Established' || e.from === 'Established') log.info({ peer: name, address: e.peer, from: e.from, to: e.to }, e.to === 'Established' ? 'BGP session up' : 'BGP session down');
    });
    speaker.on('state', () => this.o.onSessionChange?.());
    speaker.on('bfd', (e) => {
      this.o.onSessionChange?.();
      const fields = { peer: this.addressNames.get(e.peer), address: e.peer, from: e.from, to: e.to, diagnostic: e.diagName };
      if (e.to === 'Up') log.info(fields, 'BFD session up');
      else if (e.from === 'Up') log.warn({ ...fields, remoteAdminDown: e.remoteAdminDown }, e.remoteAdminDown ? 'BFD session down: the peer turned it off (BGP left alone)' : 'BFD session down: the path failed; BGP session closed, routes withdrawn');
      else log.debug(fields, 'BFD state');
    });
    speaker.on('error', (e) => log.warn({ peer: this.addressNames.get(e.peer), address: e.peer, err: String(e.error) }, 'BGP session error'));
    log.info({ localAs, routerId, listenPort: this.o.listenPort, restarted: this.o.restarted }, 'BGP speaker started');
    return speaker;
  }

  private reportProblems(problems: readonly PeerProblem[]): void {
    const before = new Set(this.problems.map((p) => p.message));
    for (const p of problems) if (!before.has(p.message)) this.o.log.warn({ peer: p.peer }, p.message);
    this.problems = problems;
  }
}
