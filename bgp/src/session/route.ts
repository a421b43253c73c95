// A route as users write it (next hop, communities as "64512:100", link bandwidth in bytes
// per second) and the path attributes it becomes for one peer: eBGP prepends our AS, iBGP adds LOCAL_PREF.

import { WellKnownCommunity, community } from '../wire/attributes/communities.js';
import type { ExtendedCommunity } from '../wire/attributes/extended-communities.js';
import type { LargeCommunity } from '../wire/attributes/large-communities.js';
import type { Origin } from '../wire/attributes/origin.js';
import type { PathAttribute } from '../wire/attributes/table.js';
import { AS_TRANS } from '../wire/context.js';
import { BgpEncodeError } from '../wire/errors.js';
import type { Announcement } from '../wire/pack.js';
import type { Prefix } from '../wire/nlri.js';
import { BgpConfigError } from '../fsm/config.js';

export interface RouteAttributes {
  /** Next hop; by default our own address on the session (next-hop-self). */
  readonly nextHop?: string;
  readonly origin?: Origin;
  /** AS numbers after our own (which eBGP adds). */
  readonly asPath?: readonly number[];
  readonly med?: number;
  /** Sent to internal peers only; 100 when not given. */
  readonly localPref?: number;
  /** "ASN:value", a well-known name such as "NO_EXPORT", or the 32-bit number. */
  readonly communities?: readonly (string | number)[];
  /** "global:local1:local2". */
  readonly largeCommunities?: readonly string[];
  readonly extendedCommunities?: readonly ExtendedCommunity[];
  /** Link bandwidth extended community, bytes per second (draft-ietf-idr-link-bandwidth). */
  readonly linkBandwidth?: number;
}

export interface PeerView {
  readonly localAs: number;
  readonly external: boolean;
  /** Our address on the session's connection, by family. */
  readonly localAddress: { readonly ipv4?: string; readonly ipv6?: string };
}

function bad(what: string): never {
  throw new BgpConfigError(`route: ${what}`);
}

const uint = (text: string, bits: number): number | undefined => {
  if (!/^[0-9]{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n < 2 ** bits ? n : undefined;
};

export function parseCommunity(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) bad(`community ${value} is not a 32-bit number`);
    return value;
  }
  if (value in WellKnownCommunity) return WellKnownCommunity[value as keyof typeof WellKnownCommunity];
  const [asn, local, extra] = value.split(':');
  const a = uint(asn ?? '', 16);
  const l = uint(local ?? '', 16);
  if (a === undefined || l === undefined || extra !== undefined) bad(`community "${value}" is not ASN:value with 16-bit parts or a well-known name`);
  return community(a, l);
}

export function parseLargeCommunity(value: string): LargeCommunity {
  const parts = value.split(':').map((p) => uint(p, 32));
  const [global, local1, local2] = parts;
  if (parts.length !== 3 || global === undefined || local1 === undefined || local2 === undefined) bad(`large community "${value}" is not three 32-bit numbers a:b:c`);
  return { global, local1, local2 };
}

/** The attributes (without next hop, which packing places) and next hop for one peer. */
export function buildAnnouncement(prefix: Prefix, route: RouteAttributes, peer: PeerView): Announcement {
  const nextHop = route.nextHop ?? peer.localAddress[prefix.family];
  if (nextHop === undefined) bad(`no ${prefix.family} next hop for ${prefix.address}/${prefix.length}: set nextHop (the session has no ${prefix.family} address)`);
  const asns = [...(peer.external ? [peer.localAs] : []), ...(route.asPath ?? [])];
  const attributes: PathAttribute[] = [
    { type: 'origin', value: route.origin ?? 'igp' },
    { type: 'as-path', value: asns.length > 0 ? [{ type: 'sequence', asns }] : [] },
  ];
  if (route.med !== undefined) attributes.push({ type: 'multi-exit-disc', value: route.med });
  if (!peer.external) attributes.push({ type: 'local-pref', value: route.localPref ?? 100 });
  if (route.communities?.length) attributes.push({ type: 'communities', value: route.communities.map(parseCommunity) });
  const extended = [...(route.extendedCommunities ?? [])];
  if (route.linkBandwidth !== undefined) {
    if (!Number.isFinite(route.linkBandwidth) || route.linkBandwidth < 0) bad(`link bandwidth ${route.linkBandwidth} is not a non-negative number`);
    extended.push({ kind: 'link-bandwidth', asn: peer.localAs > 0xffff ? AS_TRANS : peer.localAs, bytesPerSecond: route.linkBandwidth });
  }
  if (extended.length > 0) attributes.push({ type: 'extended-communities', value: extended });
  if (route.largeCommunities?.length) attributes.push({ type: 'large-communities', value: route.largeCommunities.map(parseLargeCommunity) });
  return { prefix, nextHop, attributes };
}

/** Checks a route once, before it is stored: throws BgpConfigError or BgpEncodeError naming the problem. */
export function checkRoute(prefix: Prefix, route: RouteAttributes): void {
  if (typeof route !== 'object' || route === null) bad('attributes must be an object');
  if (route.med !== undefined && (!Number.isInteger(route.med) || route.med < 0 || route.med > 0xffffffff)) bad(`MED ${route.med} is not a 32-bit number`);
  if (route.localPref !== undefined && (!Number.isInteger(route.localPref) || route.localPref < 0 || route.localPref > 0xffffffff)) bad(`local pref ${route.localPref} is not a 32-bit number`);
  if (route.asPath !== undefined && (!Array.isArray(route.asPath) || route.asPath.some((a) => !Number.isInteger(a) || a < 1 || a > 0xffffffff))) bad('asPath must list AS numbers');
  if (route.origin !== undefined && !['igp', 'egp', 'incomplete'].includes(route.origin)) bad(`origin "${String(route.origin)}" is not igp, egp or incomplete`);
  const probe = buildAnnouncement(prefix, route, { localAs: 1, external: true, localAddress: { ipv4: '192.0.2.1', ipv6: '2001:db8::1' } });
  if (route.nextHop !== undefined && (prefix.family === 'ipv4' ? route.nextHop.includes(':') : !route.nextHop.includes(':'))) {
    throw new BgpEncodeError(`route: next hop ${route.nextHop} is not ${prefix.family} for ${probe.prefix.address}/${probe.prefix.length}`);
  }
}
