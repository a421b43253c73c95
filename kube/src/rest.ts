// Plain-JSON requests to the API server with client-node's authentication (token, client
// certificate, CA, skip-TLS): what informers and leases use, so they see the server's own JSON.

import type { ClusterAccess as KubeConfig } from './cluster-config.js';
import { httpClientFor } from './http-client.js';
import { ConfigError, HttpError } from './errors.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  query?: Readonly<Record<string, string | undefined>>;
  body?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  timeoutMs?: number;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function serverOf(kc: KubeConfig): string {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new ConfigError('rest: the kubeconfig has no current cluster');
  return cluster.server.replace(/\/+$/, '');
}

export async function requestJson(kc: KubeConfig, method: Method, path: string, opts: RequestOptions = {}): Promise<JsonObject> {
  const client = await httpClientFor(kc);
  const parsed = await client.request(method, path, opts);
  if (parsed === undefined) return {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(200, method, path, undefined, `rest: ${method} ${path}: the answer is not a JSON object: ${JSON.stringify(parsed).slice(0, 200)}`);
  }
  return parsed as JsonObject;
}
