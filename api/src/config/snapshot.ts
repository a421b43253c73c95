// Sorts a flat list of Kubernetes objects (as read from YAML files or an API list) into the
// Snapshot buildConfig takes, decoding Secrets; objects it cannot take are named, not dropped.
import { API_VERSION, DEFAULT_NAMESPACE, GROUP } from '../kinds/common.js';
import type { SecretData, Snapshot } from './types.js';

const LISTS = {
  IPAddressPool: 'ipAddressPools',
  BGPPeer: 'bgpPeers',
  BGPAdvertisement: 'bgpAdvertisements',
  L2Advertisement: 'l2Advertisements',
  BFDProfile: 'bfdProfiles',
  Community: 'communities',
} as const satisfies Record<string, Exclude<keyof Snapshot, 'secrets'>>;

const METALLB_GROUPS = ['metallb.io/', 'metallb.universe.tf/'];

export interface SnapshotProblem {
  /** Position of the object in the input list. */
  readonly index: number;
  readonly message: string;
}

export interface SortedObjects {
  readonly snapshot: Snapshot;
  /** Objects of kinds buildConfig does not read (Deployments, Namespaces, ...). */
  readonly others: readonly unknown[];
  /** Objects that look meant for Headland but cannot be read: wrong version, unknown kind, bad Secret. */
  readonly problems: readonly SnapshotProblem[];
}

export function emptySnapshot(): Snapshot {
  return { ipAddressPools: [], bgpPeers: [], bgpAdvertisements: [], l2Advertisements: [], bfdProfiles: [], communities: [], secrets: [] };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function snapshotFromObjects(objects: readonly unknown[]): SortedObjects {
  const snapshot = emptySnapshot();
  const others: unknown[] = [];
  const problems: SnapshotProblem[] = [];
  objects.forEach((object, index): void => {
    const problem = (message: string): void => void problems.push({ index, message });
    if (!isRecord(object)) return problem('not a Kubernetes object (expected a mapping with apiVersion and kind)');
    const { apiVersion, kind } = object;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return problem('apiVersion and kind must both be strings');
    if (METALLB_GROUPS.some((g) => apiVersion.startsWith(g))) {
      return problem(`${kind} ${apiVersion} is a MetalLB object; Headland reads ${API_VERSION} (most fields carry over unchanged)`);
    }
    if (apiVersion.startsWith(`${GROUP}/`)) {
      if (apiVersion !== API_VERSION) return problem(`${kind}: apiVersion ${apiVersion} is not served; use ${API_VERSION}`);
      if (!Object.hasOwn(LISTS, kind)) return problem(`${kind} is not a kind of ${GROUP} (have: ${Object.keys(LISTS).join(', ')})`);
      // Malformed objects go in as they are: buildConfig reports what is wrong with them, by field.
      (snapshot[LISTS[kind as keyof typeof LISTS]] as unknown[]).push(object);
      return;
    }
    if (apiVersion === 'v1' && kind === 'Secret') {
      const secret = decodeSecret(object, problem);
      if (secret !== undefined) snapshot.secrets.push(secret);
      return;
    }
    others.push(object);
  });
  return { snapshot, others, problems };
}

/** A core/v1 Secret with base64 `data` and plain `stringData` (which wins, as in the API server). */
function decodeSecret(object: Record<string, unknown>, problem: (message: string) => void): SecretData | undefined {
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || name === '') {
    problem('Secret: metadata.name is missing');
    return undefined;
  }
  const ns = typeof namespace === 'string' && namespace !== '' ? namespace : DEFAULT_NAMESPACE;
  const data: Record<string, string> = {};
  const encoded = object['data'];
  if (isRecord(encoded)) {
    for (const [key, value] of Object.entries(encoded)) {
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) problem(`Secret ${ns}/${name}: data.${key}: not base64`);
      else data[key] = Buffer.from(value, 'base64').toString('utf8');
    }
  }
  const plain = object['stringData'];
  if (isRecord(plain)) for (const [key, value] of Object.entries(plain)) if (typeof value === 'string') data[key] = value;
  return { namespace: ns, name, data };
}
