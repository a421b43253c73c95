// headland-apiserver as a real cluster's API server, through real kubectl (no root needed): TLS
// and tokens, RBAC as the manifests grant it, protobuf writes, server-side Tables, Service
// allocation, and a validating webhook served by a test program.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest, createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CertificateAuthority, decodeK8sProtobuf, PROTOBUF_MEDIA_TYPE } from '@headland/lab/apiserver';
import { applyRbacManifests, KUBECTL, REPO_ROOT, serverOf, startApiServer, type RunningApiServer } from '@headland/lab/programs';

const describeKubectl = KUBECTL === undefined ? describe.skip : describe;
if (KUBECTL === undefined) console.warn('apiserver-cluster suite: kubectl not found, the suite is skipped');

const SPEAKER = 'system:serviceaccount:headland-system:headland-speaker';
const CONTROLLER = 'system:serviceaccount:headland-system:headland-controller';

let dir = '';
let api: RunningApiServer;

interface Run {
  code: number;
  out: string;
  err: string;
}

function kubectl(args: readonly string[], opts: { input?: string; kubeconfig?: string } = {}): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(KUBECTL ?? 'kubectl', ['--kubeconfig', opts.kubeconfig ?? api.kubeconfig, '--cache-dir', join(dir, 'kubectl-cache'), ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
    child.stdin?.end(opts.input ?? '');
  });
}

