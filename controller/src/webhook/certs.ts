// The webhook's TLS material: a self-signed CA and a serving certificate for the webhook Service,
// kept together in one Secret. judgeTls says what is due (the clock is an argument); renewTls
// makes it. No Kubernetes client here (cert-keeper.ts reads and writes the Secret).
//
// Lifecycle: the CA lives 10 years, the serving certificate 1 year (never past its CA). The
// serving certificate is renewed 30 days before it expires, by the same CA, so the caBundle the
// API server trusts does not change. 60 days before the CA expires a successor CA is put first
// in ca.crt, next to the old one; the old CA's certificate is still served until its own renewal
// (at the latest 30 days before the old CA expires), which the successor signs. So the API
// server trusts a CA for at least 30 days before any certificate it signed is served, and a
// replica still serving the previous certificate stays trusted throughout.
// lab/src/apiserver/auth/pki.ts makes certificates the same way for the test API server; the
// controller may not import the lab.
import { X509Certificate, createPrivateKey, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

/** The Secret's keys: tls.crt and tls.key as a kubernetes.io/tls Secret has them, the CA beside. */
export const SECRET_KEYS = { caBundle: 'ca.crt', caKey: 'ca.key', cert: 'tls.crt', key: 'tls.key' } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

export const LIFETIME = {
  caDays: 3650,
  servingDays: 365,
  /** Renew the serving certificate this long before it expires. */
  servingRenewDays: 30,
  /** Add a successor CA this long before the CA expires (servingRenewDays more than the above). */
  caRenewDays: 60,
  /** Certificates are valid from an hour ago, for an API server whose clock lags ours. */
  backdateMs: 60 * 60 * 1000,
} as const;

/** Everything as PEM; the keys are PKCS#8 ECDSA P-256. */
export interface WebhookTls {
  /** The CA certificates the API server is to trust; the first signs new certificates. */
  readonly caBundle: string;
  /** The key of the first CA in caBundle. */
  readonly caKey: string;
  readonly cert: string;
  readonly key: string;
}

export interface TlsPlan {
  readonly ca: 'keep' | 'successor' | 'create';
  readonly serving: 'keep' | 'renew';
  /** Expired CAs are dropped from the bundle. */
  readonly prune: boolean;
  /** Why anything is due, for the log; empty when nothing is. */
  readonly reasons: readonly string[];
}

export const isDue = (p: TlsPlan): boolean => p.ca !== 'keep' || p.serving !== 'keep' || p.prune;

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g;

/** The PEM certificates in a text, each ending in a newline. */
export function pemCertificates(text: string): string[] {
  return (text.match(PEM_CERT) ?? []).map((c) => (c.endsWith('\n') ? c : `${c}\n`));
}

const notBefore = (c: X509Certificate): number => Date.parse(c.validFrom);
const notAfter = (c: X509Certificate): number => Date.parse(c.validTo);
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function parseCertificates(text: string): X509Certificate[] | undefined {
  try {
    return pemCertificates(text).map((p) => new X509Certificate(p));
  } catch {
    return undefined;
  }
}

function privateKey(pem: string): KeyObject | undefined {
  try {
    const k = createPrivateKey(pem);
    return k.asymmetricKeyType === 'ec' && k.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? k : undefined;
  } catch {
    return undefined;
  }
}

const create = (reason: string): TlsPlan => ({ ca: 'create', serving: 'renew', prune: false, reasons: [reason] });

/** What is due for the TLS material in the Secret (undefined: there is none), for a server named `hosts`. */
export function judgeTls(tls: WebhookTls | undefined, hosts: readonly string[], now: Date): TlsPlan {
  const t = now.getTime();
  if (tls === undefined) return create('there is no certificate yet');
  const cas = parseCertificates(tls.caBundle);
  const current = cas?.[0];
  if (cas === undefined || current === undefined) return create('ca.crt holds no readable certificate');
  if (!current.ca) return create('the first certificate in ca.crt is not a CA');
  const caKey = privateKey(tls.caKey);
  if (caKey === undefined || !current.checkPrivateKey(caKey)) return create('ca.key is not the P-256 key of the first CA in ca.crt');
  if (t < notBefore(current) || t >= notAfter(current)) return create(`the CA is valid only from ${day(notBefore(current))} to ${day(notAfter(current))}`);

  const reasons: string[] = [];
  let ca: TlsPlan['ca'] = 'keep';
  if (notAfter(current) - t < LIFETIME.caRenewDays * DAY_MS) {
    ca = 'successor';
    reasons.push(`the CA expires on ${day(notAfter(current))}: a successor CA joins ca.crt`);
  }
  const prune = cas.some((c) => notAfter(c) <= t);
  if (prune) reasons.push('an expired CA is dropped from ca.crt');

  const servingProblem = ((): string | undefined => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(tls.cert);
    } catch {
      return 'tls.crt is not a certificate';
    }
    const key = privateKey(tls.key);
    if (key === undefined || !cert.checkPrivateKey(key)) return 'tls.key is not the P-256 key of tls.crt';
    const missing = hosts.filter((h) => cert.checkHost(h) === undefined);
    if (missing.length > 0) return `the certificate is not valid for ${missing.join(', ')}`;
    if (!cas.some((c) => notAfter(c) > t && cert.checkIssued(c) && cert.verify(c.publicKey))) return 'the certificate is not signed by a valid CA in ca.crt';
    if (t < notBefore(cert)) return `the certificate is not valid before ${day(notBefore(cert))}`;
    if (notAfter(cert) - t < LIFETIME.servingRenewDays * DAY_MS) return `the certificate expires on ${day(notAfter(cert))}`;
    return undefined;
  })();
  if (servingProblem !== undefined) reasons.push(`${servingProblem}: a new one is issued`);
  return { ca, serving: servingProblem === undefined ? 'keep' : 'renew', prune, reasons };
}

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

