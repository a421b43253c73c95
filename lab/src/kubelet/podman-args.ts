// A Pod's container as a `podman run` command line, pure: every field is either translated,
// accepted with a note saying what the lab does instead, or refused by name (never dropped).

import type { Container, EnvVar, Pod, SecurityContext, Volume } from './model.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface RunContext {
  /** podman's global flags before `run` (`--runtime runc` and the like). */
  readonly podmanGlobal: readonly string[];
  /** The network namespace the containers join (/run/netns/NAME): the node's, or the Pod's own. */
  readonly netns: string;
  /** The Pod has a namespace of its own (non-hostNetwork Pods on a node with pod CIDRs). */
  readonly podNetwork: boolean;
  readonly nodeName: string;
  readonly hostIP: string;
  readonly podIP: string;
  readonly apiHost: string;
  readonly apiPort: string;
  /** The podman container name. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The CRI-format log file podman writes (k8s-file driver). */
  readonly logPath: string;
  /** Per-pod directory on the host: emptyDir volumes live under it. */
  readonly podDir: string;
  /** Host dir holding token, ca.crt and namespace; unset when no token is mounted. */
  readonly serviceAccountDir?: string;
  /** Secret values by "name/key"; a missing key is undefined. */
  readonly secret: (name: string, key: string) => string | undefined;
  /** The image's configured user ("", "0", "65532", "app"...): runAsNonRoot is checked against it. */
  readonly imageUser: string;
  readonly ulimits: readonly string[];
  readonly allowPrivileged: boolean;
}

export type Translation = { readonly ok: true; readonly argv: string[]; readonly notes: string[] } | { readonly ok: false; readonly refusals: string[]; readonly notes: string[] };

