import { X509Certificate } from 'node:crypto';
import { createServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { apiServerHosts, CA_COMMON_NAME, CertificateAuthority, parseHosts, PkiError, serviceHost } from './pki.js';

let ca: CertificateAuthority;
let otherCa: CertificateAuthority;
let server: Server;
let port: number;
let serving: { cert: string; key: string };

beforeAll(async () => {
  ca = await CertificateAuthority.create();
  otherCa = await CertificateAuthority.create();
  serving = await ca.issueServing(apiServerHosts('127.0.0.1'));
  server = createServer({ cert: serving.cert, key: serving.key }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** 'ok' when the HTTPS request went through with verification on, else the TLS error code. */
function fetchOver(trust: string, servername: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/', ca: trust, agent: false, ...(servername === undefined ? {} : { servername }) }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body === 'ok' ? 'ok' : `body ${body}`));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

test.each([
  ['the IP address it listens on, with its CA', 'ca', undefined, 'ok'],
  ['localhost, with its CA', 'ca', 'localhost', 'ok'],
  ['kubernetes.default.svc, with its CA', 'ca', 'kubernetes.default.svc', 'ok'],
  ['a CA that did not sign it is refused', 'other', undefined, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  ['a host the certificate does not name is refused', 'ca', 'elsewhere.example', 'ERR_TLS_CERT_ALTNAME_INVALID'],
])('Node tls: %s', async (_name, which, servername, expected) => {
  expect(await fetchOver(which === 'ca' ? ca.certPem : otherCa.certPem, servername)).toBe(expected);
});

test('the CA certificate reads as a self-signed P-256 CA named headland-apiserver-ca', () => {
  const cert = new X509Certificate(ca.certPem);
  expect(cert.subject).toBe(`CN=${CA_COMMON_NAME}`);
  expect(cert.issuer).toBe(cert.subject);
  expect(cert.ca).toBe(true);
  expect(cert.verify(cert.publicKey)).toBe(true);
  expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
});

test('the serving certificate is signed by the CA, for server auth, naming every host', () => {
  const cert = new X509Certificate(serving.cert);
  const caCert = new X509Certificate(ca.certPem);
  expect(cert.ca).toBe(false);
  expect(cert.checkIssued(caCert)).toBe(true);
  expect(cert.verify(caCert.publicKey)).toBe(true);
  expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  expect(new Date(cert.validFrom).getTime()).toBeLessThan(Date.now());
  expect(serving.key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
});

test.each([
  ['localhost', 'dns'],
  ['kubernetes', 'dns'],
  ['kubernetes.default', 'dns'],
  ['kubernetes.default.svc', 'dns'],
  ['kubernetes.default.svc.cluster.local', 'dns'],
  ['127.0.0.1', 'ip'],
  ['::1', 'ip'],
])('the serving certificate names %s', (host, kind) => {
  const cert = new X509Certificate(serving.cert);
  if (kind === 'ip') expect(cert.checkIP(host)).toBe(host);
  else expect(cert.checkHost(host)).toBe(host);
});

test('a certificate for a webhook Service names NAME.NS.svc and is accepted for that host', async () => {
  const pair = await ca.issueForService('guard', 'webhooks');
  const cert = new X509Certificate(pair.cert);
  expect(cert.checkHost('guard.webhooks.svc')).toBe('guard.webhooks.svc');
  expect(cert.checkHost('guard.other.svc')).toBeUndefined();
  expect(cert.subject).toBe('CN=guard.webhooks.svc');
  expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
});

test.each([
  ['names and addresses', ['localhost', '10.0.0.1', 'fd00::1', 'a.b.svc'], { dns: ['localhost', 'a.b.svc'], ips: ['10.0.0.1', 'fd00::1'] }],
  ['bracketed IPv6', ['[::1]'], { dns: [], ips: ['::1'] }],
  ['duplicates and case', ['Localhost', 'localhost', '::1', '::1'], { dns: ['localhost'], ips: ['::1'] }],
])('parseHosts: %s', (_name, hosts, expected) => {
  expect(parseHosts(hosts)).toEqual(expected);
});

test.each([
  ['nothing', [], 'pki: a serving certificate needs at least one host name or IP address'],
  ['a URL', ['https://x'], 'pki: "https://x" is neither an IP address nor a DNS name'],
  ['a label ending in a dash', ['a-.svc'], 'pki: "a-.svc" is neither an IP address nor a DNS name'],
  ['a host with a port', ['127.0.0.1:6443'], 'pki: "127.0.0.1:6443" is neither an IP address nor a DNS name'],
])('parseHosts refuses %s', (_name, hosts, message) => {
  expect(() => parseHosts(hosts)).toThrow(PkiError);
  expect(() => parseHosts(hosts)).toThrow(message);
});

test.each([
  ['a wildcard IPv4 listen address is left out', '0.0.0.0', false],
  ['a wildcard IPv6 listen address is left out', '::', false],
  ['a concrete address is named', '192.0.2.7', true],
  ['a bracketed IPv6 address is named bare', '[2001:db8::7]', true],
])('apiServerHosts: %s', (_name, listen, named) => {
  const hosts = apiServerHosts(listen);
  expect(hosts.includes(listen.replace(/^\[(.*)\]$/, '$1'))).toBe(named);
  expect(hosts).toContain('kubernetes.default.svc');
});

test('serviceHost is NAME.NS.svc', () => {
  expect(serviceHost('web', 'prod')).toBe('web.prod.svc');
});

test('a non-positive validity is refused', async () => {
  await expect(ca.issueServing(['localhost'], { validDays: 0 })).rejects.toThrow('pki: validDays must be positive, got 0');
});
