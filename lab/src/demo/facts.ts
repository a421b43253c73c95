// What the demo read back, turned from kubectl and FRR JSON into plain facts: the IP each
// Service got, which nodes the router sends it to with what weight, and each pod's share.
import type { lab, traffic } from '../index.js';
import { DemoError, type DemoLayout } from './layout.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const items = (list: unknown, what: string): Json[] => {
  if (!isObj(list) || !Array.isArray(list['items'])) throw new DemoError('demo/facts', `${what} is not a list with "items"`);
  return list['items'].filter(isObj);
};
const metaOf = (o: Json): { namespace: string; name: string } => {
  const m = isObj(o['metadata']) ? o['metadata'] : {};
  return { namespace: String(m['namespace'] ?? ''), name: String(m['name'] ?? '') };
};

export interface ServiceFacts {
  /** "namespace/name". */
  readonly key: string;
  readonly policy: 'Cluster' | 'Local';
  /** status.loadBalancer.ingress[].ip, in order; empty while none is assigned. */
  readonly ips: readonly string[];
}

/** LoadBalancer Services of `kubectl get svc -A -o json`, with what their status says. */
export function servicesOf(list: unknown): ServiceFacts[] {
  return items(list, 'the Service list')
    .filter((s) => isObj(s['spec']) && s['spec']['type'] === 'LoadBalancer')
    .map((s) => {
      const spec = s['spec'] as Json;
      const lb = isObj(s['status']) && isObj(s['status']['loadBalancer']) ? s['status']['loadBalancer'] : {};
      const ingress = Array.isArray(lb['ingress']) ? lb['ingress'].filter(isObj) : [];
      const { namespace, name } = metaOf(s);
      return {
        key: `${namespace}/${name}`,
        policy: spec['externalTrafficPolicy'] === 'Local' ? 'Local' : 'Cluster',
        ips: ingress.map((i) => i['ip']).filter((ip): ip is string => typeof ip === 'string'),
      };
    });
}

/** "namespace/service" -> names of the demo pods its ready endpoints point at (sorted). */
export function podsByService(sliceList: unknown, layout: DemoLayout): Map<string, string[]> {
  const podByIP = new Map([...layout.pods].map(([pod, at]) => [at.ip, pod]));
  const out = new Map<string, string[]>();
  for (const slice of items(sliceList, 'the EndpointSlice list')) {
    const { namespace } = metaOf(slice);
    const labels = isObj(slice['metadata']) && isObj(slice['metadata']['labels']) ? slice['metadata']['labels'] : {};
    const svc = labels['kubernetes.io/service-name'];
    if (typeof svc !== 'string') continue;
    const pods = out.get(`${namespace}/${svc}`) ?? [];
    for (const ep of Array.isArray(slice['endpoints']) ? slice['endpoints'].filter(isObj) : []) {
      const ready = !isObj(ep['conditions']) || ep['conditions']['ready'] !== false;
      const addrs = Array.isArray(ep['addresses']) ? ep['addresses'] : [];
      for (const a of addrs) {
        const pod = podByIP.get(String(a));
        if (ready && pod !== undefined && !pods.includes(pod)) pods.push(pod);
      }
    }
    out.set(`${namespace}/${svc}`, pods.sort());
  }
  return out;
}

export interface Announcement {
  readonly node: string;
  readonly nodeIP: string;
  /** The nexthop's weight in the router's installed route. */
  readonly weight: number;
  /** weight / sum of weights, 0-1. */
  readonly share: number;
  /** The link-bandwidth extended community FRR shows on that node's path ("3.000 Mbps"), if any. */
  readonly linkBandwidth: string | undefined;
}

/**
 * The router's installed route (from `show ip route IP json`) joined with its BGP paths (from
 * `show bgp ipv4 unicast IP json`): one entry per nexthop, named by the node that owns the address.
 */
export function announcementsOf(route: lab.Route | undefined, bgp: lab.Route | undefined, layout: DemoLayout): Announcement[] {
  const installed = route?.paths.find((p) => p.best) ?? route?.paths[0];
  if (installed === undefined) return [];
  const nodeByIP = new Map([...layout.nodeIPs].map(([n, ip]) => [ip, n]));
  const hops = installed.nexthops.filter((h) => h.via !== undefined);
  const total = hops.reduce((n, h) => n + (h.weight ?? 1), 0);
  return hops
    .map((h) => {
      const via = h.via!;
      const ext = bgp?.paths.find((p) => p.source === via || p.nexthops.some((n) => n.via === via))?.attributes['extendedCommunity'];
      const lb = ext === undefined ? undefined : /\bLB:\S+\s*\(([^)]+)\)/.exec(ext)?.[1];
      return { node: nodeByIP.get(via) ?? via, nodeIP: via, weight: h.weight ?? 1, share: total === 0 ? 0 : (h.weight ?? 1) / total, linkBandwidth: lb };
    })
    .sort((a, b) => a.node.localeCompare(b.node));
}

export interface PodShare {
  readonly pod: string;
  readonly node: string;
  readonly connections: number;
  /** connections / all connections of the run, 0-1. */
  readonly share: number;
  /** What the announcements predict, 0-1 (see expectedShares). */
  readonly expected: number;
  /** Distinct client addresses the pod saw, each with whose address it is. */
  readonly sawClients: readonly { readonly ip: string; readonly whose: string }[];
}

/**
 * The share each pod should get. Local: the router's share of the pod's node, split evenly over
 * that node's pods (traffic stays on the node). Cluster: kube-proxy on any node picks among all
 * pods, so each gets an equal part whatever the router does.
 */
export function expectedShares(policy: 'Cluster' | 'Local', pods: readonly string[], announcements: readonly Announcement[], layout: DemoLayout): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    if (policy === 'Cluster') {
      out.set(pod, 1 / pods.length);
      continue;
    }
    const node = layout.pods.get(pod)?.node;
    const local = pods.filter((p) => layout.pods.get(p)?.node === node).length;
    const nodeShare = announcements.find((a) => a.node === node)?.share ?? 0;
    out.set(pod, nodeShare / local);
  }
  return out;
}

/** Whose address ip is, in words: the client's, a node's (SNAT), or unknown. */
export function whoseAddress(ip: string, layout: DemoLayout): string {
  if (ip === layout.clientIPv4) return "the client's own address";
  const node = [...layout.nodeIPs].find(([, a]) => a === ip)?.[0];
  return node === undefined ? 'an address outside the demo' : `${node}'s address`;
}

export function podSharesOf(summary: traffic.TrafficSummary, expected: ReadonlyMap<string, number>, layout: DemoLayout): PodShare[] {
  const pods = [...new Set([...expected.keys(), ...Object.keys(summary.perPod)])].sort();
  return pods.map((pod) => {
    const connections = summary.perPod[pod] ?? 0;
    return {
      pod,
      node: layout.pods.get(pod)?.node ?? '?',
      connections,
      share: summary.count === 0 ? 0 : connections / summary.count,
      expected: expected.get(pod) ?? 0,
      sawClients: (summary.clientsByPod[pod] ?? []).map((ip) => ({ ip, whose: whoseAddress(ip, layout) })),
    };
  });
}
