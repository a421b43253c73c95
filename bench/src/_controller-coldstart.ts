// Controller cold start: headland-apiserver holds 10,000 LoadBalancer Services and three pools
// (an IPv4 /16, an IPv6 /64, a small priority pool for labelled namespaces); we start
// headland-controller and time until every Service has its IP in status, and read its peak RSS.
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { programs } from '@headland/lab';

const SERVICES = 10_000;
const NAMESPACES = 20;
const CONCURRENCY = 64;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function request(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, agent, headers: { 'content-type': 'application/json', ...(payload ? { 'content-length': payload.length } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function must(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await request(base, method, path, body);
  if (r.status >= 300) throw new Error(`bench: ${method} ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  return r.json;
}

async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

function serviceBody(ns: string, i: number): unknown {
  const v6 = i % 7 === 0;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}`, namespace: ns, labels: { app: `app-${i % 100}` } },
    spec: {
      type: 'LoadBalancer',
      selector: { app: `app-${i % 100}` },
      ports: [{ port: 80 + (i % 3), protocol: 'TCP', targetPort: 8080 }],
      ipFamilies: [v6 ? 'IPv6' : 'IPv4'],
      ipFamilyPolicy: 'SingleStack',
    },
  };
}

/** Counts Services with an IP in status from a watch, resolving when all have one. */
function watchAssigned(base: string, resourceVersion: string, total: number): { done: Promise<number>; annotated: Promise<number>; close(): void } {
  const assigned = new Set<string>();
  const annotated = new Set<string>();
  let annotatedAll: (t: number) => void = () => undefined;
  const annotatedDone = new Promise<number>((r) => (annotatedAll = r));
  let req: http.ClientRequest | undefined;
  const done = new Promise<number>((resolve, reject) => {
    req = http.get(new URL(`/api/v1/services?watch=1&resourceVersion=${resourceVersion}`, base), (res) => {
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line === '') continue;
          const ev = JSON.parse(line) as { type: string; object: { metadata: { namespace: string; name: string; annotations?: Record<string, string> }; status?: { loadBalancer?: { ingress?: unknown[] } } } };
          const key = `${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
          if ((ev.object.status?.loadBalancer?.ingress?.length ?? 0) > 0) assigned.add(key);
          if (ev.object.metadata.annotations?.['headland.io/ip-allocated-from-pool'] !== undefined) annotated.add(key);
          if (assigned.size >= total) resolve(performance.now());
          if (annotated.size >= total) annotatedAll(performance.now());
        }
      });
      res.on('error', reject);
    });
    req.on('error', (e) => {
      if (assigned.size < total) reject(e);
    });
  });
  return { done, annotated: annotatedDone, close: () => req?.destroy() };
}

/** User+system CPU seconds a process has used so far. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function peakRssMB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The V8 flags manifests/controller.yaml gives the controller, so the bench runs it as deployed. */
async function deployedNodeOptions(): Promise<string[]> {
  const manifest = await readFile(join(programs.REPO_ROOT, 'manifests/controller.yaml'), 'utf8');
  const m = /name: NODE_OPTIONS\s+value: "([^"]*)"/.exec(manifest);
  return m?.[1]?.split(' ').filter((f) => f !== '') ?? [];
}

export async function runColdStartBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'headland-bench-controller-'));
  // Plain REST (no TLS, AlwaysAllow) as the speaker's scale bench, and ranges wide enough for
  // 10,000 LoadBalancer Services' cluster IPs and node ports.
  const api = await programs.startApiServer(dir, { historySize: 100_000, plainHttp: true, args: ['--service-cluster-ip-range', '198.19.64.0/18,2001:db8:5e::/108', '--service-node-port-range', '20000-60000'] });
  let controller: programs.Program | undefined;
  try {
    const base = api.url;
    for (let n = 0; n < NAMESPACES; n++) {
      await must(base, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}`, labels: n < 2 ? { tier: 'gold' } : {} } });
    }
    await must(base, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'headland-system' } });
    const poolPath = '/apis/headland.io/v1beta1/namespaces/headland-system/ipaddresspools';
    const poolObj = (name: string, spec: unknown): unknown => ({ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name, namespace: 'headland-system' }, spec });
    await must(base, 'POST', poolPath, poolObj('v4-16', { addresses: ['198.19.0.0/16'] }));
    await must(base, 'POST', poolPath, poolObj('v6-64', { addresses: ['2001:db8:1::/64'] }));
    await must(base, 'POST', poolPath, poolObj('gold', { addresses: ['203.0.113.0/28'], serviceAllocation: { priority: 1, namespaceSelectors: [{ matchLabels: { tier: 'gold' } }] } }));
    const items = Array.from({ length: SERVICES }, (_, i) => i);
    const created = performance.now();
    await pool(items, CONCURRENCY, async (i) => {
      const ns = `ns-${i % NAMESPACES}`;
      await must(base, 'POST', `/api/v1/namespaces/${ns}/services`, serviceBody(ns, i));
    });
    const createMs = performance.now() - created;
    const list = (await must(base, 'GET', '/api/v1/services?limit=1')) as { metadata: { resourceVersion: string } };
    const watch = watchAssigned(base, list.metadata.resourceVersion, SERVICES);

    const apiCpu0 = await cpuSeconds(api.program.proc.pid!);
    const t0 = performance.now();
    controller = programs.startProgram(
      [process.execPath, ...(process.env['HEADLAND_BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['HEADLAND_BENCH_CPU_PROF']}`] : []), ...(await deployedNodeOptions()), programs.distPath('controller', 'main.js'), '--kubeconfig', api.kubeconfig, '--metrics-addr', '127.0.0.1:0', '--health-addr', '127.0.0.1:0', '--webhook-addr', '127.0.0.1:0', '--identity', 'bench', '--log-level', 'warn'],
      { name: 'headland-controller' },
    );
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('bench: not all Services had an IP after 120 s')), 120_000).unref());
    const t1 = await Promise.race([watch.done, timeout]);
    const statusCpu = { controller: await cpuSeconds(controller.proc.pid!), api: (await cpuSeconds(api.program.proc.pid!)) - apiCpu0 };
    // Profiling looks at the status phase alone.
    const t2 = process.env['HEADLAND_BENCH_CPU_PROF'] ? t1 : await Promise.race([watch.annotated, timeout]);
    const rss = await peakRssMB(controller.proc.pid!);
    const controllerCpu = await cpuSeconds(controller.proc.pid!);
    const apiCpu = (await cpuSeconds(api.program.proc.pid!)) - apiCpu0;
    watch.close();
    const ms = t1 - t0;
    console.log(JSON.stringify({ bench: 'controller/cold-start', services: SERVICES, pools: 3, ms: Math.round(ms), target_ms: 5000, ok: ms <= 5000, create_services_ms: Math.round(createMs), controller_cpu_s: statusCpu.controller, apiserver_cpu_s: Math.round(statusCpu.api * 100) / 100, load: Number(loadavg()[0]!.toFixed(2)) }));
    console.log(JSON.stringify({ bench: 'controller/cold-start-annotations', services: SERVICES, ms: Math.round(t2 - t0), note: 'pool annotations and Events follow the status writes', controller_cpu_s: controllerCpu, apiserver_cpu_s: Math.round(apiCpu * 100) / 100 }));
    console.log(JSON.stringify({ bench: 'controller/cold-start-rss', services: SERVICES, peak_rss_mb: Math.round(rss), target_mb: 250, ok: rss <= 250 }));
  } finally {
    const t = performance.now();
    const code = await controller?.stop('SIGTERM', 20_000);
    if (process.env['HEADLAND_BENCH_CPU_PROF']) console.error('controller exit', code, Math.round(performance.now() - t), 'ms');
    await api.stop();
    agent.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
