// Rules about one Service that do not depend on the node: is it ours to announce (type, class,
// IP), which pool each IP is from, and which advertisements select that pool and the Service.
import { matchesAny, type BGPAdvertisementConfig, type Config, type IPAddress, type Pool } from '@headland/api';
import { LOAD_BALANCER_TYPE, type ServiceInfo } from '../model/types.js';
import { REASON, type Verdict } from './types.js';

/** Lookups built once per Config (the Config object is immutable, so a WeakMap keys them). */
export interface ConfigIndex {
  /** By name, so overlapping pools resolve the same way on every node. */
  readonly pools: readonly Pool[];
  readonly bgpAdvertisementsByPool: ReadonlyMap<string, readonly BGPAdvertisementConfig[]>;
}

const indexes = new WeakMap<Config, ConfigIndex>();

export function configIndex(config: Config): ConfigIndex {
  const cached = indexes.get(config);
  if (cached !== undefined) return cached;
  const pools = [...config.pools.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byPool = new Map<string, BGPAdvertisementConfig[]>();
  for (const ad of config.bgpAdvertisements) {
    for (const pool of ad.pools) {
      const list = byPool.get(pool) ?? [];
      list.push(ad);
      byPool.set(pool, list);
    }
  }
  const index: ConfigIndex = { pools, bgpAdvertisementsByPool: byPool };
  indexes.set(config, index);
  return index;
}

/** --lb-class set: only that class; unset: only Services that name no class. */
export function classMatches(service: ServiceInfo, lbClass: string | undefined): boolean {
  return service.loadBalancerClass === lbClass;
}

/** Undefined when the Service is a LoadBalancer of our class with an IP; otherwise why not. */
export function serviceIneligibility(service: ServiceInfo, lbClass: string | undefined): Verdict | undefined {
  if (service.type !== LOAD_BALANCER_TYPE) return { reason: REASON.NotLoadBalancer, detail: `service ${service.key} is of type ${service.type}, not LoadBalancer` };
  if (!classMatches(service, lbClass)) {
    const theirs = service.loadBalancerClass === undefined ? 'no loadBalancerClass' : `loadBalancerClass ${service.loadBalancerClass}`;
    const ours = lbClass === undefined ? 'Services without a class' : `class ${lbClass}`;
    return { reason: REASON.ClassMismatch, detail: `service ${service.key} has ${theirs}; this speaker serves ${ours}` };
  }
  if (service.ingressIPs.length === 0) return { reason: REASON.NoIP, detail: `service ${service.key} has no IP in status.loadBalancer.ingress yet` };
  return undefined;
}

/**
 * The pool whose addresses hold the IP. The controller's annotation only breaks a tie between
 * overlapping pools: it may be stale or hand-written, the pools' sets are the truth.
 */
export function poolOf(index: ConfigIndex, ip: IPAddress, hint: string | undefined): Pool | undefined {
  let first: Pool | undefined;
  for (const pool of index.pools) {
    if (!pool.addresses.contains(ip)) continue;
    if (pool.name === hint) return pool;
    first ??= pool;
  }
  return first;
}

/** The BGPAdvertisements of the pool that select the Service, or why there are none. */
export function advertisementsForService(index: ConfigIndex, pool: Pool, service: ServiceInfo): { ok: true; ads: readonly BGPAdvertisementConfig[] } | { ok: false; verdict: Verdict } {
  const ofPool = index.bgpAdvertisementsByPool.get(pool.name) ?? [];
  if (ofPool.length === 0) return { ok: false, verdict: { reason: REASON.NoAdvertisement, detail: `no BGPAdvertisement announces pool ${pool.name}` } };
  const selected = ofPool.filter((ad) => matchesAny(ad.serviceSelectors, service.labels));
  if (selected.length === 0) {
    const names = ofPool.map((ad) => ad.ref.name).join(', ');
    return { ok: false, verdict: { reason: REASON.ServiceNotSelected, detail: `the serviceSelectors of BGPAdvertisement ${names} do not select service ${service.key}` } };
  }
  return { ok: true, ads: selected };
}
