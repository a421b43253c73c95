// TLS material made at start: a self-signed ECDSA P-256 CA and serving certificates it signs (the
// API server's own, and admission webhook servers'), as PEM for Node's tls and for kubeconfigs.

import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { isDnsSubdomain } from './sa-names.js';

x509.cryptoProvider.set(webcrypto);

export const CA_COMMON_NAME = 'headland-apiserver-ca';
export const SERVING_COMMON_NAME = 'headland-apiserver';

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
// Like the real server's self-signed certificates: valid from an hour ago, for peers whose clock lags.
const BACKDATE_MS = 60 * 60 * 1000;

export class PkiError extends Error {
  override readonly name = 'PkiError';
}

/** A certificate and its private key, both PEM; the key is PKCS#8. */
export interface PemPair {
  readonly cert: string;
  readonly key: string;
}

export interface CertificateOptions {
  /** Validity in days from `now` (default 365). */
  validDays?: number;
  now?: Date;
}

/** The subject alternative names of a serving certificate, split by kind. */
export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly ips: readonly string[];
}

/** Sorts host names and IP addresses into DNS and IP SANs; throws PkiError on anything else. */
export function parseHosts(hosts: readonly string[]): SubjectAltNames {
  if (hosts.length === 0) throw new PkiError('pki: a serving certificate needs at least one host name or IP address');
  const dns: string[] = [];
  const ips: string[] = [];
  for (const raw of hosts) {
    const host = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
    if (isIP(host) !== 0) {
      if (!ips.includes(host)) ips.push(host);
    } else if (isDnsSubdomain(host.toLowerCase())) {
      if (!dns.includes(host.toLowerCase())) dns.push(host.toLowerCase());
    } else {
      throw new PkiError(`pki: ${JSON.stringify(raw)} is neither an IP address nor a DNS name`);
    }
  }
  return { dns, ips };
}

/**
 * The names the API server's certificate carries: loopback, the in-cluster names of the
 * `kubernetes` Service, and the listen address unless it is a wildcard nobody can dial.
 */
export function apiServerHosts(listenHost: string, extra: readonly string[] = []): string[] {
  const hosts = ['localhost', '127.0.0.1', '::1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  const bare = listenHost.replace(/^\[(.*)\]$/, '$1');
  if (bare !== '' && bare !== '0.0.0.0' && bare !== '::') hosts.push(bare);
  return [...new Set([...hosts, ...extra])];
}

/** `NAME.NS.svc`, the host the real server dials for a webhook's `service` reference. */
export function serviceHost(name: string, namespace: string): string {
  return `${name}.${namespace}.svc`;
}

/** 16 random bytes with the top bit clear: a positive serial, which Go's x509 insists on. */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

function validity(opts: CertificateOptions): { notBefore: Date; notAfter: Date } {
  const now = (opts.now ?? new Date()).getTime();
  const days = opts.validDays ?? 365;
  if (!(days > 0)) throw new PkiError(`pki: validDays must be positive, got ${days}`);
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

async function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** A certificate authority living for the server's run: its key never leaves memory unless asked. */
export class CertificateAuthority {
  private constructor(
    private readonly cert: x509.X509Certificate,
    private readonly keys: webcrypto.CryptoKeyPair,
    /** The CA certificate, PEM: what clients trust (kubeconfig `certificate-authority-data`, webhook `caBundle`). */
    readonly certPem: string,
    readonly keyPem: string,
  ) {}

  static async create(opts: CertificateOptions & { commonName?: string } = {}): Promise<CertificateAuthority> {
    const keys = await newKeys();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: `CN=${opts.commonName ?? CA_COMMON_NAME}`,
      ...validity({ validDays: opts.validDays ?? 3650, ...(opts.now === undefined ? {} : { now: opts.now }) }),
      signingAlgorithm: SIGNING,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new CertificateAuthority(cert, keys, cert.toString('pem'), await keyPem(keys.privateKey));
  }

  /** The CA a server made on an earlier start (its --cert-dir): clients that trust it keep working across restarts. */
  static async load(certPem: string, keyPemText: string): Promise<CertificateAuthority> {
    let cert: x509.X509Certificate;
    try {
      cert = new x509.X509Certificate(certPem);
    } catch (e) {
      throw new PkiError(`pki: the CA certificate is not a PEM certificate: ${e instanceof Error ? e.message : String(e)}`);
    }
    const der = Buffer.from(keyPemText.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, ''), 'base64');
    let privateKey: webcrypto.CryptoKey;
    try {
      privateKey = await webcrypto.subtle.importKey('pkcs8', der, EC_KEY, true, ['sign']);
    } catch (e) {
      throw new PkiError(`pki: the CA key is not a PKCS#8 P-256 key: ${e instanceof Error ? e.message : String(e)}`);
    }
    const publicKey = await cert.publicKey.export(EC_KEY, ['verify'], webcrypto);
    return new CertificateAuthority(cert, { privateKey, publicKey }, certPem, keyPemText);
  }

  /** A serving certificate (serverAuth) for `hosts`: DNS names and IP addresses, e.g. from apiServerHosts(). */
  async issueServing(hosts: readonly string[], opts: CertificateOptions & { commonName?: string } = {}): Promise<PemPair> {
    const sans = parseHosts(hosts);
    const keys = await newKeys();
    const names: x509.JsonGeneralName[] = [...sans.dns.map((value) => ({ type: 'dns' as const, value })), ...sans.ips.map((value) => ({ type: 'ip' as const, value }))];
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: `CN=${opts.commonName ?? sans.dns[0] ?? SERVING_COMMON_NAME}`,
      issuer: this.cert.subject,
      ...validity(opts),
      signingAlgorithm: SIGNING,
      publicKey: keys.publicKey,
      signingKey: this.keys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.keys.publicKey),
      ],
    });
    return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
  }

  /** A serving certificate for a webhook server behind the Service NAME in NS (`NAME.NS.svc`), plus any extra hosts. */
  issueForService(name: string, namespace: string, extraHosts: readonly string[] = [], opts: CertificateOptions = {}): Promise<PemPair> {
    return this.issueServing([serviceHost(name, namespace), ...extraHosts], { ...opts, commonName: serviceHost(name, namespace) });
  }
}
