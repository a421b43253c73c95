// Turns announcements and withdrawals into the fewest UPDATE messages: prefixes with the
// same attributes and next hop share an UPDATE up to the size limit, IPv4 in the classic
// fields (RFC 4271 §4.3), IPv6 in MP_REACH/MP_UNREACH_NLRI placed first (RFC 7606 §5.1).

import { HEADER_LENGTH, maxMessageLength, type WireContext } from './context.js';
import { BgpEncodeError } from './errors.js';
import { toHex } from './bytes.js';
import { attributeEncodingLength, attributeListEncodingLength, encodeAttributeList } from './attributes/attribute.js';
import { attributeCode, type PathAttribute } from './attributes/table.js';
import { parseAddress, type AddressFamily } from './ip.js';
import { formatPrefix, prefixEncodingLength, type Prefix } from './nlri.js';
import type { UpdateMessage } from './update.js';

export interface Announcement {
  readonly prefix: Prefix;
  /** Next hop of the prefix's family: IPv4, or the global IPv6 address. */
  readonly nextHop: string;
  /** IPv6 only: a link-local next hop sent beside the global one (RFC 2545 §3). */
  readonly linkLocalNextHop?: string;
  /** Path attributes except NEXT_HOP and the MP ones, which packing builds. */
  readonly attributes: readonly PathAttribute[];
}

export interface PackInput {
  readonly announce: readonly Announcement[];
  readonly withdraw: readonly Prefix[];
  /** Families to close with an End-of-RIB marker after everything else (RFC 4724 §2). */
  readonly endOfRib: readonly AddressFamily[];
}

/** UPDATE header plus the two 2-octet length fields. */
const UPDATE_OVERHEAD = HEADER_LENGTH + 4;

/** The End-of-RIB marker of a family. */
export function endOfRibMarker(family: AddressFamily): UpdateMessage {
  if (family === 'ipv4') return { type: 'update', withdrawn: [], attributes: [], nlri: [] };
  return { type: 'update', withdrawn: [], attributes: [{ type: 'mp-unreach', value: { family, withdrawn: [] } }], nlri: [] };
}

function byCode(a: PathAttribute, b: PathAttribute): number {
  return attributeCode(a) - attributeCode(b);
}

