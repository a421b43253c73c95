// L2 mode as run.ts drives it: on each flush, the memberlist key from the Secret, membership peers
// from the Nodes, this node's data plane published, the election on the policy's view; returns the
// Events; figures for /metrics; what kube-proxy must be asked for L2.
import type { Logger } from '@headland/kube';
import type { ClusterView, DataPlaneView } from '../policy/types.js';
import { membershipKey, membershipPeers, nodeFacts } from './cluster-nodes.js';
import { l2DataPlaneState, l2DataPlaneTargets, localEndpointSignature, NO_L2_TARGETS, sameTargets, type L2DataPlaneTargets } from './dataplane-targets.js';
import { l2Events, type L2ServiceEvent } from './events.js';
import { L2Mode } from './mode.js';
import { answeredBy, ownerlessIPs } from './ownership.js';
import type { L2Responder, ResponderCounters } from './responder-port.js';

export interface L2RunnerOptions {
  readonly self: string;
  readonly lbClass: string | undefined;
  readonly log: Logger;
  readonly responder: L2Responder;
  readonly port: number;
  readonly handoverMs: number;
  /** The Secret (in the speaker's namespace) and its field holding the membership key. */
  readonly secretName: string;
  readonly secretField: string;
  /** --node-ip: the first one is the membership address; else the Node's InternalIP. */
  readonly nodeIPs: readonly string[] | undefined;
  /** Membership changed: run.ts schedules a flush. */
  readonly onChange: () => void;
}

/** How often this node's interfaces are listed again while the advertised names stay the same. */
const INTERFACE_RECHECK_MS = 5_000;

export interface L2Figures {
  readonly ownedIPs: number;
  /** IPs L2 should answer for that no node may (ownerlessIPs): the same on every speaker. */
  readonly unownedIPs: number;
  readonly ownershipChanges: number;
  readonly aliveMembers: number;
  readonly source: string;
  readonly responder: ResponderCounters;
}

/** The policy's view as run.ts has it: with kube-proxy's answers on this node when the checks run. */
export type L2View = ClusterView & { readonly dataPlane?: DataPlaneView };

export class L2Runner {
  readonly mode: L2Mode;
  private lastProblem: string | undefined;
  private advertised: string | undefined;
  private advertisedAt = 0;
  private targets: L2DataPlaneTargets = NO_L2_TARGETS;
  private targetsVersion = 0;
  /** Per checked Service, this node's endpoint counts at the last flush. */
  private readonly localCounts = new Map<string, string>();
  private pokes = new Set<string>();

  constructor(private readonly options: L2RunnerOptions) {
    this.mode = new L2Mode({ self: options.self, lbClass: options.lbClass, log: options.log, responder: options.responder, port: options.port, handoverMs: options.handoverMs, onChange: options.onChange });
  }

  /**
   * One flush: membership set up from Secrets and Nodes (only while some L2Advertisement exists),
   * this node's advertised interfaces and data plane published (the data plane from
   * `view.dataPlane`; without it none is published and this node stays a candidate everywhere),
   * then the election with the claims (IP -> nodes whose ServiceL2Status says they answer for it).
   */
  async flush(view: L2View, nodeObjects: readonly unknown[], secretObjects: readonly unknown[], claims: ReadonlyMap<string, readonly string[]> = new Map()): Promise<L2ServiceEvent[]> {
    const facts = nodeObjects.map((o) => nodeFacts(o)).filter((f) => f !== undefined);
    const active = view.config.l2Advertisements.length > 0;
    const secret = secretObjects.find((s) => (s as { metadata?: { name?: unknown } }).metadata?.name === this.options.secretName);
    const outcome = membershipKey(secret, this.options.secretName, this.options.secretField);
    if (active && outcome.problem !== this.lastProblem) {
      this.lastProblem = outcome.problem;
      if (outcome.problem !== undefined) this.options.log.warn(outcome.problem);
    }
    const address = this.options.nodeIPs?.[0] ?? facts.find((f) => f.name === this.options.self)?.address;
    await this.mode.configure({ key: active ? outcome.key : undefined, address, peers: membershipPeers(facts, this.options.self, this.options.port) });
    const advertised = [...new Set(view.config.l2Advertisements.flatMap((ad) => ad.interfaces ?? []))].sort();
    const now = Date.now();
    // Listing the node's interfaces reads sysfs: on a change of the names, else now and then (hot-plug).
    if (advertised.join(',') !== this.advertised || now - this.advertisedAt >= INTERFACE_RECHECK_MS) {
      this.advertised = advertised.join(',');
      this.advertisedAt = now;
      this.mode.setAdvertisedInterfaces(advertised);
    }
    this.publishDataPlane(view);
    const before = this.mode.election;
    const change = this.mode.elect(view, new Set(facts.filter((f) => f.ready).map((f) => f.name)), claims);
    return l2Events(before, this.mode.election, this.options.self, change.services);
  }

  /**
   * What kube-proxy must be asked for L2, as of the last flush: give the prober these together
   * with the BGP policy's (mergeProbeTargets). `version` moves whenever they change.
   */
  dataPlaneTargets(): L2DataPlaneTargets & { readonly version: number } {
    return { ...this.targets, version: this.targetsVersion };
  }

  /** Targets whose endpoints on this node changed (or that are new) since the last call: poke the prober for them. */
  takeDataPlanePokes(): string[] {
    const out = [...this.pokes].filter((key) => this.targets.services.has(key));
    this.pokes = new Set();
    return out;
  }

  private publishDataPlane(view: L2View): void {
    const targets = l2DataPlaneTargets(view, this.options.self, this.options.lbClass);
    if (!sameTargets(targets, this.targets)) {
      this.targets = targets;
      this.targetsVersion++;
    }
    for (const key of this.localCounts.keys()) if (!targets.services.has(key)) this.localCounts.delete(key);
    for (const key of targets.services.keys()) {
      const counts = localEndpointSignature(view, this.options.self, key);
      if (this.localCounts.get(key) !== counts) {
        this.localCounts.set(key, counts);
        this.pokes.add(key);
      }
    }
    this.mode.setDataPlane(view.dataPlane === undefined ? undefined : l2DataPlaneState(targets, view.dataPlane));
  }

  figures(): L2Figures {
    return {
      ownedIPs: answeredBy(this.mode.election.owners, this.options.self).length,
      unownedIPs: ownerlessIPs(this.mode.election).length,
      ownershipChanges: this.mode.ownershipChanges,
      aliveMembers: this.mode.members().filter((m) => m.state === 0).length,
      source: this.mode.source(),
      responder: this.options.responder.counters(),
    };
  }

  stop(): Promise<void> {
    return this.mode.stop();
  }
}
