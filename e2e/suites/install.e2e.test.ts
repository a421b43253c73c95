// The README's "Installing on a real cluster", executed in the lab. NEEDS ROOT, podman, runc and
// kubectl (buildah too when the image is not built yet); skipped with a message otherwise.
// A copy of the speaker-bgp lab (FRR ToR doing weighted ECMP, three k8s-nodes with echo pods, a
// client) with headland-apiserver (TLS, RBAC) on the mgmt bridge, the kube-proxy stand-in, and a
// kubelet stand-in per node that runs the Pods of Deployments and DaemonSets with podman in the
// node's network namespace. Then, as a user: `kubectl apply -k` of an overlay on manifests/ that
// points the image at localhost/headland:VERSION, the memberlist Secret, the BGP configuration.
// Everything Headland runs here runs from the image, as the manifests say, with projected tokens.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { figure, kubelet, lab } from '@headland/lab';
import { distPath, forbiddenLines, kubectl, KUBECTL, REPO_ROOT, startProgram, type Program } from '@headland/lab/programs';
import { SpeakerLab, type Json } from '@headland/lab/speaker-lab';

const { waitFor, nodeFib, findRoute, waitEstablished } = lab;
const run = promisify(execFile);

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const IMAGE = `localhost/headland:${VERSION}`;
const NS = 'headland-system';
const LAB = 'install';
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const NODE_IPS: Record<string, string> = { node1: '198.18.0.11', node2: '198.18.0.12', node3: '198.18.0.13' };
const NODES = Object.keys(NODE_IPS);
/** The topology's pod subnets: the kubelet stand-ins give Pods without hostNetwork (the controller's) addresses from them. */
const POD_CIDRS: Record<string, string> = { node1: '198.18.101.0/24', node2: '198.18.102.0/24', node3: '198.18.103.0/24' };
const PODS = {
  'node1-pod-a': { target: 'node1/pod-a', node: 'node1', ips: ['198.18.101.2'] },
  'node2-pod-a': { target: 'node2/pod-a', node: 'node2', ips: ['198.18.102.2'] },
  'node2-pod-b': { target: 'node2/pod-b', node: 'node2', ips: ['198.18.102.3'] },
  'node2-pod-c': { target: 'node2/pod-c', node: 'node2', ips: ['198.18.102.4'] },
  'node3-pod-a': { target: 'node3/pod-a', node: 'node3', ips: ['198.18.103.2'] },
} as const;

// The pool, the ToR as a BGP peer and the advertisement (the README's my-pools.yaml).
const CONFIG = readFileSync(new URL('../../lab/topologies/speaker-bgp/headland.yaml', import.meta.url), 'utf8');

const has = (cmd: string) => ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/bin', '/sbin'].some((d) => existsSync(join(d, cmd)));
/**
 * Why the image in podman's storage is not this checkout's (then the suite builds it), or
 * undefined when it is: built from HEAD (its revision label) with a clean tree. A machine that
 * ran the suite for another commit must not test that commit's image.
 */
function imageStale(): string | undefined {
  if (!imageExists()) return 'it is not built';
  try {
    const revision = execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'image', 'inspect', IMAGE, '--format', '{{index .Labels "org.opencontainers.image.revision"}}'], { encoding: 'utf8' }).trim();
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    if (revision !== head) return `it was built from ${revision.slice(0, 12) || 'an unknown commit'}, not HEAD ${head.slice(0, 12)}`;
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'api', 'kube', 'bgp', 'native', 'controller', 'speaker', 'cli', 'scripts/image'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return dirty === '' ? undefined : 'the runtime packages have uncommitted changes';
  } catch (err) {
    return `its revision cannot be compared (${(err as Error).message.split('\n')[0]})`;
  }
}

function imageExists(): boolean {
  try {
    execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'image', 'exists', IMAGE]);
    return true;
  } catch {
    return false;
  }
}
const why = process.getuid?.() !== 0 ? 'it needs root (network namespaces, rootful podman)'
  : KUBECTL === undefined ? 'kubectl is not installed'
    : !has('podman') ? 'podman is not installed'
      : !has('runc') ? 'runc is not installed'
        : !imageExists() && !has('buildah') ? `${IMAGE} is not built and buildah is not installed (bash scripts/setup.sh)`
          : undefined;
const describeIf = why === undefined ? describe : describe.skip;
if (why !== undefined) console.warn(`install.e2e: skipped, ${why}`);

const ready = (p: Json): boolean => p['status']?.['conditions']?.some((c: Json) => c['type'] === 'Ready' && c['status'] === 'True') === true && p['metadata']?.['deletionTimestamp'] === undefined;
const containerId = (p: Json): string => String(p['status']?.['containerStatuses']?.[0]?.['containerID'] ?? '').replace('podman://', '');
const component = (p: Json): string => String(p['metadata']?.['labels']?.['app.kubernetes.io/component'] ?? '');