const POD_FIELDS_USED = new Set(['containers', 'nodeName', 'nodeSelector', 'hostNetwork', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'terminationGracePeriodSeconds', 'securityContext', 'volumes', 'restartPolicy']);
const POD_FIELDS_NOTED: Record<string, string> = {
  tolerations: 'ignored: the lab nodes have no taints',
  affinity: 'ignored: Deployment replicas are spread round-robin over eligible nodes',
  dnsPolicy: 'the container uses the node\'s /etc/resolv.conf (the lab has no cluster DNS)',
  schedulerName: 'ignored: the stand-in places pods itself',
  enableServiceLinks: 'ignored: no Service environment variables are set',
  priority: 'ignored: no preemption in the lab',
  priorityClassName: 'ignored: no preemption in the lab',
  preemptionPolicy: 'ignored: no preemption in the lab',
};
const CONTAINER_FIELDS_USED = new Set(['name', 'image', 'command', 'args', 'env', 'ports', 'livenessProbe', 'readinessProbe', 'securityContext', 'volumeMounts', 'lifecycle', 'resources', 'workingDir']);
const CONTAINER_FIELDS_NOTED: Record<string, string> = {
  imagePullPolicy: 'ignored: images are never pulled, they must be in podman\'s storage',
  terminationMessagePath: 'ignored: no termination message is read',
  terminationMessagePolicy: 'ignored: no termination message is read',
};
const SC_FIELDS = new Set(['runAsUser', 'runAsGroup', 'runAsNonRoot', 'privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'capabilities', 'seccompProfile']);
const POD_SC_FIELDS = new Set(['runAsUser', 'runAsGroup', 'runAsNonRoot', 'seccompProfile']);
const FIELD_REFS = new Set(['spec.nodeName', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'status.hostIP', 'status.podIP', 'spec.serviceAccountName']);

/** "256Mi" -> 268435456; undefined when it is not a quantity. */
export function bytesOf(q: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
  if (m === null) return undefined;
  const unit: Record<string, number> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.round(Number(m[1]) * unit[m[2] ?? '']!);
}

/** "500m" -> 0.5, "2" -> 2. */
export function cpusOf(q: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(q);
  if (m === null) return undefined;
  return m[2] === 'm' ? Number(m[1]) / 1000 : Number(m[1]);
}

export function fieldRefValue(pod: Pod, path: string, ctx: Pick<RunContext, 'hostIP' | 'podIP'>): string | undefined {
  switch (path) {
    case 'spec.nodeName': return pod.spec.nodeName ?? '';
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? 'default';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'status.hostIP': return ctx.hostIP;
    case 'status.podIP': return ctx.podIP;
    case 'spec.serviceAccountName': return serviceAccountOf(pod);
    default: return undefined;
  }
}

export const serviceAccountOf = (pod: Pod): string => pod.spec.serviceAccountName ?? (typeof pod.spec['serviceAccount'] === 'string' ? pod.spec['serviceAccount'] : 'default');

/** Whether the pod gets the projected token volume (automountServiceAccountToken defaults to true). */
export const mountsToken = (pod: Pod): boolean => pod.spec.automountServiceAccountToken !== false;

/** The effective security context: the container's fields over the pod's. */
export function effectiveSecurity(pod: Pod, c: Container): SecurityContext {
  const podSc = pod.spec.securityContext ?? {};
  const pick: Record<string, unknown> = {};
  for (const k of POD_SC_FIELDS) if (podSc[k] !== undefined) pick[k] = podSc[k];
  return { ...pick, ...c.securityContext } as SecurityContext;
}

const numericUser = (u: string): number | undefined => {
  const user = u.split(':')[0] ?? '';
  return /^\d+$/.test(user) ? Number(user) : user === '' || user === 'root' ? 0 : undefined;
};

function unknownKeys(obj: object | undefined, known: Set<string>, where: string, refusals: string[], noted: Record<string, string> = {}, notes: string[] = []): void {
  for (const [k, v] of Object.entries(obj ?? {})) {
    if (v === undefined || known.has(k)) continue;
    if (noted[k] !== undefined) notes.push(`${where}.${k}: ${noted[k]}`);
    else refusals.push(`${where}.${k} is not supported`);
  }
}

function envArgs(pod: Pod, c: Container, ctx: RunContext, where: string, refusals: string[]): string[] {
  const out: string[] = [];
  const put = (name: string, value: string) => out.push('--env', `${name}=${value}`);
  put('KUBERNETES_SERVICE_HOST', ctx.apiHost);
  put('KUBERNETES_SERVICE_PORT', ctx.apiPort);
  put('KUBERNETES_SERVICE_PORT_HTTPS', ctx.apiPort);
  c.env?.forEach((e: EnvVar, i) => {
    const at = `${where}.env[${i}] (${e.name})`;
    if (e.valueFrom === undefined) return put(e.name, e.value ?? '');
    const { fieldRef, secretKeyRef, ...rest } = e.valueFrom;
    for (const k of Object.keys(rest)) refusals.push(`${at}.valueFrom.${k} is not supported`);
    if (fieldRef !== undefined) {
      if (!FIELD_REFS.has(fieldRef.fieldPath)) return refusals.push(`${at}.valueFrom.fieldRef.fieldPath ${fieldRef.fieldPath} is not supported`);
      return put(e.name, fieldRefValue(pod, fieldRef.fieldPath, ctx) ?? '');
    }
    if (secretKeyRef !== undefined) {
      const v = ctx.secret(secretKeyRef.name, secretKeyRef.key);
      if (v !== undefined) return put(e.name, v);
      if (secretKeyRef.optional !== true) refusals.push(`${at}.valueFrom.secretKeyRef: secret ${secretKeyRef.name} has no key ${secretKeyRef.key}`);
    }
    return undefined;
  });
  return out;
}

function securityArgs(pod: Pod, c: Container, ctx: RunContext, where: string, refusals: string[]): string[] {
  const out: string[] = [];
  unknownKeys(pod.spec.securityContext, new Set([...POD_SC_FIELDS]), 'spec.securityContext', refusals);
  unknownKeys(c.securityContext, SC_FIELDS, `${where}.securityContext`, refusals);
  const sc = effectiveSecurity(pod, c);
  if (sc.runAsUser !== undefined) out.push('--user', sc.runAsGroup === undefined ? String(sc.runAsUser) : `${sc.runAsUser}:${sc.runAsGroup}`);
  else if (sc.runAsGroup !== undefined) refusals.push(`${where}.securityContext.runAsGroup without runAsUser is not supported`);
  if (sc.runAsNonRoot === true) {
    const uid = sc.runAsUser ?? numericUser(ctx.imageUser);
    if (uid === undefined) refusals.push(`${where}: runAsNonRoot and the image user "${ctx.imageUser}" is not numeric (cannot verify it is not root)`);
    else if (uid === 0) refusals.push(`${where}: runAsNonRoot but the container would run as root (uid 0)`);
  }
  if (sc.privileged === true) {
    if (ctx.allowPrivileged) out.push('--privileged');
    else refusals.push(`${where}.securityContext.privileged: true is refused (start the stand-in with --allow-privileged)`);
  }
  if (sc.allowPrivilegeEscalation === false) out.push('--security-opt', 'no-new-privileges');
  if (sc.readOnlyRootFilesystem === true) out.push('--read-only', '--read-only-tmpfs=false');
  for (const cap of sc.capabilities?.drop ?? []) out.push('--cap-drop', cap.toUpperCase() === 'ALL' ? 'all' : cap);
  for (const cap of sc.capabilities?.add ?? []) out.push('--cap-add', cap);
  const seccomp = sc.seccompProfile?.type;
  if (seccomp === undefined || seccomp === 'Unconfined') out.push('--security-opt', 'seccomp=unconfined');
  else if (seccomp !== 'RuntimeDefault') refusals.push(`${where}.securityContext.seccompProfile.type ${seccomp} is not supported`);
  return out;
}

function volumeArgs(pod: Pod, c: Container, ctx: RunContext, where: string, refusals: string[], notes: string[]): string[] {
  const out: string[] = [];
  const volumes = new Map<string, Volume>((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  const mounted = new Set<string>();
  c.volumeMounts?.forEach((m, i) => {
    const at = `${where}.volumeMounts[${i}]`;
    unknownKeys(m, new Set(['name', 'mountPath', 'readOnly']), at, refusals);
    const v = volumes.get(m.name);
    mounted.add(m.mountPath);
    const ro = m.readOnly === true ? ',ro' : '';
    if (v === undefined) return void refusals.push(`${at}: no volume named ${m.name}`);
    if (v.emptyDir !== undefined) {
      if (v.emptyDir.medium === 'Memory') out.push('--mount', `type=tmpfs,destination=${m.mountPath}${ro}`);
      else out.push('--mount', `type=bind,source=${ctx.podDir}/volumes/${m.name},destination=${m.mountPath}${ro}`);
      if (v.emptyDir.sizeLimit !== undefined) notes.push(`spec.volumes ${m.name}: emptyDir.sizeLimit ignored`);
      return;
    }
    if (v.hostPath !== undefined) return void out.push('--mount', `type=bind,source=${v.hostPath.path},destination=${m.mountPath}${ro}`);
    return void refusals.push(`spec.volumes ${m.name}: only emptyDir and hostPath volumes are supported (has ${Object.keys(v).filter((k) => k !== 'name').join(', ')})`);
  });
  if (ctx.serviceAccountDir !== undefined && !mounted.has(SERVICE_ACCOUNT_DIR)) out.push('--mount', `type=bind,source=${ctx.serviceAccountDir},destination=${SERVICE_ACCOUNT_DIR},ro`);
  return out;
}

/** Refusals of pod-level fields, the same for every container (the Pod status names them). */
export function podRefusals(pod: Pod, podNetwork = false): { refusals: string[]; notes: string[] } {
  const refusals: string[] = [];
  const notes: string[] = [];
  unknownKeys(pod.spec, POD_FIELDS_USED, 'spec', refusals, POD_FIELDS_NOTED, notes);
  if (pod.spec.restartPolicy !== undefined && pod.spec.restartPolicy !== 'Always') refusals.push(`spec.restartPolicy ${pod.spec.restartPolicy} is not supported (only Always)`);
  pod.spec.volumes?.forEach((v, i) => {
    const kinds = Object.keys(v).filter((k) => k !== 'name');
    if (kinds.length !== 1 || (v.emptyDir === undefined && v.hostPath === undefined)) refusals.push(`spec.volumes[${i}] (${v.name}): only emptyDir and hostPath are supported (has ${kinds.join(', ')})`);
  });
  if (pod.spec.hostNetwork !== true && !podNetwork) notes.push('spec.hostNetwork is false but the stand-in has no --pod-cidr: the pod shares the node\'s network namespace and its podIP is the node\'s');
  return { refusals, notes };
}

/** `podman ... run -d ...` for one container of the pod, or the fields that stop it. */
export function podmanRunArgv(pod: Pod, c: Container, index: number, ctx: RunContext): Translation {
  const where = `spec.containers[${index}] (${c.name})`;
  const { refusals, notes } = podRefusals(pod, ctx.podNetwork);
  unknownKeys(c, CONTAINER_FIELDS_USED, where, refusals, CONTAINER_FIELDS_NOTED, notes);
  if (c.image === undefined || c.image === '') refusals.push(`${where}.image is empty`);
  for (const [which, p] of [['livenessProbe', c.livenessProbe], ['readinessProbe', c.readinessProbe]] as const) {
    if (p === undefined) continue;
    unknownKeys(p, new Set(['httpGet', 'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold']), `${where}.${which}`, refusals);
    if (p.httpGet === undefined) refusals.push(`${where}.${which}: only httpGet probes are supported`);
    else if ((p.httpGet.scheme ?? 'HTTP') !== 'HTTP') refusals.push(`${where}.${which}.httpGet.scheme ${p.httpGet.scheme} is not supported`);
    else if (typeof p.httpGet.port === 'string' && !c.ports?.some((x) => x.name === p.httpGet!.port)) refusals.push(`${where}.${which}.httpGet.port: no port named ${p.httpGet.port}`);
  }
  const { preStop, ...otherHooks } = c.lifecycle ?? {};
  for (const k of Object.keys(otherHooks)) refusals.push(`${where}.lifecycle.${k} is not supported`);
  if (preStop !== undefined && preStop.exec?.command === undefined) refusals.push(`${where}.lifecycle.preStop: only exec is supported`);
  c.ports?.forEach((p, i) => {
    if (p.hostPort !== undefined && p.hostPort !== p.containerPort) refusals.push(`${where}.ports[${i}].hostPort ${p.hostPort} differs from containerPort (no port mapping on the node's network)`);
  });
  const resources: string[] = [];
  const { limits, requests, ...otherRes } = c.resources ?? {};
  for (const k of Object.keys(otherRes)) refusals.push(`${where}.resources.${k} is not supported`);
  if (requests !== undefined) notes.push(`${where}.resources.requests: ignored (no scheduling by resources)`);
  for (const [k, q] of Object.entries(limits ?? {})) {
    if (k === 'memory' && bytesOf(q) !== undefined) resources.push('--memory', String(bytesOf(q)));
    else if (k === 'cpu' && cpusOf(q) !== undefined) resources.push('--cpus', String(cpusOf(q)));
    else refusals.push(`${where}.resources.limits.${k} ${q} is not supported`);
  }
  const env = envArgs(pod, c, ctx, where, refusals);
  const security = securityArgs(pod, c, ctx, where, refusals);
  const volumes = volumeArgs(pod, c, ctx, where, refusals, notes);
  if (refusals.length > 0) return { ok: false, refusals: [...new Set(refusals)], notes };
  const argv = ['podman', ...ctx.podmanGlobal, 'run', '--detach', '--pull', 'never', '--name', ctx.name];
  for (const [k, v] of Object.entries(ctx.labels)) argv.push('--label', `${k}=${v}`);
  argv.push('--network', `ns:/run/netns/${ctx.netns}`, '--hostname', pod.spec.hostNetwork === true ? (pod.spec.nodeName ?? '') : (pod.metadata.name ?? ''));
  argv.push('--log-driver', 'k8s-file', '--log-opt', `path=${ctx.logPath}`);
  argv.push('--stop-timeout', String(pod.spec.terminationGracePeriodSeconds ?? 30));
  for (const u of ctx.ulimits) argv.push('--ulimit', u);
  argv.push(...resources, ...security, ...env, ...volumes);
  if (c.workingDir !== undefined) argv.push('--workdir', c.workingDir);
  if (c.command !== undefined) argv.push('--entrypoint', JSON.stringify(c.command));
  argv.push(c.image!, ...(c.args ?? []));
  return { ok: true, argv, notes };
}
