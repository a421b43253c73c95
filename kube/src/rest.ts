// Plain-JSON requests to the API server with client-node's authentication (token, client
// certificate, CA, skip-TLS): what informers and leases use, so they see the server's own JSON.

import { RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { fetch } from 'undici';
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
  const url = new URL(serverOf(kc) + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  const ctx = new RequestContext(url.toString(), method);
  ctx.setHeaderParam('Accept', 'application/json');
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
  }
  await kc.applySecurityAuthentication(ctx);
  const dispatcher = ctx.getDispatcher();
  const res = await fetch(url, {
    method,
    headers: ctx.getHeaders(),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    ...(body === undefined ? {} : { body }),
    ...(dispatcher === undefined ? {} : { dispatcher }),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const status = typeof parsed === 'object' && parsed !== null ? (parsed as JsonObject) : undefined;
    const detail = status !== undefined && typeof status['message'] === 'string' ? status['message'] : text.slice(0, 200);
    throw new HttpError(res.status, method, path, status, `rest: ${method} ${path}: ${res.status} ${res.statusText}${detail ? `: ${detail}` : ''}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(res.status, method, path, undefined, `rest: ${method} ${path}: the answer is not a JSON object: ${text.slice(0, 200)}`);
  }
  return parsed as JsonObject;
}
