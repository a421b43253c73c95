// AS path loop detection (RFC 4271 §9.1.2): a route whose AS_PATH already holds our own AS
// went round and came back, so it is not used. The UPDATE is turned into a withdraw of those
// prefixes, which also removes any earlier, loop-free version the peer sent.
import { findAttribute, type PathAttribute } from '../wire/attributes/table.js';
import type { UpdateVerdict } from '../wire/validate-update.js';

export function pathHoldsAs(attributes: readonly PathAttribute[], asn: number): boolean {
  const asPath = findAttribute(attributes, 'as-path');
  return asPath !== undefined && asPath.value.some((segment) => segment.asns.includes(asn));
}

/** The verdict to apply and how many announced prefixes were denied for a loop. */
export function withoutLoops(verdict: UpdateVerdict, localAs: number): { verdict: UpdateVerdict; looped: number } {
  if (verdict.announce.length === 0 || !pathHoldsAs(verdict.attributes, localAs)) return { verdict, looped: 0 };
  return { verdict: { ...verdict, announce: [], withdraw: [...verdict.withdraw, ...verdict.announce] }, looped: verdict.announce.length };
}
