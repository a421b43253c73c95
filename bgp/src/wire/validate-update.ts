// The meaning of a decoded UPDATE, RFC 4271 §6.3 as revised by RFC 7606 §3: duplicates,
// mandatory attributes, first AS for eBGP, next hop sanity; and the verdict a session acts
// on: which prefixes to install and which to withdraw (including treat-as-withdraw ones).

import { actionSeverity, UpdateSubcode, updateError, type BgpWireError } from './errors.js';
import { attributeCode, findAttribute, type PathAttribute } from './attributes/table.js';
import type { AddressFamily } from './ip.js';
import { parseIPv4 } from './ip.js';
import type { Prefix } from './nlri.js';
import type { DecodedUpdate, UpdateMessage } from './update.js';
import { mergeAs4Attributes } from './as4-merge.js';

/** What the receiving session knows about its peer. */
export interface UpdatePeer {
  /** The peer is in another AS (eBGP, not a confederation member). */
  readonly external: boolean;
  /** The peer's AS number. */
  readonly peerAs: number;
  /** RFC 4271 §6.3: check that an external peer's AS leads the AS_PATH (off for route servers). */
  readonly enforceFirstAs: boolean;
  /** RFC 6793 was negotiated, so AS4_PATH and AS4_AGGREGATOR are not expected. */
  readonly fourOctetAs: boolean;
}

export interface UpdateVerdict {
  readonly action: 'accept' | 'treat-as-withdraw';
  /** The attributes to store: duplicates and discarded attributes removed. */
  readonly attributes: readonly PathAttribute[];
  /** Prefixes to install with `attributes` (empty on treat-as-withdraw). */
  readonly announce: readonly Prefix[];
  /** Prefixes to withdraw: the explicit ones, plus every reachable one on treat-as-withdraw. */
  readonly withdraw: readonly Prefix[];
  /** Every problem found, in order, for logging; none needs a NOTIFICATION. */
  readonly errors: readonly BgpWireError[];
  /** Set when the UPDATE is an End-of-RIB marker (RFC 4724 §2). */
  readonly endOfRib: AddressFamily | undefined;
}

const CODE = { origin: 1, asPath: 2, nextHop: 3, mpReach: 14, mpUnreach: 15 } as const;

/** RFC 7606 §3(g): keep the first of each attribute; a repeated MP attribute resets the session. */
function dropDuplicates(attributes: readonly PathAttribute[], errors: BgpWireError[]): PathAttribute[] {
  const seen = new Set<number>();
  const kept: PathAttribute[] = [];
  for (const attribute of attributes) {
    const code = attributeCode(attribute);
    if (seen.has(code)) {
      if (code === CODE.mpReach || code === CODE.mpUnreach) {
        throw updateError(`validate-update: MP attribute ${code} appears more than once`, UpdateSubcode.malformedAttributeList, 'session-reset');
      }
      errors.push(updateError(`validate-update: attribute ${code} repeated, later copies discarded`, UpdateSubcode.malformedAttributeList, 'attribute-discard'));
      continue;
    }
    seen.add(code);
    kept.push(attribute);
  }
  return kept;
}

/** Checks that need the peer: first AS, confederation segments, AS 0 (RFC 7607). */
function checkAsPath(attributes: readonly PathAttribute[], peer: UpdatePeer, errors: BgpWireError[]): void {
  const asPath = findAttribute(attributes, 'as-path');
  if (!asPath) return;
  const fail = (why: string) => errors.push(updateError(`validate-update: AS_PATH ${why}`, UpdateSubcode.malformedAsPath, 'treat-as-withdraw'));
  if (asPath.value.some((segment) => segment.asns.includes(0))) fail('contains AS 0 (RFC 7607)');
  if (!peer.external) return;
  if (asPath.value.some((segment) => segment.type === 'confed-sequence' || segment.type === 'confed-set')) {
    fail('from an external peer holds confederation segments (RFC 7606 §7.2)');
  }
  const first = asPath.value[0];
  if (peer.enforceFirstAs && (first?.type !== 'sequence' || first.asns[0] !== peer.peerAs)) {
    fail(`does not start with the peer's AS ${peer.peerAs}`);
  }
}

/** RFC 4271 §6.3: a semantically wrong NEXT_HOP (not a unicast host address) ignores the routes. */
function checkNextHop(attributes: readonly PathAttribute[], errors: BgpWireError[]): void {
  const nextHop = findAttribute(attributes, 'next-hop');
  const octets = nextHop ? parseIPv4(nextHop.value) : undefined;
  if (!nextHop || !octets) return;
  const first = octets[0] ?? 0;
  const unusable = first === 0 || first === 127 || first >= 224;
  if (unusable) {
    errors.push(updateError(`validate-update: NEXT_HOP ${nextHop.value} is not a unicast host address`, UpdateSubcode.invalidNextHop, 'treat-as-withdraw'));
  }
}

