// Headland's programs as their own ServiceAccounts, bound by the manifests' RBAC, as a cluster
// runs them: the namespace and rbac/ manifests applied, then a token and kubeconfig per account.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { writeServiceAccountKubeconfig } from '../apiserver/auth/index.js';
import { kubectl } from './apiserver.js';
import { REPO_ROOT } from './program.js';

export const HEADLAND_NAMESPACE = 'headland-system';
export const CONTROLLER_ACCOUNT = 'headland-controller';
export const SPEAKER_ACCOUNT = 'headland-speaker';

export const RBAC_MANIFESTS = [join(REPO_ROOT, 'manifests/namespace.yaml'), join(REPO_ROOT, 'manifests/rbac/controller.yaml'), join(REPO_ROOT, 'manifests/rbac/speaker.yaml')];

interface KubeconfigServer {
  readonly server: string;
  readonly caPem: string;
}

/** The server and CA an admin kubeconfig names, for kubeconfigs of other identities. */
export async function serverOf(adminKubeconfig: string): Promise<KubeconfigServer> {
  const doc = parse(await readFile(adminKubeconfig, 'utf8')) as { clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[] };
  const cluster = doc.clusters?.[0]?.cluster;
  if (cluster?.server === undefined || cluster['certificate-authority-data'] === undefined) {
    throw new Error(`identities: ${adminKubeconfig} has no https server with certificate-authority-data (start headland-apiserver without --plain-http)`);
  }
  return { server: cluster.server, caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8') };
}

/** Applies the manifests' namespace and RBAC (ServiceAccounts, Roles, bindings) with the admin kubeconfig. */
export async function applyRbacManifests(adminKubeconfig: string): Promise<void> {
  for (const file of RBAC_MANIFESTS) await kubectl(adminKubeconfig, ['apply', '-f', file]);
}

/**
 * A kubeconfig for NAMESPACE/ACCOUNT with a token from a TokenRequest (`kubectl create token`),
 * written to DIR/ACCOUNT.kubeconfig. The token lasts `hours` (a lab outlives the 1 h default).
 */
export async function serviceAccountKubeconfig(adminKubeconfig: string, dir: string, namespace: string, account: string, hours = 24): Promise<string> {
  const token = (await kubectl(adminKubeconfig, ['create', 'token', account, '-n', namespace, `--duration=${hours}h`])).trim();
  const { server, caPem } = await serverOf(adminKubeconfig);
  const path = join(dir, `${account}.kubeconfig`);
  await writeServiceAccountKubeconfig(path, { server, caPem, namespace, name: account, token });
  return path;
}

/** Log lines of a program that say the API server refused it (403), whatever logged them. */
export function forbiddenLines(lines: readonly string[]): string[] {
  return lines.filter((l) => /\b403\b|[Ff]orbidden/.test(l));
}
