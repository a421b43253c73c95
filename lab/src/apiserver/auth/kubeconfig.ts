// Kubeconfigs for the TLS server: the CA to trust and a bearer token, for the admin and for
// programs run as their ServiceAccounts (what a pod's mounted token and ca.crt give it in a cluster).

import { writeFileAtomically } from '../kubeconfig.js';
import { isIP } from 'node:net';
import { stringify } from 'yaml';
import { serviceAccountUsername } from './sa-names.js';

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

export interface TlsKubeconfig {
  /** `https://HOST:PORT`, see httpsServerUrl. */
  readonly server: string;
  /** The CA certificate, PEM. */
  readonly caPem: string;
  readonly token: string;
  /** Names of the cluster, user and context entries (default "headland"). */
  readonly clusterName?: string;
  readonly userName?: string;
  readonly contextName?: string;
  /** The context's default namespace (default "default"). */
  readonly namespace?: string;
}

/** `https://HOST:PORT`, brackets around an IPv6 address. */
export function httpsServerUrl(host: string, port: number): string {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new KubeconfigError(`kubeconfig: port ${port} is not a TCP port`);
  return `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

export function tlsKubeconfigYaml(k: TlsKubeconfig): string {
  if (!k.server.startsWith('https://')) throw new KubeconfigError(`kubeconfig: server ${JSON.stringify(k.server)} is not an https:// URL`);
  if (!k.caPem.includes('-----BEGIN CERTIFICATE-----')) throw new KubeconfigError('kubeconfig: the CA is not a PEM certificate');
  if (k.token === '' || /\s/.test(k.token)) throw new KubeconfigError('kubeconfig: the token is empty or contains white space');
  const cluster = k.clusterName ?? 'headland';
  const user = k.userName ?? 'headland';
  const context = k.contextName ?? cluster;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: k.server, 'certificate-authority-data': Buffer.from(k.caPem, 'utf8').toString('base64') } }],
    users: [{ name: user, user: { token: k.token } }],
    contexts: [{ name: context, context: { cluster, user, namespace: k.namespace ?? 'default' } }],
    'current-context': context,
    preferences: {},
  });
}

/** Writes through a temporary file and a rename, so a reader never sees half a file; mode 0600 as it holds a credential. */
export async function writeTlsKubeconfig(path: string, k: TlsKubeconfig): Promise<void> {
  const text = tlsKubeconfigYaml(k);
  await writeFileAtomically(path, text);
}

export interface ServiceAccountKubeconfig {
  readonly server: string;
  readonly caPem: string;
  readonly namespace: string;
  readonly name: string;
  /** A token issued for the ServiceAccount (TokenRequest, or ServiceAccountTokens.issue). */
  readonly token: string;
}

/** The kubeconfig a program uses to run as a ServiceAccount: its token, its namespace as default. */
export function serviceAccountKubeconfigYaml(sa: ServiceAccountKubeconfig): string {
  const user = serviceAccountUsername(sa.namespace, sa.name);
  return tlsKubeconfigYaml({ server: sa.server, caPem: sa.caPem, token: sa.token, userName: user, contextName: `${user}@headland`, namespace: sa.namespace });
}

export async function writeServiceAccountKubeconfig(path: string, sa: ServiceAccountKubeconfig): Promise<void> {
  const text = serviceAccountKubeconfigYaml(sa);
  await writeFileAtomically(path, text);
}
