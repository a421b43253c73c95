// The kubeconfig for a plain-HTTP server: `insecure-skip-tls-verify` because client-node
// refuses http:// without it, and the admin token (or, for a server without security, any token).

import { rename, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export function kubeconfigYaml(server: string, token = 'headland-test-token'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'headland', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'headland', user: { token } }],
    contexts: [{ name: 'headland', context: { cluster: 'headland', user: 'headland', namespace: 'default' } }],
    'current-context': 'headland',
    preferences: {},
  });
}

/** Writes through a temporary file and a rename, so a reader never sees half a file; 0600, as kubeconfigs hold a credential. */
export async function writeFileAtomically(path: string, text: string, mode = 0o600): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, path);
}

export function writeKubeconfig(path: string, server: string, token?: string): Promise<void> {
  return writeFileAtomically(path, kubeconfigYaml(server, token));
}
