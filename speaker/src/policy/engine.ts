// The policy kept up to date as objects change: each change marks only the Services it touches,
// and flush() re-evaluates those, recombines their IPs and re-merges only the prefixes involved.
import type { Config } from '@headland/api';
import { EndpointIndex } from '../model/endpoint-index.js';
import type { NodeInfo, ServiceInfo, SliceInfo } from '../model/types.js';
import { combineIP, comparePrefixKeys, mergePrefix, prefixKeyOf, type Entry, type IPMember, type IPOutcome, type PrefixKey } from './combine.js';
import { evaluateService, nodeContext, type EvalContext, type IPResult, type ServiceResult } from './evaluate.js';
import { explainNodeContext, explainResult } from './explain.js';
import { configIndex } from './service-rules.js';
import type { Announcement, DataPlaneView, NodeExplanation, PolicyInput, ServiceExplanation, SpeakerIdentity } from './types.js';

export interface PolicyDelta {
  /** Each prefix whose announcements changed, with all of them now; [] means withdraw it. */
  readonly changed: ReadonlyMap<string, readonly Announcement[]>;
  /** Services re-evaluated, to size the work in metrics. */
  readonly evaluated: number;
}

/** What kube-proxy must be asked, as of the last flush: the input of the data-plane prober. */
export interface DataPlaneTargets {
  /** Service key -> its healthCheckNodePort: Local Services this node would announce from its own endpoints. */
  readonly services: ReadonlyMap<string, number>;
  /** Some announcement waits on kube-proxy's /healthz (Cluster Services, Local ones served by draining pods). */
  readonly proxy: boolean;
  /** Changes whenever either does. */
  readonly version: number;
}

/** The key dataPlaneChanged takes for kube-proxy's /healthz. */
export const PROXY_CHECK_KEY = 'proxy';

interface PrefixState {
  readonly key: PrefixKey;
  readonly announcements: readonly Announcement[];
  readonly text: string;
}

export class PolicyEngine {
  readonly endpoints = new EndpointIndex();
  private readonly services = new Map<string, ServiceInfo>();
  private readonly nodes = new Map<string, NodeInfo>();
  private ctx: EvalContext | undefined;
  private readonly results = new Map<string, ServiceResult>();
  /** IP to the results of the Services holding it, by Service key. */
  private readonly ipMembers = new Map<string, Map<string, IPResult>>();
  private readonly ipOutcomes = new Map<string, IPOutcome>();
  /** Prefix to the IPs with entries in it. */
  private readonly prefixIPs = new Map<string, Set<string>>();
  private readonly prefixes = new Map<string, PrefixState>();
  private readonly dirty = new Set<string>();
  private allDirty = true;
  private dataPlane: DataPlaneView | undefined;
  private readonly serviceChecks = new Map<string, number>();
  private readonly proxyUsers = new Set<string>();
  private targetsVersion = 0;
  /** Per Service, this node's endpoint counts at its last evaluation: a change asks kube-proxy again at once. */
  private readonly localCounts = new Map<string, readonly number[]>();
  private pokes = new Set<string>();

  constructor(
    private readonly identity: SpeakerIdentity,
    private config: Config,
  ) {}

  setConfig(config: Config): void {
    if (config === this.config) return;
    this.config = config;
    this.invalidateAll();
  }

  upsertService(service: ServiceInfo): void {
    this.services.set(service.key, service);
    this.dirty.add(service.key);
  }

  deleteService(key: string): void {
    this.services.delete(key);
    this.dirty.add(key);
  }

  /** kube-proxy's answers on this node; undefined: announce without asking (the checks are off). */
  setDataPlane(view: DataPlaneView | undefined): void {
    this.dataPlane = view;
    this.invalidateAll();
  }

  /** kube-proxy answered differently for these Services (PROXY_CHECK_KEY: its /healthz): re-evaluate what waits on them. */
  dataPlaneChanged(keys: Iterable<string>): void {
    for (const key of keys) {
      if (key === PROXY_CHECK_KEY) for (const user of this.proxyUsers) this.dirty.add(user);
      else this.dirty.add(key);
    }
  }

