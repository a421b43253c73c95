import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { DaemonSet, Deployment, Pod } from './model.js';
import { bytesOf, cpusOf, podmanRunArgv, type RunContext } from './podman-args.js';

const repo = new URL('../../../', import.meta.url);
const manifest = <T>(file: string): T => parseAllDocuments(readFileSync(new URL(file, repo), 'utf8'))[0]!.toJSON() as T;
const podOf = (t: { spec: { template: Pod['spec'] extends never ? never : { metadata?: Pod['metadata']; spec: Pod['spec'] } } }, name: string): Pod => ({
  metadata: { name, namespace: 'headland-system', uid: 'u-1', labels: t.spec.template.metadata?.labels ?? {} },
  spec: { ...t.spec.template.spec, nodeName: 'node1' },
});
const speakerPod = podOf(manifest<DaemonSet>('manifests/speaker.yaml'), 'headland-speaker-abcde');
const controllerPod = podOf(manifest<Deployment>('manifests/controller.yaml'), 'headland-controller-7d9f-abcde');

const ctx: RunContext = {
  podmanGlobal: ['--runtime', 'runc'],
  netns: 'hl-kl_node1',
  podNetwork: false,
  nodeName: 'node1',
  hostIP: '198.18.0.11',
  podIP: '198.18.0.11',
  apiHost: '198.19.255.1',
  apiPort: '6443',
  name: 'k8s_c_p_ns_u_0',
  labels: { 'io.headland.kubelet.node': 'node1' },
  logPath: '/logs/c/0.log',
  podDir: '/pods/u-1',
  serviceAccountDir: '/pods/u-1/serviceaccount',
  secret: (name, key) => (name === 's' && key === 'k' ? 'sekret' : undefined),
  imageUser: '',
  ulimits: ['nofile=16384:16384'],
  allowPrivileged: false,
};

/** Pairs "--flag value" of an argv, and single flags alone, so a table can name them. */
function flags(argv: readonly string[]): string[] {
  const out: string[] = [];
  const singles = new Set(['--detach', '--read-only', '--read-only-tmpfs=false', '--privileged']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    if (singles.has(a)) out.push(a);
    else out.push(`${a} ${argv[++i]}`);
  }
  return out;
}

describe('the manifests', () => {
  test('speaker: host network, root with exactly three capabilities, read-only, no-new-privileges, env from the pod', () => {
    const t = podmanRunArgv(speakerPod, speakerPod.spec.containers[0]!, 0, ctx);
    if (!t.ok) throw new Error(t.refusals.join('\n'));
    expect(t.argv.slice(0, 5)).toEqual(['podman', '--runtime', 'runc', 'run', '--detach']);
    expect(flags(t.argv)).toEqual(expect.arrayContaining([
      '--network ns:/run/netns/hl-kl_node1', '--user 0:0', '--cap-drop all', '--cap-add NET_RAW', '--cap-add NET_BIND_SERVICE', '--cap-add NET_ADMIN',
      '--read-only', '--read-only-tmpfs=false', '--security-opt no-new-privileges', '--memory 268435456', '--stop-timeout 30', '--pull never',
      '--mount type=bind,source=/var/lib/headland,destination=/var/lib/headland',
      '--env NODE_NAME=node1', '--env POD_NAME=headland-speaker-abcde', '--env POD_NAMESPACE=headland-system',
      '--env NODE_OPTIONS=--max-old-space-size=192 --max-semi-space-size=4', '--env KUBERNETES_SERVICE_HOST=198.19.255.1', '--env KUBERNETES_SERVICE_PORT=6443',
      '--mount type=bind,source=/pods/u-1/serviceaccount,destination=/var/run/secrets/kubernetes.io/serviceaccount,ro',
      '--log-driver k8s-file', '--log-opt path=/logs/c/0.log', '--ulimit nofile=16384:16384', '--hostname node1',
    ]));
    expect(t.argv).not.toContain('--privileged');
    expect(flags(t.argv)).not.toContain('--security-opt seccomp=unconfined');
    expect(t.argv.slice(-1)).toEqual(['ghcr.io/headland/headland:0.1.0']);
  });
  test('speaker notes: tolerations, dnsPolicy, requests', () => {
    const t = podmanRunArgv(speakerPod, speakerPod.spec.containers[0]!, 0, ctx);
    expect(t.notes.join('\n')).toMatch(/spec.dnsPolicy: [\s\S]*spec.tolerations: ignored[\s\S]*resources.requests: ignored/);
  });
  test('speaker: command is the entrypoint', () => {
    const t = podmanRunArgv(speakerPod, speakerPod.spec.containers[0]!, 0, ctx);
    expect(t.ok && flags(t.argv)).toContain('--entrypoint ["headland-speaker","--namespace","headland-system","--restart-state-file","/var/lib/headland/speaker-restart"]');
  });
  test('controller: uid 65532, no capabilities, and a note that it shares the node network', () => {
    const t = podmanRunArgv(controllerPod, controllerPod.spec.containers[0]!, 0, ctx);
    if (!t.ok) throw new Error(t.refusals.join('\n'));
    expect(flags(t.argv)).toEqual(expect.arrayContaining(['--user 65532:65532', '--cap-drop all', '--read-only', '--security-opt no-new-privileges', '--stop-timeout 20', '--hostname headland-controller-7d9f-abcde']));
    expect(t.argv.filter((a) => a === '--cap-add')).toEqual([]);
    expect(t.notes.join('\n')).toMatch(/affinity: ignored[\s\S]*hostNetwork is false but the stand-in has no --pod-cidr/);
  });
  test('controller in a pod namespace of its own: joins it, and no note about sharing the node network', () => {
    const own = { ...ctx, netns: 'hl-kl_node1_k0123abcd', podNetwork: true, podIP: '198.18.101.254' };
    const t = podmanRunArgv(controllerPod, controllerPod.spec.containers[0]!, 0, own);
    if (!t.ok) throw new Error(t.refusals.join('\n'));
    expect(flags(t.argv)).toContain('--network ns:/run/netns/hl-kl_node1_k0123abcd');
    expect(t.notes.join('\n')).not.toMatch(/hostNetwork/);
  });
});

