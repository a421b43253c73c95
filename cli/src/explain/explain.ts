// `headland explain`, pure: for one Service, every node's decision as the speakers make it (the
// same policy code, fed each node's published kube-proxy answers), cross-checked against what
// each speaker says it announces, with endpoints per node, each pod's expected share of traffic
// and the warnings an operator needs.
import { SERVICE_ANNOTATION, formatCommunity, formatIP, readAnnotation } from '@headland/api';
import { REASON, announcements, explainService, type DataPlaneAnswer, type DataPlaneView, type PolicyInput } from '@headland/speaker/policy';
import { electL2, contestsOf, type ElectionInput } from '@headland/speaker/election';
import { field, keyOf, nameOf, type ClusterModel, type Obj } from '../cluster/snapshot.js';

export interface NodeDecision {
  readonly node: string;
  /** BGP, L2, or none when nothing selects the Service for either. */
  readonly mode: 'BGP' | 'L2' | '-';
  readonly announces: boolean;
  readonly reason: string;
  readonly detail: string;
  readonly peers: readonly string[];
  readonly communities: readonly string[];
  readonly localPref: number | undefined;
  /** Local endpoints the node's path stands for (its weight), when weighted. */
  readonly weight: number | undefined;
  /** Share of the Service's traffic that enters through this node (0..1). */
  readonly share: number;
  readonly endpoints: { readonly ready: number; readonly servingTerminating: number };
  /** What the node's speaker published (SpeakerStatus / ServiceL2Status); undefined: it published nothing. */
  readonly published: boolean | undefined;
  /** BGP sessions to the peers it announces to that are not Established, per the node's SpeakerStatus. */
  readonly sessionsDown: readonly string[];
}

export interface PodShare {
  readonly pod: string;
  readonly node: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  /** Expected share of the Service's new connections (0..1). */
  readonly share: number;
}

export interface ServiceReport {
  readonly service: string;
  readonly type: string;
  readonly trafficPolicy: string;
  readonly ips: readonly { readonly ip: string; readonly pool: string | undefined; readonly requested: string | undefined; readonly sharedKey: string | undefined }[];
  readonly nodes: readonly NodeDecision[];
  readonly pods: readonly PodShare[];
  readonly warnings: readonly string[];
}

export interface ExplainOptions {
  /** The speakers' --lb-class (undefined: Services without a class). */
  readonly lbClass?: string;
}

/** A node's published kube-proxy answers as the policy reads them; undefined when it published none. */
export function dataPlaneFromStatus(status: Obj | undefined): DataPlaneView | undefined {
  if (status === undefined) return undefined;
  const dp = field(status, 'status', 'dataPlane');
  const notServing = new Map<string, DataPlaneAnswer>();
  const list = field(dp, 'notServing');
  if (Array.isArray(list)) {
    for (const e of list) {
      const service = field(e, 'service');
      if (typeof service === 'string') notServing.set(service, { ok: false, detail: `${String(field(e, 'reason'))}: ${String(field(e, 'detail'))}` });
    }
  }
  const proxy = field(dp, 'proxy');
  const proxyAnswer: DataPlaneAnswer = proxy === undefined ? { ok: true, detail: 'not reported' } : { ok: field(proxy, 'status') === 'ok', detail: `${String(field(proxy, 'reason'))}: ${String(field(proxy, 'detail'))}` };
  return {
    service: (key) => notServing.get(key) ?? { ok: true, detail: 'not listed as not serving' },
    proxy: () => proxyAnswer,
  };
}

