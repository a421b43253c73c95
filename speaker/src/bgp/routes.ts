// From the policy's announcements of a prefix to the one route the BGP library keeps for it:
// wire attributes and the peer addresses that get it; RouteTable turns deltas into the calls.
import { formatCommunity, type CommunityValue } from '@headland/api';
import type { RouteAttributes } from 'bgp-speaker-ts';
import { compareCommunities } from '../policy/combine.js';
import type { Announcement } from '../policy/types.js';

export interface WireRoute {
  readonly prefix: string;
  /** Next hop unset: the library uses our address on each session (next-hop-self). */
  readonly attributes: RouteAttributes;
  /** Peer addresses, sorted. */
  readonly peers: readonly string[];
}

export interface WireResult {
  /** Undefined: withdraw the prefix (no announcement, or none to a running session). */
  readonly route: WireRoute | undefined;
  /**
   * Set when peers were to get different attributes for the prefix: the library holds one
   * attribute set per prefix, so they were merged (communities united, the highest local pref).
   */
  readonly merged: string | undefined;
}

/** BGPPeer name to the address of its running session; undefined when it has none here. */
export type AddressOf = (peer: string) => string | undefined;

export function wireRoute(prefix: string, announcements: readonly Announcement[], addressOf: AddressOf): WireResult {
  const peers = new Set<string>();
  const communities = new Map<string, CommunityValue>();
  let localPref: number | undefined;
  let linkBandwidth: number | undefined;
  const signatures = new Set<string>();
  for (const a of announcements) {
    const addresses = a.peers.map(addressOf).filter((x): x is string => x !== undefined);
    if (addresses.length === 0) continue;
    for (const address of addresses) peers.add(address);
    signatures.add(`${a.localPref ?? ''}|${a.communities.map(formatCommunity).join(',')}|${a.linkBandwidth ?? ''}`);
    for (const c of a.communities) communities.set(formatCommunity(c), c);
    if (a.localPref !== undefined) localPref = Math.max(localPref ?? a.localPref, a.localPref);
    if (a.linkBandwidth !== undefined) linkBandwidth = Math.max(linkBandwidth ?? 0, a.linkBandwidth);
  }
  if (peers.size === 0) return { route: undefined, merged: undefined };
  const sorted = [...communities.values()].sort(compareCommunities);
  const standard = sorted.filter((c) => c.type === 'standard').map((c) => `${c.asn}:${c.value}`);
  const large = sorted.filter((c) => c.type === 'large').map((c) => `${c.global}:${c.local1}:${c.local2}`);
  const attributes: RouteAttributes = {
    ...(localPref === undefined ? {} : { localPref }),
    ...(standard.length === 0 ? {} : { communities: standard }),
    ...(large.length === 0 ? {} : { largeCommunities: large }),
    ...(linkBandwidth === undefined ? {} : { linkBandwidth }),
  };
  const merged = signatures.size > 1 ? `${prefix}: peers were to get different attributes (${[...signatures].sort().join(' / ')}); the BGP library holds one set per prefix, so all get the merged one` : undefined;
  return { route: { prefix, attributes, peers: [...peers].sort() }, merged };
}

export type RouteOp = { readonly op: 'announce'; readonly route: WireRoute } | { readonly op: 'withdraw'; readonly prefix: string };

/**
 * The announcements per prefix as of the last delta and what was last handed to the library,
 * so a delta or a change of sessions gives only the calls that change something.
 */
export class RouteTable {
  private readonly wanted = new Map<string, readonly Announcement[]>();
  private readonly sent = new Map<string, string>();
  /** Prefixes whose attributes had to be merged, with why. */
  readonly merged = new Map<string, string>();

  /** Applies a PolicyDelta's `changed` map ([] withdraws). */
  apply(changed: ReadonlyMap<string, readonly Announcement[]>, addressOf: AddressOf): RouteOp[] {
    for (const [prefix, list] of changed) {
      if (list.length === 0) this.wanted.delete(prefix);
      else this.wanted.set(prefix, list);
    }
    return this.ops(changed.keys(), addressOf);
  }

  /** Every prefix again, after sessions came or went (peer names map to other addresses). */
  rebind(addressOf: AddressOf): RouteOp[] {
    return this.ops([...new Set([...this.wanted.keys(), ...this.sent.keys()])], addressOf);
  }

  /** Announcements of a prefix as of the last delta. */
  announcementsOf(prefix: string): readonly Announcement[] {
    return this.wanted.get(prefix) ?? [];
  }

  /** Number of prefixes handed to the library. */
  get size(): number {
    return this.sent.size;
  }

  private ops(prefixes: Iterable<string>, addressOf: AddressOf): RouteOp[] {
    const out: RouteOp[] = [];
    for (const prefix of [...prefixes].sort()) {
      const { route, merged } = wireRoute(prefix, this.wanted.get(prefix) ?? [], addressOf);
      if (merged === undefined) this.merged.delete(prefix);
      else this.merged.set(prefix, merged);
      if (route === undefined) {
        if (this.sent.delete(prefix)) out.push({ op: 'withdraw', prefix });
        continue;
      }
      const text = JSON.stringify(route);
      if (this.sent.get(prefix) === text) continue;
      this.sent.set(prefix, text);
      out.push({ op: 'announce', route });
    }
    return out;
  }
}