const base: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { nodeName: 'node1', hostNetwork: true, containers: [{ name: 'c', image: 'img' }] } };
const withC = (c: Partial<Pod['spec']['containers'][number]>, spec: Partial<Pod['spec']> = {}): Pod => ({ ...base, spec: { ...base.spec, ...spec, containers: [{ name: 'c', image: 'img', ...c }] } });

test.each<[string, Pod, Partial<RunContext>, string[]]>([
  ['no seccompProfile is Unconfined, as the kubelet does', base, {}, ['--security-opt seccomp=unconfined']],
  ['args only keep the entrypoint', withC({ args: ['a', 'b'] }), {}, []],
  ['secretKeyRef resolved', withC({ env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }), {}, ['--env S=sekret']],
  ['status.podIP / hostIP', withC({ env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }] }), {}, ['--env A=198.18.0.11', '--env B=198.18.0.11']],
  ['emptyDir is a per-pod dir, hostPath a bind, readOnly kept', withC({ volumeMounts: [{ name: 'e', mountPath: '/e' }, { name: 'h', mountPath: '/h', readOnly: true }] }, { volumes: [{ name: 'e', emptyDir: {} }, { name: 'h', hostPath: { path: '/srv' } }] }), {}, ['--mount type=bind,source=/pods/u-1/volumes/e,destination=/e', '--mount type=bind,source=/srv,destination=/h,ro']],
  ['emptyDir Memory is a tmpfs', withC({ volumeMounts: [{ name: 'e', mountPath: '/e' }] }, { volumes: [{ name: 'e', emptyDir: { medium: 'Memory' } }] }), {}, ['--mount type=tmpfs,destination=/e']],
  ['privileged with --allow-privileged', withC({ securityContext: { privileged: true } }), { allowPrivileged: true }, ['--privileged']],
  ['no token: no mount', withC({}, { automountServiceAccountToken: false }), { serviceAccountDir: undefined as unknown as string }, []],
  ['cpu limit', withC({ resources: { limits: { cpu: '500m' } } }), {}, ['--cpus 0.5']],
  ['runAsNonRoot with a numeric image user', withC({ securityContext: { runAsNonRoot: true } }), { imageUser: '1000' }, []],
])('translates: %s', (_, pod, over, expected) => {
  const c = { ...ctx, ...over };
  if (over.serviceAccountDir === undefined && 'serviceAccountDir' in over) delete (c as { serviceAccountDir?: string }).serviceAccountDir;
  const t = podmanRunArgv(pod, pod.spec.containers[0]!, 0, c);
  if (!t.ok) throw new Error(t.refusals.join('\n'));
  expect(flags(t.argv)).toEqual(expect.arrayContaining(expected));
  if (_ === 'no token: no mount') expect(t.argv.join(' ')).not.toContain('serviceaccount');
  if (_ === 'args only keep the entrypoint') expect(t.argv.slice(-3)).toEqual(['img', 'a', 'b']);
});

