// What makes the server a cluster's rather than a test double's: TLS material, the admin token
// and ServiceAccount token keys, and the authorization mode. Created once at start.

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from './kubeconfig.js';
import { ADMIN_USER, CertificateAuthority, apiServerHosts, newToken, ServiceAccountTokens, StaticTokens, type PemPair } from './auth/index.js';

export type AuthorizationMode = 'AlwaysAllow' | 'RBAC';

export interface Security {
  readonly staticTokens: StaticTokens;
  readonly serviceAccounts: ServiceAccountTokens;
  readonly authorization: AuthorizationMode;
  /** Requests without credentials are system:anonymous (the real default); false answers them 401. */
  readonly anonymous: boolean;
  /** The CA every client trusts (kubeconfig, the kube-root-ca.crt ConfigMaps, webhook tests). */
  readonly ca: CertificateAuthority;
  /** The serving pair; undefined serves plain HTTP (still authenticated and authorized). */
  readonly serving: PemPair | undefined;
  /** The token the admin kubeconfig carries: user headland-admin in system:masters. */
  readonly adminToken: string;
}

export interface SecurityOptions {
  /** The listen address, added to the serving certificate's names. */
  readonly listenHost: string;
  readonly authorization: AuthorizationMode;
  readonly plainHttp?: boolean;
  readonly anonymous?: boolean;
  /** More names for the serving certificate. */
  readonly extraHosts?: readonly string[];
  /**
   * Where the CA, the token signing key and the admin token are kept (kube-apiserver's --cert-dir):
   * read when there, written when not, so a restarted server's clients and tokens keep working.
   */
  readonly certDir?: string;
}

interface Identity {
  readonly caCert: string;
  readonly caKey: string;
  readonly saKey: string;
  readonly adminToken: string;
}

const FILES = { caCert: 'ca.crt', caKey: 'ca.key', saKey: 'sa.key', adminToken: 'admin-token' } as const;

async function readIdentity(dir: string): Promise<Identity | undefined> {
  const read = (f: string): Promise<string | undefined> =>
    readFile(join(dir, f), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw new Error(`security: cannot read ${join(dir, f)}: ${e.message}`);
    });
  const [caCert, caKey, saKey, adminToken] = await Promise.all([read(FILES.caCert), read(FILES.caKey), read(FILES.saKey), read(FILES.adminToken)]);
  if (caCert === undefined && caKey === undefined && saKey === undefined && adminToken === undefined) return undefined;
  if (caCert === undefined || caKey === undefined || saKey === undefined || adminToken === undefined) {
    throw new Error(`security: ${dir} holds only part of a server identity (${Object.values(FILES).join(', ')}); remove it or restore the missing files`);
  }
  return { caCert, caKey, saKey, adminToken: adminToken.trim() };
}

async function writeIdentity(dir: string, id: Identity): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [key, file] of Object.entries(FILES) as [keyof Identity, string][]) {
    await writeFileAtomically(join(dir, file), id[key], key === 'caCert' ? 0o644 : 0o600);
  }
}

export async function createSecurity(o: SecurityOptions): Promise<Security> {
  const kept = o.certDir === undefined ? undefined : await readIdentity(o.certDir);
  const ca = kept === undefined ? await CertificateAuthority.create() : await CertificateAuthority.load(kept.caCert, kept.caKey);
  const serviceAccounts = await ServiceAccountTokens.create(kept === undefined ? {} : { keyPem: kept.saKey });
  const adminToken = kept?.adminToken ?? newToken();
  if (o.certDir !== undefined && kept === undefined) {
    await writeIdentity(o.certDir, { caCert: ca.certPem, caKey: ca.keyPem, saKey: await serviceAccounts.exportKeyPem(), adminToken });
  }
  return {
    staticTokens: new StaticTokens([[adminToken, ADMIN_USER]]),
    serviceAccounts,
    authorization: o.authorization,
    anonymous: o.anonymous ?? true,
    ca,
    serving: o.plainHttp === true ? undefined : await ca.issueServing(apiServerHosts(o.listenHost, o.extraHosts ?? [])),
    adminToken,
  };
}