function erroredCodes(errors: readonly BgpWireError[]): Set<number> {
  // Attribute errors carry the attribute as data; its second octet is the type code.
  return new Set(errors.filter((e) => e.data.length >= 2).map((e) => e.data[1] ?? -1));
}

/** RFC 7606 §3(d): missing mandatory attributes are treat-as-withdraw; RFC 4760 makes NEXT_HOP MP-optional. */
function checkMandatory(update: UpdateMessage, attributes: readonly PathAttribute[], errors: BgpWireError[]): void {
  const mpReach = findAttribute(attributes, 'mp-reach');
  const reachable = update.nlri.length > 0 || (mpReach !== undefined && mpReach.value.nlri.length > 0);
  if (!reachable) return;
  const present = new Set(attributes.map(attributeCode));
  const alreadyReported = erroredCodes(errors);
  const required: number[] = [CODE.origin, CODE.asPath, ...(update.nlri.length > 0 ? [CODE.nextHop] : [])];
  for (const code of required) {
    if (present.has(code) || alreadyReported.has(code)) continue;
    errors.push(updateError(`validate-update: mandatory attribute ${code} missing`, UpdateSubcode.missingWellKnownAttribute, 'treat-as-withdraw', Uint8Array.of(code)));
  }
}

/** RFC 4724 §2: an empty UPDATE (IPv4) or one with only an empty MP_UNREACH_NLRI. */
export function endOfRibFamily(update: UpdateMessage): AddressFamily | undefined {
  if (update.withdrawn.length > 0 || update.nlri.length > 0) return undefined;
  if (update.attributes.length === 0) return 'ipv4';
  const only = update.attributes[0];
  if (update.attributes.length === 1 && only?.type === 'mp-unreach' && only.value.withdrawn.length === 0) return only.value.family;
  return undefined;
}

/**
 * Judges a decoded UPDATE for a peer. Throws BgpWireError only when the session must be
 * reset; everything else is in the verdict.
 */
export function validateUpdate(update: DecodedUpdate, peer: UpdatePeer): UpdateVerdict {
  const errors: BgpWireError[] = [...update.attributeErrors];
  let attributes = dropDuplicates(update.attributes, errors);
  // RFC 7606 §7.5: LOCAL_PREF from an external peer is discarded. RFC 6793 §4.1: AS4_* between
  // two 4-octet speakers are discarded. Neither is an error.
  attributes = attributes.filter(
    (a) => !(peer.external && a.type === 'local-pref') && !(peer.fourOctetAs && (a.type === 'as4-path' || a.type === 'as4-aggregator')),
  );
  // RFC 6793 §7 (and RFC 7607): an AGGREGATOR naming AS 0 is discarded.
  const aggregator = attributes.find((a) => (a.type === 'aggregator' || a.type === 'as4-aggregator') && a.value.asn === 0);
  if (aggregator) {
    errors.push(updateError('validate-update: aggregator AS 0 discarded', UpdateSubcode.optionalAttributeError, 'attribute-discard'));
    attributes = attributes.filter((a) => a !== aggregator);
  }
  // RFC 6793 §4.2.3: from an OLD speaker, the real path and aggregator are rebuilt before any check.
  if (!peer.fourOctetAs) attributes = mergeAs4Attributes(attributes);
  checkAsPath(attributes, peer, errors);
  if (update.nlri.length > 0) checkNextHop(attributes, errors);
  checkMandatory(update, attributes, errors);

  const worst = errors.reduce((max, e) => Math.max(max, actionSeverity[e.action]), -1);
  const action = worst >= actionSeverity['treat-as-withdraw'] ? 'treat-as-withdraw' : 'accept';
  const mpReach = findAttribute(attributes, 'mp-reach');
  const mpUnreach = findAttribute(attributes, 'mp-unreach');
  const reachable = [...update.nlri, ...(mpReach?.value.nlri ?? [])];
  const explicit = [...update.withdrawn, ...(mpUnreach?.value.withdrawn ?? [])];
  return {
    action,
    attributes,
    announce: action === 'accept' ? reachable : [],
    withdraw: action === 'accept' ? explicit : [...explicit, ...reachable],
    errors,
    endOfRib: errors.length === 0 ? endOfRibFamily(update) : undefined,
  };
}

