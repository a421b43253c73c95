// The one registry of path attributes the codec understands, keyed by a readable name and
// by type code; everything else is an UnknownAttribute. Adding an attribute = one module + one row.

import type { AsPath } from './as-path-segments.js';
import { as4Aggregator } from './as4-aggregator.js';
import { as4Path } from './as4-path.js';
import { asPath } from './as-path.js';
import { atomicAggregate } from './atomic-aggregate.js';
import type { Aggregator } from './aggregator-value.js';
import { aggregator } from './aggregator.js';
import { communities } from './communities.js';
import { extendedCommunities, type ExtendedCommunity } from './extended-communities.js';
import { largeCommunities, type LargeCommunity } from './large-communities.js';
import { localPref } from './local-pref.js';
import { multiExitDisc } from './med.js';
import { mpReach, type MpReach } from './mp-reach.js';
import { mpUnreach, type MpUnreach } from './mp-unreach.js';
import { nextHop } from './next-hop.js';
import { origin, type Origin } from './origin.js';
import type { AttributeCodec } from './types.js';

export interface AttributeValues {
  origin: Origin;
  'as-path': AsPath;
  'next-hop': string;
  'multi-exit-disc': number;
  'local-pref': number;
  'atomic-aggregate': true;
  aggregator: Aggregator;
  communities: readonly number[];
  'mp-reach': MpReach;
  'mp-unreach': MpUnreach;
  'extended-communities': readonly ExtendedCommunity[];
  'as4-path': AsPath;
  'as4-aggregator': Aggregator;
  'large-communities': readonly LargeCommunity[];
}
export type AttributeType = keyof AttributeValues;

export type KnownAttribute = {
  [K in AttributeType]: {
    readonly type: K;
    readonly value: AttributeValues[K];
    /** RFC 4271 §5: the Partial bit of an optional transitive attribute, kept when propagated. */
    readonly partial?: boolean;
  };
}[AttributeType];

/** An optional transitive attribute this codec does not know, carried through untouched. */
export interface UnknownAttribute {
  readonly type: 'unknown';
  readonly code: number;
  /** Attribute flags as received, without the Extended Length bit (chosen when encoding). */
  readonly flags: number;
  readonly value: Uint8Array;
}

export type PathAttribute = KnownAttribute | UnknownAttribute;

/** An attribute of a given known type, e.g. `AttributeOf<'origin'>`. */
export type AttributeOf<K extends AttributeType> = Extract<KnownAttribute, { type: K }>;

export const attributeTable: { readonly [K in AttributeType]: AttributeCodec<AttributeValues[K]> } = {
  origin,
  'as-path': asPath,
  'next-hop': nextHop,
  'multi-exit-disc': multiExitDisc,
  'local-pref': localPref,
  'atomic-aggregate': atomicAggregate,
  aggregator,
  communities,
  'mp-reach': mpReach,
  'mp-unreach': mpUnreach,
  'extended-communities': extendedCommunities,
  'as4-path': as4Path,
  'as4-aggregator': as4Aggregator,
  'large-communities': largeCommunities,
};

const typeByCode = new Map<number, AttributeType>(
  (Object.keys(attributeTable) as AttributeType[]).map((type) => [attributeTable[type].descriptor.code, type]),
);

export function attributeTypeOf(code: number): AttributeType | undefined {
  return typeByCode.get(code);
}

/** The codec of a known attribute, widened so callers can use it without narrowing. */
export function codecOf(type: AttributeType): AttributeCodec<unknown> {
  return attributeTable[type] as AttributeCodec<unknown>;
}

export function attributeCode(attribute: PathAttribute): number {
  return attribute.type === 'unknown' ? attribute.code : attributeTable[attribute.type].descriptor.code;
}

/** The first attribute of a type, typed. */
export function findAttribute<K extends AttributeType>(
  attributes: readonly PathAttribute[],
  type: K,
): AttributeOf<K> | undefined {
  return attributes.find((a): a is AttributeOf<K> => a.type === type);
}
