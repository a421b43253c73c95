// Reads what the operators' commands need from a cluster, with the user's kubeconfig, in one
// pass of list calls. What the user may not read (Secrets, often) becomes a gap, not an error.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ALL_KINDS, API_VERSION } from '@headland/api';
import { loadKubeConfig, requestJson, statusCodeOf, type ClusterAccess } from '@headland/kube';
import type { ClusterObjects, Obj } from './snapshot.js';

/** --kubeconfig, else $KUBECONFIG, else ~/.kube/config (as kubectl), else in-cluster. */
export function clusterAccess(path: string | undefined, env: NodeJS.ProcessEnv = process.env): ClusterAccess {
  const home = join(homedir(), '.kube', 'config');
  if (path === undefined && (env['KUBECONFIG'] ?? '') === '' && existsSync(home)) return loadKubeConfig(home);
  return loadKubeConfig(path, env);
}

async function list(kc: ClusterAccess, path: string, gaps: string[], what: string, kind?: string): Promise<Obj[]> {
  try {
    const r = await requestJson(kc, 'GET', path);
    const items = Array.isArray(r['items']) ? (r['items'] as Obj[]) : [];
    return kind === undefined ? items : items.map((o) => ({ ...o, apiVersion: o['apiVersion'] ?? API_VERSION, kind }));
  } catch (err) {
    const code = statusCodeOf(err);
    if (code === 404 || code === 403) {
      gaps.push(`${what}: ${code === 403 ? 'forbidden to you' : 'not served by this cluster'} (${(err as Error).message.split('\n')[0]})`);
      return [];
    }
    throw err;
  }
}

export async function readCluster(kc: ClusterAccess, namespace: string): Promise<ClusterObjects> {
  const gaps: string[] = [];
  const [group, version] = API_VERSION.split('/');
  const hl = (plural: string) => `/apis/${group}/${version}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
  const [services, endpointSlices, nodes, secrets, speakerStatuses, l2Statuses, ...configLists] = await Promise.all([
    list(kc, '/api/v1/services', gaps, 'Services'),
    list(kc, '/apis/discovery.k8s.io/v1/endpointslices', gaps, 'EndpointSlices'),
    list(kc, '/api/v1/nodes', gaps, 'Nodes'),
    list(kc, `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`, gaps, `Secrets in ${namespace} (BGP passwords: peers that name one are judged without it)`, 'Secret'),
    list(kc, hl('speakerstatuses'), gaps, 'SpeakerStatuses'),
    list(kc, hl('servicel2statuses'), gaps, 'ServiceL2Statuses'),
    ...ALL_KINDS.map((k) => list(kc, hl(k.plural), gaps, `${k.kind}s`, k.kind)),
  ]);
  return {
    services,
    endpointSlices,
    nodes,
    config: [...secrets.map((s) => ({ ...s, apiVersion: 'v1' })), ...configLists.flat()],
    speakerStatuses,
    l2Statuses,
    gaps,
  };
}