interface EndpointRow {
  readonly pod: string;
  readonly node: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

function endpointRows(model: ClusterModel, service: string): EndpointRow[] {
  const rows: EndpointRow[] = [];
  const seen = new Set<string>();
  for (const slice of model.objects.endpointSlices) {
    const labels = slice.metadata?.labels ?? {};
    if (`${slice.metadata?.namespace ?? ''}/${labels['kubernetes.io/service-name'] ?? ''}` !== service) continue;
    const eps = field(slice, 'endpoints');
    for (const e of Array.isArray(eps) ? eps : []) {
      const addresses = field(e, 'addresses');
      const pod = String(field(e, 'targetRef', 'name') ?? (Array.isArray(addresses) ? addresses[0] : '?'));
      const node = String(field(e, 'nodeName') ?? '');
      const id = `${pod}@${node}`;
      if (seen.has(id)) continue; // one pod in the IPv4 and the IPv6 slice
      seen.add(id);
      const ready = field(e, 'conditions', 'ready') !== false;
      const serving = (field(e, 'conditions', 'serving') ?? ready) !== false;
      const terminating = field(e, 'conditions', 'terminating') === true;
      rows.push({ pod, node, ready, serving, terminating });
    }
  }
  return rows.sort((a, b) => (a.node + a.pod < b.node + b.pod ? -1 : 1));
}

const ANNOUNCED: ReadonlySet<string> = new Set([REASON.Announced, REASON.AnnouncedServingTerminating]);

export function explainServiceReport(model: ClusterModel, key: string, opts: ExplainOptions = {}): ServiceReport | undefined {
  const service = model.services.get(key);
  const raw = model.objects.services.find((s) => keyOf(s) === key);
  if (service === undefined || raw === undefined) return undefined;
  const annotations = (raw.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
  const requestedAnn = readAnnotation(annotations, SERVICE_ANNOTATION.LoadBalancerIPs)?.value;
  const requested = requestedAnn ?? (typeof field(raw, 'spec', 'loadBalancerIP') === 'string' ? String(field(raw, 'spec', 'loadBalancerIP')) : undefined);
  const sharedKey = readAnnotation(annotations, SERVICE_ANNOTATION.AllowSharedIP)?.value;
  const statusByNode = new Map(model.objects.speakerStatuses.map((s) => [String(field(s, 'status', 'node') ?? nameOf(s)), s]));
  const l2Owners = new Set(
    model.objects.l2Statuses.filter((s) => `${String(field(s, 'status', 'serviceNamespace'))}/${String(field(s, 'status', 'serviceName'))}` === key).map((s) => String(field(s, 'status', 'node'))),
  );
  const rows = endpointRows(model, key);
  const warnings: string[] = [];
  // L2: the election every speaker runs, on what the cluster shows: speakers alive are those that
  // publish a SpeakerStatus, and who answers now (ServiceL2Status) keeps its IPs.
  const claims = new Map<string, string[]>();
  for (const s of model.objects.l2Statuses) {
    const addresses = field(s, 'status', 'addresses');
    for (const a of Array.isArray(addresses) ? addresses : []) {
      const ip = String(field(a, 'ip') ?? '');
      claims.set(ip, [...(claims.get(ip) ?? []), String(field(s, 'status', 'node'))].sort());
    }
  }
  const electionInput: ElectionInput = { config: model.config, services: model.services, nodes: model.nodes, endpoints: model.endpoints, lbClass: opts.lbClass, alive: new Set(statusByNode.keys()), claims };
  const election = model.config.l2Advertisements.length > 0 ? electL2(electionInput) : undefined;
  const contests = election === undefined ? [] : contestsOf(electionInput).filter((c) => c.services.includes(key));
  const local = service.trafficPolicy === 'Local';

  const decisions: Omit<NodeDecision, 'share'>[] = [];
  let pools: (string | undefined)[] = [];
  for (const node of [...model.nodes.keys()].sort()) {
    const status = statusByNode.get(node);
    const dataPlane = dataPlaneFromStatus(status);
    const input: PolicyInput = {
      config: model.config,
      services: model.services,
      nodes: model.nodes,
      endpoints: model.endpoints,
      nodeName: node,
      lbClass: opts.lbClass,
      ...(dataPlane === undefined ? {} : { dataPlane }),
    };
    const why = explainService(input, key);
    if (why === undefined) continue;
    pools = why.ips.map((ip) => ip.pool);
    const counts = { ready: rows.filter((r) => r.node === node && r.ready).length, servingTerminating: rows.filter((r) => r.node === node && !r.ready && r.serving && r.terminating).length };
    const bgpAnnounced = why.ips.some((ip) => ip.announced);
    const l2Selected = model.config.l2Advertisements.some((ad) => why.ips.some((ip) => ip.pool !== undefined && ad.pools.includes(ip.pool)));
    if (bgpAnnounced || !l2Selected) {
      const mine = bgpAnnounced ? announcements({ ...input, services: new Map([[key, service]]) }).filter((a) => a.services.includes(key)) : [];
      const peers = [...new Set(mine.flatMap((a) => a.peers))].sort();
      const sessions = field(status, 'status', 'sessions');
      const down = Array.isArray(sessions) ? sessions.filter((s) => peers.includes(String(field(s, 'peer'))) && field(s, 'state') !== 'Established').map((s) => String(field(s, 'peer'))) : [];
      const publishedList = field(status, 'status', 'announcedServices');
      const bw = mine.find((a) => a.linkBandwidth !== undefined)?.linkBandwidth;
      const weightIP = why.ips.find((ip) => ip.announced && ip.linkBandwidth !== undefined);
      decisions.push({
        node,
        mode: bgpAnnounced || why.verdict.reason !== REASON.NoAdvertisement ? 'BGP' : '-',
        announces: bgpAnnounced,
        reason: why.verdict.reason,
        detail: why.verdict.detail,
        peers,
        communities: [...new Set(mine.flatMap((a) => a.communities.map(formatCommunity)))].sort(),
        localPref: mine.find((a) => a.localPref !== undefined)?.localPref,
        weight: bw === undefined || weightIP === undefined ? undefined : Math.round(bw / 125_000),
        endpoints: counts,
        published: Array.isArray(publishedList) ? publishedList.includes(key) : undefined,
        sessionsDown: down,
      });
    } else {
      // L2: one owner per IP, elected as the speakers elect; ServiceL2Status says who answers now.
      const owned = contests.filter((c) => election?.owners.get(c.ip)?.node === node);
      const ownerOf = (ip: string) => election?.owners.get(ip)?.node;
      const others = [...new Set(contests.map((c) => ownerOf(c.ip)).filter((n): n is string => n !== undefined && n !== node))];
      const refusal = contests.map((c) => c.refusals.get(node)).find((r) => r !== undefined);
      const candidate = contests.some((c) => c.candidates.some((x) => x.node === node));
      const owner = owned.length > 0;
      const reason = owner ? 'L2Owner' : refusal !== undefined ? refusal.reason : others.length > 0 ? 'L2OwnerIsAnotherNode' : (contests[0]?.verdict?.reason ?? why.verdict.reason);
      const detail = owner
        ? `node ${node} answers ARP/NDP for ${owned.map((c) => c.ip).join(', ')}`
        : refusal !== undefined
          ? refusal.detail
          : others.length > 0
            ? `node ${others.join(', ')} answers ARP/NDP for them${candidate ? ` (node ${node} is a candidate)` : ''}`
            : (contests[0]?.verdict?.detail ?? why.verdict.detail);
      decisions.push({ node, mode: 'L2', announces: owner, reason, detail, peers: [], communities: [], localPref: undefined, weight: undefined, endpoints: counts, published: status === undefined ? undefined : l2Owners.has(node), sessionsDown: [] });
    }
    if (status === undefined) warnings.push(`node ${node} has no SpeakerStatus: its speaker is not running (or predates SpeakerStatus); its decision is computed without kube-proxy's answers`);
  }

  // Traffic shares: routers spread over the announcing nodes (by weight when every path carries one).
  const announcing = decisions.filter((d) => d.announces);
  const weighted = local && announcing.length > 0 && announcing.every((d) => d.weight !== undefined);
  const total = announcing.reduce((a, d) => a + (weighted ? d.weight! : 1), 0);
  const nodes: NodeDecision[] = decisions.map((d) => ({ ...d, share: d.announces && total > 0 ? (weighted ? d.weight! : 1) / total : 0 }));
  const pods: PodShare[] = rows.map((r) => {
    let share = 0;
    if (announcing.length > 0) {
      if (local) {
        const n = nodes.find((d) => d.node === r.node);
        const usable = rows.filter((x) => x.node === r.node && x.ready);
        const pool = usable.length > 0 ? usable : rows.filter((x) => x.node === r.node && x.serving && x.terminating);
        if (n?.announces === true && pool.includes(r)) share = n.share / pool.length;
      } else {
        // Cluster: kube-proxy on whichever node spreads over every ready endpoint (draining ones only when none is ready).
        const ready = rows.filter((x) => x.ready);
        const pool = ready.length > 0 ? ready : rows.filter((x) => x.serving && x.terminating);
        if (pool.includes(r)) share = 1 / pool.length;
      }
    }
    return { ...r, share };
  });

  if (rows.every((r) => !r.ready && !(r.serving && r.terminating))) warnings.push(`the Service has no ready endpoint: no node announces it`);
  if (local && announcing.length > 1 && weighted) warnings.push('weights reach the routers as the link-bandwidth extended community: a router that ignores it (BIRD, GoBGP, FRR without weighted ECMP) splits equally per node, so Local traffic follows nodes, not pods');
  if (local && announcing.length > 1 && !weighted && nodes.some((n) => n.mode === 'BGP')) warnings.push('paths carry no weight (weighting None): routers split equally per node, so pods on a node with fewer of them get more traffic each');
  for (const d of nodes) {
    if (d.published !== undefined && d.published !== d.announces) warnings.push(`disagreement: node ${d.node}'s speaker ${d.published ? 'announces' : 'does not announce'} the Service, but the policy says it should ${d.announces ? '' : 'not '}(${d.reason}); the speaker may be catching up, or runs another version`);
    if (d.sessionsDown.length > 0) warnings.push(`node ${d.node} announces to ${d.sessionsDown.join(', ')}, but its session${d.sessionsDown.length > 1 ? 's are' : ' is'} not Established: that path is not at the router`);
  }
  for (const p of new Set(pools)) {
    const pool = model.objects.config.find((o) => o['kind'] === 'IPAddressPool' && nameOf(o) === p);
    for (const fam of ['IPv4', 'IPv6'] as const) {
      const used = Number(field(pool, 'status', `assigned${fam}`) ?? NaN);
      const free = Number(field(pool, 'status', `available${fam}`) ?? NaN);
      if (Number.isFinite(used) && Number.isFinite(free) && used + free > 0 && used / (used + free) >= 0.9) warnings.push(`pool ${p} is ${Math.round((100 * used) / (used + free))} % used for ${fam} (${free} free)`);
    }
  }
  for (const g of model.objects.gaps) warnings.push(`could not read ${g}`);

  return {
    service: key,
    type: service.type,
    trafficPolicy: service.trafficPolicy,
    ips: service.ingressIPs.map((address, i) => ({ ip: formatIP(address), pool: pools[i], requested, sharedKey })),
    nodes,
    pods,
    warnings,
  };
}

/** The Services holding an IP (text as written or canonical), for `explain ip`. */
export function servicesWithIP(model: ClusterModel, ip: string): string[] {
  const want = ip.toLowerCase();
  return model.objects.services
    .filter((s) => {
      const ingress = field(s, 'status', 'loadBalancer', 'ingress');
      return Array.isArray(ingress) && ingress.some((e) => String(field(e, 'ip') ?? '').toLowerCase() === want);
    })
    .map(keyOf)
    .sort();
}