test.each<[string, Pod, Partial<RunContext>, RegExp]>([
  ['privileged without the flag', withC({ securityContext: { privileged: true } }), {}, /spec.containers\[0\] \(c\).securityContext.privileged: true is refused/],
  ['an unknown container field', withC({ stdin: true }), {}, /spec.containers\[0\] \(c\).stdin is not supported/],
  ['an unknown pod field', withC({}, { initContainers: [] }), {}, /spec.initContainers is not supported/],
  ['a configMap volume', withC({}, { volumes: [{ name: 'v', configMap: { name: 'x' } }] }), {}, /spec.volumes\[0\] \(v\): only emptyDir and hostPath/],
  ['a missing secret key', withC({ env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'nope' } } }] }), {}, /secret s has no key nope/],
  ['configMapKeyRef', withC({ env: [{ name: 'S', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }] }), {}, /valueFrom.configMapKeyRef is not supported/],
  ['an unsupported fieldRef', withC({ env: [{ name: 'S', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } }] }), {}, /fieldPath metadata.labels is not supported/],
  ['runAsNonRoot as uid 0', withC({ securityContext: { runAsNonRoot: true, runAsUser: 0 } }), {}, /runAsNonRoot but the container would run as root/],
  ['runAsNonRoot with a root image', withC({ securityContext: { runAsNonRoot: true } }), { imageUser: '' }, /runAsNonRoot but the container would run as root/],
  ['runAsNonRoot with a named image user', withC({ securityContext: { runAsNonRoot: true } }), { imageUser: 'app' }, /image user "app" is not numeric/],
  ['exec probe', withC({ livenessProbe: { exec: { command: ['true'] } } }), {}, /livenessProbe.exec is not supported[\s\S]*only httpGet/],
  ['postStart', withC({ lifecycle: { postStart: { exec: { command: ['x'] } } } }), {}, /lifecycle.postStart is not supported/],
  ['seLinuxOptions', withC({ securityContext: { seLinuxOptions: { level: 's0' } } }), {}, /securityContext.seLinuxOptions is not supported/],
  ['pod fsGroup', withC({}, { securityContext: { fsGroup: 1 } }), {}, /spec.securityContext.fsGroup is not supported/],
  ['subPath', withC({ volumeMounts: [{ name: 'e', mountPath: '/e', subPath: 'x' }] }, { volumes: [{ name: 'e', emptyDir: {} }] }), {}, /volumeMounts\[0\].subPath is not supported/],
  ['restartPolicy Never', withC({}, { restartPolicy: 'Never' }), {}, /restartPolicy Never is not supported/],
  ['Localhost seccomp', withC({ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'x' } } }), {}, /seccompProfile.type Localhost/],
  ['a hostPort unlike the containerPort', withC({ ports: [{ containerPort: 80, hostPort: 8080 }] }), {}, /hostPort 8080 differs/],
])('refuses: %s', (_, pod, over, re) => {
  const t = podmanRunArgv(pod, pod.spec.containers[0]!, 0, { ...ctx, ...over });
  expect(t.ok).toBe(false);
  if (!t.ok) expect(t.refusals.join('\n')).toMatch(re);
});

test.each<[string, number | undefined]>([['256Mi', 268435456], ['1G', 1e9], ['100', 100], ['x', undefined]])('bytesOf %s', (q, n) => expect(bytesOf(q)).toBe(n));
test.each<[string, number | undefined]>([['500m', 0.5], ['2', 2], ['x', undefined]])('cpusOf %s', (q, n) => expect(cpusOf(q)).toBe(n));
