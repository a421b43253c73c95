// The validated model that buildConfig produces and the controller and speaker consume:
// plain data with parsed addresses and compiled selectors, no Kubernetes client types.
import type { IPAddress } from '../ip/address.js';
import type { IPSet } from '../ip/set.js';
import type { BFDProfile } from '../kinds/bfdprofile.js';
import type { BGPAdvertisement, DataPlaneCheck, Weighting } from '../kinds/bgpadvertisement.js';
import type { BGPPeer } from '../kinds/bgppeer.js';
import type { Community } from '../kinds/community.js';
import type { IPAddressPool } from '../kinds/ipaddresspool.js';
import type { L2Advertisement } from '../kinds/l2advertisement.js';
import type { Selector } from '../selector.js';
import type { ConfigIssue, ObjectRef, RejectedObject } from './issues.js';
import type { CommunityValue } from './community-value.js';

export interface SecretData {
  namespace: string;
  name: string;
  /** Decoded values (not base64). */
  data: Record<string, string>;
}

/** The custom resources and Secrets buildConfig reads; any element may be malformed. */
export interface Snapshot {
  ipAddressPools: IPAddressPool[];
  bgpPeers: BGPPeer[];
  bgpAdvertisements: BGPAdvertisement[];
  l2Advertisements: L2Advertisement[];
  bfdProfiles: BFDProfile[];
  communities: Community[];
  secrets: SecretData[];
}

export interface PoolAllocation {
  /** Lower is tried first; undefined sorts after every number. */
  readonly priority: number | undefined;
  readonly namespaces: ReadonlySet<string>;
  readonly namespaceSelectors: readonly Selector[];
  readonly serviceSelectors: readonly Selector[];
}

export interface Pool {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly addresses: IPSet;
  /** spec.addresses as written. */
  readonly entries: readonly string[];
  readonly autoAssign: boolean;
  readonly avoidBuggyIPs: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** Undefined: any Service may use the pool. */
  readonly allocation: PoolAllocation | undefined;
}

export const DYNAMIC_ASN = { Internal: 'internal', External: 'external' } as const;
export type DynamicASN = (typeof DYNAMIC_ASN)[keyof typeof DYNAMIC_ASN];

export interface Peer {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly myASN: number;
  /** Exactly one of peerASN and dynamicASN is set. */
  readonly peerASN: number | undefined;
  readonly dynamicASN: DynamicASN | undefined;
  readonly address: IPAddress;
  readonly port: number;
  readonly sourceAddress: IPAddress | undefined;
  /** Undefined: the node's address. */
  readonly routerID: IPAddress | undefined;
  /** Whole seconds; 0 means no keepalives and no hold timer. */
  readonly holdTime: number;
  readonly keepaliveTime: number;
  readonly connectTime: number;
  /** TCP MD5 password, from the spec or its Secret. */
  readonly password: string | undefined;
  readonly ebgpMultiHop: boolean;
  readonly ttlSecurity: boolean;
  readonly passive: boolean;
  readonly nodeSelectors: readonly Selector[];
  /** Undefined when none is named or the named one is missing (then an issue says so). */
  readonly bfdProfile: string | undefined;
  readonly gracefulRestart: boolean;
}

export interface BGPAdvertisementConfig {
  readonly ref: ObjectRef;
  /** Names of the pools announced, sorted; missing ones are left out (and reported). */
  readonly pools: readonly string[];
  readonly serviceSelectors: readonly Selector[];
  readonly nodeSelectors: readonly Selector[];
  /** Undefined: every peer of the node. */
  readonly peers: readonly string[] | undefined;
  readonly aggregationLength: number;
  readonly aggregationLengthV6: number;
  readonly localPref: number | undefined;
  readonly communities: readonly CommunityValue[];
  readonly weighting: Weighting;
  /** KubeProxy: announce only while kube-proxy's health check on this node says it serves. */
  readonly dataPlaneCheck: DataPlaneCheck;
}

export interface L2AdvertisementConfig {
  readonly ref: ObjectRef;
  readonly pools: readonly string[];
  readonly serviceSelectors: readonly Selector[];
  readonly nodeSelectors: readonly Selector[];
  /** Undefined: every interface but loopback and virtual ones. */
  readonly interfaces: readonly string[] | undefined;
  /** KubeProxy: a node whose kube-proxy health check fails is no candidate. */
  readonly dataPlaneCheck: DataPlaneCheck;
}

export interface BFDProfileConfig {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly receiveInterval: number;
  readonly transmitInterval: number;
  readonly detectMultiplier: number;
  readonly minimumTtl: number;
  readonly passiveMode: boolean;
}

export interface Config {
  readonly pools: ReadonlyMap<string, Pool>;
  readonly peers: ReadonlyMap<string, Peer>;
  /** Sorted by namespace/name. */
  readonly bgpAdvertisements: readonly BGPAdvertisementConfig[];
  readonly l2Advertisements: readonly L2AdvertisementConfig[];
  readonly bfdProfiles: ReadonlyMap<string, BFDProfileConfig>;
  /** Community alias name to value. */
  readonly communities: ReadonlyMap<string, CommunityValue>;
  /** Every issue found, including those of rejected objects. */
  readonly issues: readonly ConfigIssue[];
  /** Objects kept out of the config, each with its issues. */
  readonly rejected: readonly RejectedObject[];
}
