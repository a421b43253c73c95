// Turns YAML documents from files into a buildConfig snapshot: Headland kinds by kind, Secrets
// decoded, everything else set aside; problems that stop a document from being read are named.
import { parseAllDocuments } from 'yaml';
import { API_VERSION, DEFAULT_NAMESPACE, GROUP, type Snapshot } from '@headland/api';

export interface LoadProblem {
  /** Where: "FILE" or "FILE: document N" */
  where: string;
  message: string;
}

export interface Loaded {
  snapshot: Snapshot;
  problems: LoadProblem[];
  /** Documents of kinds buildConfig does not read (Deployments, Namespaces, ...). */
  ignored: number;
}

const SNAPSHOT_FIELD = {
  IPAddressPool: 'ipAddressPools',
  BGPPeer: 'bgpPeers',
  BGPAdvertisement: 'bgpAdvertisements',
  L2Advertisement: 'l2Advertisements',
  BFDProfile: 'bfdProfiles',
  Community: 'communities',
} as const satisfies Record<string, keyof Snapshot>;

const METALLB_GROUPS = ['metallb.io/', 'metallb.universe.tf/'];

export function emptySnapshot(): Snapshot {
  return { ipAddressPools: [], bgpPeers: [], bgpAdvertisements: [], l2Advertisements: [], bfdProfiles: [], communities: [], secrets: [] };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the documents of one YAML text (named `file` in messages) into `into`. */
export function loadYaml(file: string, text: string, into: Loaded): void {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    const where = list.length > 1 ? `${file}: document ${i + 1}` : file;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) into.problems.push({ where, message: `YAML: ${(e.message.split('\n')[0] ?? '').replace(/:$/, '')}` });
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document between separators
    if (!isRecord(value)) {
      into.problems.push({ where, message: 'not a Kubernetes object (expected a mapping with apiVersion and kind)' });
      return;
    }
    if (value['kind'] === 'List' && Array.isArray(value['items'])) {
      for (const item of value['items']) addObject(where, item, into);
      return;
    }
    addObject(where, value, into);
  });
}

function addObject(where: string, obj: unknown, into: Loaded): void {
  if (!isRecord(obj)) {
    into.problems.push({ where, message: 'not a Kubernetes object (expected a mapping with apiVersion and kind)' });
    return;
  }
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    into.problems.push({ where, message: 'apiVersion and kind must both be strings' });
    return;
  }
  if (METALLB_GROUPS.some((g) => apiVersion.startsWith(g))) {
    into.problems.push({ where, message: `${kind} ${apiVersion} is a MetalLB object; Headland reads ${API_VERSION} (most fields carry over unchanged)` });
    return;
  }
  if (apiVersion.startsWith(`${GROUP}/`)) {
    if (apiVersion !== API_VERSION) {
      into.problems.push({ where, message: `${kind}: apiVersion ${apiVersion} is not served; use ${API_VERSION}` });
      return;
    }
    if (!(kind in SNAPSHOT_FIELD)) {
      into.problems.push({ where, message: `${kind} is not a kind of ${GROUP} (have: ${Object.keys(SNAPSHOT_FIELD).join(', ')})` });
      return;
    }
    const field = SNAPSHOT_FIELD[kind as keyof typeof SNAPSHOT_FIELD];
    // buildConfig checks the shape itself: that is its job, and it names the field.
    (into.snapshot[field] as unknown[]).push(obj);
    return;
  }
  if (apiVersion === 'v1' && kind === 'Secret') {
    const secret = decodeSecret(where, obj, into);
    if (secret) into.snapshot.secrets.push(secret);
    return;
  }
  into.ignored += 1;
}

function decodeSecret(where: string, obj: Record<string, unknown>, into: Loaded): Snapshot['secrets'][number] | undefined {
  const meta = isRecord(obj['metadata']) ? obj['metadata'] : {};
  const name = meta['name'];
  if (typeof name !== 'string') {
    into.problems.push({ where, message: 'Secret: metadata.name is missing' });
    return undefined;
  }
  const namespace = typeof meta['namespace'] === 'string' ? meta['namespace'] : DEFAULT_NAMESPACE;
  const data: Record<string, string> = {};
  const raw = obj['data'];
  if (isRecord(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
        into.problems.push({ where, message: `Secret ${namespace}/${name}: data.${k}: not base64` });
        continue;
      }
      data[k] = Buffer.from(v, 'base64').toString('utf8');
    }
  }
  const plain = obj['stringData'];
  if (isRecord(plain)) {
    for (const [k, v] of Object.entries(plain)) if (typeof v === 'string') data[k] = v;
  }
  return { namespace, name, data };
}
