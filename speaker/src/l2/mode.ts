// L2 mode: runs the membership over UDP, re-runs the election whenever the cluster view or
// membership changes, and tells the responder which IPs this node answers for and on which interfaces.
import type { Logger } from '@headland/kube';
import type { ClusterView } from '../policy/types.js';
import { electL2, type L2Election } from './election/index.js';
import { LIVENESS_SOURCE, Membership, UdpMembership, aliveNodes, boundDataPlane, dataPlaneProblem, interfacesProblem, type LivenessSource, type MemberStatus, type NodeDataPlane, type Peer } from './membership/index.js';
import { answeredBy, ownershipChange, type OwnershipChange } from './ownership.js';
import type { L2Responder } from './responder-port.js';
import { answerableInterfaces } from './responder/port.js';

export interface L2ModeOptions {
  readonly self: string;
  readonly lbClass: string | undefined;
  readonly log: Logger;
  readonly responder: L2Responder;
  /** Membership UDP port (7946 by default; 0 picks one, for tests). */
  readonly port: number;
  /** On stop, keep answering this long after leaving so the new owner has taken over. */
  readonly handoverMs: number;
  /** This node's interfaces an IP could be answered on (default: answerableInterfaces()); injected by tests. */
  readonly localInterfaces?: () => readonly string[];
  /** Membership's alive picture (or its liveness source) changed: re-run the election. */
  readonly onChange: () => void;
  readonly clock?: () => number;
}

export interface MembershipSetup {
  /** Undefined: no key (the Secret or its field is missing or short). */
  readonly key: Uint8Array | undefined;
  /** This node's membership address; undefined: none known yet. */
  readonly address: string | undefined;
  readonly peers: readonly Peer[];
}

const EMPTY: L2Election = { owners: new Map(), unowned: new Map(), loads: new Map(), cap: 0 };
/** How often the liveness source is re-read: silence is noticed by time, not by a datagram. */
const SOURCE_CHECK_MS = 250;

export class L2Mode {
  private membership: Membership | undefined;
  private udp: UdpMembership | undefined;
  private socketFailed = false;
  private identity = '';
  private lastSource: LivenessSource = LIVENESS_SOURCE.NoKey;
  private current: L2Election = EMPTY;
  private leaving = false;
  /** Our interfaces among those some L2Advertisement names (what membership publishes). */
  private published: readonly string[] = [];
  /** Our data plane as membership publishes it; undefined: none (peers keep us a candidate). */
  private publishedDataPlane: NodeDataPlane | undefined;
  private readonly sourceTimer: NodeJS.Timeout;
  private readonly clock: () => number;
  ownershipChanges = 0;

  constructor(private readonly options: L2ModeOptions) {
    this.clock = options.clock ?? Date.now;
    this.sourceTimer = setInterval(() => {
      if (this.source() !== this.lastSource) options.onChange();
    }, SOURCE_CHECK_MS);
    this.sourceTimer.unref();
  }

  get election(): L2Election {
    return this.current;
  }

  /** Membership's picture (empty without membership), for status and the CLI. */
  members(): MemberStatus[] {
    return this.membership?.status() ?? [];
  }

  get udpPort(): number | undefined {
    return this.udp?.port;
  }

  /** Where liveness comes from now (see membership/view.ts). */
  source(): LivenessSource {
    if (this.membership === undefined) return this.socketFailed ? LIVENESS_SOURCE.NoSocket : LIVENESS_SOURCE.NoKey;
    if (this.udp === undefined) return LIVENESS_SOURCE.NoSocket;
    return this.membership.probesWorking(this.clock()) ? LIVENESS_SOURCE.Probes : LIVENESS_SOURCE.Silent;
  }

  /** (Re)starts membership when the key or our address changed; updates the peers otherwise. */
  async configure(setup: MembershipSetup): Promise<void> {
    if (this.leaving) return;
    const identity = setup.key === undefined || setup.address === undefined ? '' : `${Buffer.from(setup.key).toString('hex')}@${setup.address}`;
    if (identity !== this.identity) {
      this.identity = identity;
      await this.udp?.stop();
      this.udp = undefined;
      this.membership = undefined;
      this.socketFailed = false;
      if (setup.key !== undefined && setup.address !== undefined) {
        const membership = new Membership({ self: this.options.self, key: setup.key }, this.clock());
        membership.setPeers(setup.peers);
        membership.setInterfaces(this.published);
        membership.setDataPlane(this.publishedDataPlane);
        this.membership = membership;
        try {
          this.udp = await UdpMembership.start(membership, { address: setup.address, port: this.options.port, clock: this.clock, onChange: this.options.onChange });
          this.options.log.info({ address: setup.address, port: this.udp.port, peers: setup.peers.length }, 'membership started');
        } catch (err) {
          this.socketFailed = true;
          this.options.log.warn({ err: String(err) }, 'membership cannot bind its socket; failover follows Node readiness');
        }
      }
    }
    this.membership?.setPeers(setup.peers);
  }

