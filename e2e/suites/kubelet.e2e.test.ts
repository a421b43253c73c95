// The kubelet stand-in on a lab of its own (kubelet-e2e: two k8s-nodes on a bridge). NEEDS ROOT,
// podman and runc; skipped with a message otherwise. headland-apiserver on the mgmt bridge, one
// stand-in per node (lab/dist/kubelet/main.js), a DaemonSet and a Deployment of a busybox test image.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubelet, lab } from '@headland/lab';
import { distPath, kubectl, startApiServer, startProgram, type Program, type RunningApiServer } from '@headland/lab/programs';

const { startLab, downLab, waitFor } = lab;
const LAB = 'kubelet-e2e';
const IMAGE = 'localhost/headland-kubelet-test:1';
const NODES: Record<string, string> = { node1: '198.18.0.11', node2: '198.18.0.12' };
/** Pod CIDRs the stand-ins get (--pod-cidr); the topology gives the nodes none, so the stand-in makes the bridge. */
const POD_CIDRS: Record<string, string> = { node1: '198.18.101.0/24', node2: '198.18.102.0/24' };
/** The namespace the stand-in makes for a Pod without hostNetwork (kubelet/pod-network.ts podLinkNames). */
const podNetns = (nodeNs: string, uid: string) => `${nodeNs}_k${uid.replace(/[^0-9a-f]/gi, '').toLowerCase().slice(0, 8)}`;

const has = (cmd: string) => ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/bin', '/sbin'].some((d) => existsSync(join(d, cmd)));
const why = process.getuid?.() !== 0 ? 'it needs root (network namespaces, rootful podman)' : !has('podman') ? 'podman is not installed' : !has('runc') ? 'runc is not installed' : !existsSync('/bin/busybox') && !existsSync('/usr/bin/busybox') ? 'no static busybox for the test image (apt-get install busybox-static)' : undefined;
const describeIf = why === undefined ? describe : describe.skip;
if (why !== undefined) console.warn(`kubelet.e2e: skipped, ${why}`);

/** A scratch image holding a static busybox (sh, httpd, wget with TLS), built once. */
function ensureImage(): void {
  try {
    execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'image', 'exists', IMAGE]);
    return;
  } catch {
    // build it
  }
  const dir = mkdtempSync(join(tmpdir(), 'hl-kubelet-image-'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(existsSync('/bin/busybox') ? '/bin/busybox' : '/usr/bin/busybox', join(dir, 'bin/busybox'));
  writeFileSync(join(dir, 'Containerfile'), 'FROM scratch\nCOPY bin/busybox /bin/busybox\nRUN ["/bin/busybox","--install","-s","/bin"]\n');
  execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'build', '--runtime', 'runc', '--ulimit', 'nofile=16384:16384', '-t', IMAGE, dir], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

const topology = `name: ${LAB}
topology:
  nodes:
    fabric: { kind: bridge }
    node1: { kind: k8s-node, interfaces: { eth1: [198.18.0.11/24] } }
    node2: { kind: k8s-node, interfaces: { eth1: [198.18.0.12/24] } }
  links:
    - endpoints: ["node1:eth1", "fabric:eth1"]
    - endpoints: ["node2:eth1", "fabric:eth2"]
`;

const httpd = (port: number) => `echo "httpd on ${port}" && echo ready && mkdir -p /www && echo ok > /www/healthz && exec httpd -f -p ${port} -h /www`;

const daemonSet = (version: string, hostDir: string) => `
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: kl }
spec:
  selector: { matchLabels: { app: agent } }
  updateStrategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 1 } }
  template:
    metadata: { labels: { app: agent, version: "${version}" } }
    spec:
      hostNetwork: true
      serviceAccountName: agent
      terminationGracePeriodSeconds: 5
      containers:
        - name: agent
          image: ${IMAGE}
          command: [sh, -c, '${httpd(8081)}']
          env:
            - { name: VERSION, value: "${version}" }
            - { name: NODE_NAME, valueFrom: { fieldRef: { fieldPath: spec.nodeName } } }
            - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
            - { name: POD_IP, valueFrom: { fieldRef: { fieldPath: status.podIP } } }
            - { name: SECRET, valueFrom: { secretKeyRef: { name: agent, key: word } } }
          ports: [{ name: health, containerPort: 8081 }]
          livenessProbe: { httpGet: { path: /healthz, port: health }, periodSeconds: 1, failureThreshold: 2 }
          readinessProbe: { httpGet: { path: /healthz, port: 8081 }, periodSeconds: 1 }
          lifecycle: { preStop: { exec: { command: [sh, -c, 'echo "$POD_NAME" > /out/prestop-$POD_NAME; sleep 1'] } } }
          volumeMounts: [{ name: www, mountPath: /www }, { name: out, mountPath: /out }]
          securityContext:
            runAsUser: 1000
            runAsGroup: 1000
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL], add: [NET_BIND_SERVICE] }
      volumes:
        - { name: www, emptyDir: {} }
        - { name: out, hostPath: { path: ${hostDir} } }
`;

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: kl }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      serviceAccountName: agent
      containers:
        - name: web
          image: ${IMAGE}
          command: [sh, -c, '${httpd(8082)}']
          volumeMounts: [{ name: www, mountPath: /www }]
          readinessProbe: { httpGet: { path: /healthz, port: 8082 }, periodSeconds: 1 }
          securityContext: { runAsUser: 65532, runAsNonRoot: true, readOnlyRootFilesystem: true }
      volumes: [{ name: www, emptyDir: {} }]
