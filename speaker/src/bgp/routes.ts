// From the policy's announcements of a prefix to what the BGP library announces: for each peer
// address with a session, its own wire attributes; RouteTable turns deltas into library calls.
import { formatCommunity, type CommunityValue } from '@headland/api';
import type { RouteAttributes } from 'bgp-speaker-ts';
import { compareCommunities } from '../policy/combine.js';
import type { Announcement } from '../policy/types.js';

export interface WireRoute {
  readonly prefix: string;
  /**
   * Peer address to the attributes it gets, keys sorted; peers not here never get the prefix.
   * Next hop unset: the library uses our address on each session (next-hop-self).
   */
  readonly byPeer: Readonly<Record<string, RouteAttributes>>;
}

/** BGPPeer name to the address of its running session; undefined when it has none here. */
export type AddressOf = (peer: string) => string | undefined;

interface PeerAttributes {
  localPref: number | undefined;
  readonly communities: Map<string, CommunityValue>;
  linkBandwidth: number | undefined;
}

/** The prefix per peer address; undefined: withdraw it (no announcement, or none to a running session). */
export function wireRoute(prefix: string, announcements: readonly Announcement[], addressOf: AddressOf): WireRoute | undefined {
  const byAddress = new Map<string, PeerAttributes>();
  for (const a of announcements) {
    for (const peer of a.peers) {
      const address = addressOf(peer);
      if (address === undefined) continue;
      // The policy names each peer once per prefix and sessions have distinct addresses, so
      // this is one announcement per address; were it not, the policy's own per-peer rule
      // applies (communities united, the highest local pref and weight).
      let attrs = byAddress.get(address);
      if (attrs === undefined) {
        attrs = { localPref: undefined, communities: new Map(), linkBandwidth: undefined };
        byAddress.set(address, attrs);
      }
      if (a.localPref !== undefined) attrs.localPref = Math.max(attrs.localPref ?? a.localPref, a.localPref);
      for (const c of a.communities) attrs.communities.set(formatCommunity(c), c);
      if (a.linkBandwidth !== undefined) attrs.linkBandwidth = Math.max(attrs.linkBandwidth ?? 0, a.linkBandwidth);
    }
  }
  if (byAddress.size === 0) return undefined;
  const byPeer: Record<string, RouteAttributes> = {};
  for (const address of [...byAddress.keys()].sort()) byPeer[address] = toWire(byAddress.get(address) as PeerAttributes);
  return { prefix, byPeer };
}

function toWire(attrs: PeerAttributes): RouteAttributes {
  const sorted = [...attrs.communities.values()].sort(compareCommunities);
  const standard = sorted.filter((c) => c.type === 'standard').map((c) => `${c.asn}:${c.value}`);
  const large = sorted.filter((c) => c.type === 'large').map((c) => `${c.global}:${c.local1}:${c.local2}`);
  return {
    ...(attrs.localPref === undefined ? {} : { localPref: attrs.localPref }),
    ...(standard.length === 0 ? {} : { communities: standard }),
    ...(large.length === 0 ? {} : { largeCommunities: large }),
    ...(attrs.linkBandwidth === undefined ? {} : { linkBandwidth: attrs.linkBandwidth }),
  };
}

export type RouteOp = { readonly op: 'announce'; readonly route: WireRoute } | { readonly op: 'withdraw'; readonly prefix: string };

/**
 * The announcements per prefix as of the last delta and what was last handed to the library,
 * so a delta or a change of sessions gives only the calls that change something.
 */
export class RouteTable {
  private readonly wanted = new Map<string, readonly Announcement[]>();
  private readonly sent = new Map<string, string>();

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
      const route = wireRoute(prefix, this.wanted.get(prefix) ?? [], addressOf);
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
