// EXTENDED_COMMUNITIES, RFC 4360 (4-octet AS forms from RFC 5668), with the link bandwidth
// community of draft-ietf-idr-link-bandwidth decoded first-class; other types stay raw.
// Not a non-zero multiple of 8 -> treat-as-withdraw (RFC 7606 §7.14).
//
//   +--------+---------+------------------------------------------------+
//   | Type   | Subtype | Value (6 octets)                               |
//   +--------+---------+------------------------------------------------+
//   0x00/0x02 0x02|0x03: 2-octet AS (2) + local (4)     route target | route origin
//   0x01      0x02|0x03: IPv4 address (4) + local (2)
//   0x02      0x02|0x03: 4-octet AS (4) + local (2)
//   0x40      0x04     : 2-octet AS (2) + IEEE-754 float32 bandwidth, bytes per second

import { BgpEncodeError, UpdateSubcode } from '../errors.js';
import { isUint, put16, put32, put8, putBytes, u16, u32, u8 } from '../bytes.js';
import { formatIPv4, parseIPv4 } from '../ip.js';
import { malformed, OPTIONAL_TRANSITIVE, type AttributeCodec, type AttributeDescriptor } from './types.js';

export type RouteTargetKind = 'route-target' | 'route-origin';

export type ExtendedCommunity =
  | { readonly kind: RouteTargetKind; readonly format: 'as2'; readonly asn: number; readonly local: number }
  | { readonly kind: RouteTargetKind; readonly format: 'ipv4'; readonly address: string; readonly local: number }
  | { readonly kind: RouteTargetKind; readonly format: 'as4'; readonly asn: number; readonly local: number }
  | { readonly kind: 'link-bandwidth'; readonly asn: number; readonly bytesPerSecond: number }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

const TYPE_AS2 = 0x00;
const TYPE_IPV4 = 0x01;
const TYPE_AS4 = 0x02;
const TYPE_AS2_NON_TRANSITIVE = 0x40;
const SUBTYPE_ROUTE_TARGET = 0x02;
const SUBTYPE_ROUTE_ORIGIN = 0x03;
const SUBTYPE_LINK_BANDWIDTH = 0x04;

const descriptor: AttributeDescriptor = {
  code: 16,
  name: 'EXTENDED_COMMUNITIES',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'treat-as-withdraw',
};

function decodeOne(bytes: Uint8Array, at: number): ExtendedCommunity {
  const type = u8(bytes, at);
  const subtype = u8(bytes, at + 1);
  const kind: RouteTargetKind | undefined =
    subtype === SUBTYPE_ROUTE_TARGET ? 'route-target' : subtype === SUBTYPE_ROUTE_ORIGIN ? 'route-origin' : undefined;
  if (kind && type === TYPE_AS2) return { kind, format: 'as2', asn: u16(bytes, at + 2), local: u32(bytes, at + 4) };
  if (kind && type === TYPE_IPV4) return { kind, format: 'ipv4', address: formatIPv4(bytes, at + 2), local: u16(bytes, at + 6) };
  if (kind && type === TYPE_AS4) return { kind, format: 'as4', asn: u32(bytes, at + 2), local: u16(bytes, at + 6) };
  if (type === TYPE_AS2_NON_TRANSITIVE && subtype === SUBTYPE_LINK_BANDWIDTH) {
    const bytesPerSecond = new DataView(bytes.buffer, bytes.byteOffset + at + 4, 4).getFloat32(0);
    // A negative, infinite or NaN bandwidth means nothing; it is carried as raw octets.
    if (Number.isFinite(bytesPerSecond) && bytesPerSecond >= 0) return { kind: 'link-bandwidth', asn: u16(bytes, at + 2), bytesPerSecond };
  }
  return { kind: 'raw', bytes: bytes.slice(at, at + 8) };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new BgpEncodeError(`EXTENDED_COMMUNITIES: ${what}`);
}

function encodeOne(c: ExtendedCommunity, buf: Uint8Array, offset: number): number {
  if (c.kind === 'raw') {
    check(c.bytes.length === 8, `a raw community is 8 octets, got ${c.bytes.length}`);
    return putBytes(buf, offset, c.bytes);
  }
  if (c.kind === 'link-bandwidth') {
    check(isUint(c.asn, 16), `link bandwidth AS ${c.asn} does not fit 2 octets`);
    check(Number.isFinite(c.bytesPerSecond) && c.bytesPerSecond >= 0, `bandwidth ${c.bytesPerSecond} is not a finite non-negative number`);
    let at = put8(buf, offset, TYPE_AS2_NON_TRANSITIVE);
    at = put8(buf, at, SUBTYPE_LINK_BANDWIDTH);
    at = put16(buf, at, c.asn);
    new DataView(buf.buffer, buf.byteOffset + at, 4).setFloat32(0, c.bytesPerSecond);
    return at + 4;
  }
  const subtype = c.kind === 'route-target' ? SUBTYPE_ROUTE_TARGET : SUBTYPE_ROUTE_ORIGIN;
  if (c.format === 'as2') {
    check(isUint(c.asn, 16) && isUint(c.local, 32), `${c.kind} ${c.asn}:${c.local} out of range for the 2-octet-AS form`);
    return put32(buf, put16(buf, put8(buf, put8(buf, offset, TYPE_AS2), subtype), c.asn), c.local);
  }
  if (c.format === 'as4') {
    check(isUint(c.asn, 32) && isUint(c.local, 16), `${c.kind} ${c.asn}:${c.local} out of range for the 4-octet-AS form`);
    return put16(buf, put32(buf, put8(buf, put8(buf, offset, TYPE_AS4), subtype), c.asn), c.local);
  }
  const address = parseIPv4(c.address);
  check(address !== undefined && isUint(c.local, 16), `${c.kind} ${c.address}:${c.local} is not a valid IPv4 form`);
  return put16(buf, putBytes(buf, put8(buf, put8(buf, offset, TYPE_IPV4), subtype), address ?? new Uint8Array(4)), c.local);
}

export const extendedCommunities: AttributeCodec<readonly ExtendedCommunity[]> = {
  descriptor,
  decode(value) {
    if (value.length === 0 || value.length % 8 !== 0) {
      throw malformed(descriptor, UpdateSubcode.attributeLengthError, `length ${value.length} is not a non-zero multiple of 8`);
    }
    const out: ExtendedCommunity[] = [];
    for (let at = 0; at < value.length; at += 8) out.push(decodeOne(value, at));
    return out;
  },
  encode(value, buf, offset) {
    if (value.length === 0) throw new BgpEncodeError('EXTENDED_COMMUNITIES: an empty list cannot be sent (RFC 7606 §7.14)');
    let at = offset;
    for (const c of value) {
      if (at + 8 > buf.length) throw new RangeError('EXTENDED_COMMUNITIES: buffer too small');
      at = encodeOne(c, buf, at);
    }
    return at;
  },
  encodingLength: (value) => value.length * 8,
};
