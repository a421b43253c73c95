// @headland/kube against the real test API server, in-process on loopback (no root): informers
// through dropped watches and 410 Gone, Lease election between real electors (one of them a
// separate process that is killed), Events with dedup, and writeWithRetry on a real 409 race.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig, type KubernetesObject, type V1Service } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { createInformer, EventRecorder, LeaderElector, requestJson, writeWithRetry, type ChangeType, type Informer, type JsonObject } from '@headland/kube';
import { ApiServer, type ApiServerOptions, kubeconfigYaml } from '@headland/lab/apiserver';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const kubectlPath = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

let dir = '';
const cleanups: (() => Promise<void> | void)[] = [];

interface Running {
  server: ApiServer;
  kc: KubeConfig;
  kubeconfig: string;
  url: string;
}

async function startServer(opts: ApiServerOptions = {}): Promise<Running> {
  // These tests count Services; the server's own default/kubernetes would be one more.
  const server = new ApiServer({ kubernetesService: false, ...opts });
  const { port } = await server.listen('127.0.0.1', 0);
  const url = `http://127.0.0.1:${port}`;
  const kubeconfig = join(dir, `kubeconfig-${port}`);
  await writeFile(kubeconfig, kubeconfigYaml(url));
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  cleanups.push(() => server.close());
  return { server, kc, kubeconfig, url };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function kubectl(kubeconfig: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(kubectlPath ?? 'kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kubectl-cache'), ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}

/** Every change an informer reports, as "type ns/name", plus the objects themselves. */
function record<T extends KubernetesObject>(inf: Informer<T>) {
  const changes: string[] = [];
  const objects: { type: ChangeType; obj: T; old: T | undefined }[] = [];
  const errors: unknown[] = [];
  inf.on('change', (type, obj, old) => {
    changes.push(`${type} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`);
    objects.push({ type, obj, old });
  });
  inf.on('error', (err) => errors.push(err));
  return { changes, objects, errors };
}

const svcBody = (name: string, labels: Record<string, string> = {}): V1Service => ({ metadata: { name, labels }, spec: { ports: [{ port: 80 }] } });
const names = (inf: Informer<KubernetesObject>) => inf.list().map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`).sort();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headland-kube-e2e-'));
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('informer', () => {
  test('follows add, update and delete of Services; list and watch give the same plain-JSON shape', async () => {
    const { kc } = await startServer();
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedService({ namespace: 'default', body: svcBody('before') });
    const inf = createInformer<KubernetesObject>(kc, { apiVersion: 'v1', plural: 'services', kind: 'Service' }, { retryMinMs: 50, retryMaxMs: 200 });
    cleanups.push(() => inf.stop());
    const seen = record(inf);
    expect(inf.hasSynced()).toBe(false);
    await inf.synced;
    expect(inf.hasSynced()).toBe(true);
    expect(seen.changes).toEqual(['add default/before']);

    await core.createNamespacedService({ namespace: 'default', body: svcBody('after') });
    await until('the watched add', () => (seen.changes.length === 2 ? true : undefined));
    await core.patchNamespacedService({ namespace: 'default', name: 'after', body: [{ op: 'add', path: '/metadata/labels', value: { tier: 'web' } }] });
    await until('the update', () => (seen.changes.length === 3 ? true : undefined));
    await core.deleteNamespacedService({ namespace: 'default', name: 'after' });
    await until('the delete', () => (seen.changes.length === 4 ? true : undefined));
    expect(seen.changes).toEqual(['add default/before', 'add default/after', 'update default/after', 'delete default/after']);
    expect(seen.errors).toEqual([]);

    const [fromList, fromWatch, update] = seen.objects;
    // What the informer holds is what the server serves for that object, apiVersion and kind included.
    const served = await requestJson(kc, 'GET', '/api/v1/namespaces/default/services/before');
    expect(inf.get('default', 'before')).toEqual(served);
    // Both carry apiVersion and kind (a list's items need not), times stay strings (no Dates), same fields.
    for (const o of [fromList?.obj, fromWatch?.obj]) {
      expect(o).toMatchObject({ apiVersion: 'v1', kind: 'Service' });
      expect(typeof o?.metadata?.creationTimestamp).toBe('string');
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(Object.keys(o ?? {}).sort()).toEqual(Object.keys(served).sort());
      expect(Object.keys(o?.metadata ?? {}).sort()).toEqual(Object.keys(served['metadata'] ?? {}).sort());
    }
    expect(update?.old?.metadata?.labels ?? {}).toEqual({});
    expect(update?.obj.metadata?.labels).toEqual({ tier: 'web' });
    expect(names(inf)).toEqual(['default/before']);
  });

  test('follows a Headland CRD in one namespace, with a label selector', async () => {
    const { server, kc } = await startServer();
    server.applyCrd(parse(await readFile(join(root, 'manifests/crds/headland.io_ipaddresspools.yaml'), 'utf8')) as Parameters<ApiServer['applyCrd']>[0]);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'headland-system' } } });
    await core.createNamespace({ body: { metadata: { name: 'elsewhere' } } });
    const pool = (name: string, labels: Record<string, string>, addresses: string[]) => ({ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name, labels }, spec: { addresses } });
    const poolsPath = (ns: string) => `/apis/headland.io/v1beta1/namespaces/${ns}/ipaddresspools`;
    const inf = createInformer<KubernetesObject & { spec?: { addresses?: string[] } }>(
      kc,
      { apiVersion: 'headland.io/v1beta1', plural: 'ipaddresspools', kind: 'IPAddressPool', namespace: 'headland-system', labelSelector: 'team=net' },
      { retryMinMs: 50, retryMaxMs: 200 },
    );
    cleanups.push(() => inf.stop());
    const seen = record(inf);
    await inf.synced;
    await requestJson(kc, 'POST', poolsPath('headland-system'), { body: pool('lan', { team: 'net' }, ['203.0.113.0/28']) });
    await requestJson(kc, 'POST', poolsPath('headland-system'), { body: pool('other-team', { team: 'db' }, ['203.0.113.16/28']) });
    await requestJson(kc, 'POST', poolsPath('elsewhere'), { body: pool('lan', { team: 'net' }, ['203.0.113.32/28']) });
    await requestJson(kc, 'PATCH', `${poolsPath('headland-system')}/lan`, { body: { spec: { addresses: ['203.0.113.0/27'] } }, contentType: 'application/merge-patch+json' });
    // Relabelling out of the selector is a delete to this informer.
    await requestJson(kc, 'PATCH', `${poolsPath('headland-system')}/lan`, { body: { metadata: { labels: { team: 'gone' } } }, contentType: 'application/merge-patch+json' });
    await until('three changes', () => (seen.changes.length >= 3 ? true : undefined));
    expect(seen.changes).toEqual(['add headland-system/lan', 'update headland-system/lan', 'delete headland-system/lan']);
    expect(seen.objects[1]?.obj).toMatchObject({ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', spec: { addresses: ['203.0.113.0/27'] } });
    expect(seen.objects[1]?.old?.spec?.addresses).toEqual(['203.0.113.0/28']);
    expect(inf.list()).toEqual([]);
  });

  test('a dropped watch is resumed from where it was: nothing missed, nothing reported as an error', async () => {
    const { kc, url } = await startServer();
    const core = kc.makeApiClient(CoreV1Api);
    const inf = createInformer<KubernetesObject>(kc, { apiVersion: 'v1', plural: 'services', kind: 'Service', namespace: 'default' }, { retryMinMs: 50, retryMaxMs: 200 });
    cleanups.push(() => inf.stop());
    const seen = record(inf);
    await inf.synced;
    await core.createNamespacedService({ namespace: 'default', body: svcBody('a') });
    await until('a', () => (seen.changes.length === 1 ? true : undefined));
    for (let round = 0; round < 3; round++) {
      const dropped = (await (await fetch(`${url}/_headland/drop-watches`, { method: 'POST' })).json()) as { dropped: number };
      expect(dropped.dropped).toBe(1);
      await core.createNamespacedService({ namespace: 'default', body: svcBody(`b${round}`) });
      await core.deleteNamespacedService({ namespace: 'default', name: round === 0 ? 'a' : `b${round - 1}` });
    }
    await until('all changes after the drops', () => (seen.changes.length === 7 ? true : undefined));
    expect(seen.changes).toEqual(['add default/a', 'add default/b0', 'delete default/a', 'add default/b1', 'delete default/b0', 'add default/b2', 'delete default/b1']);
    expect(names(inf)).toEqual(['default/b2']);
    expect(seen.errors).toEqual([]);
  });

  test('after 410 Gone it relists, and an object deleted while it was away is reported deleted', async () => {
    // A short history, so the events between the drop and the re-watch cannot be replayed.
    const { server, kc } = await startServer({ historySize: 5 });
    const core = kc.makeApiClient(CoreV1Api);
    for (const n of ['keep', 'doomed', 'changed']) await core.createNamespacedService({ namespace: 'default', body: svcBody(n) });
    const inf = createInformer<KubernetesObject>(kc, { apiVersion: 'v1', plural: 'services', kind: 'Service' }, { retryMinMs: 50, retryMaxMs: 200 });
    cleanups.push(() => inf.stop());
    const seen = record(inf);
    await inf.synced;
    // A change seen through the watch proves the watch is open before it is dropped.
    await core.createNamespacedService({ namespace: 'default', body: svcBody('watch-open') });
    await until('the watch', () => (inf.get('default', 'watch-open') !== undefined ? true : undefined));
    expect(seen.changes.sort()).toEqual(['add default/changed', 'add default/doomed', 'add default/keep', 'add default/watch-open']);
    seen.changes.length = 0;

    const services = server.registry.find('', 'v1', 'services');
    if (services === undefined) throw new Error('services type missing');
    // All in one tick: the informer cannot re-watch before the history has moved on.
    expect(server.dropWatches()).toBe(1);
    server.store.delete(services, 'default', 'doomed');
    const changed = server.store.get(services, 'default', 'changed');
    server.store.update(services, 'default', 'changed', { ...changed, metadata: { ...(changed['metadata'] as JsonObject), labels: { v: '2' } } }, undefined);
    for (let i = 0; i < 10; i++) server.store.create(services, 'default', { metadata: { name: `new-${i}` }, spec: { ports: [{ port: 80 }] } });
    for (let i = 0; i < 9; i++) server.store.delete(services, 'default', `new-${i}`);

    await until('the relist', () => (seen.changes.length >= 3 ? true : undefined));
    expect(seen.changes.sort()).toEqual(['add default/new-9', 'delete default/doomed', 'update default/changed']);
    expect(names(inf)).toEqual(['default/changed', 'default/keep', 'default/new-9', 'default/watch-open']);
    expect(inf.get('default', 'changed')?.metadata?.labels).toEqual({ v: '2' });
    expect(seen.errors).toEqual([]);
  });

  test('while the server is down it reports failures with growing waits, then relists when it is back', async () => {
    const first = await startServer();
    const port = Number(new URL(first.url).port);
    const inf = createInformer<KubernetesObject>(first.kc, { apiVersion: 'v1', plural: 'namespaces', kind: 'Namespace' }, { retryMinMs: 50, retryMaxMs: 200 });
    cleanups.push(() => inf.stop());
    const waits: number[] = [];
    inf.on('error', (_err, retryInMs) => waits.push(retryInMs));
    await inf.synced;
    expect(inf.list().length).toBe(4);
    await first.server.close();
    await until('three failures', () => (waits.length >= 3 ? true : undefined));
    expect(waits.slice(0, 3)).toEqual([50, 100, 200]);
    // A fresh server on the same port has other namespaces: the informer must relist to see them.
    const second = new ApiServer();
    await second.listen('127.0.0.1', port);
    cleanups.push(() => second.close());
    const core = first.kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'fresh' } } });
    await until('the fresh namespace', () => (inf.get(undefined, 'fresh') !== undefined ? true : undefined));
    expect(names(inf)).toEqual(['/default', '/fresh', '/kube-node-lease', '/kube-public', '/kube-system']);
  });

  test('stop before the first list rejects synced instead of leaving it pending', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml('http://127.0.0.1:9'));
    const inf = createInformer<KubernetesObject>(kc, { apiVersion: 'v1', plural: 'services', kind: 'Service' }, { retryMinMs: 50, retryMaxMs: 100 });
    const failed = new Promise((r) => inf.on('error', r));
    await failed;
    await inf.stop();
    await expect(inf.synced).rejects.toThrow('informer: v1 services stopped before its first list');
  });
});

describe('leader election', () => {
  const short = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 400 };

  function candidate(kc: KubeConfig, identity: string) {
    const elector = new LeaderElector(kc, { namespace: 'default', name: 'headland-test', identity, ...short });
    const state = { leading: false, started: 0, stopped: 0, leaders: [] as string[], startedAt: 0, signal: undefined as AbortSignal | undefined };
    elector.run({
      onStartedLeading: (signal) => {
        state.leading = true;
        state.started++;
        state.startedAt = Date.now();
        state.signal = signal;
      },
      onStoppedLeading: () => {
        state.leading = false;
        state.stopped++;
      },
      onNewLeader: (id) => state.leaders.push(id),
    });
    cleanups.push(() => elector.release());
    return { elector, state };
  }

  test('two electors: exactly one leads; release() hands over within about one retry period', async () => {
    const { kc, kubeconfig } = await startServer();
    const a = candidate(kc, 'a');
    const b = candidate(kc, 'b');
    const first = await until('a leader', () => (a.state.leading || b.state.leading ? true : undefined));
    expect(first).toBe(true);
    // Over several renew periods the leadership neither doubles nor moves.
    await new Promise((r) => setTimeout(r, 3 * short.retryPeriodMs));
    const [leader, standby] = a.state.leading ? [a, b] : [b, a];
    expect([leader.state.leading, standby.state.leading]).toEqual([true, false]);
    expect([leader.elector.isLeader(), standby.elector.isLeader()]).toEqual([true, false]);
    expect(leader.state.started).toBe(1);
    const leaderId = leader === a ? 'a' : 'b';
    await until('the standby hearing of the leader', () => (standby.state.leaders.includes(leaderId) ? true : undefined));

    const lease = await requestJson(kc, 'GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases/headland-test');
    expect(lease['spec']).toMatchObject({ holderIdentity: leaderId, leaseDurationSeconds: 3, leaseTransitions: 0 });
    expect(String((lease['spec'] as JsonObject)['renewTime'])).toMatch(/\.\d{6}Z$/);
    if (kubectlPath !== undefined) {
      const out = await kubectl(kubeconfig, ['get', 'lease', 'headland-test', '-o', 'jsonpath={.spec.holderIdentity}']);
      expect(out).toMatchObject({ code: 0, out: leaderId });
    }

    const signal = leader.state.signal;
    await leader.elector.release();
    const releasedAt = Date.now();
    expect(leader.state.stopped).toBe(1);
    expect(signal?.aborted).toBe(true);
    await until('the standby taking over', () => (standby.state.leading ? true : undefined), 5_000);
    // Within one retry period (plus scheduling slack), not after a whole lease duration.
    expect(standby.state.startedAt - releasedAt).toBeLessThan(short.retryPeriodMs + 600);
    const after = await requestJson(kc, 'GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases/headland-test');
    expect(after['spec']).toMatchObject({ holderIdentity: standby === a ? 'a' : 'b', leaseTransitions: 1 });
    expect(leader.elector.isLeader()).toBe(false);
  });

  test('a leader that dies without releasing is replaced within the lease duration', async () => {
    const { kc, kubeconfig } = await startServer();
    await new Promise<void>((ok, fail) => execFile('npx', ['tsc', '-b', 'kube'], { cwd: root }, (e) => (e ? fail(e) : ok())));
    // The doomed leader is a separate process, so it can be killed the hard way.
    const script = `
      import { KubeConfig } from '@kubernetes/client-node';
      import { LeaderElector } from ${JSON.stringify(join(root, 'kube/dist/index.js'))};
      const kc = new KubeConfig();
      kc.loadFromFile(${JSON.stringify(kubeconfig)});
      new LeaderElector(kc, { namespace: 'default', name: 'headland-test', identity: 'doomed', ${Object.entries(short).map(([k, v]) => `${k}: ${v}`).join(', ')} })
        .run({ onStartedLeading: () => console.log('leading'), onStoppedLeading: () => console.log('stopped') });
    `;
    const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: join(root, 'kube'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => child.on('exit', r));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });
    await until('the child leading', () => (out.includes('leading') ? true : undefined), 10_000);

    const standby = candidate(kc, 'standby');
    await until('the standby hearing of the leader', () => (standby.state.leaders.includes('doomed') ? true : undefined));
    expect(standby.state.leading).toBe(false);
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    await until('the standby taking over', () => (standby.state.leading ? true : undefined), 10_000);
    const took = standby.state.startedAt - killedAt;
    // Not before the lease could have expired (the last renew was at most one retry period before the kill) ...
    expect(took).toBeGreaterThanOrEqual(short.leaseDurationMs - short.retryPeriodMs - 100);
    // ... and no later than a lease duration after the standby last saw a renew (which may be up to
    // one retry period after the kill, for a renew just before it), plus one retry period to notice.
    expect(took).toBeLessThanOrEqual(short.leaseDurationMs + 2 * short.retryPeriodMs + 300);
    expect(out).not.toContain('Error');
  }, 30_000);
});

describe('events', () => {
  test('a repeated event is one Event with count 2; another message is another Event; kubectl shows them', async () => {
    const { kc, kubeconfig } = await startServer();
    const core = kc.makeApiClient(CoreV1Api);
    const svc = await core.createNamespacedService({ namespace: 'default', body: svcBody('web') });
    const involved = { apiVersion: 'v1', kind: 'Service', metadata: svc.metadata ?? {} };
    const recorder = new EventRecorder(kc, { component: 'headland-controller', host: 'test-host' });
    recorder.event(involved, 'Normal', 'IPAllocated', 'Assigned IP ["203.0.113.1"]');
    recorder.event(involved, 'Normal', 'IPAllocated', 'Assigned IP ["203.0.113.1"]');
    recorder.event(involved, 'Warning', 'AllocationFailed', 'no available IPs in pool "lan"');
    // Bad input is logged and dropped, never thrown at the caller.
    recorder.event({ apiVersion: 'v1', kind: 'Service', metadata: {} }, 'Normal', 'IPAllocated', 'x');
    recorder.event(involved, 'Normal', 'not a reason', 'x');
    await recorder.flush();

    const list = await requestJson(kc, 'GET', '/api/v1/namespaces/default/events');
    const events = (list['items'] as JsonObject[]).map((e) => ({
      reason: e['reason'],
      type: e['type'],
      count: e['count'],
      message: e['message'],
      involved: (e['involvedObject'] as JsonObject)['uid'],
      // The whole metadata went in; only an ObjectReference's fields come out.
      refFields: Object.keys(e['involvedObject'] as JsonObject).sort().join(),
      source: e['source'],
      sameTimes: e['firstTimestamp'] === e['lastTimestamp'],
    }));
    expect(events.sort((x, y) => String(x.reason).localeCompare(String(y.reason)))).toEqual([
      { reason: 'AllocationFailed', type: 'Warning', count: 1, message: 'no available IPs in pool "lan"', involved: svc.metadata?.uid, refFields: 'apiVersion,kind,name,namespace,resourceVersion,uid', source: { component: 'headland-controller', host: 'test-host' }, sameTimes: true },
      { reason: 'IPAllocated', type: 'Normal', count: 2, message: 'Assigned IP ["203.0.113.1"]', involved: svc.metadata?.uid, refFields: 'apiVersion,kind,name,namespace,resourceVersion,uid', source: { component: 'headland-controller', host: 'test-host' }, sameTimes: expect.any(Boolean) as unknown as boolean },
    ]);
    if (kubectlPath !== undefined) {
      const out = await kubectl(kubeconfig, ['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.name=web', '-o', 'custom-columns=REASON:.reason,COUNT:.count', '--no-headers']);
      expect(out.code).toBe(0);
      expect(out.out.trim().split('\n').map((l) => l.trim().split(/\s+/)).sort()).toEqual([['AllocationFailed', '1'], ['IPAllocated', '2']]);
    }
  });

  test('an unreachable API server: event() neither throws nor blocks, flush() still resolves', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml('http://127.0.0.1:9'));
    const recorder = new EventRecorder(kc, { component: 'headland-controller' });
    recorder.event({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'web' } }, 'Normal', 'IPAllocated', 'x');
    await expect(recorder.flush()).resolves.toBeUndefined();
  });
});

describe('writeWithRetry', () => {
  test('a real 409: the rival write lands between our read and our write, we re-read and keep both', async () => {
    const { kc } = await startServer();
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedService({ namespace: 'default', body: svcBody('web') });
    let reads = 0;
    const attempts: string[] = [];
    const out = await writeWithRetry(
      async () => {
        const current = await core.readNamespacedService({ namespace: 'default', name: 'web' });
        if (reads++ === 0) {
          // Another writer (a second controller replica) updates the object right after our read.
          await core.patchNamespacedService({ namespace: 'default', name: 'web', body: [{ op: 'add', path: '/metadata/annotations', value: { rival: 'yes' } }] });
        }
        return current;
      },
      (current) => (current.metadata?.annotations?.['mine'] === 'yes' ? undefined : { ...current, metadata: { ...current.metadata, annotations: { ...current.metadata?.annotations, mine: 'yes' } } }),
      async (next) => {
        attempts.push(String(next.metadata?.resourceVersion));
        return core.replaceNamespacedService({ namespace: 'default', name: 'web', body: next });
      },
    );
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).not.toBe(attempts[1]);
    expect(out?.metadata?.annotations).toEqual({ rival: 'yes', mine: 'yes' });
    const final = await core.readNamespacedService({ namespace: 'default', name: 'web' });
    expect(final.metadata?.annotations).toEqual({ rival: 'yes', mine: 'yes' });
    // Run again: nothing to do, nothing written.
    expect(await writeWithRetry(() => core.readNamespacedService({ namespace: 'default', name: 'web' }), (c) => (c.metadata?.annotations?.['mine'] === 'yes' ? undefined : c), async (n) => n)).toBeUndefined();
  });
});
