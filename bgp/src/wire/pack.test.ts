// UPDATE packing: grouping by attributes, the fewest messages under the size limit, the
// family split between classic fields and MP attributes, and End-of-RIB markers.

import { classicContext, modernContext, type WireContext } from './context.js';
import { BgpEncodeError } from './errors.js';
import type { PathAttribute } from './attributes/table.js';
import { decodeMessage, messageEncodingLength, serializeMessage } from './message.js';
import { formatPrefix, parsePrefix, type Prefix } from './nlri.js';
import { endOfRibMarker, packUpdates, type Announcement } from './pack.js';
import type { UpdateMessage } from './update.js';

const attrs = (weight: number): PathAttribute[] => [
  { type: 'extended-communities', value: [{ kind: 'link-bandwidth', asn: 64512, bytesPerSecond: weight }] },
  { type: 'origin', value: 'igp' },
  { type: 'as-path', value: [{ type: 'sequence', asns: [64512] }] },
];

function hosts(count: number, family: 'ipv4' | 'ipv6'): Prefix[] {
  return Array.from({ length: count }, (_, i) =>
    parsePrefix(family === 'ipv4' ? `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32` : `2001:db8::${i.toString(16)}/128`),
  );
}

const v4 = (prefix: Prefix, weight = 1): Announcement => ({ prefix, nextHop: '198.18.0.1', attributes: attrs(weight) });
const v6 = (prefix: Prefix, weight = 1): Announcement => ({ prefix, nextHop: '2001:db8::1', linkLocalNextHop: 'fe80::1', attributes: attrs(weight) });

function allFit(updates: UpdateMessage[], ctx: WireContext, limit: number): void {
  for (const u of updates) expect(messageEncodingLength(u, ctx)).toBeLessThanOrEqual(limit);
}

/** Every prefix the UPDATEs carry, after a real encode and decode. */
function carried(updates: UpdateMessage[], ctx: WireContext): { reach: string[]; unreach: string[] } {
  const reach: string[] = [];
  const unreach: string[] = [];
  for (const u of updates) {
    const [d] = decodeMessage(serializeMessage(u, ctx), 0, ctx);
    if (d.type !== 'update') throw new Error('not an UPDATE');
    reach.push(...d.nlri.map(formatPrefix));
    unreach.push(...d.withdrawn.map(formatPrefix));
    for (const a of d.attributes) {
      if (a.type === 'mp-reach') reach.push(...a.value.nlri.map(formatPrefix));
      if (a.type === 'mp-unreach') unreach.push(...a.value.withdrawn.map(formatPrefix));
    }
  }
  return { reach, unreach };
}

test('prefixes sharing attributes share one UPDATE; different weights do not', () => {
  const a = hosts(3, 'ipv4');
  const updates = packUpdates({ announce: [v4(a[0]!, 1), v4(a[1]!, 3), v4(a[2]!, 1)], withdraw: [], endOfRib: [] }, modernContext);
  expect(updates.map((u) => u.nlri.map(formatPrefix))).toEqual([
    ['198.18.0.0/32', '198.18.0.2/32'],
    ['198.18.0.1/32'],
  ]);
  // Attributes ordered by type code, NEXT_HOP added.
  expect(updates[0]!.attributes.map((x) => x.type)).toEqual(['origin', 'as-path', 'next-hop', 'extended-communities']);
});

test.each<[string, WireContext, number]>([
  ['4096-octet limit', classicContext, 4096],
  ['65535-octet extended limit', modernContext, 65535],
])('IPv4: the fewest UPDATEs under the %s', (_name, ctx, limit) => {
  const prefixes = hosts(20000, 'ipv4');
  const updates = packUpdates({ announce: prefixes.map((p) => v4(p)), withdraw: [], endOfRib: [] }, ctx);
  allFit(updates, ctx, limit);
  const overhead = messageEncodingLength({ ...updates[0]!, nlri: [] }, ctx);
  const perMessage = Math.floor((limit - overhead) / 5); // a /32 is 5 octets
  expect(updates).toHaveLength(Math.ceil(20000 / perMessage));
  expect(carried(updates, ctx).reach).toEqual(prefixes.map(formatPrefix));
});

