// RFC 6793 between a NEW (4-octet) and an OLD (2-octet) speaker: §4.2.3 rebuilds the real AS
// path and aggregator from AS_PATH/AS4_PATH and AGGREGATOR/AS4_AGGREGATOR; §4.2.2 splits them back.
//
// Counting follows RFC 4271 §9.1.2.2 as RFC 6793 asks: an AS_SET counts 1, confederation
// segments count 0. The received form is rebuilt in validate-update.ts (so the Adj-RIB-In
// holds the real path), the sent form in the Adj-RIB-Out (which knows the session's context).

import type { AsPath, AsPathSegment } from './attributes/as-path-segments.js';
import type { PathAttribute } from './attributes/table.js';
import { AS_TRANS } from './context.js';

const isConfed = (s: AsPathSegment): boolean => s.type === 'confed-sequence' || s.type === 'confed-set';

/** The path length used by the decision process and by RFC 6793's comparison. */
export function pathCount(path: AsPath): number {
  let count = 0;
  for (const segment of path) {
    if (segment.type === 'sequence') count += segment.asns.length;
    else if (segment.type === 'set') count += 1;
  }
  return count;
}

/** Joins two AS_SEQUENCEs at the seam where they fit one segment, so equal paths look equal. */
function concat(head: readonly AsPathSegment[], tail: AsPath): AsPath {
  const last = head[head.length - 1];
  const first = tail[0];
  if (last?.type === 'sequence' && first?.type === 'sequence' && last.asns.length + first.asns.length <= 255) {
    return [...head.slice(0, -1), { type: 'sequence', asns: [...last.asns, ...first.asns] }, ...tail.slice(1)];
  }
  return [...head, ...tail];
}

/**
 * §4.2.3: the AS path of an UPDATE from an OLD speaker. AS4_PATH's confederation segments are
 * dropped first (§6: they MUST NOT be there); an AS4_PATH longer than AS_PATH is ignored.
 */
export function mergeAsPaths(asPath: AsPath, as4Path: AsPath): AsPath {
  const as4 = as4Path.filter((s) => !isConfed(s));
  let need = pathCount(asPath) - pathCount(as4);
  if (need < 0) return asPath;
  const head: AsPathSegment[] = [];
  let tookLast = false;
  for (const segment of asPath) {
    if (need === 0) {
      // A confederation segment next to the last one taken goes along (§4.2.3, last note).
      if (tookLast && isConfed(segment)) {
        head.push(segment);
        continue;
      }
      break;
    }
    if (isConfed(segment)) {
      head.push(segment);
    } else if (segment.type === 'set') {
      head.push(segment);
      need -= 1;
    } else {
      const take = Math.min(need, segment.asns.length);
      head.push({ type: 'sequence', asns: segment.asns.slice(0, take) });
      need -= take;
    }
    tookLast = true;
  }
  return concat(head, as4);
}

/**
 * §4.2.3 on a whole attribute list from an OLD speaker: AS_PATH becomes the real path, AGGREGATOR
 * the real aggregator, and neither AS4_* attribute remains. An AGGREGATOR that names a real
 * 2-octet AS beside an AS4_AGGREGATOR means a NEW speaker did not aggregate: both AS4_* are ignored.
 */
export function mergeAs4Attributes(attributes: readonly PathAttribute[]): PathAttribute[] {
  const as4Path = attributes.find((a) => a.type === 'as4-path');
  const as4Aggregator = attributes.find((a) => a.type === 'as4-aggregator');
  if (!as4Path && !as4Aggregator) return [...attributes];
  const aggregator = attributes.find((a) => a.type === 'aggregator');
  const ignoreAs4 = aggregator !== undefined && as4Aggregator !== undefined && aggregator.value.asn !== AS_TRANS;
  const out: PathAttribute[] = [];
  for (const attribute of attributes) {
    if (attribute.type === 'as4-path' || attribute.type === 'as4-aggregator') continue;
    if (ignoreAs4) out.push(attribute);
    else if (attribute.type === 'as-path' && as4Path?.type === 'as4-path') out.push({ ...attribute, value: mergeAsPaths(attribute.value, as4Path.value) });
    else if (attribute.type === 'aggregator' && as4Aggregator?.type === 'as4-aggregator') out.push({ ...attribute, value: as4Aggregator.value });
    else out.push(attribute);
  }
  return out;
}

const needsFour = (asn: number): boolean => asn > 0xffff;

/**
 * §4.2.2: the attributes as sent to an OLD speaker. ASNs above 65535 become AS_TRANS in AS_PATH
 * and AGGREGATOR, and the real values travel in AS4_PATH (without confederation segments) and
 * AS4_AGGREGATOR, which are only added when something was replaced. Toward a NEW speaker
 * (`fourOctetAs`) the AS4_* attributes are never sent (§4.1).
 */
export function splitAs4Attributes(attributes: readonly PathAttribute[], fourOctetAs: boolean): PathAttribute[] {
  const kept = attributes.filter((a) => a.type !== 'as4-path' && a.type !== 'as4-aggregator');
  if (fourOctetAs) return kept;
  const out: PathAttribute[] = [];
  for (const attribute of kept) {
    if (attribute.type === 'as-path' && attribute.value.some((s) => s.asns.some(needsFour))) {
      out.push({ ...attribute, value: attribute.value.map((s) => ({ type: s.type, asns: s.asns.map((a) => (needsFour(a) ? AS_TRANS : a)) })) });
      const real = attribute.value.filter((s) => !isConfed(s));
      if (real.length > 0) out.push({ type: 'as4-path', value: real });
    } else if (attribute.type === 'aggregator' && needsFour(attribute.value.asn)) {
      out.push({ ...attribute, value: { asn: AS_TRANS, address: attribute.value.address } });
      out.push({ type: 'as4-aggregator', value: attribute.value });
    } else {
      out.push(attribute);
    }
  }
  return out;
}
