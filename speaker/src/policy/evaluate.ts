// One Service on one node: for each of its IPs, the verdict and the (prefix, peer) paths it
// asks for. Depends on no other Service, so a change re-evaluates only the Service it touches.
import { DATA_PLANE_CHECK, FAMILY_BITS, WEIGHTING, formatIP, matchesAny, prefixOf, type CommunityValue, type Config, type IPAddress } from '@headland/api';
import { TRAFFIC_POLICY, type EndpointsView, type NodeInfo, type ServiceInfo } from '../model/types.js';
import { endpointVerdict, hasEndpointsAnywhere } from './endpoint-rules.js';
import { isInternalPeer, nodeIneligibility, peersOfNode } from './node-rules.js';
import { advertisementsForService, configIndex, poolOf, serviceIneligibility, type ConfigIndex } from './service-rules.js';
import { REASON, type DataPlaneAnswer, type DataPlaneView, type PolicyInput, type Verdict } from './types.js';

/** This node as the policy needs it, computed once per config or node change. */
export interface NodeContext {
  readonly name: string;
  readonly node: NodeInfo | undefined;
  readonly ineligible: Verdict | undefined;
  /** BGPPeers that select the node, sorted. */
  readonly peers: readonly string[];
  readonly internalPeers: ReadonlySet<string>;
}

export interface EvalContext {
  readonly config: Config;
  readonly index: ConfigIndex;
  readonly lbClass: string | undefined;
  readonly node: NodeContext;
  readonly endpoints: EndpointsView;
  /** kube-proxy's answers on this node; undefined: checks not applied. */
  readonly dataPlane: DataPlaneView | undefined;
}

/**
 * What kube-proxy must be asked before this node announces an IP: the Service's health check
 * node port (Local with local endpoints) or /healthz (Cluster, and Local served only by draining
 * pods, which kube-proxy's per-Service check never counts). `port` undefined: the Service has no
 * healthCheckNodePort, so it cannot be asked.
 */
export type DataPlaneNeed = { readonly kind: 'service'; readonly port: number | undefined } | { readonly kind: 'proxy' };

/** One prefix toward one peer, as one advertisement asks for it. */
export interface Path {
  readonly prefix: string;
  readonly family: 4 | 6;
  /** Network address and length, to sort without reparsing. */
  readonly network: bigint;
  readonly prefixLength: number;
  /** A /32 or /128: stands for exactly one IP, so it can carry that IP's weight. */
  readonly hostRoute: boolean;
  readonly peer: string;
  /** Already dropped for eBGP peers. */
  readonly localPref: number | undefined;
  readonly communities: readonly CommunityValue[];
}

export interface IPResult extends Verdict {
  readonly ip: string;
  readonly family: 4 | 6;
  readonly pool: string | undefined;
  /** Passed every rule that does not depend on the node: some node may announce it. */
  readonly active: boolean;
  /** Local, and an advertisement selecting it asks for LocalEndpoints weighting. */
  readonly weighted: boolean;
  /** This node announces it for this Service (if the node has peers to announce to). */
  readonly qualifies: boolean;
  readonly localEndpoints: number;
  readonly paths: readonly Path[];
  /** Set when an advertisement that selects the node checks the data plane and the endpoints allow announcing. */
  readonly dataPlaneNeed?: DataPlaneNeed;
}

export interface ServiceResult {
  readonly key: string;
  /** Set when the Service as a whole is not ours (type, class, no IP); then ips is empty. */
  readonly ineligible: Verdict | undefined;
  readonly ips: readonly IPResult[];
}

export function nodeContext(config: Config, nodeName: string, node: NodeInfo | undefined): NodeContext {
  const peers = peersOfNode(config, node);
  const internalPeers = new Set(peers.filter((name) => {
    const peer = config.peers.get(name);
    return peer !== undefined && isInternalPeer(peer);
  }));
  return { name: nodeName, node, ineligible: nodeIneligibility(nodeName, node), peers, internalPeers };
}

export function evalContext(input: PolicyInput): EvalContext {
  return {
    config: input.config,
    index: configIndex(input.config),
    lbClass: input.lbClass,
    node: nodeContext(input.config, input.nodeName, input.nodes.get(input.nodeName)),
    endpoints: input.endpoints,
    dataPlane: input.dataPlane,
  };
}

export function evaluateService(ctx: EvalContext, service: ServiceInfo): ServiceResult {
  const ineligible = serviceIneligibility(service, ctx.lbClass);
  if (ineligible !== undefined) return { key: service.key, ineligible, ips: [] };
  return { key: service.key, ineligible: undefined, ips: service.ingressIPs.map((ip) => evaluateIP(ctx, service, ip)) };
}

