// The speaker's own table of what to announce: per prefix, the attributes every peer gets, or
// the attributes each chosen peer gets; and, for a change, what each session must be told.
import type { RouteAttributes } from '../session/route.js';
import type { Prefix } from '../wire/nlri.js';

/** One prefix: the same attributes for every peer, or its own attributes for each listed peer. */
export type PrefixRoutes =
  | { readonly prefix: Prefix; readonly toAll: RouteAttributes }
  | { readonly prefix: Prefix; readonly byPeer: ReadonlyMap<string, RouteAttributes> };

/** What a session must be told after a prefix changed: nothing, the new attributes, or a withdrawal. */
export type PeerChange = { readonly op: 'announce'; readonly attributes: RouteAttributes } | { readonly op: 'withdraw' } | undefined;

/** The attributes `address` gets for this prefix; undefined when the prefix is not for it. */
export function attributesFor(routes: PrefixRoutes | undefined, address: string): RouteAttributes | undefined {
  if (routes === undefined) return undefined;
  return 'toAll' in routes ? routes.toAll : routes.byPeer.get(address);
}

/**
 * What a session must do when a prefix goes from `before` to `after`. Every peer that wants the
 * prefix is handed its attributes again: its Adj-RIB-Out compares with what the peer has, so
 * only differences reach the wire. A peer that no longer wants the prefix gets a withdrawal,
 * one that never had it gets nothing.
 */
export function changeFor(before: PrefixRoutes | undefined, after: PrefixRoutes | undefined, address: string): PeerChange {
  const want = attributesFor(after, address);
  if (want !== undefined) return { op: 'announce', attributes: want };
  return attributesFor(before, address) === undefined ? undefined : { op: 'withdraw' };
}

/** Prefix key ("203.0.113.1/32") to its routes. */
export class SpeakerRoutes {
  private readonly routes = new Map<string, PrefixRoutes>();

  get size(): number {
    return this.routes.size;
  }

  get(key: string): PrefixRoutes | undefined {
    return this.routes.get(key);
  }

  /** Stores the prefix's routes (none: forgets it) and returns what it had before. */
  set(key: string, routes: PrefixRoutes | undefined): PrefixRoutes | undefined {
    const before = this.routes.get(key);
    if (routes === undefined) this.routes.delete(key);
    else this.routes.set(key, routes);
    return before;
  }

  /** Every prefix `address` gets, with its attributes for that peer. */
  *routesFor(address: string): Iterable<readonly [Prefix, RouteAttributes]> {
    for (const routes of this.routes.values()) {
      const attributes = attributesFor(routes, address);
      if (attributes !== undefined) yield [routes.prefix, attributes];
    }
  }
}
