// The projected ServiceAccount volume: a TokenRequest bound to the Pod, the cluster CA and the
// namespace written to a per-pod directory, replaced atomically before the token expires.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestJson, type ClusterAccess } from '@headland/kube';
import type { Pod } from './model.js';
import { serviceAccountOf } from './podman-args.js';

export const TOKEN_SECONDS = 3607;

export interface WrittenToken {
  readonly dir: string;
  /** When to ask for the next one: 80 % of the lifetime, as the kubelet does. */
  readonly refreshAt: number;
}

function writeAtomically(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.tmp`);
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, join(dir, name));
}

export async function writeServiceAccountFiles(kc: ClusterAccess, pod: Pod, dir: string, caFallback: string, now = Date.now()): Promise<WrittenToken> {
  const ns = pod.metadata.namespace ?? 'default';
  const sa = serviceAccountOf(pod);
  const answer = await requestJson(kc, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, {
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: TOKEN_SECONDS, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid } },
    },
  });
  const status = answer['status'] as { token?: string; expirationTimestamp?: string } | undefined;
  if (typeof status?.token !== 'string') throw new Error(`TokenRequest for ${ns}/${sa} returned no token`);
  let ca = caFallback;
  try {
    const cm = await requestJson(kc, 'GET', `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`);
    const data = cm['data'] as Record<string, string> | undefined;
    if (typeof data?.['ca.crt'] === 'string') ca = data['ca.crt'];
  } catch {
    // No kube-root-ca.crt yet: the kubeconfig's CA is the same one.
  }
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  writeAtomically(dir, 'ca.crt', ca);
  writeAtomically(dir, 'namespace', ns);
  writeAtomically(dir, 'token', status.token);
  const expires = status.expirationTimestamp === undefined ? now + TOKEN_SECONDS * 1000 : Date.parse(status.expirationTimestamp);
  return { dir, refreshAt: now + 0.8 * (expires - now) };
}
