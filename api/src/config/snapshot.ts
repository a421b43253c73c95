// Sorts a flat list of Kubernetes objects (as read from YAML files or an API list) into the
// Snapshot buildConfig takes, decoding Secrets; objects of other kinds are handed back.
import { DEFAULT_NAMESPACE } from '../kinds/common.js';
import type { SecretData, Snapshot } from './types.js';

const LISTS = {
  IPAddressPool: 'ipAddressPools',
  BGPPeer: 'bgpPeers',
  BGPAdvertisement: 'bgpAdvertisements',
  L2Advertisement: 'l2Advertisements',
  BFDProfile: 'bfdProfiles',
  Community: 'communities',
} as const satisfies Record<string, Exclude<keyof Snapshot, 'secrets'>>;

export interface SortedObjects {
  readonly snapshot: Snapshot;
  /** Objects that are neither a Headland kind nor a Secret (or have no kind at all). */
  readonly others: readonly unknown[];
}

export function snapshotFromObjects(objects: readonly unknown[]): SortedObjects {
  const snapshot: Snapshot = { ipAddressPools: [], bgpPeers: [], bgpAdvertisements: [], l2Advertisements: [], bfdProfiles: [], communities: [], secrets: [] };
  const others: unknown[] = [];
  for (const object of objects) {
    const kind = typeof object === 'object' && object !== null ? (object as { kind?: unknown }).kind : undefined;
    if (typeof kind === 'string' && Object.hasOwn(LISTS, kind)) {
      // Malformed objects go in as they are: buildConfig reports what is wrong with them.
      (snapshot[LISTS[kind as keyof typeof LISTS]] as unknown[]).push(object);
    } else if (kind === 'Secret') {
      const secret = decodeSecret(object as Record<string, unknown>);
      if (secret === undefined) others.push(object);
      else snapshot.secrets.push(secret);
    } else {
      others.push(object);
    }
  }
  return { snapshot, others };
}

/** A core/v1 Secret with base64 `data` and plain `stringData` (which wins, as in the API server). */
function decodeSecret(object: Record<string, unknown>): SecretData | undefined {
  const metadata = object['metadata'];
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string') return undefined;
  const data: Record<string, string> = {};
  for (const [field, decode] of [['data', (v: string) => Buffer.from(v, 'base64').toString('utf8')], ['stringData', (v: string) => v]] as const) {
    const values = object[field];
    if (typeof values !== 'object' || values === null) continue;
    for (const [key, value] of Object.entries(values)) if (typeof value === 'string') data[key] = decode(value);
  }
  return { namespace: typeof namespace === 'string' && namespace !== '' ? namespace : DEFAULT_NAMESPACE, name, data };
}
