// What a program needs of a kubeconfig — the server, TLS material and credentials — read
// without @kubernetes/client-node, whose import alone costs about 0.65 s and 90 MB of RSS.
// client-node's KubeConfig has the same two methods, so tests may pass one in.
import { readFileSync } from 'node:fs';
import type https from 'node:https';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from './errors.js';

/** The part of a kubeconfig Headland's clients use (client-node's KubeConfig fits it too). */
export interface ClusterAccess {
  getCurrentCluster(): { readonly server: string } | null;
  /** Sets TLS material and the Authorization header; called again to pick up a rotated token. */
  applyToHTTPSOptions(opts: https.RequestOptions): Promise<void>;
}

interface Tls {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly rejectUnauthorized?: boolean;
}

interface Credentials {
  readonly token?: string;
  /** Read on every apply: projected service-account tokens are rotated by the kubelet. */
  readonly tokenFile?: string;
  readonly basic?: { readonly username: string; readonly password: string };
}

export class ClusterConfig implements ClusterAccess {
  constructor(
    readonly server: string,
    private readonly tls: Tls,
    private readonly credentials: Credentials,
  ) {}

  getCurrentCluster(): { readonly server: string } {
    return { server: this.server };
  }

  async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    if (this.tls.ca !== undefined) opts.ca = this.tls.ca;
    if (this.tls.cert !== undefined) opts.cert = this.tls.cert;
    if (this.tls.key !== undefined) opts.key = this.tls.key;
    if (this.tls.rejectUnauthorized !== undefined) opts.rejectUnauthorized = this.tls.rejectUnauthorized;
    const headers = { ...(opts.headers as Record<string, string> | undefined) };
    const token = this.credentials.tokenFile !== undefined ? readFileSync(this.credentials.tokenFile, 'utf8').trim() : this.credentials.token;
    if (token !== undefined && token !== '') headers['Authorization'] = `Bearer ${token}`;
    else if (this.credentials.basic !== undefined) {
      headers['Authorization'] = `Basic ${Buffer.from(`${this.credentials.basic.username}:${this.credentials.basic.password}`).toString('base64')}`;
    }
    opts.headers = headers;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a kubeconfig's current context; `where` names the file in errors. */
export function clusterConfigFromText(text: string, where: string, baseDir: string): ClusterConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError(`kubeconfig: ${where} cannot be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!isRecord(doc)) throw new ConfigError(`kubeconfig: ${where} cannot be read: not a mapping`);
  const named = (list: string, name: unknown, field: string): Record<string, unknown> | undefined => {
    const items = doc[list];
    if (!Array.isArray(items)) return undefined;
    const item = items.find((i) => isRecord(i) && i['name'] === name);
    return isRecord(item) && isRecord(item[field]) ? item[field] : undefined;
  };
  const context = named('contexts', doc['current-context'], 'context');
  const cluster = context === undefined ? undefined : named('clusters', context['cluster'], 'cluster');
  if (context === undefined || cluster === undefined || typeof cluster['server'] !== 'string' || cluster['server'] === '') {
    throw new ConfigError(`kubeconfig: ${where} has no current context with a cluster`);
  }
  const user = named('users', context['user'], 'user') ?? {};
  if (user['exec'] !== undefined || user['auth-provider'] !== undefined) {
    throw new ConfigError(`kubeconfig: ${where}: user ${String(context['user'])} authenticates with an exec or auth-provider plugin, which Headland does not run; give it a token, a token file or a client certificate`);
  }
  const file = (key: string, dataKey: string, obj: Record<string, unknown>): Buffer | undefined => {
    const data = obj[dataKey];
    if (typeof data === 'string' && data !== '') return Buffer.from(data, 'base64');
    const path = obj[key];
    if (typeof path !== 'string' || path === '') return undefined;
    const full = isAbsolute(path) ? path : join(baseDir, path);
    try {
      return readFileSync(full);
    } catch (err) {
      throw new ConfigError(`kubeconfig: ${where}: ${key} ${full} cannot be read: ${(err as Error).message}`, { cause: err });
    }
  };
  const ca = file('certificate-authority', 'certificate-authority-data', cluster);
  const cert = file('client-certificate', 'client-certificate-data', user);
  const key = file('client-key', 'client-key-data', user);
  const tls: Tls = {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(cluster['insecure-skip-tls-verify'] === true ? { rejectUnauthorized: false } : {}),
  };
  const tokenFile = typeof user['tokenFile'] === 'string' && user['tokenFile'] !== '' ? (isAbsolute(user['tokenFile']) ? user['tokenFile'] : join(baseDir, user['tokenFile'])) : undefined;
  const credentials: Credentials = {
    ...(typeof user['token'] === 'string' ? { token: user['token'] } : {}),
    ...(tokenFile === undefined ? {} : { tokenFile }),
    ...(typeof user['username'] === 'string' && typeof user['password'] === 'string' ? { basic: { username: user['username'], password: user['password'] } } : {}),
  };
  return new ClusterConfig(cluster['server'].replace(/\/+$/, ''), tls, credentials);
}

export function clusterConfigFromFile(path: string, flag: string): ClusterConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`kubeconfig: ${flag} ${path} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  return clusterConfigFromText(text, `${flag} ${path}`, dirname(path));
}

/** The Pod's service account, as client-go's rest.InClusterConfig reads it. */
export function inClusterConfig(host: string, port: string | undefined, tokenPath: string): ClusterConfig {
  const caPath = join(dirname(tokenPath), 'ca.crt');
  let ca: Buffer | undefined;
  try {
    ca = readFileSync(caPath);
  } catch {
    ca = undefined;
  }
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port === undefined || port === '' ? '443' : port}`;
  return new ClusterConfig(server, ca === undefined ? {} : { ca }, { tokenFile: tokenPath });
}
