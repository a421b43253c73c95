// Adj-RIB-In of one session: the routes the peer sent, after validateUpdate (so RFC 7606
// treat-as-withdraw has already removed what must go), kept for inspection and events.

import { findAttribute, type PathAttribute } from '../wire/attributes/table.js';
import type { AddressFamily } from '../wire/ip.js';
import { formatPrefix, type Prefix } from '../wire/nlri.js';
import type { UpdateVerdict } from '../wire/validate-update.js';

export interface ReceivedRoute {
  readonly prefix: Prefix;
  /** The IPv4 NEXT_HOP or the MP_REACH_NLRI next hop. */
  readonly nextHop: string | undefined;
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

  get size(): number {
    return this.table.size;
  }

  routes(): ReceivedRoute[] {
    return [...this.table.values()];
  }

  get(prefix: Prefix): ReceivedRoute | undefined {
    return this.table.get(formatPrefix(prefix));
  }

  /** The peer finished its initial table for the family (RFC 4724 §2). */
  endOfRib(family: AddressFamily): boolean {
    return this.endOfRibSeen.has(family);
  }

  apply(verdict: UpdateVerdict): RibInChange {
    const withdrawn: Prefix[] = [];
    for (const prefix of verdict.withdraw) if (this.table.delete(formatPrefix(prefix))) withdrawn.push(prefix);
    const announced: ReceivedRoute[] = [];
    if (verdict.announce.length > 0) {
      const mpReach = findAttribute(verdict.attributes, 'mp-reach');
      const v4NextHop = findAttribute(verdict.attributes, 'next-hop')?.value;
      const attributes = verdict.attributes.filter((a) => a.type !== 'mp-reach' && a.type !== 'mp-unreach' && a.type !== 'next-hop');
      for (const prefix of verdict.announce) {
        const nextHop = prefix.family === 'ipv4' && v4NextHop !== undefined ? v4NextHop : mpReach?.value.nextHop;
        const route: ReceivedRoute = { prefix, nextHop, attributes };
        this.table.set(formatPrefix(prefix), route);
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
    this.endOfRibSeen.clear();
    return gone;
  }
}