async function ok(args: readonly string[], opts: { input?: string; kubeconfig?: string } = {}): Promise<string> {
  const r = await kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.err}`);
  return r.out;
}

/** A raw HTTPS request trusting `ca` (or nothing): what a client other than kubectl meets. */
function raw(path: string, opts: { ca?: string; token?: string; method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; bytes: Buffer; type: string }> {
  const url = new URL(path, api.url);
  const headers = { ...opts.headers, ...(opts.token === undefined ? {} : { authorization: `Bearer ${opts.token}` }) };
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: opts.method ?? 'GET', ...(opts.ca === undefined ? {} : { ca: opts.ca }), headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, body: bytes.toString('utf8'), bytes, type: String(res.headers['content-type'] ?? '') });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headland-apiserver-cluster-'));
  api = await startApiServer(dir);
  await applyRbacManifests(api.kubeconfig);
}, 30_000);

afterAll(async () => {
  await api?.stop();
  await rm(dir, { recursive: true, force: true });
});

describeKubectl('TLS and identity', () => {
  test('the kubeconfig trusts the server CA (written beside it) and carries a token; other clients must trust it too', async () => {
    const kc = parse(await readFile(api.kubeconfig, 'utf8')) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[] };
    expect(api.url).toMatch(/^https:\/\//);
    expect(kc.clusters[0]?.cluster['certificate-authority-data']).toBeDefined();
    expect(kc.clusters[0]?.cluster['insecure-skip-tls-verify']).toBeUndefined();
    expect(kc.users[0]?.user['token']).toMatch(/.{20,}/);
    const ca = await readFile(join(dir, 'ca.crt'), 'utf8');
    expect(ca).toBe((await serverOf(api.kubeconfig)).caPem);
    expect(JSON.parse(await ok(['get', '--raw', '/version']))).toEqual(expect.objectContaining({ major: '1' }));
    // Without the CA a client cannot even connect; with it, /version is public as on a real cluster.
    await expect(raw('/version')).rejects.toThrow(/self.signed|unable to verify|unable to get local issuer/);
    expect((await raw('/version', { ca })).status).toBe(200);
  });

  test('no token is system:anonymous, refused what RBAC does not grant it; an unknown token is 401', async () => {
    const ca = (await serverOf(api.kubeconfig)).caPem;
    const anon = await raw('/api/v1/namespaces', { ca });
    expect(anon.status).toBe(403);
    expect(JSON.parse(anon.body)).toEqual(expect.objectContaining({ reason: 'Forbidden', message: 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope' }));
    const bad = await raw('/api/v1/namespaces', { ca, token: 'not-a-token' });
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.body)).toEqual(expect.objectContaining({ reason: 'Unauthorized', message: 'Unauthorized' }));
    const viaKubectl = await kubectl(['get', 'ns', '--token', 'not-a-token']);
    expect(viaKubectl.code).not.toBe(0);
    expect(viaKubectl.err).toMatch(/must be logged in|Unauthorized/);
  });

  test('ServiceAccount tokens: kubectl create token, whoami as the account, refused when its account is gone', async () => {
    await ok(['create', 'namespace', 'tokens']);
    await ok(['create', 'serviceaccount', 'robot', '-n', 'tokens']);
    const token = (await ok(['create', 'token', 'robot', '-n', 'tokens', '--duration=20m'])).trim();
    expect(token.split('.')).toHaveLength(3);
    const whoami = JSON.parse(await ok(['auth', 'whoami', '-o', 'json', '--token', token])) as { status: { userInfo: { username: string; groups: string[] } } };
    expect(whoami.status.userInfo.username).toBe('system:serviceaccount:tokens:robot');
    expect(whoami.status.userInfo.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:tokens', 'system:authenticated']);
    const refused = await kubectl(['get', 'secrets', '-n', 'tokens', '--token', token]);
    expect(refused.err).toContain('Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:tokens:robot" cannot list resource "secrets" in API group "" in the namespace "tokens"');
    const tooShort = await kubectl(['create', 'token', 'robot', '-n', 'tokens', '--duration=5m']);
    expect(tooShort.err).toContain('may not specify a duration less than 10 minutes');
    await ok(['delete', 'serviceaccount', 'robot', '-n', 'tokens']);
    const gone = await kubectl(['get', 'pods', '-n', 'tokens', '--token', token]);
    expect(gone.err).toMatch(/must be logged in|Unauthorized/);
  });

  test('impersonation needs the impersonate verb; the admin may, a ServiceAccount may not', async () => {
    expect(JSON.parse(await ok(['auth', 'whoami', '-o', 'json', '--as', SPEAKER])).status.userInfo.username).toBe(SPEAKER);
    await ok(['create', 'serviceaccount', 'plain', '-n', 'default']);
    const token = (await ok(['create', 'token', 'plain', '-n', 'default'])).trim();
    const r = await kubectl(['get', 'ns', '--token', token, '--as', 'someone']);
    expect(r.err).toContain('users "someone" is forbidden: User "system:serviceaccount:default:plain" cannot impersonate resource "users" in API group "" at the cluster scope');
  });
});

describeKubectl('RBAC as manifests/rbac grants it', () => {
  test.each([
    [SPEAKER, 'patch', 'servicebgpstatuses.headland.io --subresource status', 'headland-system', 'yes'],
    [SPEAKER, 'create', 'servicebgpstatuses.headland.io', 'headland-system', 'yes'],
    [SPEAKER, 'list', 'endpointslices.discovery.k8s.io', 'shop', 'yes'],
    [SPEAKER, 'get', 'secrets', 'headland-system', 'yes'],
    [SPEAKER, 'get', 'secrets', 'default', 'no'],
    [SPEAKER, 'update', 'services', 'shop', 'no'],
    [SPEAKER, 'patch', 'services --subresource status', 'shop', 'no'],
    [SPEAKER, 'create', 'events', 'shop', 'yes'],
    [CONTROLLER, 'patch', 'services --subresource status', 'shop', 'yes'],
    [CONTROLLER, 'update', 'leases.coordination.k8s.io', 'headland-system', 'yes'],
    [CONTROLLER, 'update', 'leases.coordination.k8s.io', 'default', 'no'],
    [CONTROLLER, 'get', 'secrets', 'headland-system', 'no'],
    [CONTROLLER, 'patch', 'ipaddresspools.headland.io --subresource status', 'headland-system', 'yes'],
    // TYPE/NAME: the pool named "status", not the subresource; the controller may not patch pools.
    [CONTROLLER, 'patch', 'ipaddresspools.headland.io/status', 'headland-system', 'no'],
    [CONTROLLER, 'delete', 'services', 'shop', 'no'],
  ])('kubectl auth can-i --as %s %s %s -n %s: %s', async (user, verb, resource, ns, answer) => {
    const r = await kubectl(['auth', 'can-i', verb, ...resource.split(' '), '-n', ns, '--as', user]);
    expect(r.out.trim()).toBe(answer);
    expect(r.code).toBe(answer === 'yes' ? 0 : 1);
  });

  test('kubectl auth can-i --list tells what the speaker may do in headland-system', async () => {
    const out = await ok(['auth', 'can-i', '--list', '-n', 'headland-system', '--as', SPEAKER]);
    expect(out.split('\n')[0]).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
    expect(out).toMatch(/servicebgpstatuses\.headland\.io\s+\[\]\s+\[\]\s+\[.*create.*\]/);
    expect(out).toMatch(/secrets\s+\[\]\s+\[\]\s+\[get list watch\]/);
    expect(out).toMatch(/selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
  });

  test('a refused request gets the real 403 text', async () => {
    await ok(['create', 'namespace', 'shop']);
    await ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '-n', 'shop']);
    // kubectl patch reads the object first, so its refusal names get.
    const r = await kubectl(['patch', 'service', 'web', '-n', 'shop', '--subresource', 'status', '--type', 'merge', '-p', '{"status":{}}', '--as', SPEAKER]);
    expect(r.err).toContain(`Error from server (Forbidden): services "web" is forbidden: User "${SPEAKER}" cannot get resource "services/status" in API group "" in the namespace "shop"`);
    // The PATCH itself, as the speaker's own client would send it.
    const { caPem } = await serverOf(api.kubeconfig);
    const admin = (parse(await readFile(api.kubeconfig, 'utf8')) as { users: { user: { token: string } }[] }).users[0]?.user.token ?? '';
    const patch = await raw('/api/v1/namespaces/shop/services/web/status', { ca: caPem, token: admin, method: 'PATCH', body: '{"status":{}}', headers: { 'content-type': 'application/merge-patch+json', 'impersonate-user': SPEAKER } });
    expect(patch.status).toBe(403);
    expect(JSON.parse(patch.body)).toEqual(expect.objectContaining({ code: 403, reason: 'Forbidden', details: { name: 'web', kind: 'services' }, message: `services "web" is forbidden: User "${SPEAKER}" cannot patch resource "services/status" in API group "" in the namespace "shop"` }));
  });
});

describeKubectl('kubectl as on a real cluster', () => {
  test('kubectl create namespace, secret, configmap, service, deployment (protobuf bodies) all work', async () => {
    await ok(['create', 'namespace', 'demo']);
    expect(await ok(['create', 'secret', 'generic', 'key', '--from-literal=secretkey=abc', '-n', 'demo'])).toContain('secret/key created');
    expect(await ok(['create', 'configmap', 'cfg', '--from-literal=a=b', '-n', 'demo'])).toContain('configmap/cfg created');
    expect(await ok(['create', 'service', 'loadbalancer', 'web', '--tcp=80:8080', '-n', 'demo'])).toContain('service/web created');
    expect(await ok(['create', 'deployment', 'd', '--image=registry.invalid/echo:1', '--port=8080', '-n', 'demo'])).toContain('deployment.apps/d created');
    const secret = JSON.parse(await ok(['get', 'secret', 'key', '-n', 'demo', '-o', 'json'])) as { data: Record<string, string>; type: string };
    expect(secret).toEqual(expect.objectContaining({ type: 'Opaque', data: { secretkey: Buffer.from('abc').toString('base64') } }));
    const deployment = JSON.parse(await ok(['get', 'deployment', 'd', '-n', 'demo', '-o', 'json'])) as { spec: { template: { spec: { containers: { image: string; ports: { containerPort: number }[] }[] } } } };
    expect(deployment.spec.template.spec.containers[0]).toEqual(expect.objectContaining({ image: 'registry.invalid/echo:1', ports: [expect.objectContaining({ containerPort: 8080 })] }));
    expect(await ok(['expose', 'deployment', 'd', '--name', 'd-lb', '--port=80', '--target-port=8080', '--type=LoadBalancer', '-n', 'demo'])).toContain('service/d-lb exposed');
    const exposed = JSON.parse(await ok(['get', 'svc', 'd-lb', '-n', 'demo', '-o', 'json'])) as { spec: { selector: Record<string, string>; ports: { port: number; targetPort: number; nodePort: number }[] } };
    expect(exposed.spec.selector).toEqual({ app: 'd' });
    expect(exposed.spec.ports[0]).toEqual(expect.objectContaining({ port: 80, targetPort: 8080, nodePort: expect.any(Number) }));
  });

  test('a client that takes only protobuf gets protobuf for built-in kinds, and 406 for a custom resource', async () => {
    const { caPem } = await serverOf(api.kubeconfig);
    const admin = (parse(await readFile(api.kubeconfig, 'utf8')) as { users: { user: { token: string } }[] }).users[0]?.user.token ?? '';
    const ns = await raw('/api/v1/namespaces/default', { ca: caPem, token: admin, headers: { accept: PROTOBUF_MEDIA_TYPE } });
    expect([ns.status, ns.type]).toEqual([200, PROTOBUF_MEDIA_TYPE]);
    expect(decodeK8sProtobuf(ns.bytes).object).toEqual(expect.objectContaining({ kind: 'Namespace', metadata: expect.objectContaining({ name: 'default' }) }));
    const json = await raw('/api/v1/namespaces/default', { ca: caPem, token: admin, headers: { accept: `${PROTOBUF_MEDIA_TYPE}, application/json` } });
    expect(json.type).toBe('application/json');
    await ok(['apply', '-f', join(REPO_ROOT, 'manifests/examples/demo.yaml')]);
    const pool = await raw('/apis/headland.io/v1beta1/namespaces/headland-system/ipaddresspools', { ca: caPem, token: admin, headers: { accept: PROTOBUF_MEDIA_TYPE } });
    expect(pool.status).toBe(406);
  });

  test('kubectl get svc shows TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S); EXTERNAL-IP follows status', async () => {
    await ok(['create', 'namespace', 'tables']);
    await ok(['create', 'service', 'loadbalancer', 'lb', '--tcp=80:8080', '-n', 'tables']);
    const before = (await ok(['get', 'svc', '-n', 'tables'])).trim().split('\n');
    expect(before[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
    expect(before[1]).toMatch(/^lb\s+LoadBalancer\s+198\.19\.1(2[89]|3\d|4[0-3])\.\d+\s+<pending>\s+80:3\d{4}\/TCP\s+\d+s$/);
    await ok(['patch', 'svc', 'lb', '-n', 'tables', '--subresource', 'status', '--type', 'merge', '-p', '{"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.77"}]}}}']);
    expect((await ok(['get', 'svc', 'lb', '-n', 'tables', '--no-headers'])).split(/\s+/)[3]).toBe('203.0.113.77');
    const wide = (await ok(['get', 'svc', 'lb', '-n', 'tables', '-o', 'wide'])).split('\n')[0];
    expect(wide).toMatch(/SELECTOR$/);
    await ok(['apply', '-f', join(REPO_ROOT, 'manifests/examples/demo.yaml')]);
    const pools = (await ok(['get', 'ipaddresspools', '-n', 'headland-system'])).split('\n')[0] ?? '';
    expect(pools).toMatch(/^NAME\s+/);
    expect(pools).not.toMatch(/^NAME\s+AGE$/);
  });

  test('Service allocation: cluster IPs and node ports as the real registry gives them, refused twice with its text, freed on delete', async () => {
    await ok(['create', 'namespace', 'alloc']);
    const svc = (name: string, extra: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: alloc}\nspec: {type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: x}, ports: [{name: http, port: 80, targetPort: 8080${extra}}]}\n`;
    await ok(['apply', '-f', '-'], { input: svc('a', ', nodePort: 31080') });
    const a = JSON.parse(await ok(['get', 'svc', 'a', '-n', 'alloc', '-o', 'json'])) as { spec: Record<string, unknown> & { ports: { nodePort: number }[] } };
    expect(a.spec['clusterIP']).toMatch(/^198\.19\./);
    expect(a.spec['clusterIPs']).toEqual([a.spec['clusterIP']]);
    expect(a.spec['ipFamilies']).toEqual(['IPv4']);
    expect(a.spec['ipFamilyPolicy']).toBe('SingleStack');
    expect(a.spec.ports[0]?.nodePort).toBe(31080);
    expect(a.spec['healthCheckNodePort']).toEqual(expect.any(Number));
    const dup = await kubectl(['apply', '-f', '-'], { input: svc('b', ', nodePort: 31080') });
    expect(dup.err).toContain('The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 31080: provided port is already allocated');
    const ipTaken = await kubectl(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Service\nmetadata: {name: c, namespace: alloc}\nspec: {clusterIP: ${String(a.spec['clusterIP'])}, ports: [{port: 80}]}\n` });
    expect(ipTaken.err).toContain(`failed to allocate IP ${String(a.spec['clusterIP'])}: provided IP is already allocated`);
    await ok(['delete', 'svc', 'a', '-n', 'alloc']);
    await ok(['apply', '-f', '-'], { input: svc('b', ', nodePort: 31080') });
    expect(JSON.parse(await ok(['get', 'svc', 'b', '-n', 'alloc', '-o', 'json'])).spec.ports[0].nodePort).toBe(31080);
  });
});

describeKubectl('admission webhooks', () => {
  let webhook: Server;
  const calls: { operation: string; name: string; user: string }[] = [];

  beforeAll(async () => {
    // The test program: a validating webhook over HTTPS with a certificate for its Service's name.
    const ca = await CertificateAuthority.create();
    const serving = await ca.issueForService('guard', 'hooks');
    webhook = createHttpsServer({ cert: serving.cert, key: serving.key }, (req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const review = JSON.parse(body) as { request: { uid: string; operation: string; name: string; object: { metadata: { labels?: Record<string, string> } }; userInfo: { username: string } } };
        calls.push({ operation: review.request.operation, name: review.request.name, user: review.request.userInfo.username });
        const denied = review.request.object.metadata.labels?.['deny'] === 'yes';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: !denied, ...(denied ? { status: { code: 403, message: 'configmaps labelled deny=yes are refused by the guard' } } : {}) } }));
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
    const port = (webhook.address() as AddressInfo).port;
    await ok(['create', 'namespace', 'hooks']);
    await ok(['apply', '-f', '-'], {
      input: [
        'apiVersion: v1\nkind: Service\nmetadata: {name: guard, namespace: hooks}\nspec: {ports: [{name: https, port: 443, targetPort: ' + port + '}]}',
        'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: guard-1, namespace: hooks, labels: {kubernetes.io/service-name: guard}}\naddressType: IPv4\nports: [{name: https, port: ' + port + '}]\nendpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]',
        `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: guard}\nwebhooks:\n- name: guard.hooks.svc\n  admissionReviewVersions: [v1]\n  sideEffects: None\n  timeoutSeconds: 5\n  clientConfig:\n    caBundle: ${Buffer.from(ca.certPem).toString('base64')}\n    service: {namespace: hooks, name: guard, path: /validate, port: 443}\n  namespaceSelector: {matchLabels: {guarded: "yes"}}\n  rules: [{operations: [CREATE, UPDATE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]`,
      ].join('\n---\n'),
    });
    await ok(['create', 'namespace', 'guarded']);
    await ok(['label', 'namespace', 'guarded', 'guarded=yes']);
  }, 30_000);

  afterAll(async () => {
    await new Promise<void>((r) => webhook.close(() => r()));
  });

  test('the webhook denies an object and kubectl prints its message; allowed ones are created; other namespaces are not sent', async () => {
    const denied = await kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad, namespace: guarded, labels: {deny: "yes"}}\n' });
    expect(denied.code).not.toBe(0);
    expect(denied.err).toContain('admission webhook "guard.hooks.svc" denied the request: configmaps labelled deny=yes are refused by the guard');
    expect((await kubectl(['get', 'cm', 'bad', '-n', 'guarded'])).code).not.toBe(0);
    expect(await ok(['create', 'configmap', 'good', '--from-literal=a=b', '-n', 'guarded'])).toContain('configmap/good created');
    expect(calls).toEqual(expect.arrayContaining([{ operation: 'CREATE', name: 'bad', user: 'headland-admin' }, { operation: 'CREATE', name: 'good', user: 'headland-admin' }]));
    const before = calls.length;
    await ok(['create', 'configmap', 'elsewhere', '--from-literal=a=b', '-n', 'default']);
    expect(calls.length).toBe(before);
  });

  test('with failurePolicy Fail, a webhook that cannot be reached refuses the write with the real text', async () => {
    await new Promise<void>((r) => webhook.close(() => r()));
    const r = await kubectl(['create', 'configmap', 'unreached', '--from-literal=a=b', '-n', 'guarded']);
    expect(r.err).toContain('Internal error occurred: failed calling webhook "guard.hooks.svc": failed to call webhook: Post "https://guard.hooks.svc:443/validate?timeout=5s"');
    webhook.listen(0, '127.0.0.1');
  });
});