function evaluateIP(ctx: EvalContext, service: ServiceInfo, address: IPAddress): IPResult {
  const ip = formatIP(address);
  const family = address.family;
  const refuse = (verdict: Verdict, pool: string | undefined, more: Partial<IPResult> = {}): IPResult => ({
    ip, family, pool, active: false, weighted: false, qualifies: false, localEndpoints: 0, paths: [], ...verdict, ...more,
  });

  const pool = poolOf(ctx.index, address, service.poolHint);
  if (pool === undefined) return refuse({ reason: REASON.NoPool, detail: `${ip} is in no IPAddressPool` }, undefined);
  const selected = advertisementsForService(ctx.index, pool, service);
  if (!selected.ok) return refuse(selected.verdict, pool.name);
  const advertisements = selected.ads;

  const endpoints = ctx.endpoints.endpointsOf(service.key, family);
  if (!hasEndpointsAnywhere(endpoints)) {
    return refuse({ reason: REASON.NoEndpoints, detail: `no ready or serving IPv${family} endpoint on any node` }, pool.name);
  }
  // Weighting is decided per Service and IP, not per node: if one selecting advertisement asks
  // for it, every path carries it, or routers that see one unweighted path fall back to ECMP.
  const weighted = service.trafficPolicy === TRAFFIC_POLICY.Local && advertisements.some((ad) => ad.weighting === WEIGHTING.LocalEndpoints);
  const active = { active: true, weighted };

  const node = ctx.node;
  if (node.ineligible !== undefined) return refuse(node.ineligible, pool.name, active);
  const labels = node.node?.labels;
  const forNode = advertisements.filter((ad) => matchesAny(ad.nodeSelectors, labels));
  if (forNode.length === 0) {
    const names = advertisements.map((ad) => ad.ref.name).join(', ');
    return refuse({ reason: REASON.NodeNotSelected, detail: `the nodeSelectors of BGPAdvertisement ${names} do not select node ${node.name}` }, pool.name, active);
  }
  const byEndpoints = endpointVerdict(service.trafficPolicy, endpoints, node.name, family);
  if (byEndpoints.reason === REASON.NoLocalEndpoint) return refuse(byEndpoints, pool.name, active);

  // kube-proxy's word: advertisements that check the data plane announce only what it serves.
  const checks = forNode.some((ad) => ad.dataPlaneCheck === DATA_PLANE_CHECK.KubeProxy);
  const need: DataPlaneNeed | undefined = !checks
    ? undefined
    : service.trafficPolicy === TRAFFIC_POLICY.Local && byEndpoints.reason === REASON.Announced
      ? { kind: 'service', port: service.healthCheckNodePort }
      : { kind: 'proxy' };
  const answer = need === undefined || ctx.dataPlane === undefined ? undefined : askDataPlane(ctx.dataPlane, service, need);
  const blocked = answer !== undefined && !answer.ok;
  const needs = need === undefined ? {} : { dataPlaneNeed: need };
  // A Local Service's weight is what kube-proxy has programmed, when it says so.
  const localEndpoints = answer?.ok === true && answer.weight !== undefined && need?.kind === 'service' ? answer.weight : byEndpoints.localEndpoints;

  // Advertisements with different aggregation lengths each announce their own prefix, as in
  // MetalLB: routers prefer the longest match and the aggregate stays as a covering route.
  const paths: Path[] = [];
  const unusable: string[] = [];
  for (const ad of forNode) {
    if (blocked && ad.dataPlaneCheck === DATA_PLANE_CHECK.KubeProxy) continue;
    const prefixLength = family === 4 ? ad.aggregationLength : ad.aggregationLengthV6;
    // buildConfig refuses such lengths; a Config made elsewhere must still not crash the speaker.
    if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > FAMILY_BITS[family]) {
      unusable.push(`${ad.ref.name} (aggregation length ${String(prefixLength)} for IPv${family})`);
      continue;
    }
    const block = prefixOf(address, prefixLength);
    const prefix = `${formatIP({ family, value: block.first })}/${prefixLength}`;
    const hostRoute = prefixLength === FAMILY_BITS[family];
    for (const peer of node.peers) {
      if (ad.peers !== undefined && !ad.peers.includes(peer)) continue;
      const localPref = node.internalPeers.has(peer) ? ad.localPref : undefined;
      paths.push({ prefix, family, network: block.first, prefixLength, hostRoute, peer, localPref, communities: ad.communities });
    }
  }
  if (blocked && paths.length === 0 && unusable.length === 0) {
    const reason = answer.detail === NOT_ASKED ? REASON.DataPlaneNotChecked : REASON.DataPlaneNotServing;
    return refuse({ reason, detail: `kube-proxy on node ${node.name}: ${answer.detail}` }, pool.name, { ...active, ...needs });
  }
  const qualified = { active: true, weighted, qualifies: true, localEndpoints, ...needs };
  if (paths.length === 0 && unusable.length > 0) {
    return { ip, family, pool: pool.name, ...qualified, paths, reason: REASON.BadAdvertisement, detail: `BGPAdvertisement ${unusable.join(', ')} cannot be used` };
  }
  if (paths.length === 0) {
    const detail = `node ${node.name} has peers [${node.peers.join(', ')}] and the advertisements that select it allow none of them`;
    return { ip, family, pool: pool.name, ...qualified, paths, reason: REASON.NoPeers, detail };
  }
  return { ip, family, pool: pool.name, ...qualified, paths, reason: byEndpoints.reason, detail: byEndpoints.detail };
}

/** The detail of an answer that has not come yet (the check counts as failing until it does). */
const NOT_ASKED = 'not asked yet';

/** The answer the need asks for; a missing one is failing, so nothing is announced unchecked. */
function askDataPlane(dataPlane: DataPlaneView, service: ServiceInfo, need: DataPlaneNeed): DataPlaneAnswer {
  if (need.kind === 'proxy') return dataPlane.proxy() ?? { ok: false, detail: NOT_ASKED };
  if (need.port === undefined) return { ok: false, detail: `Service ${service.key} has no spec.healthCheckNodePort to ask on` };
  return dataPlane.service(service.key) ?? { ok: false, detail: NOT_ASKED };
}