  dataPlaneTargets(): DataPlaneTargets {
    return { services: this.serviceChecks, proxy: this.proxyUsers.size > 0, version: this.targetsVersion };
  }

  /** Checked Services whose endpoints on this node changed since the last call: kube-proxy is asked again at once. */
  takePokes(): string[] {
    const out = [...this.pokes].filter((key) => this.serviceChecks.has(key));
    this.pokes = new Set();
    return out;
  }

  /** Only this node's labels and condition matter to its announcements; others are kept for the view. */
  upsertNode(node: NodeInfo): void {
    const old = this.nodes.get(node.name);
    this.nodes.set(node.name, node);
    if (node.name === this.identity.nodeName && (old === undefined || !sameNode(old, node))) this.invalidateAll();
  }

  deleteNode(name: string): void {
    this.nodes.delete(name);
    if (name === this.identity.nodeName) this.invalidateAll();
  }

  applySlice(slice: SliceInfo): void {
    for (const key of this.endpoints.applySlice(slice)) this.dirty.add(key);
  }

  deleteSlice(sliceKey: string): void {
    for (const key of this.endpoints.deleteSlice(sliceKey)) this.dirty.add(key);
  }

  /** The same input the pure announcements() takes, for the explain tool and tests. */
  view(): PolicyInput {
    return { config: this.config, services: this.services, nodes: this.nodes, endpoints: this.endpoints, ...this.identity, ...(this.dataPlane === undefined ? {} : { dataPlane: this.dataPlane }) };
  }

  /** Re-evaluates what changed since the last flush. */
  flush(): PolicyDelta {
    const ctx = (this.ctx ??= {
      config: this.config,
      index: configIndex(this.config),
      lbClass: this.identity.lbClass,
      node: nodeContext(this.config, this.identity.nodeName, this.nodes.get(this.identity.nodeName)),
      endpoints: this.endpoints,
      dataPlane: this.dataPlane,
    });
    const keys = this.allDirty ? new Set([...this.services.keys(), ...this.results.keys()]) : this.dirty;
    const ips = new Set<string>();
    for (const key of keys) this.reevaluate(ctx, key, ips);
    const evaluated = keys.size;
    this.dirty.clear();
    this.allDirty = false;

    const prefixes = new Set<string>();
    for (const ip of ips) this.recombine(ip, prefixes);
    const changed = new Map<string, readonly Announcement[]>();
    for (const prefix of prefixes) this.remerge(prefix, changed);
    return { changed, evaluated };
  }

  /** Every announcement as of the last flush, sorted as announcements() sorts them. */
  announcements(): Announcement[] {
    return [...this.prefixes.values()].sort((a, b) => comparePrefixKeys(a.key, b.key)).flatMap((p) => p.announcements);
  }

  /** As of the last flush; undefined for an unknown Service. */
  explainService(key: string): ServiceExplanation | undefined {
    const result = this.results.get(key);
    if (result === undefined) return undefined;
    return explainResult(result, this.identity.nodeName, (ip) => membersOf(this.ipMembers.get(ip)));
  }

  explainNode(): NodeExplanation {
    return explainNodeContext(nodeContext(this.config, this.identity.nodeName, this.nodes.get(this.identity.nodeName)));
  }

  private invalidateAll(): void {
    this.ctx = undefined;
    this.allDirty = true;
  }

