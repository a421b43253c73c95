import type { PeerCertificate } from 'node:tls';
import { hostnameError, verifyServerCertificate } from './tls-verify.js';

function cert(subjectaltname: string | undefined, cn = 'webhook', validFrom = 'Jan  1 00:00:00 2020 GMT', validTo = 'Jan  1 00:00:00 2100 GMT'): PeerCertificate {
  const c: Partial<PeerCertificate> = { subject: { CN: cn } as PeerCertificate['subject'], valid_from: validFrom, valid_to: validTo };
  if (subjectaltname !== undefined) c.subjectaltname = subjectaltname;
  return c as PeerCertificate;
}

describe('host name checks (x509 VerifyHostname)', () => {
  test.each<[string, PeerCertificate, string, string | undefined]>([
    ['DNS SAN', cert('DNS:hook.ns.svc, DNS:hook'), 'hook.ns.svc', undefined],
    ['DNS SAN, any case', cert('DNS:Hook.NS.svc'), 'hook.ns.svc', undefined],
    ['wildcard', cert('DNS:*.ns.svc'), 'hook.ns.svc', undefined],
    ['wildcard covers one label only', cert('DNS:*.svc'), 'hook.ns.svc', 'x509: certificate is valid for *.svc, not hook.ns.svc'],
    ['other names', cert('DNS:a.example.com, DNS:b.example.com'), 'hook.ns.svc', 'x509: certificate is valid for a.example.com, b.example.com, not hook.ns.svc'],
    ['IP SAN', cert('IP Address:127.0.0.1'), '127.0.0.1', undefined],
    ['IPv6 SAN written long', cert('IP Address:0:0:0:0:0:0:0:1'), '::1', undefined],
    ['wrong IP', cert('DNS:x, IP Address:10.0.0.1'), '127.0.0.1', 'x509: certificate is valid for 10.0.0.1, not 127.0.0.1'],
    ['no IP SANs', cert('DNS:x'), '127.0.0.1', "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs"],
    ['only IP SANs for a name', cert('IP Address:127.0.0.1'), 'hook.ns.svc', 'x509: certificate is not valid for any names, but wanted to match hook.ns.svc'],
    ['common name only', cert(undefined, 'hook.ns.svc'), 'hook.ns.svc', 'x509: certificate relies on legacy Common Name field, use SANs instead'],
  ])('%s', (_name, c, host, expected) => {
    expect(hostnameError(c, host)).toBe(expected);
  });
});

describe('verifyServerCertificate', () => {
  const now = new Date('2030-06-01T12:00:00.000Z');
  const unknown = Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  test.each<[string, PeerCertificate, (Error & { code?: string }) | undefined, string | undefined]>([
    ['trusted and valid', cert('DNS:hook.ns.svc'), undefined, undefined],
    ['from another CA', cert('DNS:hook.ns.svc'), unknown, 'tls: failed to verify certificate: x509: certificate signed by unknown authority'],
    ['self-signed', cert('DNS:hook.ns.svc'), Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'tls: failed to verify certificate: x509: certificate signed by unknown authority'],
    ['the name is checked before the chain', cert('DNS:other'), unknown, 'tls: failed to verify certificate: x509: certificate is valid for other, not hook.ns.svc'],
    [
      'expiry is checked first',
      cert('DNS:other', 'x', 'Jan  1 00:00:00 2020 GMT', 'Jan  1 00:00:00 2021 GMT'),
      unknown,
      'tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2030-06-01T12:00:00Z is after 2021-01-01T00:00:00Z',
    ],
    [
      'not yet valid',
      cert('DNS:hook.ns.svc', 'x', 'Jan  1 00:00:00 2031 GMT', 'Jan  1 00:00:00 2032 GMT'),
      undefined,
      'tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2030-06-01T12:00:00Z is before 2031-01-01T00:00:00Z',
    ],
  ])('%s', (_name, c, authError, expected) => {
    expect(verifyServerCertificate(c, 'hook.ns.svc', authError, now)).toBe(expected);
  });
});
