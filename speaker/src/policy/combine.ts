// From per-Service results to announcements: Services sharing an IP give it one weight, then
// the paths of every IP that falls in one prefix are merged per peer and grouped by attributes.
import { formatCommunity, type CommunityValue } from '@headland/api';
import { BANDWIDTH_PER_ENDPOINT } from './endpoint-rules.js';
import type { IPResult, Path } from './evaluate.js';
import type { Announcement } from './types.js';

export interface IPMember {
  readonly service: string;
  readonly result: IPResult;
}

/** A path with the Service it is for and the weight of its IP on this node. */
export interface Entry extends Path {
  readonly service: string;
  readonly linkBandwidth: number | undefined;
}

export interface IPOutcome {
  readonly ip: string;
  readonly linkBandwidth: number | undefined;
  /** Set when a member asked for weighting and the IP cannot carry it. */
  readonly unweightedBecause: string | undefined;
  readonly entries: readonly Entry[];
}

/** Where a prefix sorts: family, then network, then length. */
export interface PrefixKey {
  readonly prefix: string;
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefixLength: number;
}

/**
 * The IP is announced while any member qualifies here. It is weighted only when every member
 * that is announced anywhere is a weighted Local Service: a Cluster (or unweighted) sharer is
 * announced from nodes without local pods, and one unweighted path makes routers ignore all
 * weights. The weight is then the sum of the members' local endpoints, the pods behind the IP
 * on this node, the same rule on every node.
 */
export function combineIP(ip: string, members: readonly IPMember[]): IPOutcome {
  const active = members.filter((m) => m.result.active);
  const weighted = active.length > 0 && active.every((m) => m.result.weighted);
  let unweightedBecause: string | undefined;
  if (!weighted && active.some((m) => m.result.weighted)) {
    const others = active.filter((m) => !m.result.weighted).map((m) => m.service).sort();
    unweightedBecause = `${ip} is shared with ${others.join(', ')}, not weighted Local service(s), so no path of it is weighted`;
  }
  const qualifying = members.filter((m) => m.result.qualifies);
  const endpoints = qualifying.reduce((sum, m) => sum + m.result.localEndpoints, 0);
  const linkBandwidth = weighted && endpoints > 0 ? endpoints * BANDWIDTH_PER_ENDPOINT : undefined;
  const entries: Entry[] = [];
  for (const m of qualifying) {
    for (const path of m.result.paths) entries.push({ ...path, service: m.service, linkBandwidth: path.hostRoute ? linkBandwidth : undefined });
  }
  return { ip, linkBandwidth, unweightedBecause, entries };
}

interface PeerPaths {
  localPref: number | undefined;
  readonly communities: Map<string, CommunityValue>;
  linkBandwidth: number | undefined;
  readonly services: Set<string>;
}

/**
 * The announcements of one prefix. Per peer, every contributing advertisement counts: the
 * communities are their union, and conflicting local preferences resolve to the highest (the
 * most any advertisement asked for, and the same answer whatever their order). Aggregates are
 * never weighted: one aggregate stands for many IPs whose weights differ.
 */
export function mergePrefix(entries: readonly Entry[]): Announcement[] {
  const first = entries[0];
  if (first === undefined) return [];
  const byPeer = new Map<string, PeerPaths>();
  for (const e of entries) {
    let paths = byPeer.get(e.peer);
    if (paths === undefined) {
      paths = { localPref: undefined, communities: new Map(), linkBandwidth: undefined, services: new Set() };
      byPeer.set(e.peer, paths);
    }
    if (e.localPref !== undefined) paths.localPref = Math.max(paths.localPref ?? e.localPref, e.localPref);
    for (const c of e.communities) paths.communities.set(formatCommunity(c), c);
    if (e.linkBandwidth !== undefined) paths.linkBandwidth = Math.max(paths.linkBandwidth ?? 0, e.linkBandwidth);
    paths.services.add(e.service);
  }

  // Peers that get the same attributes share one announcement.
  const groups = new Map<string, { announcement: Omit<Announcement, 'peers'>; peers: string[] }>();
  for (const [peer, paths] of byPeer) {
    const communities = [...paths.communities.values()].sort(compareCommunities);
    const services = [...paths.services].sort();
    const announcement: Omit<Announcement, 'peers'> = {
      prefix: first.prefix,
      family: first.family,
      ...(paths.localPref !== undefined ? { localPref: paths.localPref } : {}),
      communities,
      ...(paths.linkBandwidth !== undefined ? { linkBandwidth: paths.linkBandwidth } : {}),
      services,
    };
    const signature = `${paths.localPref ?? ''}|${communities.map(formatCommunity).join(',')}|${paths.linkBandwidth ?? ''}|${services.join(',')}`;
    const group = groups.get(signature);
    if (group === undefined) groups.set(signature, { announcement, peers: [peer] });
    else group.peers.push(peer);
  }
  const out = [...groups.values()].map(({ announcement, peers }) => ({ ...announcement, peers: peers.sort() }));
  return out.sort((a, b) => compareText(a.peers.join(','), b.peers.join(',')));
}

export function prefixKeyOf(path: Path): PrefixKey {
  return { prefix: path.prefix, family: path.family, network: path.network, prefixLength: path.prefixLength };
}

export function comparePrefixKeys(a: PrefixKey, b: PrefixKey): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.network !== b.network) return a.network < b.network ? -1 : 1;
  return a.prefixLength - b.prefixLength;
}

/** Standard before large, then numerically. */
export function compareCommunities(a: CommunityValue, b: CommunityValue): number {
  const parts = (c: CommunityValue): number[] => (c.type === 'standard' ? [0, c.asn, c.value, 0] : [1, c.global, c.local1, c.local2]);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < pa.length; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