/** Splits prefixes into runs whose encoded size stays within `room(runOctets)`. */
function chunk(prefixes: readonly Prefix[], fits: (runOctets: number) => boolean): Prefix[][] {
  const runs: Prefix[][] = [];
  let run: Prefix[] = [];
  let octets = 0;
  for (const prefix of prefixes) {
    const size = prefixEncodingLength(prefix);
    if (run.length > 0 && !fits(octets + size)) {
      runs.push(run);
      run = [];
      octets = 0;
    }
    if (!fits(octets + size)) throw new BgpEncodeError(`pack: ${formatPrefix(prefix)} does not fit one UPDATE with its attributes`);
    run.push(prefix);
    octets += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** Size of an MP attribute whose value is `value` octets (extended length above 255). */
function mpAttributeSize(value: number): number {
  return (value > 255 ? 4 : 3) + value;
}

function checkInput(input: PackInput): void {
  const seen = new Map<string, 'announce' | 'withdraw'>();
  const note = (prefix: Prefix, role: 'announce' | 'withdraw'): void => {
    const key = `${prefix.family} ${formatPrefix(prefix)}`;
    const before = seen.get(key);
    if (before) throw new BgpEncodeError(`pack: ${formatPrefix(prefix)} listed twice (${before} and ${role})`);
    seen.set(key, role);
  };
  // Many announcements share a next hop and an attribute list (the Adj-RIB-Out interns
  // them): each distinct one is checked once.
  const goodNextHops = new Set<string>();
  const goodLists = new Set<readonly PathAttribute[]>();
  for (const a of input.announce) {
    note(a.prefix, 'announce');
    const hop = `${a.prefix.family} ${a.nextHop}`;
    if (!goodNextHops.has(hop)) {
      if (!parseAddress(a.prefix.family, a.nextHop)) throw new BgpEncodeError(`pack: next hop "${a.nextHop}" is not ${a.prefix.family} for ${formatPrefix(a.prefix)}`);
      goodNextHops.add(hop);
    }
    if (a.linkLocalNextHop !== undefined && a.prefix.family !== 'ipv6') throw new BgpEncodeError(`pack: link-local next hop on ${formatPrefix(a.prefix)}`);
    if (goodLists.has(a.attributes)) continue;
    const built = a.attributes.find((x) => x.type === 'next-hop' || x.type === 'mp-reach' || x.type === 'mp-unreach');
    if (built) throw new BgpEncodeError(`pack: ${built.type} is built by packing, not passed in (${formatPrefix(a.prefix)})`);
    goodLists.add(a.attributes);
  }
  for (const prefix of input.withdraw) note(prefix, 'withdraw');
}

function packWithdrawals(prefixes: readonly Prefix[], limit: number): UpdateMessage[] {
  const v4 = prefixes.filter((p) => p.family === 'ipv4');
  const v6 = prefixes.filter((p) => p.family === 'ipv6');
  const out: UpdateMessage[] = chunk(v4, (octets) => UPDATE_OVERHEAD + octets <= limit).map((withdrawn) => ({
    type: 'update',
    withdrawn,
    attributes: [],
    nlri: [],
  }));
  for (const withdrawn of chunk(v6, (octets) => UPDATE_OVERHEAD + mpAttributeSize(3 + octets) <= limit)) {
    out.push({ type: 'update', withdrawn: [], attributes: [{ type: 'mp-unreach', value: { family: 'ipv6', withdrawn } }], nlri: [] });
  }
  return out;
}

interface Group {
  readonly sample: Announcement;
  readonly prefixes: Prefix[];
}

/** Announcements that can share an UPDATE: same family, next hops and encoded attributes. */
function groupAnnouncements(announce: readonly Announcement[], ctx: WireContext): Group[] {
  const groups = new Map<string, Group>();
  // An attribute list shared by many announcements is sorted and encoded once.
  const encoded = new Map<readonly PathAttribute[], { sorted: PathAttribute[]; hex: string }>();
  for (const a of announce) {
    let list = encoded.get(a.attributes);
    if (!list) {
      const sorted = [...a.attributes].sort(byCode);
      const buf = new Uint8Array(attributeListEncodingLength(sorted, ctx));
      encodeAttributeList(sorted, buf, 0, ctx);
      list = { sorted, hex: toHex(buf) };
      encoded.set(a.attributes, list);
    }
    const key = `${a.prefix.family} ${a.nextHop} ${a.linkLocalNextHop ?? ''} ${list.hex}`;
    const group = groups.get(key);
    if (group) group.prefixes.push(a.prefix);
    else groups.set(key, { sample: { ...a, attributes: list.sorted }, prefixes: [a.prefix] });
  }
  return [...groups.values()];
}

function packGroup(sample: Announcement, prefixes: readonly Prefix[], limit: number, ctx: WireContext): UpdateMessage[] {
  if (sample.prefix.family === 'ipv4') {
    const attributes = [...sample.attributes, { type: 'next-hop', value: sample.nextHop } as const].sort(byCode);
    const fixed = UPDATE_OVERHEAD + attributeListEncodingLength(attributes, ctx);
    return chunk(prefixes, (octets) => fixed + octets <= limit).map((nlri) => ({ type: 'update', withdrawn: [], attributes, nlri }));
  }
  const mpBase = attributeEncodingLength(
    { type: 'mp-reach', value: { family: 'ipv6', nextHop: sample.nextHop, ...linkLocal(sample), nlri: [] } },
    ctx,
  ) - 3;
  const fixed = UPDATE_OVERHEAD + attributeListEncodingLength(sample.attributes, ctx);
  return chunk(prefixes, (octets) => fixed + mpAttributeSize(mpBase + octets) <= limit).map((nlri) => ({
    type: 'update',
    withdrawn: [],
    attributes: [{ type: 'mp-reach', value: { family: 'ipv6', nextHop: sample.nextHop, ...linkLocal(sample), nlri } }, ...sample.attributes],
    nlri: [],
  }));
}

function linkLocal(a: Announcement): { linkLocalNextHop?: string } {
  return a.linkLocalNextHop === undefined ? {} : { linkLocalNextHop: a.linkLocalNextHop };
}

export interface CheckedGroup {
  /** Next hops (and the family, from the first prefix) shared by every prefix. */
  readonly nextHop: string;
  readonly linkLocalNextHop?: string;
  /** Sorted by type code, without NEXT_HOP or the MP attributes. */
  readonly attributes: readonly PathAttribute[];
  /** One family, no duplicates; each already known to fit an UPDATE with these attributes. */
  readonly prefixes: readonly Prefix[];
}

/**
 * packUpdates for a caller that already grouped and checked its routes (the Adj-RIB-Out, which
 * interns paths): no per-prefix duplicate, next-hop or grouping work, which dominates a full table.
 */
export function packCheckedGroups(withdraw: readonly Prefix[], groups: readonly CheckedGroup[], endOfRib: readonly AddressFamily[], ctx: WireContext): UpdateMessage[] {
  const limit = maxMessageLength(ctx);
  const out = packWithdrawals(withdraw, limit);
  for (const g of groups) {
    const first = g.prefixes[0];
    if (first === undefined) continue;
    const sample: Announcement = { prefix: first, nextHop: g.nextHop, ...(g.linkLocalNextHop === undefined ? {} : { linkLocalNextHop: g.linkLocalNextHop }), attributes: g.attributes };
    out.push(...packGroup(sample, g.prefixes, limit, ctx));
  }
  for (const family of endOfRib) out.push(endOfRibMarker(family));
  return out;
}

/** Withdrawals first, then announcements by attribute group, then End-of-RIB markers. */
export function packUpdates(input: PackInput, ctx: WireContext): UpdateMessage[] {
  checkInput(input);
  const limit = maxMessageLength(ctx);
  const out = packWithdrawals(input.withdraw, limit);
  for (const group of groupAnnouncements(input.announce, ctx)) out.push(...packGroup(group.sample, group.prefixes, limit, ctx));
  for (const family of input.endOfRib) out.push(endOfRibMarker(family));
  return out;
}
