// L2 mode: runs the membership over UDP, re-runs the election whenever the cluster view or
// membership changes, and tells the responder which IPs this node answers for and on which interfaces.
import type { Logger } from '@headland/kube';
import type { ClusterView } from '../policy/types.js';
import { electL2, type L2Election } from './election/index.js';
import { LIVENESS_SOURCE, Membership, UdpMembership, aliveNodes, type LivenessSource, type MemberStatus, type Peer } from './membership/index.js';
import { answeredBy, ownershipChange, type OwnershipChange } from './ownership.js';
import type { L2Responder } from './responder-port.js';

export interface L2ModeOptions {
  readonly self: string;
  readonly lbClass: string | undefined;
  readonly log: Logger;
  readonly responder: L2Responder;
  /** Membership UDP port (7946 by default; 0 picks one, for tests). */
  readonly port: number;
  /** On stop, keep answering this long after leaving so the new owner has taken over. */
  readonly handoverMs: number;
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
   * Runs the election on the view and the alive set, hands the responder this node's IPs
   * (announcing the new ones) and returns what changed. With no L2Advertisement nothing is elected.
   */
  elect(view: ClusterView, readyNodes: ReadonlySet<string>): OwnershipChange {
    if (this.leaving) return { gained: [], lost: [], moved: 0, services: new Set() };
    this.lastSource = this.source();
    const alive = aliveNodes({ self: this.options.self, source: this.lastSource, members: this.membership?.status() ?? [], readyNodes });
    const next = view.config.l2Advertisements.length === 0 ? EMPTY : electL2({ ...view, lbClass: this.options.lbClass, alive });
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
   * Every stop hands over: leave the membership first (peers see this node dead within
   * worstDetectionMs and the new owners announce), keep answering meanwhile, then stop answering.
   */
  async stop(): Promise<void> {
    this.leaving = true;
    clearInterval(this.sourceTimer);
    const hadIPs = answeredBy(this.current.owners, this.options.self).length > 0;
    await this.udp?.stop();
    this.udp = undefined;
    if (hadIPs) await new Promise((r) => setTimeout(r, this.options.handoverMs));
    await this.options.responder.stop();
  }
}
