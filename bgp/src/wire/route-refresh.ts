// ROUTE-REFRESH message body, RFC 2918 §3, with RFC 7313 §3's message subtype in the old
// reserved octet: 0 normal request, 1 Beginning of Route Refresh, 2 End of Route Refresh.
//
//   +-------------------------------+---------------+---------------+
//   |      AFI (2 octets)           | Message Sub.  |     SAFI      |
//   +-------------------------------+---------------+---------------+

import { BgpEncodeError } from './errors.js';
import { isUint, put16, put8, u16, u8 } from './bytes.js';

export const RouteRefreshSubtype = { request: 0, borr: 1, eorr: 2 } as const;
export type RouteRefreshSubtypeName = keyof typeof RouteRefreshSubtype;

export interface RouteRefreshMessage {
  readonly type: 'route-refresh';
  readonly afi: number;
  readonly safi: number;
  /** A RouteRefreshSubtype value; RFC 7313 §5 says others are ignored by the receiver. */
  readonly subtype: number;
}

export const ROUTE_REFRESH_BODY_LENGTH = 4;

export function decodeRouteRefreshBody(bytes: Uint8Array, start: number): RouteRefreshMessage {
  return { type: 'route-refresh', afi: u16(bytes, start), subtype: u8(bytes, start + 2), safi: u8(bytes, start + 3) };
}

export function encodeRouteRefreshBody(message: RouteRefreshMessage, buf: Uint8Array, offset: number): number {
  if (!isUint(message.afi, 16) || !isUint(message.safi, 8) || !isUint(message.subtype, 8)) {
    throw new BgpEncodeError(`route-refresh: AFI ${message.afi} subtype ${message.subtype} SAFI ${message.safi} out of range`);
  }
  return put8(buf, put8(buf, put16(buf, offset, message.afi), message.subtype), message.safi);
}

/** The RFC 7313 meaning of the subtype, or undefined for one to ignore. */
export function routeRefreshSubtypeName(message: RouteRefreshMessage): RouteRefreshSubtypeName | undefined {
  const names: readonly RouteRefreshSubtypeName[] = ['request', 'borr', 'eorr'];
  return names[message.subtype];
}
