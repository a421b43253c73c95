// Test-only TLS material: a throwaway CA and serving certificates it signs, so tests run real HTTPS
// webhook servers trusted (or not) through a caBundle exactly as a cluster's would be.

import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 24 * 3600 * 1000;

export interface TestCa {
  /** PEM of the CA certificate. */
  readonly certPem: string;
  /** base64 of the PEM, as a webhook's clientConfig.caBundle carries it. */
  readonly caBundle: string;
  issue(opts: { dns?: readonly string[]; ips?: readonly string[]; notBefore?: Date; notAfter?: Date }): Promise<{ cert: string; key: string }>;
}

let serial = 1;

async function keys(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

export async function createTestCa(commonName = 'webhook-test-ca'): Promise<TestCa> {
  const caKeys = await keys();
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    name: `CN=${commonName}`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const certPem = ca.toString('pem');
  return {
    certPem,
    caBundle: Buffer.from(certPem).toString('base64'),
    async issue(opts) {
      const leafKeys = await keys();
      const names: x509.JsonGeneralName[] = [...(opts.dns ?? []).map((value) => ({ type: 'dns' as const, value })), ...(opts.ips ?? []).map((value) => ({ type: 'ip' as const, value }))];
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: (serial++).toString(16).padStart(2, '0'),
        subject: `CN=${opts.dns?.[0] ?? 'webhook'}`,
        issuer: ca.subject,
        notBefore: opts.notBefore ?? new Date(now - DAY),
        notAfter: opts.notAfter ?? new Date(now + 30 * DAY),
        signingAlgorithm: ALG,
        publicKey: leafKeys.publicKey,
        signingKey: caKeys.privateKey,
        extensions: [
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
        ],
      });
      const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey), 'PRIVATE KEY');
      return { cert: leaf.toString('pem'), key };
    },
  };
}
