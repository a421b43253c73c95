// headland-apiserver end to end: the real program, driven by the real kubectl and by a
// @kubernetes/client-node informer, including dropped watches and a server restart.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const mainJs = join(root, 'lab/dist/apiserver/main.js');
const fixtures = join(root, 'e2e/suites/fixtures/apiserver-crds');
const kubectlPath = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
const withKubectl = kubectlPath === undefined ? describe.skip : describe;
if (kubectlPath === undefined) console.warn('apiserver suite: kubectl not found, its kubectl tests are skipped');

interface Running {
  proc: ChildProcess;
  url: string;
  port: number;
  kubeconfig: string;
  logs: string[];
  stop: () => Promise<number | null>;
}

let dir = '';
const running = new Set<Running>();

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function start(extra: string[] = [], listen = '127.0.0.1:0', name = 'kubeconfig'): Promise<Running> {
  const kubeconfig = join(dir, name);
  await rm(kubeconfig, { force: true });
  // Plain HTTP and no authorization: these tests are about the REST semantics, with fetch as the client
  // (apiserver-cluster.e2e covers TLS, tokens and RBAC).
  // One identity per kubeconfig name (--cert-dir): a restarted server accepts the token its clients hold.
  const proc = spawn(process.execPath, [mainJs, '--listen', listen, '--kubeconfig-out', kubeconfig, '--plain-http', '--authorization-mode', 'AlwaysAllow', '--cert-dir', join(dir, `pki-${name}`), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  let buffered = '';
  proc.stdout?.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    logs.push(...lines);
  });
  proc.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const listening = await until('the listening log line', () => logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'listening'));
  const url = String(listening['url']);
  const r: Running = {
    proc,
    url,
    port: Number(new URL(url).port),
    kubeconfig,
    logs,
    stop: async () => {
      proc.kill('SIGTERM');
      const code = await exited;
      running.delete(r);
      return code;
    },
  };
  running.add(r);
  return r;
}