  /**
   * The interface names any L2Advertisement names (`interfaces: [eth1]`). This node publishes, in
   * every membership message, those of them it has (a node only knows its own), so every speaker's
   * election can leave out nodes without them. The local list is read again on every call. Our own
   * change re-runs no election here: the caller elects after a configuration change anyway.
   */
  setAdvertisedInterfaces(names: readonly string[]): void {
    const advertised = [...new Set(names)].sort();
    let local: ReadonlySet<string>;
    try {
      // No advertisement names an interface: nothing to look up.
      local = advertised.length === 0 ? new Set() : new Set((this.options.localInterfaces ?? answerableInterfaces)());
    } catch (err) {
      // Keeping the last list beats publishing none, which would exclude this node everywhere.
      this.options.log.warn({ err: String(err) }, 'cannot list this node\'s interfaces; membership keeps publishing the last list');
      return;
    }
    const mine = advertised.filter((name) => local.has(name));
    const problem = interfacesProblem(mine);
    if (problem !== undefined) {
      this.options.log.warn({ problem, interfaces: mine }, 'membership cannot publish these interfaces; it keeps the last list');
      return;
    }
    this.published = mine;
    this.membership?.setInterfaces(mine);
  }

  /**
   * What this node's kube-proxy serves for L2 (see dataplane-targets.ts), published in every
   * membership message and broadcast on a change, so every speaker's election leaves this node out
   * of what it does not serve; undefined publishes nothing (peers keep us a candidate). As with
   * the interfaces, our own change re-runs no election here: the caller elects next.
   */
  setDataPlane(state: NodeDataPlane | undefined): void {
    let wire = state === undefined ? undefined : boundDataPlane(state);
    const problem = wire === undefined ? undefined : dataPlaneProblem(wire);
    if (wire !== undefined && problem !== undefined) {
      // Only a Service key that is no "namespace/name" gets here; claiming to serve it would be worse.
      this.options.log.warn({ problem }, 'membership cannot publish this data plane; it publishes overflow (no checked Local Service served here)');
      wire = { proxyServing: wire.proxyServing, notServing: [], overflow: true };
    }
    this.membership?.setDataPlane(wire);
    this.publishedDataPlane = wire;
  }

  /**
   * Each node's data plane for the election: ours and every heard member's, as of its last
   * message. Only while probes work: otherwise peers cannot hear ours nor we theirs, and a state
   * only some speakers know would make their elections differ; then every node stays a candidate.
   */
  dataPlaneOf(source: LivenessSource = this.source()): ReadonlyMap<string, NodeDataPlane | undefined> {
    const out = new Map<string, NodeDataPlane | undefined>();
    if (source !== LIVENESS_SOURCE.Probes) return out;
    out.set(this.options.self, this.publishedDataPlane);
    for (const m of this.membership?.status() ?? []) {
      if (m.name !== this.options.self && m.heard && m.dataPlane !== undefined) out.set(m.name, m.dataPlane);
    }
    return out;
  }

  /**
   * Each member's interfaces among the advertised ones, for the election: this node's, and every
   * member heard from (as of its last message). A member never heard is absent: its list is unknown.
   */
  interfacesOf(): ReadonlyMap<string, ReadonlySet<string>> {
    const out = new Map<string, ReadonlySet<string>>([[this.options.self, new Set(this.published)]]);
    for (const m of this.membership?.status() ?? []) {
      if (m.name !== this.options.self && m.heard && m.interfaces !== undefined) out.set(m.name, new Set(m.interfaces));
    }
    return out;
  }

  /**
   * Runs the election on the view, the alive set, each member's interfaces and data plane, and the
   * claims (who answers for each IP now, from the ServiceL2Status objects), hands the responder this
   * node's IPs (announcing the new ones) and returns what changed. With no L2Advertisement nothing
   * is elected.
   */
  elect(view: ClusterView, readyNodes: ReadonlySet<string>, claims: ReadonlyMap<string, readonly string[]> = new Map()): OwnershipChange {
    if (this.leaving) return { gained: [], lost: [], moved: 0, services: new Set() };
    this.lastSource = this.source();
    const alive = aliveNodes({ self: this.options.self, source: this.lastSource, members: this.membership?.status() ?? [], readyNodes });
    const next = view.config.l2Advertisements.length === 0 ? EMPTY : electL2({ ...view, lbClass: this.options.lbClass, alive, claims, interfacesOf: this.interfacesOf(), dataPlaneOf: this.dataPlaneOf(this.lastSource) });
    const change = ownershipChange(this.current.owners, next.owners, this.options.self);
    this.current = next;
    this.ownershipChanges += change.gained.length + change.lost.length;
    if (change.gained.length > 0 || change.lost.length > 0) {
      this.options.responder.setAnswers(answeredBy(next.owners, this.options.self), change.gained);
      this.options.log.info({ gained: change.gained, lost: change.lost, source: this.lastSource, alive: [...alive].sort() }, 'L2 ownership changed');
    }
    return change;
  }

  /**
   * Every stop hands over: leave the membership first (a leave declares this node dead at its own
   * incarnation, so every peer re-elects as soon as the datagram arrives instead of after
   * worstDetectionMs, and the new owners announce), keep answering for handoverMs meanwhile,
   * then stop answering.
   */
  async stop(): Promise<void> {
    this.leaving = true;
    clearInterval(this.sourceTimer);
    const hadIPs = answeredBy(this.current.owners, this.options.self).length > 0;
    await this.udp?.leave();
    this.udp = undefined;
    if (hadIPs) await new Promise((r) => setTimeout(r, this.options.handoverMs));
    await this.options.responder.stop();
  }
}