  private reevaluate(ctx: EvalContext, key: string, ips: Set<string>): void {
    for (const r of this.results.get(key)?.ips ?? []) {
      this.ipMembers.get(r.ip)?.delete(key);
      ips.add(r.ip);
    }
    const service = this.services.get(key);
    if (service === undefined) {
      this.results.delete(key);
      this.localCounts.delete(key);
      this.trackNeeds(key, undefined);
      return;
    }
    const result = evaluateService(ctx, service);
    this.results.set(key, result);
    this.trackNeeds(key, result);
    // Ready and draining endpoints here, per family: compared as numbers, on every re-evaluation.
    const here = (f: 4 | 6) => this.endpoints.endpointsOf(key, f)?.byNode.get(this.identity.nodeName);
    const v4 = here(4);
    const v6 = here(6);
    const counts = [v4?.ready ?? -1, v4?.servingTerminating ?? -1, v6?.ready ?? -1, v6?.servingTerminating ?? -1];
    const old = this.localCounts.get(key);
    if (old === undefined || old.some((n, i) => n !== counts[i])) {
      this.localCounts.set(key, counts);
      this.pokes.add(key);
    }
    for (const r of result.ips) {
      let members = this.ipMembers.get(r.ip);
      if (members === undefined) this.ipMembers.set(r.ip, (members = new Map()));
      members.set(key, r);
      ips.add(r.ip);
    }
  }

  private trackNeeds(key: string, result: ServiceResult | undefined): void {
    let port: number | undefined;
    let proxy = false;
    for (const r of result?.ips ?? []) {
      const need = r.dataPlaneNeed;
      if (need?.kind === 'proxy') proxy = true;
      else if (need?.kind === 'service' && need.port !== undefined) port ??= need.port;
    }
    let changed = false;
    if (port === undefined) changed = this.serviceChecks.delete(key) || changed;
    else if (this.serviceChecks.get(key) !== port) {
      this.serviceChecks.set(key, port);
      changed = true;
    }
    if (proxy !== this.proxyUsers.has(key)) {
      if (proxy) this.proxyUsers.add(key);
      else this.proxyUsers.delete(key);
      changed = true;
    }
    if (changed) this.targetsVersion++;
  }

  private recombine(ip: string, prefixes: Set<string>): void {
    for (const e of this.ipOutcomes.get(ip)?.entries ?? []) {
      this.prefixIPs.get(e.prefix)?.delete(ip);
      prefixes.add(e.prefix);
    }
    const members = this.ipMembers.get(ip);
    if (members === undefined || members.size === 0) {
      this.ipMembers.delete(ip);
      this.ipOutcomes.delete(ip);
      return;
    }
    const outcome = combineIP(ip, membersOf(members));
    this.ipOutcomes.set(ip, outcome);
    for (const e of outcome.entries) {
      let set = this.prefixIPs.get(e.prefix);
      if (set === undefined) this.prefixIPs.set(e.prefix, (set = new Set()));
      set.add(ip);
      prefixes.add(e.prefix);
    }
  }

  private remerge(prefix: string, changed: Map<string, readonly Announcement[]>): void {
    const entries: Entry[] = [];
    for (const ip of this.prefixIPs.get(prefix) ?? []) {
      for (const e of this.ipOutcomes.get(ip)?.entries ?? []) if (e.prefix === prefix) entries.push(e);
    }
    const old = this.prefixes.get(prefix);
    const first = entries[0];
    if (first === undefined) {
      this.prefixIPs.delete(prefix);
      this.prefixes.delete(prefix);
      if (old !== undefined) changed.set(prefix, []);
      return;
    }
    const announcements = mergePrefix(entries);
    const text = JSON.stringify(announcements);
    if (old?.text === text) return;
    this.prefixes.set(prefix, { key: prefixKeyOf(first), announcements, text });
    changed.set(prefix, announcements);
  }
}

function membersOf(members: ReadonlyMap<string, IPResult> | undefined): IPMember[] {
  return [...(members ?? [])].map(([service, result]) => ({ service, result }));
}

function sameNode(a: NodeInfo, b: NodeInfo): boolean {
  if (a.networkUnavailable !== b.networkUnavailable) return false;
  const ka = Object.keys(a.labels);
  return ka.length === Object.keys(b.labels).length && ka.every((k) => b.labels[k] === a.labels[k] && Object.hasOwn(b.labels, k));
}
