// Which nodes may answer ARP/NDP for each Service IP, and on which interfaces: the policy's rules
// (pools, L2Advertisement selectors, exclusion label, NetworkUnavailable, Local endpoints) plus
// membership's word on which speakers are alive, their interfaces and what their kube-proxy
// serves. Pure; every speaker computes the same.
import { formatIP, matchesAny, type IPAddress, type L2AdvertisementConfig } from '@headland/api';
import { TRAFFIC_POLICY, type NodeInfo, type ServiceInfo } from '../../model/types.js';
import { endpointVerdict, hasEndpointsAnywhere } from '../../policy/endpoint-rules.js';
import { nodeIneligibility } from '../../policy/node-rules.js';
import { configIndex, poolOf, serviceIneligibility } from '../../policy/service-rules.js';
import { REASON, type ClusterView, type Reason } from '../../policy/types.js';
import type { NodeDataPlane } from '../membership/codec.js';
import { dataPlaneRefusal, l2DataPlaneNeed } from './data-plane.js';

export interface ElectionInput extends ClusterView {
  /** --lb-class of the speakers (they all run with the same one). */
  readonly lbClass: string | undefined;
  /** Nodes whose speaker membership calls alive (or, where probes are impossible, Node readiness). */
  readonly alive: ReadonlySet<string>;
  /**
   * Per node, the interfaces it has among those the L2Advertisements name (membership carries
   * them). A node missing here is not known to lack any: it stays a candidate.
   */
  readonly interfacesOf?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Per node, what its kube-proxy serves as the node published it (membership carries it; a node
   * knows only its own). Missing or undefined: unknown, and the node stays a candidate.
   */
  readonly dataPlaneOf?: ReadonlyMap<string, NodeDataPlane | undefined>;
  /** Per IP, the nodes whose ServiceL2Status says they answer for it now: owners keep their IPs. */
  readonly claims?: ReadonlyMap<string, readonly string[]>;
}

/** Why an IP has no owner, or why a node is not among its candidates. */
export const ELECTION_REASON = {
  NoPool: REASON.NoPool,
  NoAdvertisement: REASON.NoAdvertisement,
  ServiceNotSelected: REASON.ServiceNotSelected,
  NoEndpoints: REASON.NoEndpoints,
  NodeExcluded: REASON.NodeExcluded,
  NodeNetworkUnavailable: REASON.NodeNetworkUnavailable,
  NodeNotSelected: REASON.NodeNotSelected,
  NoLocalEndpoint: REASON.NoLocalEndpoint,
  /** Membership has the node's speaker dead (or never saw it, and the Node is not Ready). */
  SpeakerNotAlive: 'SpeakerNotAlive',
  /** The node has none of the interfaces the L2Advertisements that select it name. */
  NoInterface: 'NoInterface',
  /**
   * An advertisement the node would answer through checks the data plane, and the node's kube-proxy
   * (as it published) does not serve the Service: not ok or not answered yet on its health check
   * node port (Local), or on /healthz (Cluster, Local served only by terminating pods).
   */
  DataPlaneNotServing: REASON.DataPlaneNotServing,
  NoEligibleNode: 'NoEligibleNode',
} as const;
export type ElectionReason = (typeof ELECTION_REASON)[keyof typeof ELECTION_REASON];

export interface ElectionVerdict {
  readonly reason: ElectionReason;
  readonly detail: string;
}

/** One node that may answer for an IP. */
export interface Candidate {
  readonly node: string;
  /** Interfaces to answer on; undefined: every interface but loopback and virtual ones. */
  readonly interfaces: readonly string[] | undefined;
}

export interface IPContest {
  readonly ip: string;
  readonly family: 4 | 6;
  /** Pool of the first member; members sharing an IP share its pool. */
  readonly pool: string;
  /** Services with this IP that some node may answer for, sorted. */
  readonly services: readonly string[];
  /** Sorted by node name; empty when none qualifies (then `verdict` says why). */
  readonly candidates: readonly Candidate[];
  readonly verdict: ElectionVerdict | undefined;
  /** Nodes that are no candidate and why (for a node out for several sharers: the last of them). */
  readonly refusals: ReadonlyMap<string, ElectionVerdict>;
}

