// headland-controller end to end against headland-apiserver (no root needed): the real
// programs as processes, driven with the real kubectl. Pools and Services, statuses, Events,
// pool counts, invalid config beside valid, restart with no IP changed, leader failover.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distPath, kubectl, KUBECTL, startApiServer, startProgram, type Program, type RunningApiServer } from '@headland/lab/programs';


const describeKubectl = KUBECTL === undefined ? describe.skip : describe;
if (KUBECTL === undefined) console.warn('controller suite: kubectl not found, the suite is skipped');

let dir = '';
let api: RunningApiServer;
const controllers = new Set<Program>();

function startController(identity: string, extra: string[] = []): Program {
  const p = startProgram(
    [process.execPath, distPath('controller', 'main.js'), '--kubeconfig', api.kubeconfig, '--identity', identity, '--metrics-addr', '127.0.0.1:0', '--health-addr', '127.0.0.1:0', '--webhook-addr', '127.0.0.1:0',
      '--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '250ms', ...extra],
    { name: `controller ${identity}` },
  );
  controllers.add(p);
  return p;
}

async function stopAll(): Promise<void> {
  await Promise.all([...controllers].map((c) => c.stop('SIGTERM', 5_000)));
  controllers.clear();
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const getJson = async (args: string[]): Promise<Record<string, any>> => JSON.parse(await kubectl(api.kubeconfig, ['get', ...args, '-o', 'json'])) as Record<string, any>;
const apply = (yaml: string): Promise<string> => kubectl(api.kubeconfig, ['apply', '-f', '-'], yaml);

const ingressOf = async (ns: string, name: string): Promise<string[]> => {
  const svc = await getJson(['service', '-n', ns, name]);
  return ((svc['status']?.['loadBalancer']?.['ingress'] ?? []) as { ip: string }[]).map((i) => i.ip);
};

const waitIngress = (ns: string, name: string, n = 1): Promise<string[]> =>
  until(`${ns}/${name} to get ${n} IP(s)`, async () => {
    const ips = await ingressOf(ns, name);
    return ips.length === n ? ips : undefined;
  });

const eventsFor = async (ns: string, name: string): Promise<{ reason: string; message: string; type: string; count?: number }[]> => {
  const list = await getJson(['events', '-n', ns, '--field-selector', `involvedObject.name=${name}`]);
  return list['items'] as { reason: string; message: string; type: string }[];
};

const service = (ns: string, name: string, opts: { annotations?: Record<string, string>; port?: number; families?: string[]; policy?: string; type?: string; lbClass?: string } = {}): string => `
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
  annotations: ${JSON.stringify(opts.annotations ?? {})}
spec:
  type: ${opts.type ?? 'LoadBalancer'}
  selector: { app: ${name} }
  ports: [{ port: ${opts.port ?? 80}, protocol: TCP, targetPort: 8080 }]
${opts.families ? `  ipFamilies: ${JSON.stringify(opts.families)}\n  ipFamilyPolicy: ${opts.policy ?? 'RequireDualStack'}` : ''}
${opts.lbClass ? `  loadBalancerClass: ${opts.lbClass}` : ''}
`;

const pools = `
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: blue, namespace: headland-system }
spec:
  addresses: [203.0.113.0/28, 2001:db8:5::/64]
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: broken, namespace: headland-system }
spec:
  addresses: [203.0.113.300/32]
---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: reserved, namespace: headland-system }
spec:
  addresses: [203.0.113.64/30]
  autoAssign: false
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headland-controller-e2e-'));
  api = await startApiServer(dir);
  // kubectl create sends protobuf for built-in kinds, which the test server does not speak; apply sends JSON.
  await kubectl(api.kubeconfig, ['apply', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata: { name: headland-system }\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n');
});

afterAll(async () => {
  await stopAll();
  await api?.stop();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describeKubectl('headland-controller', () => {
  test('assigns IPs from the valid pool while an invalid one is reported, with Events and pool counts', async () => {
    await apply(pools);
    const c = startController('c1');
    await c.waitForLog((l) => l['msg'] === 'leading', 10_000, 'leading');
    await apply(service('shop', 'web') + '---' + service('shop', 'dual', { families: ['IPv6', 'IPv4'] }) + '---' + service('shop', 'pinned', { annotations: { 'headland.io/loadBalancerIPs': '203.0.113.65' } }));
    expect(await waitIngress('shop', 'web')).toEqual(['203.0.113.0']);
    // ipFamilies order, one pool for both families.
    expect(await waitIngress('shop', 'dual', 2)).toEqual(['2001:db8:5::', '203.0.113.1']);
    // autoAssign: false serves only explicit requests.
    expect(await waitIngress('shop', 'pinned')).toEqual(['203.0.113.65']);

    const web = await getJson(['service', '-n', 'shop', 'web']);
    expect(web['status']['loadBalancer']['ingress']).toEqual([{ ip: '203.0.113.0', ipMode: 'VIP' }]);
    expect(web['metadata']['annotations']['headland.io/ip-allocated-from-pool']).toBe('blue');
    const ev = await until('IPAllocated event', async () => (await eventsFor('shop', 'web')).find((e) => e.reason === 'IPAllocated'));
    expect(ev.message).toMatch(/203\.0\.113\.0 from pool blue/);

    // The invalid pool: condition and Event, and the valid pools keep serving.
    const broken = await until('broken pool condition', async () => {
      const p = await getJson(['ipaddresspool', '-n', 'headland-system', 'broken']);
      return (p['status']?.['conditions'] as { type: string; status: string }[] | undefined)?.find((x) => x.type === 'Valid');
    });
    expect(broken).toMatchObject({ status: 'False', reason: 'Invalid' });
    expect((broken as unknown as { message: string }).message).toMatch(/spec\.addresses\[0\]/);
    const brokenEvents = await until('InvalidConfiguration event', async () => (await eventsFor('headland-system', 'broken')).find((e) => e.reason === 'InvalidConfiguration'));
    expect(brokenEvents.type).toBe('Warning');

    // Pool counts: a /28 and a /64 counted exactly.
    const blue = await until('blue counts', async () => {
      const p = await getJson(['ipaddresspool', '-n', 'headland-system', 'blue']);
      return p['status']?.['assignedIPv4'] === 2 ? p['status'] : undefined;
    });
    expect(blue).toMatchObject({ assignedIPv4: 2, availableIPv4: '14', assignedIPv6: 1, availableIPv6: String(2n ** 64n - 1n) });
    expect((blue['conditions'] as { type: string; status: string }[]).find((x) => x.type === 'Valid')?.status).toBe('True');
    // Metrics and health, on the ports the started line names.
    const started = await c.waitForLog((l) => l['msg'] === 'started', 5_000, 'started line');
    const metricsText = await until('pool metrics', async () => {
      const text = await (await fetch(`http://127.0.0.1:${String(started['metricsPort'])}/metrics`)).text();
      return /headland_controller_pool_addresses_in_use\{pool="blue",family="ipv4"\} 2/.test(text) ? text : undefined;
    });
    expect(metricsText).toMatch(/headland_controller_allocations_total\{pool="blue"\} [1-9]/);
    expect(metricsText).toMatch(/headland_controller_config_rejected_objects\{kind="IPAddressPool"\} 1/);
    expect(metricsText).toMatch(/headland_controller_reconcile_duration_seconds_count\{kind="Service"\} [1-9]/);
    expect(metricsText).toMatch(/headland_controller_leader 1/);
    const ready = await fetch(`http://127.0.0.1:${String(started['healthPort'])}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${String(started['healthPort'])}/healthz`)).status).toBe(200);
  });

  test('a pool edit that strands an IP in use is reported on the pool and the Service, which gets another', async () => {
    await apply(service('shop', 'stranded', { annotations: { 'headland.io/address-pool': 'edge' } }) + `---
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: edge, namespace: headland-system }
spec:
  addresses: [203.0.113.96/31]
`);
    const [first] = await waitIngress('shop', 'stranded');
    expect(first).toBe('203.0.113.96');
    await apply(`apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: edge, namespace: headland-system }
spec:
  addresses: [203.0.113.97/32]
`);
    const moved = await until('a new IP', async () => {
      const ips = await ingressOf('shop', 'stranded');
      return ips[0] === '203.0.113.97' ? ips : undefined;
    });
    expect(moved).toEqual(['203.0.113.97']);
    const onService = await until('IPStranded on the Service', async () => (await eventsFor('shop', 'stranded')).find((e) => e.reason === 'IPStranded'));
    expect(onService.message).toMatch(/203\.0\.113\.96 from pool edge is no longer valid/);
    const onPool = await until('IPsStranded on the pool', async () => (await eventsFor('headland-system', 'edge')).find((e) => e.reason === 'IPsStranded'));
    expect(onPool.message).toMatch(/shop\/stranded/);
  });

  test('failures name their reason, and a fixed request gets its IP', async () => {
    await apply(service('shop', 'nowhere', { annotations: { 'headland.io/loadBalancerIPs': '203.0.113.200' } }));
    const failed = await until('AllocationFailed', async () => (await eventsFor('shop', 'nowhere')).find((e) => e.reason === 'AllocationFailed'));
    expect(failed.message).toMatch(/RequestedIPNotInPool/);
    expect(await ingressOf('shop', 'nowhere')).toEqual([]);
    await apply(service('shop', 'nowhere', { annotations: { 'headland.io/loadBalancerIPs': '203.0.113.9' } }));
    expect(await waitIngress('shop', 'nowhere')).toEqual(['203.0.113.9']);
  });

  test('type ClusterIP and delete free the IP', async () => {
    await apply(service('shop', 'temp'));
    const [ip] = await waitIngress('shop', 'temp');
    await apply(service('shop', 'temp', { type: 'ClusterIP' }));
    await until('status cleared', async () => ((await ingressOf('shop', 'temp')).length === 0 ? true : undefined));
    await apply(service('shop', 'next'));
    // The freed address is the lowest free one again.
    expect(await waitIngress('shop', 'next')).toEqual([ip]);
    await kubectl(api.kubeconfig, ['delete', 'service', '-n', 'shop', 'next']);
    await apply(service('shop', 'after-delete'));
    expect(await waitIngress('shop', 'after-delete')).toEqual([ip]);
  });

  test('a restart changes no IP, and two Services holding one IP: the older keeps it', async () => {
    const before = new Map<string, string[]>();
    for (const n of ['web', 'dual', 'pinned', 'nowhere', 'after-delete']) before.set(n, await ingressOf('shop', n));
    await stopAll();
    // While the controller is down: a new Service, and a bad manual edit that copies web's IP.
    await apply(service('shop', 'while-down'));
    await kubectl(api.kubeconfig, ['patch', 'service', '-n', 'shop', 'after-delete', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { loadBalancer: { ingress: [{ ip: before.get('web')![0], ipMode: 'VIP' }] } } })]);
    const c = startController('c2');
    await c.waitForLog((l) => l['msg'] === 'claimed the IPs already in Service status', 10_000, 'claim line');
    const [fresh] = await waitIngress('shop', 'while-down');
    expect(fresh).toBeDefined();
    for (const n of ['web', 'dual', 'pinned', 'nowhere']) expect(await ingressOf('shop', n)).toEqual(before.get(n));
    // after-delete is younger than web: it gets another IP, and an Event says why.
    const moved = await until('after-delete reassigned', async () => {
      const ips = await ingressOf('shop', 'after-delete');
      return ips.length === 1 && ips[0] !== before.get('web')![0] ? ips : undefined;
    });
    expect(moved[0]).not.toBe(fresh);
    const conflict = await until('IPConflict event', async () => (await eventsFor('shop', 'after-delete')).find((e) => e.reason === 'IPConflict'));
    expect(conflict.message).toMatch(/shop\/web/);
  });

  test('the standby takes over when the leader is killed, and at once when it is stopped', async () => {
    await stopAll();
    const a = startController('ha-a');
    await a.waitForLog((l) => l['msg'] === 'leading', 15_000, 'leading');
    const b = startController('ha-b');
    await b.waitForLog((l) => l['msg'] === 'informers synced', 10_000, 'synced');
    expect(b.logs.some((l) => l['msg'] === 'leading')).toBe(false);
    const killedAt = Date.now();
    a.proc.kill('SIGKILL');
    await a.exited;
    controllers.delete(a);
    await b.waitForLog((l) => l['msg'] === 'leading', 10_000, 'leading after the kill');
    const tookOver = Date.now() - killedAt;
    // Within the lease duration (3 s) plus a retry period.
    expect(tookOver).toBeLessThan(3_000 + 1_000);
    await apply(service('shop', 'after-failover'));
    await waitIngress('shop', 'after-failover');

    const c = startController('ha-c');
    await c.waitForLog((l) => l['msg'] === 'informers synced', 10_000, 'synced');
    const stoppedAt = Date.now();
    expect(await b.stop('SIGTERM')).toBe(0);
    controllers.delete(b);
    await c.waitForLog((l) => l['msg'] === 'leading', 5_000, 'leading after SIGTERM');
    // SIGTERM releases the Lease: no need to wait for it to expire.
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    const lease = await getJson(['lease', '-n', 'headland-system', 'headland-controller']);
    expect(lease['spec']['holderIdentity']).toBe('ha-c');
  });

  test('with --lb-class only Services of that class are handled', async () => {
    await stopAll();
    const c = startController('classy', ['--lb-class', 'example.com/lb', '--lease-name', 'classy']);
    await c.waitForLog((l) => l['msg'] === 'leading', 10_000, 'leading');
    await apply(service('shop', 'classed', { lbClass: 'example.com/lb' }) + '---' + service('shop', 'unclassed'));
    await waitIngress('shop', 'classed');
    await new Promise((r) => setTimeout(r, 500));
    expect(await ingressOf('shop', 'unclassed')).toEqual([]);
  });
});
