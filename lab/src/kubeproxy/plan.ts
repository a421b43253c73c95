// What kube-proxy decides for LoadBalancer traffic on one node, before any nftables syntax:
// for each (LoadBalancer IP, protocol, port) the endpoints to DNAT to, whether to SNAT, or drop/reject.

import { isIP } from 'node:net';
import type { Endpoint, EndpointSlice, NodeInfo, Protocol, Service, ServicePort } from './model.js';

export type Family = 4 | 6;

export interface Frontend {
  /** "namespace/name" of the Service. */
  readonly service: string;
  readonly portName: string;
  readonly family: Family;
  readonly address: string;
  readonly protocol: Protocol;
  readonly port: number;
}

export interface Backend {
  readonly address: string;
  readonly port: number;
}

export type Verdict =
  /** Pick one backend per connection, equal weights; `snat` for Cluster so replies return through this node. */
  | { readonly kind: 'dnat'; readonly backends: readonly Backend[]; readonly snat: boolean; readonly terminatingFallback: boolean }
  /** Local policy, endpoints exist elsewhere but none here: kube-proxy drops. */
  | { readonly kind: 'drop' }
  /** No usable endpoint anywhere: kube-proxy rejects so clients fail fast. */
  | { readonly kind: 'reject' };

export interface PlannedRule {
  readonly frontend: Frontend;
  readonly verdict: Verdict;
}

const familyOf = (address: string): Family | undefined => {
  const f = isIP(address);
  return f === 4 || f === 6 ? f : undefined;
};

const sliceFamily = { IPv4: 4, IPv6: 6, FQDN: undefined } as const;

/** Endpoint conditions with Kubernetes' defaults: ready unset is ready, serving unset follows ready. */
export function conditionsOf(e: Endpoint): { ready: boolean; serving: boolean; terminating: boolean } {
  const ready = e.ready ?? true;
  return { ready, serving: e.serving ?? ready, terminating: e.terminating ?? false };
}

interface Candidate extends Backend {
  readonly nodeName: string | undefined;
  readonly ready: boolean;
  readonly servingTerminating: boolean;
}

/** Every endpoint of the service's slices that carries `port` in `family`, deduplicated by address and port. */
function candidates(service: Service, port: ServicePort, family: Family, slices: readonly EndpointSlice[]): Candidate[] {
  const found = new Map<string, Candidate>();
  for (const slice of slices) {
    if (slice.namespace !== service.namespace || slice.serviceName !== service.name) continue;
    if (sliceFamily[slice.addressType] !== family) continue;
    const slicePort = slice.ports.find((p) => p.name === port.name && p.protocol === port.protocol);
    if (slicePort === undefined) continue;
    for (const e of slice.endpoints) {
      if (familyOf(e.address) !== family) continue;
      const c = conditionsOf(e);
      const key = `${e.address}|${slicePort.port}`;
      const previous = found.get(key);
      // The same pod can show up in two slices while the controller moves it; ready wins.
      if (previous !== undefined && previous.ready) continue;
      found.set(key, {
        address: e.address,
        port: slicePort.port,
        nodeName: e.nodeName,
        ready: c.ready,
        servingTerminating: c.serving && c.terminating,
      });
    }
  }
  return [...found.values()].sort((a, b) => (a.address === b.address ? a.port - b.port : a.address < b.address ? -1 : 1));
}

/** kube-proxy's choice: the ready ones; with none ready, the serving ones that are terminating. */
function usable(pool: readonly Candidate[]): { backends: Backend[]; terminatingFallback: boolean } {
  const ready = pool.filter((c) => c.ready);
  if (ready.length > 0) return { backends: ready.map(toBackend), terminatingFallback: false };
  const draining = pool.filter((c) => c.servingTerminating);
  return { backends: draining.map(toBackend), terminatingFallback: draining.length > 0 };
}

const toBackend = (c: Candidate): Backend => ({ address: c.address, port: c.port });

function verdictFor(service: Service, all: readonly Candidate[], node: NodeInfo): Verdict {
  const cluster = usable(all);
  if (cluster.backends.length === 0) return { kind: 'reject' };
  if (service.externalTrafficPolicy === 'Cluster') return { kind: 'dnat', ...cluster, snat: true };
  const local = usable(all.filter((c) => c.nodeName === node.name));
  if (local.backends.length === 0) return { kind: 'drop' };
  return { kind: 'dnat', ...local, snat: false };
}

/** The rules for one node, ordered by service, address, protocol and port so output is stable. */
export function planRules(services: readonly Service[], slices: readonly EndpointSlice[], node: NodeInfo): PlannedRule[] {
  const rules: PlannedRule[] = [];
  const seen = new Set<string>();
  const ordered = [...services].sort((a, b) => key(a).localeCompare(key(b)));
  for (const service of ordered) {
    if (service.type !== 'LoadBalancer') continue;
    for (const address of service.loadBalancerIPs) {
      const family = familyOf(address);
      if (family === undefined) continue;
      for (const port of service.ports) {
        // Two services sharing an IP on the same port would fight; the first (by name) keeps it.
        const frontendKey = `${address}|${port.protocol}|${port.port}`;
        if (seen.has(frontendKey)) continue;
        seen.add(frontendKey);
        const frontend: Frontend = { service: key(service), portName: port.name, family, address, protocol: port.protocol, port: port.port };
        rules.push({ frontend, verdict: verdictFor(service, candidates(service, port, family, slices), node) });
      }
    }
  }
  return rules;
}

const key = (s: Service): string => `${s.namespace}/${s.name}`;
