import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type https from 'node:https';
import { clusterConfigFromText, inClusterConfig } from './cluster-config.js';
import { ConfigError } from './errors.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headland-cluster-config-'));
  await writeFile(join(dir, 'ca.crt'), 'CA-FILE');
  await writeFile(join(dir, 'token'), 'first\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const kubeconfig = (cluster: string, user: string) => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: ${cluster} }]
users: [{ name: u, user: ${user} }]
contexts: [{ name: x, context: { cluster: c, user: u } }, { name: other, context: { cluster: nope, user: u } }]
current-context: x
`;

async function applied(text: string): Promise<https.RequestOptions> {
  const opts: https.RequestOptions = {};
  await clusterConfigFromText(text, 'test', dir).applyToHTTPSOptions(opts);
  return opts;
}

test.each<[string, string, string, Partial<Record<'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'auth', unknown>>]>([
  ['a token, TLS skipped', '{ server: "http://127.0.0.1:1/", insecure-skip-tls-verify: true }', '{ token: t0k }', { rejectUnauthorized: false, auth: 'Bearer t0k' }],
  ['inline CA and client certificate', `{ server: "https://h:6443", certificate-authority-data: ${Buffer.from('CA').toString('base64')} }`, `{ client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key-data: ${Buffer.from('KEY').toString('base64')} }`, { ca: 'CA', cert: 'CERT', key: 'KEY' }],
  ['a CA file relative to the kubeconfig', '{ server: "https://h:6443", certificate-authority: ca.crt }', '{ tokenFile: token }', { ca: 'CA-FILE', auth: 'Bearer first' }],
  ['basic auth', '{ server: "https://h" }', '{ username: a, password: b }', { auth: `Basic ${Buffer.from('a:b').toString('base64')}` }],
])('%s', async (_n, cluster, user, expected) => {
  const opts = await applied(kubeconfig(cluster, user));
  if ('ca' in expected) expect(String(opts.ca)).toBe(expected.ca);
  if ('cert' in expected) expect(String(opts.cert)).toBe(expected.cert);
  if ('key' in expected) expect(String(opts.key)).toBe(expected.key);
  if ('rejectUnauthorized' in expected) expect(opts.rejectUnauthorized).toBe(expected.rejectUnauthorized);
  if ('auth' in expected) expect((opts.headers as Record<string, string>)['Authorization']).toBe(expected.auth);
});

test('the server loses its trailing slash', () => {
  expect(clusterConfigFromText(kubeconfig('{ server: "http://127.0.0.1:1/" }', '{}'), 't', dir).getCurrentCluster().server).toBe('http://127.0.0.1:1');
});

test.each([
  ['not YAML', '{{{: nope', /^kubeconfig: test cannot be read: /],
  ['no current context', 'apiVersion: v1\nkind: Config\n', /^kubeconfig: test has no current context with a cluster$/],
  ['an exec plugin', kubeconfig('{ server: "https://h" }', '{ exec: { command: aws } }'), /user u authenticates with an exec or auth-provider plugin/],
  ['a CA file that is not there', kubeconfig('{ server: "https://h", certificate-authority: /nope/ca }', '{}'), /certificate-authority \/nope\/ca cannot be read/],
])('%s is a ConfigError naming it', (_n, text, message) => {
  expect(() => clusterConfigFromText(text, 'test', dir)).toThrow(ConfigError);
  expect(() => clusterConfigFromText(text, 'test', dir)).toThrow(message);
});

test('in-cluster: the service address, the CA beside the token, and the token read again on each apply', async () => {
  const c = inClusterConfig('10.96.0.1', '443', join(dir, 'token'));
  expect(c.getCurrentCluster().server).toBe('https://10.96.0.1:443');
  const first: https.RequestOptions = {};
  await c.applyToHTTPSOptions(first);
  expect(String(first.ca)).toBe('CA-FILE');
  expect((first.headers as Record<string, string>)['Authorization']).toBe('Bearer first');
  await writeFile(join(dir, 'token'), 'rotated');
  const second: https.RequestOptions = {};
  await c.applyToHTTPSOptions(second);
  expect((second.headers as Record<string, string>)['Authorization']).toBe('Bearer rotated');
  expect(inClusterConfig('fd00::1', undefined, join(dir, 'token')).getCurrentCluster().server).toBe('https://[fd00::1]:443');
});
