// Test fixtures for buildConfig: objects of each kind built from a name and a spec of any
// shape (tests feed malformed input on purpose), and lookups of the issues they produce.
import { API_VERSION } from '../kinds/common.js';
import type { ConfigIssue } from './issues.js';
import type { Config, SecretData, Snapshot } from './types.js';

interface Meta {
  namespace?: string;
  labels?: Record<string, string>;
}

function resource<K extends string>(kind: K, name: string, spec: unknown, meta: Meta = {}) {
  return { apiVersion: API_VERSION, kind, metadata: { name, ...meta }, spec } as never;
}

export const pool = (name: string, spec: unknown, meta?: Meta): Snapshot['ipAddressPools'][number] => resource('IPAddressPool', name, spec, meta);
export const peer = (name: string, spec: unknown, meta?: Meta): Snapshot['bgpPeers'][number] => resource('BGPPeer', name, spec, meta);
export const bgpAdv = (name: string, spec: unknown, meta?: Meta): Snapshot['bgpAdvertisements'][number] => resource('BGPAdvertisement', name, spec, meta);
export const l2Adv = (name: string, spec: unknown, meta?: Meta): Snapshot['l2Advertisements'][number] => resource('L2Advertisement', name, spec, meta);
export const bfd = (name: string, spec: unknown, meta?: Meta): Snapshot['bfdProfiles'][number] => resource('BFDProfile', name, spec, meta);
export const community = (name: string, spec: unknown, meta?: Meta): Snapshot['communities'][number] => resource('Community', name, spec, meta);
export const secret = (name: string, data: Record<string, string>, namespace = 'headland-system'): SecretData => ({ namespace, name, data });

export function snapshot(parts: Partial<Snapshot>): Snapshot {
  return { ipAddressPools: [], bgpPeers: [], bgpAdvertisements: [], l2Advertisements: [], bfdProfiles: [], communities: [], secrets: [], ...parts };
}

/** The issues of one object, by kind and name (any namespace). */
export function issuesOf(config: Config, kind: string, name: string): ConfigIssue[] {
  return config.issues.filter((i) => i.ref.kind === kind && i.ref.name === name);
}

export function isRejected(config: Config, kind: string, name: string): boolean {
  return config.rejected.some((r) => r.ref.kind === kind && r.ref.name === name);
}

/** A peer spec that is valid on its own, to vary one field at a time. */
export const PEER_SPEC = { myASN: 64512, peerASN: 64513, peerAddress: '198.18.0.1' } as const;