test('IPv6 goes in MP_REACH_NLRI, placed first, with both next hops, packed to the limit', () => {
  const prefixes = hosts(2000, 'ipv6');
  const updates = packUpdates({ announce: prefixes.map((p) => v6(p)), withdraw: [], endOfRib: [] }, classicContext);
  allFit(updates, classicContext, 4096);
  for (const u of updates) {
    expect(u.nlri).toEqual([]);
    const first = u.attributes[0];
    expect(first?.type === 'mp-reach' && [first.value.nextHop, first.value.linkLocalNextHop]).toEqual(['2001:db8::1', 'fe80::1']);
    expect(u.attributes.some((a) => a.type === 'next-hop')).toBe(false);
  }
  // A /128 is 17 octets: every message but the last is within one prefix of full.
  for (const u of updates.slice(0, -1)) expect(messageEncodingLength(u, classicContext)).toBeGreaterThan(4096 - 17);
  expect(carried(updates, classicContext).reach).toEqual(prefixes.map(formatPrefix));
});

test('withdrawals: IPv4 in the withdrawn field, IPv6 in MP_UNREACH_NLRI, batched to the limit', () => {
  const w4 = hosts(1500, 'ipv4');
  const w6 = hosts(300, 'ipv6');
  const updates = packUpdates({ announce: [], withdraw: [...w6, ...w4], endOfRib: [] }, classicContext);
  allFit(updates, classicContext, 4096);
  // (4096 - 23) / 5 = 814 IPv4 withdrawals per UPDATE; (4096 - 23 - 4 - 3) / 17 = 239 IPv6.
  expect(updates.map((u) => u.withdrawn.length)).toEqual([814, 686, 0, 0]);
  expect(carried(updates, classicContext).unreach).toEqual([...w4, ...w6].map(formatPrefix));
});

test('order: withdrawals, announcements, then End-of-RIB per family', () => {
  const [a, b] = hosts(2, 'ipv4');
  const updates = packUpdates({ announce: [v4(a!)], withdraw: [b!], endOfRib: ['ipv4', 'ipv6'] }, modernContext);
  expect(updates).toHaveLength(4);
  expect(updates[0]!.withdrawn).toEqual([b]);
  expect(updates[1]!.nlri).toEqual([a]);
  expect(updates.slice(2)).toEqual([endOfRibMarker('ipv4'), endOfRibMarker('ipv6')]);
  expect(serializeMessage(endOfRibMarker('ipv4'), classicContext)).toHaveLength(23);
});

test('nothing in, nothing out', () => {
  expect(packUpdates({ announce: [], withdraw: [], endOfRib: [] }, classicContext)).toEqual([]);
});

test.each<[string, () => unknown]>([
  ['a prefix both announced and withdrawn', () => packUpdates({ announce: [v4(parsePrefix('203.0.113.0/24'))], withdraw: [parsePrefix('203.0.113.0/24')], endOfRib: [] }, classicContext)],
  ['the same prefix announced twice', () => packUpdates({ announce: [v4(parsePrefix('203.0.113.0/24')), v4(parsePrefix('203.0.113.0/24'), 2)], withdraw: [], endOfRib: [] }, classicContext)],
  ['an IPv6 next hop for an IPv4 prefix', () => packUpdates({ announce: [{ ...v4(parsePrefix('203.0.113.0/24')), nextHop: '2001:db8::1' }], withdraw: [], endOfRib: [] }, classicContext)],
  // Next hops and attribute lists are checked once per distinct value; the check must still see each family and list.
  ['an IPv4 next hop reused for an IPv6 prefix', () => packUpdates({ announce: [v4(parsePrefix('203.0.113.0/24')), { ...v6(parsePrefix('2001:db8::/64')), nextHop: '198.18.0.1', linkLocalNextHop: undefined }].map(({ linkLocalNextHop, ...a }) => (linkLocalNextHop === undefined ? a : { ...a, linkLocalNextHop })), withdraw: [], endOfRib: [] }, modernContext)],
  ['a NEXT_HOP in the second of two lists', () => packUpdates({ announce: [v4(parsePrefix('203.0.113.0/24')), { ...v4(parsePrefix('203.0.113.1/32')), attributes: [...attrs(1), { type: 'next-hop', value: '198.18.0.1' }] }], withdraw: [], endOfRib: [] }, classicContext)],
  ['a NEXT_HOP passed in', () => packUpdates({ announce: [{ ...v4(parsePrefix('203.0.113.0/24')), attributes: [{ type: 'next-hop', value: '198.18.0.1' }] }], withdraw: [], endOfRib: [] }, classicContext)],
  ['attributes too big for any UPDATE', () => packUpdates({ announce: [{ ...v4(parsePrefix('203.0.113.0/24')), attributes: [{ type: 'communities', value: new Array<number>(1100).fill(1) }] }], withdraw: [], endOfRib: [] }, classicContext)],
])('rejects %s with BgpEncodeError', (_name, run) => {
  expect(run).toThrow(BgpEncodeError);
  expect(run).toThrow(/^pack: /);
});