describeIf('installing Headland from the manifests with kubectl (root, podman, runc)', () => {
  let dir = '';
  let logDir = '';
  let bench!: SpeakerLab;
  const kubelets = new Map<string, Program>();
  const k = (args: readonly string[], stdin?: string) => kubectl(bench.kubeconfig, args, stdin);
  const getJson = (args: readonly string[]) => bench.getJson(args);
  const headlandPods = async (which?: 'controller' | 'speaker'): Promise<Json[]> =>
    ((await getJson(['pods', '-n', NS, ...(which === undefined ? [] : ['-l', `app.kubernetes.io/component=${which}`])]))['items'] as Json[]);
  const leaseHolder = async (): Promise<string> => String((await getJson(['lease', '-n', NS, 'headland-controller']))['spec']?.['holderIdentity'] ?? '');
  let installStarted = 0;
  /** The outputs of the README's `kubectl rollout status` of the Deployment and (started after the configuration) the DaemonSet. */
  let rolloutStatus: Promise<string[]> = Promise.resolve([]);

  /** The ToR's kernel route to ip: gateway -> weight; {} when there is none. */
  async function torNexthops(ip: string): Promise<Record<string, number>> {
    const route = findRoute(await nodeFib(LAB, 'tor', 4), `${ip}/32`);
    const out: Record<string, number> = {};
    for (const hop of route?.paths[0]?.nexthops ?? []) if (hop.via !== undefined) out[hop.via] = hop.weight ?? 1;
    return out;
  }
  const sameKeys = (hops: Record<string, number>, nodes: readonly string[]): boolean =>
    JSON.stringify(Object.keys(hops).sort()) === JSON.stringify(nodes.map((n) => NODE_IPS[n]).sort());
  const waitNexthops = (ip: string, accept: (hops: Record<string, number>) => boolean, what: string) =>
    waitFor(() => torNexthops(ip), accept, { timeoutMs: 20_000, intervalMs: 100, what: `${what} (ToR route to ${ip})` });

  /** Every line of every Headland container's log files (DIR/NS_POD_UID/CONTAINER/RESTARTS.log, podman's k8s-file format), message only. */
  function containerLogs(): { file: string; lines: string[] }[] {
    if (logDir === '' || !existsSync(logDir)) return [];
    const out: { file: string; lines: string[] }[] = [];
    for (const pod of readdirSync(logDir).filter((d) => d.startsWith(`${NS}_`))) {
      for (const container of readdirSync(join(logDir, pod))) {
        for (const f of readdirSync(join(logDir, pod, container))) {
          const file = join(pod, container, f);
          const lines = readFileSync(join(logDir, file), 'utf8').split('\n').filter((l) => l !== '')
            .map((l) => /^\S+ (?:stdout|stderr) [FP] (.*)$/.exec(l)?.[1] ?? l);
          out.push({ file, lines });
        }
      }
    }
    return out;
  }
  const logOf = (pod: Json, restarts = 0): string[] =>
    containerLogs().find((x) => x.file === join(`${NS}_${pod['metadata']['name']}_${pod['metadata']['uid']}`, component(pod), `${restarts}.log`))?.lines ?? [];
  const jsonLines = (lines: readonly string[]): Json[] => lines.flatMap((l) => {
    try {
      const x = JSON.parse(l) as unknown;
      return typeof x === 'object' && x !== null ? [x as Json] : [];
    } catch {
      return [];
    }
  });

  beforeAll(async () => {
    const stale = imageStale();
    if (stale !== undefined) {
      process.stderr.write(`install.e2e: building ${IMAGE}: ${stale}\n`);
      const t0 = Date.now();
      execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/image/build.mjs')], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      figure(`install: built ${IMAGE} in ${Date.now() - t0} ms`);
    }
    dir = mkdtempSync(join(tmpdir(), 'hl-install-e2e-'));
    logDir = join(dir, 'logs');
    bench = new SpeakerLab({
      topology: join(dir, 'topology', 'install.clab.yml'),
      lab: LAB,
      nodes: Object.fromEntries(Object.entries(NODE_IPS).map(([n, ip]) => [n, [ip]])),
      pods: PODS,
      config: '',
      hostPrograms: false,
      // As kube-controller-manager does: EndpointSlices for the webhook Service from the
      // controller's Pods, so the API server calls the webhook on their Pod IPs.
      apiServerArgs: ['--endpointslice-controller'],
    });
    // The speaker-bgp topology under a name of its own.
    const topo = join(dir, 'topology');
    mkdirSync(topo);
    const src = join(REPO_ROOT, 'lab/topologies/speaker-bgp');
    writeFileSync(join(topo, 'install.clab.yml'), readFileSync(join(src, 'speaker-bgp.clab.yml'), 'utf8').replace(/^name: speaker-bgp$/m, `name: ${LAB}`));
    copyFileSync(join(src, 'tor.frr.conf'), join(topo, 'tor.frr.conf'));

    await bench.start();
    const l = bench.l!;
    for (const [node, ip] of Object.entries(NODE_IPS)) {
      kubelets.set(node, startProgram([process.execPath, distPath('lab', 'kubelet/main.js'), '--kubeconfig', bench.kubeconfig, '--node-name', node, '--netns', l.namespace(node), '--node-ip', ip, '--pod-cidr', POD_CIDRS[node]!,
        '--state-dir', join(dir, `kubelet-${node}`), '--pod-log-dir', logDir, '--cleanup-on-exit'], { name: `kubelet ${node}` }));
    }
    await Promise.all([...kubelets.values()].map((p) => p.waitForLog((x) => x['msg'] === 'starting', 30_000, 'starting')));

    // As a user: an overlay on the repository's manifests with the local image.
    const overlay = join(dir, 'overlay');
    mkdirSync(overlay);
    writeFileSync(join(overlay, 'kustomization.yaml'), [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      `  - ${relative(overlay, join(REPO_ROOT, 'manifests'))}`,
      'images:',
      `  - { name: ghcr.io/headland/headland, newName: ${IMAGE.split(':')[0]}, newTag: "${VERSION}" }`,
      // The three lab nodes share one host: the speaker's restart note (hostPath) under the suite's
      // directory rather than the host's /var/lib/headland.
      'patches:',
      '  - target: { kind: DaemonSet, name: headland-speaker }',
      `    patch: '[{"op": "replace", "path": "/spec/template/spec/volumes/0/hostPath/path", "value": "${join(dir, 'node-state')}"}]'`,
      '',
    ].join('\n'));
    installStarted = Date.now();
    await k(['apply', '-k', overlay]);
    await k(['-n', NS, 'create', 'secret', 'generic', 'headland-memberlist', `--from-literal=secretkey=${randomBytes(32).toString('base64')}`]);
    // `headland validate -f my-pools.yaml`, as the README has the user check the configuration first.
    const myPools = join(dir, 'my-pools.yaml');
    writeFileSync(myPools, CONFIG);
    const validated = execFileSync(process.execPath, [join(REPO_ROOT, 'cli/dist/main.js'), 'validate', '-f', myPools], { encoding: 'utf8' });
    if (!/^valid: /m.test(validated)) throw new Error(`headland validate refused my-pools.yaml:\n${validated}`);
    // The README's order: the controller rolled out (its webhook checks what comes next), then the configuration.
    const deployOut = await k(['-n', NS, 'rollout', 'status', 'deployment/headland-controller', '--timeout=120s']);
    await k(['apply', '-f', '-'], CONFIG);
    rolloutStatus = k(['-n', NS, 'rollout', 'status', 'daemonset/headland-speaker', '--timeout=120s']).then((dsOut) => [deployOut, dsOut]);
    rolloutStatus.catch(() => undefined);
  }, 900_000);

  afterAll(async () => {
    await Promise.all([...kubelets.values()].map((p) => p.stop('SIGTERM', 30_000).catch(() => undefined)));
    // The stand-ins' lines and the containers' logs, for reading after a failure.
    const keep = join(tmpdir(), 'install-e2e-last');
    rmSync(keep, { recursive: true, force: true });
    mkdirSync(keep, { recursive: true });
    writeFileSync(join(keep, 'kubelets.log'), [...kubelets.values()].flatMap((p) => [...p.logs.map((x) => JSON.stringify({ kubelet: p.name, ...x })), ...p.text]).join('\n'));
    if (logDir !== '' && existsSync(logDir)) cpSync(logDir, join(keep, 'pods'), { recursive: true });
    await bench?.stop();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('kubectl apply -k: the controller Deployment\'s 2 Pods and a speaker Pod per node come up Running and Ready, from the image', async () => {
    const pods = await waitFor(() => headlandPods(), (ps) => ps.filter((p) => component(p) === 'controller' && ready(p)).length === 2 && ps.filter((p) => component(p) === 'speaker' && ready(p)).length === 3, {
      timeoutMs: 120_000, intervalMs: 500, what: 'headland-system Pods Running and Ready',
    }).catch(async (err: unknown) => {
      const refusals = [...kubelets.values()].flatMap((p) => p.logs.filter((x) => Number(x['level'] ?? 0) >= 40 || x['level'] === 'error' || x['level'] === 'warn').map((x) => `${p.name}: ${JSON.stringify(x)}`));
      throw new Error(`${String(err)}\nkubelet warnings and errors:\n${refusals.slice(-30).join('\n')}\n${await k(['get', 'pods', '-n', NS, '-o', 'wide']).catch((e: unknown) => String(e))}`);
    });
    figure(`install: kubectl apply -k to every Headland Pod Ready in ${Date.now() - installStarted} ms`);
    // kubectl rollout status reads the workloads' status (written by the stand-ins, as the controllers would).
    const [deployOut, dsOut] = await rolloutStatus;
    expect(deployOut).toMatch(/deployment "headland-controller" successfully rolled out/);
    expect(dsOut).toMatch(/daemon set "headland-speaker" successfully rolled out/);
    expect(await k(['-n', NS, 'get', 'deployment', 'headland-controller'])).toMatch(/headland-controller\s+2\/2\s+2\s+2\s/);
    expect(await k(['-n', NS, 'get', 'daemonset', 'headland-speaker'])).toMatch(/headland-speaker\s+3\s+3\s+3\s+3\s+3\s/);
    const wide = await k(['get', 'pods', '-n', NS, '-o', 'wide']);
    process.stderr.write(`${wide}`);
    expect(wide).toMatch(/headland-controller-\w+-\w{5}\s+1\/1\s+Running\s+0\s/);
    expect(wide).toMatch(/headland-speaker-\w{5}\s+1\/1\s+Running\s+0\s/);
    const controllers = pods.filter((p) => component(p) === 'controller');
    const speakers = pods.filter((p) => component(p) === 'speaker');
    expect(speakers.map((p) => p['spec']['nodeName']).sort()).toEqual(NODES);
    // Spread over two nodes (the manifests' anti-affinity; the stand-in places round-robin).
    expect(new Set(controllers.map((p) => p['spec']['nodeName'])).size).toBe(2);
    // The controller (no hostNetwork) in a network namespace of its own, addressed from its node's pod CIDR;
    // the speaker on the host network, with the node's address.
    for (const p of controllers) expect(p['status']).toMatchObject({ podIP: POD_CIDRS[p['spec']['nodeName']]!.replace('.0/24', '.254'), hostIP: NODE_IPS[p['spec']['nodeName']] });
    for (const p of speakers) expect(p['status']).toMatchObject({ podIP: NODE_IPS[p['spec']['nodeName']], hostIP: NODE_IPS[p['spec']['nodeName']] });
    for (const p of pods) {
      expect(p['status']).toMatchObject({ phase: 'Running' });
      expect(p['status']['containerStatuses'][0]).toMatchObject({ image: IMAGE, ready: true, started: true, restartCount: 0 });
      const inspect = JSON.parse(execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'inspect', containerId(p)], { encoding: 'utf8' })) as Json[];
      expect(inspect[0]!['ImageName']).toBe(IMAGE);
    }
    // The stand-in refused nothing of the manifests.
    const refused = [...kubelets.values()].flatMap((p) => p.logs.filter((x) => x['msg'] === 'refused field' || x['msg'] === 'podman run failed'));
    expect(refused).toEqual([]);
  }, 150_000);

  test('the manifests\' validating webhook answers from the controller Pods: an invalid pool is refused through kubectl, a valid one goes in', async () => {
    // The webhook Service's endpoints: both controller Pods, Ready, at their Pod IPs.
    const controllers = (await headlandPods('controller')).filter(ready);
    const slices = (await getJson(['endpointslices', '-n', NS, '-l', 'kubernetes.io/service-name=headland-webhook']))['items'] as Json[];
    const endpoints = slices.flatMap((s) => (s['endpoints'] ?? []) as Json[]).filter((e) => e['conditions']?.['ready'] === true).map((e) => String(e['addresses'][0])).sort();
    expect(endpoints).toEqual(controllers.map((p) => String(p['status']['podIP'])).sort());
    expect(slices.flatMap((s) => (s['ports'] ?? []) as Json[]).map((x) => `${String(x['name'])}:${String(x['port'])}`)).toEqual(['webhook:9443']);
    // The controller put its CA into the configuration the manifests applied.
    const hook = await getJson(['validatingwebhookconfiguration', 'headland-validating-webhook']);
    expect(String(hook['webhooks'][0]['clientConfig']['caBundle'] ?? '')).not.toBe('');
    const pool = (name: string, cidr: string) => `apiVersion: headland.io/v1beta1\nkind: IPAddressPool\nmetadata: { name: ${name}, namespace: ${NS} }\nspec: { addresses: [${cidr}] }\n`;
    const refused = await k(['apply', '-f', '-'], pool('overlap', '203.0.113.8/29')).then(() => '', (err: unknown) => String(err));
    expect(refused).toContain('admission webhook "validate.headland.io" denied the request: IPAddressPool headland-system/overlap: spec.addresses[0]: 203.0.113.8/29 overlaps IPAddressPool headland-system/lab at 203.0.113.8/29');
    await expect(k(['get', 'ipaddresspool', '-n', NS, 'overlap'])).rejects.toThrow(/NotFound/);
    await k(['apply', '-f', '-'], pool('spare', '203.0.113.200/29'));
    await k(['delete', 'ipaddresspool', '-n', NS, 'spare']);
  });

  test('each Pod runs as its manifests ServiceAccount with a projected, pod-bound token', async () => {
    for (const p of await headlandPods()) {
      const sa = component(p) === 'controller' ? 'headland-controller' : 'headland-speaker';
      expect([p['metadata']['name'], p['spec']['serviceAccountName']]).toEqual([p['metadata']['name'], sa]);
      const id = containerId(p);
      const mounts = JSON.parse(execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'inspect', '--format', '{{json .Mounts}}', id], { encoding: 'utf8' })) as { Destination: string; RW: boolean }[];
      expect(mounts.find((m) => m.Destination === SA_DIR)).toMatchObject({ RW: false });
      const read = (file: string) => execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'exec', id, '/usr/bin/node', '-e', `process.stdout.write(require('fs').readFileSync('${SA_DIR}/${file}','utf8'))`], { encoding: 'utf8' });
      expect(read('namespace')).toBe(NS);
      const review = JSON.parse(await k(['create', '-f', '-', '-o', 'json'], JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: read('token') } }))) as Json;
      expect(review['status']['authenticated']).toBe(true);
      expect(review['status']['user']['username']).toBe(`system:serviceaccount:${NS}:${sa}`);
      expect(review['status']['user']['extra']?.['authentication.kubernetes.io/pod-name']).toEqual([p['metadata']['name']]);
    }
  });

  test('one controller holds the Lease; the other stands by', async () => {
    const controllers = await headlandPods('controller');
    const holder = await waitFor(leaseHolder, (h) => h !== '', { timeoutMs: 20_000, what: 'a Lease holder' });
    expect(controllers.map((p) => p['metadata']['name'])).toContain(holder);
    const leading = controllers.filter((p) => jsonLines(logOf(p)).some((x) => x['msg'] === 'leading'));
    expect(leading.map((p) => p['metadata']['name'])).toEqual([holder]);
  });

  test('BGP: sessions from every speaker Pod; Local with 1 vs 3 pods gets weights 25/75, Cluster three equal nexthops; the client\'s connections succeed', async () => {
    await waitEstablished(LAB, 'tor', 'frr', { peers: Object.values(NODE_IPS) }, 60_000);
    await k(['apply', '-f', '-'], `${bench.service('weighted', 'Local')}---\n${bench.slice('weighted', ['node1-pod-a', 'node2-pod-a', 'node2-pod-b', 'node2-pod-c'])}\n---\n${bench.service('cluster', 'Cluster')}---\n${bench.slice('cluster', ['node1-pod-a', 'node3-pod-a'])}`);
    const [weighted] = await bench.ingressOf('weighted');
    const [cluster] = await bench.ingressOf('cluster');
    const hops = await waitNexthops(weighted!, (h) => sameKeys(h, ['node1', 'node2']) && h[NODE_IPS['node1']!] !== h[NODE_IPS['node2']!], 'weighted nexthops');
    expect(hops).toEqual({ [NODE_IPS['node1']!]: 25, [NODE_IPS['node2']!]: 75 });
    const equal = await waitNexthops(cluster!, (h) => sameKeys(h, NODES), 'three nexthops');
    expect(new Set(Object.values(equal)).size).toBe(1);
    const n = 2000;
    const s = await bench.traffic(weighted!, n);
    expect(s.failures).toEqual({});
    figure(`install: weighted split over ${n} connections: ${JSON.stringify(s.perPod)}`);
    for (const pod of ['node1-pod-a', 'node2-pod-a', 'node2-pod-b', 'node2-pod-c']) {
      const share = (s.perPod[pod] ?? 0) / n;
      expect([pod, share > 0.2 && share < 0.3]).toEqual([pod, true]);
    }
    const c = await bench.traffic(cluster!, 300);
    expect(c.failures).toEqual({});
    expect(Object.keys(c.perPod).sort()).toEqual(['node1-pod-a', 'node3-pod-a']);
  }, 120_000);

  test('the speaker\'s ServiceAccount reads Secrets in headland-system only (kubectl auth can-i, and its projected token against the API)', async () => {
    const canI = async (ns: string): Promise<string> => {
      try {
        return (await run(KUBECTL!, ['--kubeconfig', bench.kubeconfig, 'auth', 'can-i', '--as', `system:serviceaccount:${NS}:headland-speaker`, 'get', 'secrets', '-n', ns])).stdout.trim();
      } catch (err) {
        return String((err as { stdout?: string }).stdout ?? err).trim();
      }
    };
    expect(await canI('default')).toBe('no');
    expect(await canI('kube-system')).toBe('no');
    expect(await canI(NS)).toBe('yes');
    // The token the speaker Pod has, from inside its container, against the API server.
    const [speaker] = await headlandPods('speaker');
    const read = (file: string) => execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'exec', containerId(speaker!), '/usr/bin/node', '-e', `process.stdout.write(require('fs').readFileSync('${SA_DIR}/${file}','utf8'))`], { encoding: 'utf8' });
    const ca = join(dir, 'speaker-ca.crt');
    writeFileSync(ca, read('ca.crt'));
    const token = read('token');
    const server = new URL(bench.api!.url);
    const status = (path: string) => execFileSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', ca, '-H', `Authorization: Bearer ${token}`, `https://${server.host}${path}`], { encoding: 'utf8' });
    expect(status('/api/v1/namespaces/default/secrets')).toBe('403');
    expect(status(`/api/v1/namespaces/${NS}/secrets/headland-memberlist`)).toBe('200');
  });

  /** The Service's first load-balancer IP, polled every 100 ms (for timing). */
  const firstIngress = (name: string, timeoutMs: number): Promise<string> =>
    waitFor(async () => ((await getJson(['service', '-n', 'shop', name]))['status']?.['loadBalancer']?.['ingress'] ?? []) as { ip: string }[], (x) => x.length > 0, {
      timeoutMs, intervalMs: 100, what: `an IP for shop/${name}`,
    }).then((x) => x[0]!.ip);

  test('killing the leading controller\'s container (podman kill): the kubelet restarts it, it takes its Lease back (same POD_NAME identity) and a new Service gets its IP', async () => {
    const controllers = await headlandPods('controller');
    const holder = await leaseHolder();
    const leader = controllers.find((p) => p['metadata']['name'] === holder)!;
    const standby = controllers.find((p) => p['metadata']['name'] !== holder)!;
    expect(leader).toBeDefined();
    const killed = Date.now();
    execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'kill', containerId(leader)]);
    await k(['apply', '-f', '-'], `${bench.service('after-kill', 'Cluster')}---\n${bench.slice('after-kill', ['node1-pod-a', 'node3-pod-a'])}`);
    const ip = await firstIngress('after-kill', 60_000);
    const assignedMs = Date.now() - killed;
    const newHolder = await leaseHolder();
    const by = newHolder === standby['metadata']['name'] ? `the standby ${newHolder}` : `${newHolder} again (its restarted container, same POD_NAME identity)`;
    figure(`install: podman kill of the leading controller ${holder} -> new Service's IP assigned ${assignedMs} ms later, Lease held by ${by}`);
    expect(ip).toMatch(/^203\.0\.113\./);
    // The kubelet restarts a container that ran 10 s or more at once, and the new process has the
    // Pod's name as its identity: it usually renews "its" Lease before the standby may take it
    // (15 s); on a slow podman the standby wins. Either way one of the two leads, and the IP came.
    expect([holder, standby['metadata']['name']]).toContain(newHolder);
    await waitNexthops(ip, (h) => sameKeys(h, NODES), 'three nexthops for after-kill');
    const s = await bench.traffic(ip, 200);
    expect(s.failures).toEqual({});
    // The killed container is back (restartCount 1) and Ready.
    await waitFor(() => headlandPods('controller'), (ps) => ps.length === 2 && ps.every(ready) && ps.some((p) => p['metadata']['name'] === holder && p['status']['containerStatuses'][0]['restartCount'] === 1), {
      timeoutMs: 60_000, what: 'the killed controller restarted and Ready',
    });
  }, 150_000);

  test('the leader\'s container killed while its node\'s kubelet is stopped (SIGSTOP): the standby takes the Lease and a new Service gets its IP; back, the old leader stands by', async () => {
    const controllers = await headlandPods('controller');
    const holder = await leaseHolder();
    const leader = controllers.find((p) => p['metadata']['name'] === holder)!;
    const standby = String(controllers.find((p) => p['metadata']['name'] !== holder)!['metadata']['name']);
    const leaderKubelet = kubelets.get(String(leader['spec']['nodeName']))!;
    const restarts = Number(leader['status']['containerStatuses'][0]['restartCount']);
    leaderKubelet.proc.kill('SIGSTOP');
    let ip = '';
    let tookMs = 0;
    const killed = Date.now();
    try {
      execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'kill', containerId(leader)]);
      await k(['apply', '-f', '-'], `${bench.service('after-failover', 'Cluster')}---\n${bench.slice('after-failover', ['node1-pod-a', 'node3-pod-a'])}`);
      await waitFor(leaseHolder, (h) => h === standby, { timeoutMs: 40_000, intervalMs: 100, what: `the standby ${standby} holding the Lease` });
      tookMs = Date.now() - killed;
      ip = await firstIngress('after-failover', 30_000);
    } finally {
      leaderKubelet.proc.kill('SIGCONT');
    }
    figure(`install: leader ${holder} killed with its kubelet stopped -> standby ${standby} took the Lease in ${tookMs} ms, the new Service's IP came ${Date.now() - killed} ms after the kill (lease 15 s, retry 2 s)`);
    await waitNexthops(ip, (h) => sameKeys(h, NODES), 'three nexthops for after-failover');
    expect((await bench.traffic(ip, 200)).failures).toEqual({});
    // The kubelet back: it restarts the killed container, which finds the Lease held and waits.
    const back = await waitFor(() => headlandPods('controller'), (ps) => ps.length === 2 && ps.every(ready) && ps.some((p) => p['metadata']['name'] === holder && p['status']['containerStatuses'][0]['restartCount'] === restarts + 1), {
      timeoutMs: 90_000, what: 'the killed controller restarted and Ready',
    });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await leaseHolder()).toBe(standby);
    expect(jsonLines(logOf(back.find((p) => p['metadata']['name'] === holder)!, restarts + 1)).filter((x) => x['msg'] === 'leading')).toEqual([]);
  }, 180_000);

  test('a rollout of the speaker DaemonSet under a client loop: preStop asks each speaker for a graceful restart, the ToR keeps every nexthop, no connection fails; a cordoned node\'s speaker withdraws instead', async () => {
    // Graceful restart on the ToR peer (the sessions reopen once with the capability).
    await k(['apply', '-f', '-'], `apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: tor, namespace: headland-system }
spec: { myASN: 64513, peerASN: 64512, peerAddress: 198.18.0.1, holdTime: 9s, connectTime: 1s, enableGracefulRestart: true }
`);
    const fBits = async (): Promise<boolean[]> => Promise.all(Object.values(NODE_IPS).map(async (address) => {
      const neighbor = (JSON.parse(await lab.run(lab.frrVtysh(LAB, 'tor', `show bgp neighbors ${address} json`))) as Json)[address];
      return neighbor?.['bgpState'] === 'Established' && neighbor?.['gracefulRestartInfo']?.['ipv4Unicast']?.['fBit'] === true;
    }));
    await waitFor(fBits, (b) => b.every((x) => x), { timeoutMs: 60_000, intervalMs: 500, what: 'every session up again with graceful restart (F bit)' });
    const [ip] = await bench.ingressOf('cluster');
    await waitNexthops(ip!, (h) => sameKeys(h, NODES), 'three nexthops before the rollout');
    await bench.dataPlaneSettled();

    let looping = true;
    const loop = (async () => {
      const summaries = [];
      while (looping) summaries.push(await bench.traffic(ip!, 100));
      return summaries;
    })();
    // The ToR's FIB every 20 ms: a graceful restart must not take a node's nexthop out even briefly.
    const gaps: string[] = [];
    const watch = (async () => {
      while (looping) {
        const hops = await torNexthops(ip!);
        if (!sameKeys(hops, NODES)) gaps.push(`${new Date().toISOString()} ${JSON.stringify(hops)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // Whatever fails below, the loops stop (the lab is torn down after the suite).
    const stopLoops = async () => {
      looping = false;
      const [summaries] = await Promise.all([loop.catch(() => []), watch.catch(() => undefined)]);
      return summaries;
    };
    let summaries: Awaited<typeof loop> = [];
    let rolled: Json[];
    let rollMs = 0;
    const before = await headlandPods('speaker');
    try {
      const oldNames = new Set(before.map((p) => String(p['metadata']['name'])));
      const rollStarted = Date.now();
      await k(['-n', NS, 'set', 'env', 'daemonset/headland-speaker', 'ROLL=1']);
      // What an operator watches: kubectl rollout status, from the DaemonSet's status.
      const watching = k(['-n', NS, 'rollout', 'status', 'daemonset/headland-speaker', '--timeout=240s']);
      watching.catch(() => undefined);
      const hasRoll = (p: Json): boolean => (p['spec']['containers'][0]['env'] as Json[] ?? []).some((e: Json) => e['name'] === 'ROLL' && e['value'] === '1');
      try {
        rolled = await waitFor(() => headlandPods('speaker'), (ps) => ps.length === 3 && ps.every((p) => ready(p) && hasRoll(p) && !oldNames.has(String(p['metadata']['name']))), {
          timeoutMs: 240_000, intervalMs: 500, what: 'every speaker Pod replaced, Ready, with ROLL=1',
        });
      } catch (err) {
        const lines = [...kubelets.values()].flatMap((p) => p.logs.filter((x) => String(x['msg']).includes('preStop') || Number(x['level'] ?? 0) >= 40).map((x) => `${p.name}: ${JSON.stringify(x)}`));
        throw new Error(`${String(err)}\nkubelet lines:\n${lines.slice(-30).join('\n')}\n${await k(['get', 'pods', '-n', NS, '-o', 'wide']).catch((e: unknown) => String(e))}`);
      }
      rollMs = Date.now() - rollStarted;
      expect(rolled.map((p) => p['spec']['nodeName']).sort()).toEqual(NODES);
      const watched = await watching;
      expect(watched).toMatch(/Waiting for daemon set "headland-speaker" rollout to finish: [012] out of 3 new pods have been updated/);
      expect(watched).toMatch(/daemon set "headland-speaker" successfully rolled out/);
      await waitEstablished(LAB, 'tor', 'frr', { peers: Object.values(NODE_IPS) }, 60_000);
      // Each new speaker read the note its predecessor left on the node: a restart (R bit).
      await waitFor(async () => rolled.map((p) => jsonLines(logOf(p)).some((x) => x['restarted'] === true)), (r) => r.every((x) => x), { timeoutMs: 20_000, what: 'every new speaker restarted (note read)' });
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      summaries = await stopLoops();
    }
    const total = summaries.reduce((n, x) => n + x.count, 0);
    const failed = summaries.reduce((n, x) => n + x.failed, 0);
    figure(`install: speaker DaemonSet rollout (preStop -> graceful restart) in ${rollMs} ms: ${total} connections, ${failed} failed, ${gaps.length} FIB reads without every nexthop`);
    // Each old speaker stopped for a restart (preStop's SIGUSR2), none withdrew.
    for (const p of before) {
      const lines = jsonLines(logOf(p));
      expect([p['metadata']['name'], lines.some((x) => x['msg'] === 'stopped for a restart; routes kept by peers with graceful restart')]).toEqual([p['metadata']['name'], true]);
    }
    expect(total).toBeGreaterThan(300);
    expect(failed).toBe(0);
    expect(gaps).toEqual([]);

    // A node leaving: cordoned, then its speaker Pod deleted as a drain would stop it. preStop
    // sees spec.unschedulable and leaves the speaker alone, so SIGTERM withdraws: the nexthop goes.
    const node = 'node3';
    const victim = rolled.find((p) => p['spec']['nodeName'] === node)!;
    await k(['cordon', node]);
    try {
      const deleted = Date.now();
      const deletion = k(['-n', NS, 'delete', 'pod', String(victim['metadata']['name']), '--wait=false']);
      await waitFor(() => torNexthops(ip!), (h) => sameKeys(h, ['node1', 'node2']), { timeoutMs: 40_000, intervalMs: 20, what: `${node}'s nexthop withdrawn from the ToR's FIB` });
      const withdrawnMs = Date.now() - deleted;
      await deletion;
      figure(`install: ${node} cordoned, its speaker Pod deleted -> nexthop out of the ToR's FIB in ${withdrawnMs} ms (withdrawn, not kept)`);
      await waitFor(async () => jsonLines(logOf(victim)), (lines) => lines.some((x) => x['msg'] === 'withdrew every route and sent Cease'), { timeoutMs: 20_000, what: `${node}'s speaker withdrew` });
      expect(jsonLines(logOf(victim)).some((x) => x['msg'] === 'stopped for a restart; routes kept by peers with graceful restart')).toBe(false);
    } finally {
      await k(['uncordon', node]);
    }
    // Uncordoned (the DaemonSet puts its Pod back on the node, as Kubernetes does even on a cordoned one): the nexthop returns.
    const back = Date.now();
    await waitFor(() => headlandPods('speaker'), (ps) => ps.length === 3 && ps.every(ready), { timeoutMs: 90_000, intervalMs: 500, what: 'a speaker Pod per node Ready again' });
    await waitFor(() => torNexthops(ip!), (h) => sameKeys(h, NODES), { timeoutMs: 60_000, intervalMs: 100, what: `${node}'s nexthop back` });
    figure(`install: ${node} uncordoned -> nexthop back in the ToR's FIB ${Date.now() - back} ms later`);
    expect((await bench.traffic(ip!, 200)).failures).toEqual({});
  }, 480_000);

  test('no Headland container logged a 403 over the whole suite', () => {
    const logs = containerLogs();
    // Two controllers and three speakers, each with a log that says something (plus a restart's).
    expect(logs.filter((x) => x.lines.length > 0).length).toBeGreaterThanOrEqual(5);
    expect(logs.flatMap((x) => forbiddenLines(x.lines).map((l) => `${x.file}: ${l}`))).toEqual([]);
  });
});
