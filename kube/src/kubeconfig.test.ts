import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors.js';
import { loadKubeConfig } from './kubeconfig.js';

let dir = '';
const good = (server: string) => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headland-kube-kc-'));
  await writeFile(join(dir, 'a'), good('http://127.0.0.1:1111'));
  await writeFile(join(dir, 'b'), good('http://127.0.0.1:2222'));
  await writeFile(join(dir, 'no-context'), 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
  await writeFile(join(dir, 'not-yaml'), '{{{: nope');
  await writeFile(join(dir, 'token'), 'sa-token');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test.each<[string, string | undefined, Record<string, string>, string]>([
  ['the flag wins over KUBECONFIG', 'a', { KUBECONFIG: 'b' }, 'http://127.0.0.1:1111'],
  ['KUBECONFIG when there is no flag', undefined, { KUBECONFIG: 'b' }, 'http://127.0.0.1:2222'],
  ['the first existing file of a KUBECONFIG list', undefined, { KUBECONFIG: 'missing:b:a' }, 'http://127.0.0.1:2222'],
])('%s', (_what, flag, env, server) => {
  const abs = (p: string) => p.split(':').map((x) => join(dir, x)).join(':');
  const kc = loadKubeConfig(flag === undefined ? undefined : abs(flag), env['KUBECONFIG'] === undefined ? env : { ...env, KUBECONFIG: abs(env['KUBECONFIG']) }, join(dir, 'token'));
  expect(kc.getCurrentCluster()?.server).toBe(server);
});

test('in-cluster when neither is given', () => {
  // client-node reads the service address from the process environment itself.
  const saved = { host: process.env['KUBERNETES_SERVICE_HOST'], port: process.env['KUBERNETES_SERVICE_PORT'] };
  process.env['KUBERNETES_SERVICE_HOST'] = '10.96.0.1';
  process.env['KUBERNETES_SERVICE_PORT'] = '443';
  try {
    expect(loadKubeConfig(undefined, { KUBERNETES_SERVICE_HOST: '10.96.0.1' }, join(dir, 'token')).getCurrentCluster()?.server).toBe('https://10.96.0.1:443');
  } finally {
    for (const [k, v] of [['KUBERNETES_SERVICE_HOST', saved.host], ['KUBERNETES_SERVICE_PORT', saved.port]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test.each<[string, string | undefined, Record<string, string>, RegExp]>([
  ['a missing file', 'missing', {}, /^kubeconfig: --kubeconfig \/.*\/missing does not exist$/],
  ['a file that is not YAML', 'not-yaml', {}, /^kubeconfig: --kubeconfig \/.*\/not-yaml cannot be read: /],
  ['a file without a current cluster', 'no-context', {}, /^kubeconfig: --kubeconfig \/.*\/no-context has no current context with a cluster$/],
  ['an empty flag', '', {}, /^kubeconfig: --kubeconfig is empty$/],
  ['KUBECONFIG naming nothing that exists', undefined, { KUBECONFIG: '/nope/1:/nope/2' }, /^kubeconfig: none of KUBECONFIG=\/nope\/1:\/nope\/2 exists$/],
  ['nothing at all', undefined, {}, /^kubeconfig: no --kubeconfig, no KUBECONFIG, and not inside a cluster \(KUBERNETES_SERVICE_HOST unset\)$/],
])('%s is a ConfigError naming it', (_what, flag, env, message) => {
  const path = flag === undefined || flag === '' ? flag : join(dir, flag);
  expect(() => loadKubeConfig(path, env, join(dir, 'token'))).toThrow(ConfigError);
  expect(() => loadKubeConfig(path, env, join(dir, 'token'))).toThrow(message);
});

test('inside a cluster without a service account token', () => {
  expect(() => loadKubeConfig(undefined, { KUBERNETES_SERVICE_HOST: '10.96.0.1' }, join(dir, 'no-token'))).toThrow(`kubeconfig: no --kubeconfig, no KUBECONFIG, and not inside a cluster (${join(dir, 'no-token')} missing)`);
});