interface Authority {
  readonly cert: x509.X509Certificate;
  readonly certPem: string;
  readonly keyPem: string;
  readonly privateKey: webcrypto.CryptoKey;
  readonly publicKey: webcrypto.CryptoKey;
}

/** 16 random bytes with the top bit clear: a positive serial, which Go's x509 insists on. */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function createAuthority(now: Date): Promise<Authority> {
  const keys = (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const t = now.getTime();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    // Successive CAs differ by name, so a chain is never built through the wrong one.
    name: `CN=headland-webhook-ca@${Math.floor(t / 1000)}`,
    notBefore: new Date(t - LIFETIME.backdateMs),
    notAfter: new Date(t + LIFETIME.caDays * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, certPem: `${cert.toString('pem')}\n`, keyPem: await keyPem(keys.privateKey), privateKey: keys.privateKey, publicKey: keys.publicKey };
}

async function loadAuthority(certPem: string, keyPemText: string): Promise<Authority> {
  const cert = new x509.X509Certificate(certPem);
  const der = createPrivateKey(keyPemText).export({ format: 'der', type: 'pkcs8' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, EC_KEY, true, ['sign']);
  const publicKey = await cert.publicKey.export(EC_KEY, ['verify'], webcrypto);
  return { cert, certPem, keyPem: keyPemText, privateKey, publicKey };
}

async function issueServing(ca: Authority, hosts: readonly string[], now: Date): Promise<{ cert: string; key: string }> {
  const keys = (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const t = now.getTime();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${hosts[0] ?? 'headland-webhook'}`,
    issuer: ca.cert.subject,
    notBefore: new Date(t - LIFETIME.backdateMs),
    notAfter: new Date(Math.min(t + LIFETIME.servingDays * DAY_MS, ca.cert.notAfter.getTime())),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(hosts.map((value) => ({ type: 'dns' as const, value }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey),
    ],
  });
  return { cert: `${cert.toString('pem')}\n`, key: await keyPem(keys.privateKey) };
}

/** Carries out a plan from judgeTls (the same `hosts` and `now`). */
export async function renewTls(tls: WebhookTls | undefined, plan: TlsPlan, hosts: readonly string[], now: Date): Promise<WebhookTls> {
  if (tls === undefined || plan.ca === 'create') {
    const ca = await createAuthority(now);
    return { caBundle: ca.certPem, caKey: ca.keyPem, ...(await issueServing(ca, hosts, now)) };
  }
  const t = now.getTime();
  const [first = ''] = pemCertificates(tls.caBundle);
  let signer = await loadAuthority(first, tls.caKey);
  let bundle = pemCertificates(tls.caBundle).filter((p) => notAfter(new X509Certificate(p)) > t);
  let caKey = tls.caKey;
  if (plan.ca === 'successor') {
    const next = await createAuthority(now);
    bundle = [next.certPem, ...bundle];
    caKey = next.keyPem;
    // The old CA signs while it can still outlive a renewal margin: the API server has not
    // had the successor in its caBundle for long yet.
    if (signer.cert.notAfter.getTime() - t < LIFETIME.servingRenewDays * DAY_MS) signer = next;
  }
  const serving = plan.serving === 'renew' ? await issueServing(signer, hosts, now) : { cert: tls.cert, key: tls.key };
  return { caBundle: bundle.join(''), caKey, ...serving };
}

/** The PEM of the CA in the bundle that signed the serving certificate, if any. */
export function servingIssuer(tls: WebhookTls): string | undefined {
  try {
    const cert = new X509Certificate(tls.cert);
    return pemCertificates(tls.caBundle).find((p) => {
      const ca = new X509Certificate(p);
      return cert.checkIssued(ca) && cert.verify(ca.publicKey);
    });
  } catch {
    return undefined;
  }
}

/** When the serving certificate expires (NaN if it cannot be read). */
export function servingNotAfter(tls: WebhookTls): Date {
  try {
    return new Date(notAfter(new X509Certificate(tls.cert)));
  } catch {
    return new Date(Number.NaN);
  }
}

/** The TLS material in a Secret's `data` (base64), or undefined when it holds none of it. */
export function tlsFromSecretData(data: unknown): WebhookTls | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const get = (k: string): string => (typeof d[k] === 'string' ? Buffer.from(d[k], 'base64').toString('utf8') : '');
  const tls = { caBundle: get(SECRET_KEYS.caBundle), caKey: get(SECRET_KEYS.caKey), cert: get(SECRET_KEYS.cert), key: get(SECRET_KEYS.key) };
  return Object.values(tls).every((v) => v === '') ? undefined : tls;
}

export function secretDataOf(tls: WebhookTls): Record<string, string> {
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  return { [SECRET_KEYS.caBundle]: b64(tls.caBundle), [SECRET_KEYS.caKey]: b64(tls.caKey), [SECRET_KEYS.cert]: b64(tls.cert), [SECRET_KEYS.key]: b64(tls.key) };
}
