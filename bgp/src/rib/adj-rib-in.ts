// Adj-RIB-In of one session: the routes the peer sent, after validateUpdate (so RFC 7606
// treat-as-withdraw has already removed what must go), kept for inspection and events, and the
// RFC 4724 stale marks a graceful restart puts on them until the peer sends them again.

import { findAttribute, type PathAttribute } from '../wire/attributes/table.js';
import type { AddressFamily } from '../wire/ip.js';
import { formatPrefix, type Prefix } from '../wire/nlri.js';
import type { UpdateVerdict } from '../wire/validate-update.js';

export interface ReceivedRoute {
  readonly prefix: Prefix;
  /** The IPv4 NEXT_HOP or the MP_REACH_NLRI next hop. */
  readonly nextHop: string | undefined;
  /** IPv6: the link-local next hop a directly connected peer sends beside the global one (RFC 2545 §3). */
  readonly linkLocalNextHop?: string;
  /** Path attributes without the MP ones (their content is prefix and next hop). */
  readonly attributes: readonly PathAttribute[];
}

export interface RibInChange {
  readonly announced: readonly ReceivedRoute[];
  /** Prefixes that were present and are now gone. */
  readonly withdrawn: readonly Prefix[];
  readonly endOfRib: AddressFamily | undefined;
}

export class AdjRibIn {
  private readonly table = new Map<string, ReceivedRoute>();
  private readonly endOfRibSeen = new Set<AddressFamily>();
  /** Keys of routes kept across a peer's restart and not yet sent again. */
  private readonly stale = new Set<string>();

  get size(): number {
    return this.table.size;
  }

  routes(): ReceivedRoute[] {
    return [...this.table.values()];
  }

  get(prefix: Prefix): ReceivedRoute | undefined {
    return this.table.get(formatPrefix(prefix));
  }

  get staleCount(): number {
    return this.stale.size;
  }

  isStale(prefix: Prefix): boolean {
    return this.stale.has(formatPrefix(prefix));
  }

  /** Stale routes of one family, or of all. */
  staleRoutes(family?: AddressFamily): ReceivedRoute[] {
    return [...this.stale].flatMap((key) => {
      const route = this.table.get(key);
      return route && (family === undefined || route.prefix.family === family) ? [route] : [];
    });
  }

  /** The peer finished its initial table for the family (RFC 4724 §2). */
  endOfRib(family: AddressFamily): boolean {
    return this.endOfRibSeen.has(family);
  }

  apply(verdict: UpdateVerdict): RibInChange {
    const withdrawn: Prefix[] = [];
    for (const prefix of verdict.withdraw) {
      const key = formatPrefix(prefix);
      this.stale.delete(key);
      if (this.table.delete(key)) withdrawn.push(prefix);
    }
    const announced: ReceivedRoute[] = [];
    if (verdict.announce.length > 0) {
      const mpReach = findAttribute(verdict.attributes, 'mp-reach');
      const v4NextHop = findAttribute(verdict.attributes, 'next-hop')?.value;
      const attributes = verdict.attributes.filter((a) => a.type !== 'mp-reach' && a.type !== 'mp-unreach' && a.type !== 'next-hop');
      for (const prefix of verdict.announce) {
        const nextHop = prefix.family === 'ipv4' && v4NextHop !== undefined ? v4NextHop : mpReach?.value.nextHop;
        const linkLocal = prefix.family === 'ipv6' ? mpReach?.value.linkLocalNextHop : undefined;
        const route: ReceivedRoute = linkLocal === undefined ? { prefix, nextHop, attributes } : { prefix, nextHop, linkLocalNextHop: linkLocal, attributes };
        const key = formatPrefix(prefix);
        this.table.set(key, route);
        // Sent again after a restart: fresh.
        this.stale.delete(key);
        announced.push(route);
      }
    }
    if (verdict.endOfRib) this.endOfRibSeen.add(verdict.endOfRib);
    return { announced, withdrawn, endOfRib: verdict.endOfRib };
  }

  /** The session went down: nothing the peer sent is valid any more. */
  clear(): Prefix[] {
    const gone = [...this.table.values()].map((r) => r.prefix);
    this.table.clear();
    this.stale.clear();
    this.endOfRibSeen.clear();
    return gone;
  }

  /**
   * RFC 4724 §4.2: the restarting peer's routes of `families` are kept, marked stale; routes of
   * other families go (returned). The next session must send End-of-RIB afresh.
   */
  retain(families: readonly AddressFamily[]): { readonly stale: number; readonly dropped: Prefix[] } {
    const dropped: Prefix[] = [];
    for (const [key, route] of this.table) {
      if (families.includes(route.prefix.family)) this.stale.add(key);
      else {
        this.table.delete(key);
        this.stale.delete(key);
        dropped.push(route.prefix);
      }
    }
    this.endOfRibSeen.clear();
    return { stale: this.stale.size, dropped };
  }

  /** Removes the routes still stale (of one family, or all) and returns them. */
  purgeStale(family?: AddressFamily): Prefix[] {
    const gone: Prefix[] = [];
    for (const key of [...this.stale]) {
      const route = this.table.get(key);
      if (route && family !== undefined && route.prefix.family !== family) continue;
      this.stale.delete(key);
      if (route) {
        this.table.delete(key);
        gone.push(route.prefix);
      }
    }
    return gone;
  }
}