`;

interface PodJson {
  metadata: { name: string; uid: string; labels?: Record<string, string>; deletionTimestamp?: string; ownerReferences?: { kind: string; name: string }[] };
  spec: { nodeName?: string };
  status?: { phase?: string; podIP?: string; hostIP?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { name: string; ready: boolean; started: boolean; restartCount: number; image: string; containerID?: string; state: Record<string, unknown> }[] };
}

describeIf('kubelet stand-in (root, podman, runc)', () => {
  let l: lab.Lab | undefined;
  let api: RunningApiServer | undefined;
  let dir = '';
  let hostDir = '';
  const kubelets = new Map<string, Program>();
  const k = (args: string[], stdin?: string) => kubectl(api!.kubeconfig, args, stdin);
  const pods = async (selector: string): Promise<PodJson[]> => (JSON.parse(await k(['get', 'pods', '-n', 'kl', '-l', selector, '-o', 'json'])) as { items: PodJson[] }).items;
  const ready = (p: PodJson) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true && p.metadata.deletionTimestamp === undefined;
  const containerOf = (p: PodJson) => p.status!.containerStatuses![0]!.containerID!.replace('podman://', '');
  const inContainer = (p: PodJson, script: string) => execFileSync('podman', [...kubelet.PODMAN_STORAGE, 'exec', containerOf(p), 'sh', '-c', script], { encoding: 'utf8' });

  beforeAll(async () => {
    ensureImage();
    await downLab(LAB);
    dir = mkdtempSync(join(tmpdir(), 'hl-kubelet-e2e-'));
    hostDir = join(dir, 'out');
    mkdirSync(hostDir);
    chmodSync(hostDir, 0o777);
    writeFileSync(join(dir, 'topology.clab.yml'), topology);
    l = await startLab(join(dir, 'topology.clab.yml'));
    api = await startApiServer(dir, { listen: '198.19.255.1:0', podLogDir: join(dir, 'logs') });
    await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata: { name: kl }\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: { name: agent, namespace: kl }\n');
    await k(['create', 'secret', 'generic', 'agent', '-n', 'kl', '--from-literal=word=sesame']);
    for (const [node, ip] of Object.entries(NODES)) {
      const p = startProgram([process.execPath, distPath('lab', 'kubelet/main.js'), '--kubeconfig', api.kubeconfig, '--node-name', node, '--netns', l.namespace(node), '--node-ip', ip, '--pod-cidr', POD_CIDRS[node]!,
        '--state-dir', join(dir, `state-${node}`), '--pod-log-dir', join(dir, 'logs'), '--cleanup-on-exit', '--restart-backoff-ms', '1000'], { name: `kubelet ${node}` });
      kubelets.set(node, p);
    }
    await Promise.all([...kubelets.values()].map((p) => p.waitForLog((x) => x['msg'] === 'starting', 20_000, 'starting')));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...kubelets.values()].map((p) => p.stop('SIGTERM', 30_000)));
    // The stand-ins' lines, for reading after a failure.
    writeFileSync(join(tmpdir(), 'kubelet-e2e-last.log'), [...kubelets.values()].flatMap((p) => [...p.logs.map((x) => JSON.stringify(x)), ...p.text]).join('\n'));
    await api?.stop();
    await downLab(LAB);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('nodes register themselves', async () => {
    const out = await k(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.addresses[0].address} {end}']);
    expect(out.trim().split(' ').sort()).toEqual(['node1=198.18.0.11', 'node2=198.18.0.12']);
  });

  test('a DaemonSet and a Deployment come up Running and Ready, named as the controllers name them', async () => {
    await k(['apply', '-f', '-'], daemonSet('1', hostDir) + '---' + deployment);
    const agents = await waitFor(() => pods('app=agent'), (ps) => ps.length === 2 && ps.every(ready), { timeoutMs: 60_000, what: 'agent pods ready' });
    const webs = await waitFor(() => pods('app=web'), (ps) => ps.length === 2 && ps.every(ready), { timeoutMs: 60_000, what: 'web pods ready' });
    expect(agents.map((p) => p.spec.nodeName).sort()).toEqual(['node1', 'node2']);
    expect(webs.map((p) => p.spec.nodeName).sort()).toEqual(['node1', 'node2']);
    for (const p of agents) {
      expect(p.metadata.name).toMatch(/^agent-[a-z0-9]{5}$/);
      expect(p.metadata.labels?.['controller-revision-hash']).toMatch(/^[a-z0-9]+$/);
      expect(p.status).toMatchObject({ phase: 'Running', podIP: NODES[p.spec.nodeName!], hostIP: NODES[p.spec.nodeName!] });
      expect(p.status!.containerStatuses![0]).toMatchObject({ name: 'agent', ready: true, started: true, restartCount: 0, image: IMAGE });
    }
    for (const p of webs) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${p.metadata.labels?.['pod-template-hash']}-[a-z0-9]{5}$`));
      // Not hostNetwork: a namespace of its own, the top address of its node's pod CIDR.
      expect(p.status).toMatchObject({ podIP: POD_CIDRS[p.spec.nodeName!]!.replace('.0/24', '.254'), hostIP: NODES[p.spec.nodeName!] });
    }
    const wide = await k(['get', 'pods', '-n', 'kl', '-o', 'wide']);
    expect(wide).toMatch(/agent-\w{5}\s+1\/1\s+Running\s+0\s+\S+\s+198\.18\.0\.1[12]\s+node[12]/);
  }, 150_000);

  test('env and securityContext are visible inside the container', async () => {
    const [p] = await pods('app=agent');
    const out = inContainer(p!, 'echo "$NODE_NAME $POD_NAME $POD_IP $SECRET $VERSION $KUBERNETES_SERVICE_HOST"; id -u; id -g; grep CapBnd /proc/self/status; grep NoNewPrivs /proc/self/status; touch /x 2>&1 || true');
    const [env, uid, gid, capEff, nnp, ro] = out.trim().split('\n');
    expect(env).toBe(`${p!.spec.nodeName} ${p!.metadata.name} ${NODES[p!.spec.nodeName!]} sesame 1 198.19.255.1`);
    expect([uid, gid]).toEqual(['1000', '1000']);
    // drop ALL + add NET_BIND_SERVICE: exactly that one capability (bit 10) is left in the bounding set.
    expect(capEff).toMatch(/^CapBnd:\s+0000000000000400$/);
    expect(nnp).toMatch(/NoNewPrivs:\s+1/);
    expect(ro).toMatch(/Read-only file system/);
  });

  test('the projected token works against the API server from inside the container', async () => {
    const [p] = await pods('app=agent');
    const dirSa = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect(inContainer(p!, `cat ${dirSa}/namespace`)).toBe('kl');
    expect(inContainer(p!, `head -1 ${dirSa}/ca.crt`).trim()).toBe('-----BEGIN CERTIFICATE-----');
    // busybox's wget cannot negotiate TLS with the API server (handshake failure), so the token read from inside the
    // container is used from the node's namespace, against the address the container was given.
    const token = inContainer(p!, `cat ${dirSa}/token`);
    const ca = join(dir, 'pod-ca.crt');
    writeFileSync(ca, inContainer(p!, `cat ${dirSa}/ca.crt`));
    const env = inContainer(p!, 'echo "$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"').trim();
    const answer = execFileSync('ip', ['netns', 'exec', l!.namespace(p!.spec.nodeName!), 'curl', '-sS', '--cacert', ca, '-H', `Authorization: Bearer ${token}`, `https://${env}/api`], { encoding: 'utf8' });
    expect(answer).toMatch(/"kind":\s*"APIVersions"/);
    const review = JSON.parse(await k(['create', '-f', '-', '-o', 'json'], JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }))) as { status: { authenticated: boolean; user: { username: string; extra?: Record<string, string[]> } } };
    expect(review.status.authenticated).toBe(true);
    expect(review.status.user.username).toBe('system:serviceaccount:kl:agent');
  });

  test('a Pod without hostNetwork has its own namespace and address, reaches the API server, and its namespace goes with it', async () => {
    const [p] = await pods('app=web');
    const ns = podNetns(l!.namespace(p!.spec.nodeName!), p!.metadata.uid);
    const addrs = execFileSync('ip', ['-n', ns, '-j', '-4', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' });
    expect(addrs).toContain(`"local":"${p!.status!.podIP!}"`);
    // httpd answers on the pod's address from the node (the readiness probe's path) ...
    const fromNode = execFileSync('ip', ['netns', 'exec', l!.namespace(p!.spec.nodeName!), 'curl', '-sS', `http://${p!.status!.podIP!}:8082/healthz`], { encoding: 'utf8' });
    expect(fromNode.trim()).toBe('ok');
    // ... and the pod's namespace reaches the API server over the node (masqueraded on the mgmt link).
    const token = await k(['create', 'token', 'agent', '-n', 'kl']);
    const ca = join(dir, 'api-ca.crt');
    writeFileSync(ca, Buffer.from((JSON.parse(await k(['config', 'view', '--raw', '-o', 'json'])) as { clusters: { cluster: { 'certificate-authority-data': string } }[] }).clusters[0]!.cluster['certificate-authority-data'], 'base64'));
    const server = (JSON.parse(await k(['config', 'view', '--raw', '-o', 'json'])) as { clusters: { cluster: { server: string } }[] }).clusters[0]!.cluster.server;
    const answer = execFileSync('ip', ['netns', 'exec', ns, 'curl', '-sS', '--max-time', '5', '--cacert', ca, '-H', `Authorization: Bearer ${token.trim()}`, `${server}/api`], { encoding: 'utf8' });
    expect(answer).toMatch(/"kind":\s*"APIVersions"/);
    // Nothing else leaves over the mgmt link: a port on the gateway is reachable, any other address is not.
    const other = spawnSync('ip', ['netns', 'exec', ns, 'curl', '-sS', '--max-time', '1', 'http://198.19.255.2:80/'], { encoding: 'utf8' });
    expect(other.status).not.toBe(0);
    // httpd runs as PID 1 without a SIGTERM handler: a short grace period instead of the default 30 s.
    await k(['delete', 'pod', '-n', 'kl', p!.metadata.name, '--grace-period=2', '--wait=true', '--timeout=30s']);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(ns);
    await waitFor(() => pods('app=web'), (ps) => ps.length === 2 && ps.every(ready), { timeoutMs: 60_000, what: 'a replacement web pod' });
  }, 90_000);

  test('a failing liveness probe restarts the container', async () => {
    const [p] = await pods('app=agent');
    inContainer(p!, 'rm /www/healthz');
    const after = await waitFor(() => pods('app=agent'), (ps) => ps.some((x) => x.metadata.name === p!.metadata.name && (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && ready(x)), { timeoutMs: 60_000, what: 'restart after liveness failure' });
    expect(after.find((x) => x.metadata.name === p!.metadata.name)!.status!.containerStatuses![0]!.restartCount).toBe(1);
  }, 90_000);

  test('kubectl logs reads what the container wrote (podman k8s-file logs per pod and container)', async () => {
    const [p] = await pods('app=web');
    const logs = join(dir, 'logs');
    const entries = readFileSync(join(logs, `kl_${p!.metadata.name}_${(JSON.parse(await k(['get', 'pod', '-n', 'kl', p!.metadata.name, '-o', 'json'])) as { metadata: { uid: string } }).metadata.uid}`, 'web', '0.log'), 'utf8');
    expect(entries).toMatch(/ stdout F httpd on 8082\n/);
    expect(await k(['logs', '-n', 'kl', p!.metadata.name])).toBe('httpd on 8082\nready\n');
    expect(await k(['logs', '-n', 'kl', p!.metadata.name, '--tail=1'])).toBe('ready\n');
    expect(await k(['logs', '-n', 'kl', p!.metadata.name, '--timestamps'])).toMatch(/^\d{4}-\d\d-\d\dT\S+ httpd on 8082\n/);
  });

  test('a template change rolls the DaemonSet one node at a time; preStop runs within the grace period', async () => {
    const before = await pods('app=agent');
    await k(['apply', '-f', '-'], daemonSet('2', hostDir));
    const after = await waitFor(() => pods('app=agent'), (ps) => ps.length === 2 && ps.every((x) => x.metadata.labels?.['version'] === '2' && ready(x)), { timeoutMs: 90_000, what: 'agents rolled to version 2' });
    expect(after.map((x) => x.metadata.name).filter((n) => before.some((b) => b.metadata.name === n))).toEqual([]);
    for (const b of before) expect(readFileSync(join(hostDir, `prestop-${b.metadata.name}`), 'utf8').trim()).toBe(b.metadata.name);
    const rollLines = [...kubelets.values()].flatMap((k) => k.logs.filter((x) => x['msg'] === 'deleting pod' && String(x['reason']).includes('rolling update')).map((x) => Number(new Date(String(x['time'])))));
    expect(rollLines.length).toBe(2);
  }, 120_000);

  test('deleting a pod runs preStop and stops the container within the grace period', async () => {
    const [p] = await pods('app=agent');
    const t0 = Date.now();
    await k(['delete', 'pod', '-n', 'kl', p!.metadata.name, '--wait=true', '--timeout=30s']);
    const ms = Date.now() - t0;
    expect(ms).toBeLessThan(5_000 + 4_000);
    expect(readFileSync(join(hostDir, `prestop-${p!.metadata.name}`), 'utf8').trim()).toBe(p!.metadata.name);
    await waitFor(() => pods('app=agent'), (ps) => ps.length === 2 && ps.every(ready), { timeoutMs: 60_000, what: 'a replacement agent' });
  }, 90_000);

  test('an image podman does not have is ErrImagePull / ImagePullBackOff in the Pod status', async () => {
    await k(['apply', '-f', '-'], deployment.replace(/name: web/, 'name: missing').replace(/app: web/g, 'app: missing').replace(IMAGE, 'localhost/headland-kubelet-test:nope').replace('replicas: 2', 'replicas: 1'));
    const ps = await waitFor(() => pods('app=missing'), (x) => x.length === 1 && /ErrImagePull|ImagePullBackOff/.test(JSON.stringify(x[0]!.status?.containerStatuses ?? [])), { timeoutMs: 30_000, what: 'image pull error' });
    expect(ps[0]!.status?.phase).toBe('Pending');
  }, 60_000);
});
