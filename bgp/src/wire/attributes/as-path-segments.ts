// The AS path segment list shared by AS_PATH (2 or 4 octet ASNs) and AS4_PATH (always 4),
// RFC 4271 §4.3, RFC 5065 §3 (confederation segments), RFC 6793 §3.
//
//   +--------------+----------------+-----------------------------+
//   | type (1)     | count (1), ASNs| ASN x count (2 or 4 octets)  |
//   +--------------+----------------+-----------------------------+
//   type: 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET

import { BgpEncodeError, type BgpWireError } from '../errors.js';
import { isUint, put16, put32, put8, u16, u32, u8 } from '../bytes.js';

export const SegmentTypeCode = { set: 1, sequence: 2, 'confed-sequence': 3, 'confed-set': 4 } as const;
export type SegmentType = keyof typeof SegmentTypeCode;
const byCode: Readonly<Record<number, SegmentType>> = { 1: 'set', 2: 'sequence', 3: 'confed-sequence', 4: 'confed-set' };

export interface AsPathSegment {
  readonly type: SegmentType;
  readonly asns: readonly number[];
}
export type AsPath = readonly AsPathSegment[];

/** Decodes segments; `fail` builds the attribute's own error for each malformation. */
export function decodeSegments(value: Uint8Array, asnOctets: 2 | 4, fail: (why: string) => BgpWireError): AsPath {
  const segments: AsPathSegment[] = [];
  let at = 0;
  while (at < value.length) {
    if (at + 2 > value.length) throw fail(`segment header truncated at octet ${at}`);
    const type = byCode[u8(value, at)];
    if (type === undefined) throw fail(`segment type ${u8(value, at)} unknown`);
    const count = u8(value, at + 1);
    // RFC 7606 §7.2: a zero-length segment is malformed.
    if (count === 0) throw fail(`empty ${type} segment`);
    const end = at + 2 + count * asnOctets;
    if (end > value.length) throw fail(`${type} segment of ${count} overruns the attribute`);
    const asns: number[] = [];
    for (let p = at + 2; p < end; p += asnOctets) asns.push(asnOctets === 4 ? u32(value, p) : u16(value, p));
    segments.push({ type, asns });
    at = end;
  }
  return segments;
}

export function segmentsEncodingLength(path: AsPath, asnOctets: 2 | 4): number {
  let total = 0;
  for (const segment of path) total += 2 + segment.asns.length * asnOctets;
  return total;
}

export function encodeSegments(path: AsPath, buf: Uint8Array, offset: number, asnOctets: 2 | 4, name: string): number {
  let at = offset;
  for (const segment of path) {
    const code = SegmentTypeCode[segment.type] as number | undefined;
    if (code === undefined) throw new BgpEncodeError(`${name}: unknown segment type "${String(segment.type)}"`);
    if (segment.asns.length === 0 || segment.asns.length > 255) {
      throw new BgpEncodeError(`${name}: a segment holds 1..255 ASNs, got ${segment.asns.length}`);
    }
    at = put8(buf, at, code);
    at = put8(buf, at, segment.asns.length);
    for (const asn of segment.asns) {
      if (!isUint(asn, asnOctets === 4 ? 32 : 16)) {
        throw new BgpEncodeError(`${name}: AS ${asn} does not fit ${asnOctets} octets (use AS_TRANS and AS4_PATH)`);
      }
      at = asnOctets === 4 ? put32(buf, at, asn) : put16(buf, at, asn);
    }
  }
  return at;
}