interface Member {
  readonly service: ServiceInfo;
  readonly address: IPAddress;
}

interface NodeState {
  readonly name: string;
  readonly info: NodeInfo;
  /** Set when the node may answer for nothing. */
  readonly refusal: ElectionVerdict | undefined;
}

/** Every IP of every Service of our class with an IP, with its candidates, sorted by IP text. */
export function contestsOf(input: ElectionInput): IPContest[] {
  const byIP = new Map<string, Member[]>();
  for (const service of input.services.values()) {
    if (serviceIneligibility(service, input.lbClass) !== undefined) continue;
    for (const address of service.ingressIPs) {
      const ip = formatIP(address);
      const members = byIP.get(ip) ?? [];
      members.push({ service, address });
      byIP.set(ip, members);
    }
  }
  const nodes = nodeStates(input);
  const out: IPContest[] = [];
  for (const ip of [...byIP.keys()].sort()) {
    const members = (byIP.get(ip) ?? []).sort((a, b) => (a.service.key < b.service.key ? -1 : 1));
    out.push(contest(input, ip, members, nodes));
  }
  return out;
}

function nodeStates(input: ElectionInput): NodeState[] {
  return [...input.nodes.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((info) => {
      const ineligible = nodeIneligibility(info.name, info);
      let refusal: ElectionVerdict | undefined;
      if (ineligible?.reason === REASON.NodeExcluded || ineligible?.reason === REASON.NodeNetworkUnavailable) refusal = { reason: ineligible.reason, detail: ineligible.detail };
      else if (!input.alive.has(info.name)) refusal = { reason: ELECTION_REASON.SpeakerNotAlive, detail: `the speaker on node ${info.name} is not alive` };
      return { name: info.name, info, refusal };
    });
}

function contest(input: ElectionInput, ip: string, members: readonly Member[], nodes: readonly NodeState[]): IPContest {
  const index = configIndex(input.config);
  const first = members[0];
  const family = first?.address.family ?? 4;
  // Per node: how many members it may answer for, and the union of their interfaces.
  const served = new Map<string, { count: number; interfaces: Set<string> | undefined }>();
  const active: string[] = [];
  let memberRefusal: ElectionVerdict | undefined;
  const nodeRefusals = new Map<string, ElectionVerdict>();
  let pool: string | undefined;

  for (const { service, address } of members) {
    const found = poolOf(index, address, service.poolHint);
    if (found === undefined) {
      memberRefusal ??= { reason: ELECTION_REASON.NoPool, detail: `${ip} is in no IPAddressPool` };
      continue;
    }
    pool ??= found.name;
    const ofPool = input.config.l2Advertisements.filter((ad) => ad.pools.includes(found.name));
    if (ofPool.length === 0) {
      memberRefusal ??= { reason: ELECTION_REASON.NoAdvertisement, detail: `no L2Advertisement answers for pool ${found.name}` };
      continue;
    }
    const ads = ofPool.filter((ad) => matchesAny(ad.serviceSelectors, service.labels));
    if (ads.length === 0) {
      const names = ofPool.map((ad) => ad.ref.name).join(', ');
      memberRefusal ??= { reason: ELECTION_REASON.ServiceNotSelected, detail: `the serviceSelectors of L2Advertisement ${names} do not select service ${service.key}` };
      continue;
    }
    const endpoints = input.endpoints.endpointsOf(service.key, family);
    if (!hasEndpointsAnywhere(endpoints)) {
      memberRefusal ??= { reason: ELECTION_REASON.NoEndpoints, detail: `service ${service.key} has no ready or serving IPv${family} endpoint on any node` };
      continue;
    }
    active.push(service.key);
    for (const node of nodes) {
      if (node.refusal !== undefined) {
        nodeRefusals.set(node.name, node.refusal);
        continue;
      }
      const selecting = ads.filter((ad) => matchesAny(ad.nodeSelectors, node.info.labels));
      if (selecting.length === 0) {
        nodeRefusals.set(node.name, { reason: ELECTION_REASON.NodeNotSelected, detail: `no L2Advertisement for ${ip} selects node ${node.name}` });
        continue;
      }
      const has = input.interfacesOf?.get(node.name);
      const forNode = has === undefined ? selecting : usableOn(selecting, has);
      if (forNode.length === 0) {
        const named = [...new Set(selecting.flatMap((ad) => ad.interfaces ?? []))].sort().join(', ');
        nodeRefusals.set(node.name, { reason: ELECTION_REASON.NoInterface, detail: `node ${node.name} has none of the interfaces ${named} named for ${ip}` });
        continue;
      }
      let byEndpoints: Reason = REASON.Announced;
      if (service.trafficPolicy === TRAFFIC_POLICY.Local) {
        const verdict = endpointVerdict(service.trafficPolicy, endpoints, node.name, family);
        if (verdict.reason === REASON.NoLocalEndpoint) {
          nodeRefusals.set(node.name, { reason: ELECTION_REASON.NoLocalEndpoint, detail: verdict.detail });
          continue;
        }
        byEndpoints = verdict.reason;
      }
      const need = l2DataPlaneNeed(service, forNode, byEndpoints);
      const notServing = need === undefined ? undefined : dataPlaneRefusal(node.name, service.key, need, input.dataPlaneOf?.get(node.name));
      if (notServing !== undefined) {
        nodeRefusals.set(node.name, { reason: ELECTION_REASON.DataPlaneNotServing, detail: notServing });
        continue;
      }
      const entry = served.get(node.name) ?? { count: 0, interfaces: new Set<string>() };
      entry.count += 1;
      entry.interfaces = mergeInterfaces(entry.interfaces, forNode);
      served.set(node.name, entry);
    }
  }

  // Services sharing an IP share its owner. The nodes that may answer for the most of them win:
  // all of them when some node may (the usual case), else the best that can be done.
  const most = Math.max(0, ...[...served.values()].map((s) => s.count));
  const candidates: Candidate[] = [];
  for (const node of nodes) {
    const entry = served.get(node.name);
    if (entry === undefined || entry.count < most) continue;
    candidates.push({ node: node.name, interfaces: entry.interfaces === undefined ? undefined : [...entry.interfaces].sort() });
  }
  let verdict: ElectionVerdict | undefined;
  if (active.length === 0) verdict = memberRefusal ?? { reason: ELECTION_REASON.NoEligibleNode, detail: `${ip} belongs to no Service` };
  else if (candidates.length === 0) verdict = { reason: ELECTION_REASON.NoEligibleNode, detail: describeRefusals(ip, nodes.length, nodeRefusals) };
  const chosen = new Set(candidates.map((c) => c.node));
  const refusals = new Map([...nodeRefusals].filter(([node]) => !chosen.has(node)));
  return { ip, family, pool: pool ?? '', services: active, candidates, verdict, refusals };
}

/** The advertisements as this node can serve them: their interfaces cut to the ones it has, none left dropped. */
function usableOn(ads: readonly L2AdvertisementConfig[], has: ReadonlySet<string>): L2AdvertisementConfig[] {
  const out: L2AdvertisementConfig[] = [];
  for (const ad of ads) {
    if (ad.interfaces === undefined) out.push(ad);
    else {
      const present = ad.interfaces.filter((name) => has.has(name));
      if (present.length > 0) out.push({ ...ad, interfaces: present });
    }
  }
  return out;
}

/** Undefined (every interface) wins over any list: one advertisement asked for all of them. */
function mergeInterfaces(current: Set<string> | undefined, ads: readonly L2AdvertisementConfig[]): Set<string> | undefined {
  if (current === undefined) return undefined;
  for (const ad of ads) {
    if (ad.interfaces === undefined) return undefined;
    for (const name of ad.interfaces) current.add(name);
  }
  return current;
}

function describeRefusals(ip: string, nodeCount: number, refusals: ReadonlyMap<string, ElectionVerdict>): string {
  if (nodeCount === 0) return `no node may answer for ${ip}: the cluster has no nodes`;
  const shown = [...refusals].slice(0, 5).map(([node, v]) => `${node}: ${v.reason}`);
  const more = refusals.size > shown.length ? `, and ${refusals.size - shown.length} more` : '';
  return `no node may answer for ${ip} (${shown.join(', ')}${more})`;
}
