// BGPAdvertisements: pools, peers, selectors, communities resolved to values, aggregation
// lengths that stay inside each pool, and no two overlapping ones that disagree on LOCAL_PREF.
import { FAMILY_BITS } from '../ip/address.js';
import { parseCIDR } from '../ip/range.js';
import { rangeToCIDRs } from '../ip/range.js';
import type { BGPAdvertisementSpec } from '../kinds/bgpadvertisement.js';
import { selectorListsDisjoint } from '../selector.js';
import { CommunityError, isCommunityLiteral, parseCommunity, type CommunityValue } from './community-value.js';
import { formatRef, REFERENCE_EFFECT, type ObjectIssues } from './issues.js';
import { resolvePools } from './pool-refs.js';
import type { ReadObject } from './read.js';
import { compileSelectors } from './selectors.js';
import type { BGPAdvertisementConfig, Peer, Pool } from './types.js';

export interface AdvertisementContext {
  readonly pools: ReadonlyMap<string, Pool>;
  readonly peers: ReadonlyMap<string, Peer>;
  readonly communities: ReadonlyMap<string, CommunityValue>;
}

/** The valid advertisements, in the namespace/name order of `objects`. */
export function buildBGPAdvertisements(objects: readonly ReadObject<BGPAdvertisementSpec>[], context: AdvertisementContext): BGPAdvertisementConfig[] {
  const out: BGPAdvertisementConfig[] = [];
  for (const object of objects) {
    const adv = buildAdvertisement(object, context);
    if (adv === undefined) continue;
    const rival = out.find((other) => other.localPref !== adv.localPref && mayOverlap(adv, other, context.pools));
    if (rival !== undefined) {
      // One prefix from one node to one peer can carry only one LOCAL_PREF.
      object.issues.invalid(
        'spec.localPref',
        `localPref ${show(adv.localPref)} differs from ${show(rival.localPref)} of BGPAdvertisement ${formatRef(rival.ref)}, which also announces pool ${sharedPool(adv, rival)} from possibly the same nodes to possibly the same peers`,
      );
      continue;
    }
    out.push(adv);
  }
  return out;
}

function buildAdvertisement({ ref, spec, issues }: ReadObject<BGPAdvertisementSpec>, context: AdvertisementContext): BGPAdvertisementConfig | undefined {
  const pools = resolvePools(spec, context.pools, issues);
  const serviceSelectors = compileSelectors(spec.serviceSelectors, 'spec.serviceSelectors', issues);
  const nodeSelectors = compileSelectors(spec.nodeSelectors, 'spec.nodeSelectors', issues);
  // applyDefaults has filled both lengths; the fallbacks only satisfy the type.
  const aggregationLength = spec.aggregationLength ?? FAMILY_BITS[4];
  const aggregationLengthV6 = spec.aggregationLengthV6 ?? FAMILY_BITS[6];
  for (const name of pools) {
    const pool = context.pools.get(name);
    if (pool === undefined) continue;
    checkAggregation(pool, 4, aggregationLength, 'spec.aggregationLength', issues);
    checkAggregation(pool, 6, aggregationLengthV6, 'spec.aggregationLengthV6', issues);
  }
  const peers = spec.peers === undefined ? undefined : resolvePeers(spec.peers, context.peers, issues);
  const communities = resolveCommunities(spec.communities ?? [], context.communities, issues);
  if (issues.rejected) return undefined;
  return {
    ref,
    pools,
    serviceSelectors,
    nodeSelectors,
    peers,
    aggregationLength,
    aggregationLengthV6,
    localPref: spec.localPref,
    communities,
    weighting: spec.weighting ?? 'LocalEndpoints',
    dataPlaneCheck: spec.dataPlaneCheck ?? 'KubeProxy',
  };
}

/**
 * An aggregate shorter than the pool's own blocks would announce addresses outside the pool:
 * the length must be at least the shortest prefix among the CIDRs that make up the pool.
 */
function checkAggregation(pool: Pool, family: 4 | 6, length: number, field: string, issues: ObjectIssues): void {
  let shortest: number | undefined;
  let widest = '';
  for (const range of pool.addresses.ranges(family)) {
    for (const cidr of rangeToCIDRs(range)) {
      const { prefixLength } = parseCIDR(cidr);
      if (shortest === undefined || prefixLength < shortest) {
        shortest = prefixLength;
        widest = cidr;
      }
    }
  }
  if (shortest !== undefined && length < shortest) {
    issues.invalid(field, `${length} is shorter than /${shortest} (${widest}) of IPAddressPool ${JSON.stringify(pool.name)}: the /${length} aggregate would announce addresses outside the pool`);
  }
}

function resolvePeers(names: readonly string[], peers: ReadonlyMap<string, Peer>, issues: ObjectIssues): string[] {
  const found = new Set<string>();
  names.forEach((name, i) => {
    // A missing peer only narrows where the advertisement goes; it never widens it (an empty
    // list left after skipping announces to nobody, not to everybody).
    if (peers.has(name)) found.add(name);
    else issues.missing(`spec.peers[${i}]`, `BGPPeer ${JSON.stringify(name)} does not exist (or is invalid); skipped until it does`, REFERENCE_EFFECT.Skip);
  });
  return [...found].sort();
}

function resolveCommunities(texts: readonly string[], aliases: ReadonlyMap<string, CommunityValue>, issues: ObjectIssues): CommunityValue[] {
  const values: CommunityValue[] = [];
  texts.forEach((text, i) => {
    const field = `spec.communities[${i}]`;
    if (isCommunityLiteral(text)) {
      try {
        values.push(parseCommunity(text));
      } catch (err: unknown) {
        issues.invalid(field, err instanceof CommunityError ? err.message : String(err));
      }
      return;
    }
    const value = aliases.get(text);
    // The alias may stand for no-export or a blackhole tag: announcing without it could leak
    // or attract traffic, so hold the whole advertisement back until the alias exists.
    if (value === undefined) issues.missing(field, `Community alias ${JSON.stringify(text)} is not defined by any Community object`, REFERENCE_EFFECT.HoldBack);
    else values.push(value);
  });
  return values;
}

/**
 * Conservative: false only when no node, peer and prefix can be announced by both. Different
 * aggregation lengths give different prefixes (MetalLB's documented /32 with one LOCAL_PREF plus a
 * covering /24 with another), for each family the shared pools hold.
 */
function mayOverlap(a: BGPAdvertisementConfig, b: BGPAdvertisementConfig, pools: ReadonlyMap<string, Pool>): boolean {
  const shared = a.pools.filter((p) => b.pools.includes(p));
  if (shared.length === 0) return false;
  const holds = (family: 4 | 6) => shared.some((name) => (pools.get(name)?.addresses.size(family) ?? 1n) > 0n);
  const samePrefixes = (holds(4) && a.aggregationLength === b.aggregationLength) || (holds(6) && a.aggregationLengthV6 === b.aggregationLengthV6);
  if (!samePrefixes) return false;
  if (a.peers !== undefined && b.peers !== undefined && !a.peers.some((p) => b.peers?.includes(p))) return false;
  // No Service can be selected by both (MetalLB's documented staging/production localPref split).
  if (selectorListsDisjoint(a.serviceSelectors, b.serviceSelectors)) return false;
  return !selectorListsDisjoint(a.nodeSelectors, b.nodeSelectors);
}

function sharedPool(a: BGPAdvertisementConfig, b: BGPAdvertisementConfig): string | undefined {
  return a.pools.find((p) => b.pools.includes(p));
}

function show(localPref: number | undefined): string {
  return localPref === undefined ? '(unset)' : String(localPref);
}
