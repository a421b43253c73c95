// Where the programs find their cluster: --kubeconfig PATH, else $KUBECONFIG, else the
// in-cluster service account; every failure names the place it looked.

import { existsSync } from 'node:fs';
import { clusterConfigFromFile, inClusterConfig, type ClusterConfig } from './cluster-config.js';
import { ConfigError } from './errors.js';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface KubeConfigEnv {
  KUBECONFIG?: string | undefined;
  KUBERNETES_SERVICE_HOST?: string | undefined;
  KUBERNETES_SERVICE_PORT?: string | undefined;
}

function fromFile(path: string, flag: string): ClusterConfig {
  if (!existsSync(path)) throw new ConfigError(`kubeconfig: ${flag} ${path} does not exist`);
  return clusterConfigFromFile(path, flag);
}

/** `env` and `tokenPath` are for tests. */
export function loadKubeConfig(path: string | undefined, env: KubeConfigEnv = process.env, tokenPath = SERVICE_ACCOUNT_TOKEN): ClusterConfig {
  if (path !== undefined) {
    if (path.trim() === '') throw new ConfigError('kubeconfig: --kubeconfig is empty');
    return fromFile(path, '--kubeconfig');
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(':').filter((p) => p !== '');
  if (fromEnv.length > 0) {
    // Like kubectl: with several files the first that exists wins.
    const first = fromEnv.find((p) => existsSync(p));
    if (first === undefined) throw new ConfigError(`kubeconfig: none of KUBECONFIG=${env.KUBECONFIG ?? ''} exists`);
    return fromFile(first, 'KUBECONFIG file');
  }
  if (env.KUBERNETES_SERVICE_HOST === undefined || env.KUBERNETES_SERVICE_HOST === '' || !existsSync(tokenPath)) {
    throw new ConfigError(`kubeconfig: no --kubeconfig, no KUBECONFIG, and not inside a cluster (${env.KUBERNETES_SERVICE_HOST ? `${tokenPath} missing` : 'KUBERNETES_SERVICE_HOST unset'})`);
  }
  return inClusterConfig(env.KUBERNETES_SERVICE_HOST, env.KUBERNETES_SERVICE_PORT, tokenPath);
}
