import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { authenticate, type AuthenticatorConfig } from './authenticate.js';
import { httpsServerUrl, KubeconfigError, tlsKubeconfigYaml, writeServiceAccountKubeconfig, writeTlsKubeconfig } from './kubeconfig.js';
import { apiServerHosts, CertificateAuthority } from './pki.js';
import { ADMIN_USER, newToken, StaticTokens } from './static-tokens.js';
import { ServiceAccountTokens } from './tokens.js';

let dir: string;
let ca: CertificateAuthority;
let server: Server;
let url: string;
let adminToken: string;
let saToken: string;
let lastUser = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headland-auth-'));
  ca = await CertificateAuthority.create();
  const serving = await ca.issueServing(apiServerHosts('127.0.0.1'));
  adminToken = newToken();
  const serviceAccounts = await ServiceAccountTokens.create();
  saToken = (await serviceAccounts.issue({ namespace: 'lab', name: 'robot', uid: 'sa-1' })).token;
  const config: AuthenticatorConfig = {
    staticTokens: new StaticTokens([[adminToken, ADMIN_USER]]),
    serviceAccounts,
    lookup: (kind, ns, name) => (kind === 'ServiceAccount' && ns === 'lab' && name === 'robot' ? { uid: 'sa-1' } : undefined),
    anonymous: false,
  };
  // A stand-in API server: /version for authenticated users only, the real 401 otherwise.
  server = createServer({ cert: serving.cert, key: serving.key }, (req, res) => {
    void authenticate(req.headers, config).then((result) => {
      if (result.kind !== 'authenticated' || new URL(req.url ?? '/', 'https://x').pathname !== '/version') {
        const status = result.kind === 'unauthorized' ? result.status : { kind: 'Status', code: 404 };
        res.writeHead(status.code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status));
        return;
      }
      lastUser = result.user.name;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = httpsServerUrl('127.0.0.1', (server.address() as AddressInfo).port);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function kubectl(kubeconfig: string, args = ['version', '-o', 'json']): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', kubeconfig, ...args, '--request-timeout', '10s'], { env: { ...process.env, HOME: dir }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

test.each([
  ['the admin token', 'admin', 'headland-admin'],
  ['a ServiceAccount token', 'serviceaccount', 'system:serviceaccount:lab:robot'],
])('kubectl reaches the TLS server with %s', async (_name, which, user) => {
  const file = join(dir, `${which}.kubeconfig`);
  if (which === 'admin') await writeTlsKubeconfig(file, { server: url, caPem: ca.certPem, token: adminToken, userName: 'headland-admin' });
  else await writeServiceAccountKubeconfig(file, { server: url, caPem: ca.certPem, namespace: 'lab', name: 'robot', token: saToken });
  const out = await kubectl(file);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  expect((JSON.parse(out.stdout) as { serverVersion: unknown }).serverVersion).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0' });
  expect(lastUser).toBe(user);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
});

// kubectl words a 401 on discovery and `version` generically, and quotes the Status message of a raw GET.
const GENERIC_401 = 'error: You must be logged in to the server (the server has asked for the client to provide credentials)';
const STATUS_401 = 'error: You must be logged in to the server (Unauthorized)';
const wrongToken = (): string => newToken();
// A character well inside the signature: the last one carries padding bits a change may not touch.
const alteredSaToken = (): string => {
  const i = saToken.length - 10;
  return `${saToken.slice(0, i)}${saToken[i] === 'A' ? 'B' : 'A'}${saToken.slice(i + 1)}`;
};

test.each([
  ['version, a wrong token', wrongToken, ['version', '-o', 'json'], GENERIC_401],
  ['version, a ServiceAccount token with its signature changed', alteredSaToken, ['version', '-o', 'json'], GENERIC_401],
  ['get --raw /version, a wrong token (the Status message shows)', wrongToken, ['get', '--raw', '/version'], STATUS_401],
  ['get --raw /version, an altered ServiceAccount token', alteredSaToken, ['get', '--raw', '/version'], STATUS_401],
])('kubectl reports Unauthorized: %s', async (_name, token, args, message) => {
  const file = join(dir, 'wrong.kubeconfig');
  await writeTlsKubeconfig(file, { server: url, caPem: ca.certPem, token: token() });
  const out = await kubectl(file, args);
  expect(out.code).not.toBe(0);
  expect(out.stderr.trim().split('\n').pop()).toBe(message);
});

test('kubectl refuses the server when the kubeconfig trusts another CA', async () => {
  const other = await CertificateAuthority.create();
  const file = join(dir, 'other-ca.kubeconfig');
  await writeTlsKubeconfig(file, { server: url, caPem: other.certPem, token: adminToken });
  const out = await kubectl(file);
  expect(out.code).not.toBe(0);
  expect(out.stderr).toContain('x509: certificate signed by unknown authority');
});

test('a ServiceAccount kubeconfig names the user and defaults to its namespace', async () => {
  const file = join(dir, 'sa-shape.kubeconfig');
  await writeServiceAccountKubeconfig(file, { server: url, caPem: ca.certPem, namespace: 'lab', name: 'robot', token: 't0k3n' });
  const doc = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  expect(doc).toMatchObject({
    'current-context': 'system:serviceaccount:lab:robot@headland',
    contexts: [{ context: { cluster: 'headland', user: 'system:serviceaccount:lab:robot', namespace: 'lab' } }],
    users: [{ name: 'system:serviceaccount:lab:robot', user: { token: 't0k3n' } }],
    clusters: [{ name: 'headland', cluster: { server: url, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
  });
});

test.each([
  ['an IPv4 address', '127.0.0.1', 6443, 'https://127.0.0.1:6443'],
  ['an IPv6 address, bracketed', '::1', 6443, 'https://[::1]:6443'],
  ['a host name', 'localhost', 443, 'https://localhost:443'],
])('httpsServerUrl: %s', (_name, host, port, expected) => {
  expect(httpsServerUrl(host, port)).toBe(expected);
});

test.each([
  ['a plain-http server', { server: 'http://127.0.0.1:1' }, 'kubeconfig: server "http://127.0.0.1:1" is not an https:// URL'],
  ['a CA that is not PEM', { caPem: 'nope' }, 'kubeconfig: the CA is not a PEM certificate'],
  ['an empty token', { token: '' }, 'kubeconfig: the token is empty or contains white space'],
])('tlsKubeconfigYaml refuses %s', (_name, over, message) => {
  const base = { server: 'https://127.0.0.1:1', caPem: ca.certPem, token: 't' };
  expect(() => tlsKubeconfigYaml({ ...base, ...over })).toThrow(KubeconfigError);
  expect(() => tlsKubeconfigYaml({ ...base, ...over })).toThrow(message);
});

test('httpsServerUrl refuses a port out of range', () => {
  expect(() => httpsServerUrl('127.0.0.1', 70000)).toThrow('kubeconfig: port 70000 is not a TCP port');
});