async function kubectl(s: Running, args: string[], input?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = execFile(kubectlPath ?? 'kubectl', ['--kubeconfig', s.kubeconfig, '--cache-dir', join(dir, `cache-${s.port}`), ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function api(s: Running, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(s.url + path, { method, headers: { 'content-type': contentType }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  if (!existsSync(mainJs)) {
    await new Promise<void>((ok, fail) => execFile('npx', ['tsc', '-b', 'lab'], { cwd: root }, (e) => (e ? fail(e) : ok())));
  }
  dir = await mkdtemp(join(tmpdir(), 'headland-apiserver-'));
});

afterAll(async () => {
  for (const r of [...running]) await r.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the program', () => {
  test('writes a kubeconfig only once it serves, answers /version, exits 0 on SIGTERM', async () => {
    const s = await start();
    const kc = await readFile(s.kubeconfig, 'utf8');
    expect(kc).toContain(`server: ${s.url}`);
    expect(kc).toContain('insecure-skip-tls-verify: true');
    expect(kc).toContain('token:');
    const v = await api(s, 'GET', '/version');
    expect(v.body['gitVersion']).toMatch(/^v1\.32\./);
    expect(await s.stop()).toBe(0);
  });

  test('bad flags exit non-zero with a JSON error naming the flag', async () => {
    const out = await new Promise<{ code: number | null; out: string }>((done) => {
      execFile(process.execPath, [mainJs, '--listen', 'nonsense', '--kubeconfig-out', join(dir, 'x')], (e, stdout) => done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: stdout }));
    });
    expect(out.code).toBe(2);
    expect(out.out).toContain('--listen must be HOST:PORT');
  });

  test('--crds applies the CRDs of a directory at start', async () => {
    const s = await start(['--crds', fixtures]);
    const list = await api(s, 'GET', '/apis/lab.headland.io/v1alpha1');
    expect((list.body['resources'] as { name: string }[]).map((r) => r.name)).toEqual(['widgets', 'widgets/status']);
    await s.stop();
  });
});

describe('HTTP semantics kubectl does not show', () => {
  let s: Running;
  beforeAll(async () => {
    s = await start(['--history-size', '3', '--bookmark-interval-ms', '100']);
  });
  afterAll(async () => {
    await s.stop();
  });

  test('malformed JSON is 400 naming the problem', async () => {
    const r = await api(s, 'POST', '/api/v1/namespaces/default/configmaps', '{"metadata": ');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400 });
    expect(String(r.body['message'])).toContain('not valid JSON');
  });

  test('a create in a missing namespace is 404 like the real server', async () => {
    const r = await api(s, 'POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'c' } });
    expect(r.status).toBe(404);
    expect(r.body['message']).toBe('namespaces "nope" not found');
  });

  test('a watch from a version older than the history gets an in-stream 410 ERROR', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e']) await api(s, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: n } });
    const res = await fetch(`${s.url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    const event = JSON.parse(text.trim()) as { type: string; object: Record<string, unknown> };
    expect(event.type).toBe('ERROR');
    expect(event.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  test('a watch replays from a recent version, sends bookmarks and ends at timeoutSeconds', async () => {
    const list = await api(s, 'GET', '/api/v1/namespaces/default/configmaps');
    const rv = Number((list.body['metadata'] as { resourceVersion: string }).resourceVersion);
    await api(s, 'PATCH', '/api/v1/namespaces/default/configmaps/a', { data: { x: '1' } }, 'application/merge-patch+json');
    const res = await fetch(`${s.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`);
    const events = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name?: string } } });
    expect(events[0]).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'a' } } });
    expect(events.filter((e) => e.type === 'BOOKMARK').length).toBeGreaterThan(0);
  });

  test('a label-selected watch without a version starts with ADDED for what exists', async () => {
    await api(s, 'PATCH', '/api/v1/namespaces/default/configmaps/b', { metadata: { labels: { pick: 'me' } } }, 'application/merge-patch+json');
    const res = await fetch(`${s.url}/api/v1/configmaps?watch=1&labelSelector=pick%3Dme&timeoutSeconds=1`);
    const events = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b']);
  });

  test('a bad selector is 400 naming it', async () => {
    const r = await api(s, 'GET', '/api/v1/pods?fieldSelector=spec.bogus%3Dx');
    expect(r.status).toBe(400);
    expect(r.body['message']).toBe('selectors: field label not supported: spec.bogus');
  });

  test('server-side apply is refused with 415 and a clear message', async () => {
    const r = await api(s, 'PATCH', '/api/v1/namespaces/default/configmaps/a', 'data: {}', 'application/apply-patch+yaml');
    expect(r.status).toBe(415);
    expect(String(r.body['message'])).toContain('server-side apply');
  });
});

withKubectl('kubectl', () => {
  let s: Running;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(async () => {
    await s.stop();
  });

  const svc = (targetPort: number): string => `apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: ${targetPort}}
`;

  test('apply: create, unchanged, configured (client-side three-way patch)', async () => {
    const file = join(dir, 'svc.yaml');
    await writeFile(file, svc(8080));
    expect((await kubectl(s, ['apply', '-f', file])).out).toContain('service/web created');
    expect((await kubectl(s, ['apply', '-f', file])).out).toContain('service/web unchanged');
    await writeFile(file, svc(9090));
    const changed = await kubectl(s, ['apply', '-f', file]);
    expect(changed.err).toBe('');
    expect(changed.out).toContain('service/web configured');
    const got = JSON.parse((await kubectl(s, ['get', 'svc', 'web', '-o', 'json'])).out) as { spec: { ports: { targetPort: number; protocol: string }[] }; metadata: { generation: number } };
    // The server gives a NodePort/LoadBalancer Service a node port, as the real registry does.
    expect(got.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 9090, nodePort: expect.any(Number) }]);
    expect(got.metadata.generation).toBe(2);
  });

  test('get with -l, --field-selector and -o yaml', async () => {
    // `kubectl create configmap` sends protobuf, which this server refuses (415): create from a file.
    expect((await kubectl(s, ['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n')).code).toBe(0);
    expect((await kubectl(s, ['get', 'svc,cm', '-l', 'tier in (front),app', '-o', 'name'])).out.trim()).toBe('service/web');
    // Every namespace has the cluster CA's ConfigMap, as kube-controller-manager publishes it.
    expect((await kubectl(s, ['get', 'cm', '--field-selector', 'metadata.name!=other', '-o', 'name'])).out.trim()).toBe('configmap/kube-root-ca.crt');
    expect((await kubectl(s, ['get', 'cm', '--field-selector', 'metadata.name=other', '-o', 'name'])).out.trim()).toBe('configmap/other');
    const yaml = (await kubectl(s, ['get', 'svc', 'web', '-o', 'yaml'])).out;
    expect(yaml).toMatch(/resourceVersion: "\d+"/);
    expect(yaml).toContain('uid: ');
    const bad = await kubectl(s, ['get', 'svc', '-l', 'a b']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('unable to parse requirement');
  });

  test('patch: merge, json (with test) and strategic', async () => {
    expect((await kubectl(s, ['patch', 'svc', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"m":"1"}}}'])).code).toBe(0);
    expect((await kubectl(s, ['patch', 'svc', 'web', '--type=json', '-p', '[{"op":"test","path":"/spec/type","value":"LoadBalancer"},{"op":"add","path":"/metadata/labels/j","value":"2"}]'])).code).toBe(0);
    expect((await kubectl(s, ['patch', 'svc', 'web', '--type=strategic', '-p', '{"spec":{"ports":[{"port":443,"targetPort":8443}]}}'])).code).toBe(0);
    const got = JSON.parse((await kubectl(s, ['get', 'svc', 'web', '-o', 'json'])).out) as { metadata: { labels: Record<string, string> }; spec: { ports: { port: number }[] } };
    expect(got.metadata.labels).toMatchObject({ m: '1', j: '2' });
    expect(got.spec.ports.map((p) => p.port)).toEqual([80, 443]);
    const failed = await kubectl(s, ['patch', 'svc', 'web', '--type=json', '-p', '[{"op":"test","path":"/spec/type","value":"ClusterIP"}]']);
    expect(failed.code).not.toBe(0);
    expect(failed.err).toContain('test failed');
  });

  test('status subresource: patching status changes only status', async () => {
    const r = await kubectl(s, ['patch', 'svc', 'web', '--subresource=status', '--type=merge', '-p', '{"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}},"spec":{"type":"ClusterIP"}}']);
    expect(r.code).toBe(0);
    const got = JSON.parse((await kubectl(s, ['get', 'svc', 'web', '-o', 'json'])).out) as { spec: { type: string }; status: unknown };
    expect(got.status).toEqual({ loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } });
    expect(got.spec.type).toBe('LoadBalancer');
  });

  test('replace -f with a stale resourceVersion is a conflict, with the current one it succeeds', async () => {
    const current = (await kubectl(s, ['get', 'svc', 'web', '-o', 'yaml'])).out;
    const file = join(dir, 'replace.yaml');
    await writeFile(file, current.replace('sessionAffinity: None', 'sessionAffinity: ClientIP'));
    await kubectl(s, ['label', 'svc', 'web', 'bump=1']);
    const stale = await kubectl(s, ['replace', '-f', file]);
    expect(stale.code).not.toBe(0);
    expect(stale.err).toContain('Conflict');
    expect(stale.err).toContain('the object has been modified');
    const fresh = (await kubectl(s, ['get', 'svc', 'web', '-o', 'yaml'])).out;
    await writeFile(file, fresh.replace('sessionAffinity: None', 'sessionAffinity: ClientIP'));
    expect((await kubectl(s, ['replace', '-f', file])).code).toBe(0);
  });

  test('get -w prints the changes as they happen', async () => {
    const watcher = spawn(kubectlPath ?? 'kubectl', ['--kubeconfig', s.kubeconfig, '--cache-dir', join(dir, `cache-${s.port}`), 'get', 'cm', '-w', '-o', 'name'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until('the initial list', () => (out.includes('configmap/other') ? true : undefined));
      await kubectl(s, ['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\n');
      await until('the ADDED line', () => (out.includes('configmap/watched') ? true : undefined));
    } finally {
      watcher.kill();
    }
  });

  test('delete', async () => {
    expect((await kubectl(s, ['delete', 'svc', 'web'])).out).toContain('deleted');
    const gone = await kubectl(s, ['get', 'svc', 'web']);
    expect(gone.code).not.toBe(0);
    expect(gone.err).toContain('NotFound');
  });

  test('CRD by kubectl, its resources by apply, 422 on a bad one, removed with the CRD', async () => {
    expect((await kubectl(s, ['apply', '-f', join(fixtures, 'widgets.yaml')])).code).toBe(0);
    expect((await kubectl(s, ['wait', '--for', 'condition=established', 'crd/widgets.lab.headland.io', '--timeout=10s'])).code).toBe(0);
    const good = 'apiVersion: lab.headland.io/v1alpha1\nkind: Widget\nmetadata: {name: w1}\nspec: {addresses: [198.18.0.0/24]}\n';
    const file = join(dir, 'w1.yaml');
    await writeFile(file, good);
    expect((await kubectl(s, ['apply', '-f', file])).out).toContain('widget.lab.headland.io/w1 created');
    expect((await kubectl(s, ['apply', '-f', file])).out).toContain('unchanged');
    await writeFile(file, good.replace('198.18.0.0/24]', '198.18.0.0/24], replicas: 2'));
    expect((await kubectl(s, ['apply', '-f', file])).out).toContain('configured');
    const w = JSON.parse((await kubectl(s, ['get', 'wd', 'w1', '-o', 'json'])).out) as { spec: Record<string, unknown>; metadata: { generation: number } };
    expect(w.spec).toEqual({ addresses: ['198.18.0.0/24'], mode: 'bgp', replicas: 2 });
    expect(w.metadata.generation).toBe(2);

    await writeFile(file, 'apiVersion: lab.headland.io/v1alpha1\nkind: Widget\nmetadata: {name: bad}\nspec: {addresses: [1], mode: ospf}\n');
    const bad = await kubectl(s, ['apply', '-f', file]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('spec.addresses[0]: Invalid value: 1: must be string');
    expect(bad.err).toContain('spec.mode: Unsupported value: "ospf"');

    expect((await kubectl(s, ['patch', 'wd', 'w1', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Ready"}}'])).code).toBe(0);
    expect((await kubectl(s, ['get', 'wd', 'w1', '-o', 'jsonpath={.status.phase}'])).out).toBe('Ready');

    expect((await kubectl(s, ['delete', 'crd', 'widgets.lab.headland.io'])).code).toBe(0);
    const list = await api(s, 'GET', '/apis/lab.headland.io/v1alpha1/namespaces/default/widgets');
    expect(list.status).toBe(404);
  });
});

describe('client-node informer', () => {
  test('sees add, update, delete; recovers from dropped watches and from a server restart', async () => {
    let s = await start([], '127.0.0.1:0', 'informer-kubeconfig');
    const port = s.port;
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name ?? ''}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name ?? ''} ${o.data?.['v'] ?? ''}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name ?? ''}`));
    // As DESIGN.md says: an informer stops for good on a non-410 error, so restart it.
    let stopped = false;
    informer.on('error', () => {
      if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 200);
    });
    const names = (): string[] => informer.list('default').map((o) => o.metadata?.name ?? '').sort();
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'before' } } });
      await informer.start();
      await until('the initial add', () => (seen.includes('add before') ? true : undefined));

      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'c1' }, data: { v: '1' } } });
      await core.patchNamespacedConfigMap({ namespace: 'default', name: 'c1', body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'c1' });
      await until('add, update, delete of c1', () => (seen.includes('delete c1') ? true : undefined));
      expect(seen.filter((e) => e.includes('c1'))).toEqual(['add c1', 'update c1 2', 'delete c1']);

      const dropped = await api(s, 'POST', '/_headland/drop-watches');
      expect(dropped.body['dropped']).toBeGreaterThanOrEqual(1);
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after-drop' } } });
      await until('the add after the watch was dropped', () => (seen.includes('add after-drop') ? true : undefined));

      await s.stop();
      s = await start([], `127.0.0.1:${port}`, 'informer-kubeconfig');
      await api(s, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'after-restart' } });
      await until('the relist after the restart', () => (names().join(',') === 'after-restart,kube-root-ca.crt' ? true : undefined), 20_000);
      expect(seen).toEqual(expect.arrayContaining(['delete before', 'delete after-drop', 'add after-restart']));
    } finally {
      stopped = true;
      await informer.stop();
      await s.stop();
    }
  });
});
