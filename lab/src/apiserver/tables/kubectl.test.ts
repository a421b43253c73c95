// Real kubectl against the real ApiServer, behind a small proxy that answers Table requests with
// this folder's transformResponse: the shape of the request-path integration, checked end to end.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Json, JsonObject } from '../json.js';
import { kubeconfigYaml } from '../kubeconfig.js';
import { parseRoute } from '../routes.js';
import { ApiServer } from '../server.js';
import { negotiate, printerColumnsOf, transformResponse } from './index.js';

let api: ApiServer;
let proxy: Server;
let upstream: AddressInfo;
let dir: string;

function forward(req: IncomingMessage, res: ServerResponse, headers: IncomingMessage['headers'] = req.headers): void {
  const up = request({ host: upstream.address, port: upstream.port, method: req.method ?? 'GET', path: req.url ?? '/', headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  req.pipe(up);
}

function fetchJson(path: string): Promise<{ status: number; body: JsonObject }> {
  return new Promise((resolve, reject) => {
    request({ host: upstream.address, port: upstream.port, path, headers: { accept: 'application/json' } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonObject }));
    })
      .on('error', reject)
      .end();
  });
}

/** What the lead's request path will do: negotiate, read as JSON, then transform. */
async function serveTable(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const route = parseRoute(url.pathname);
  const watch = url.searchParams.get('watch');
  if (req.method !== 'GET' || route.kind !== 'resource' || watch === 'true' || watch === '1') return forward(req, res);
  const choice = negotiate(req.headers.accept);
  if (choice.conversion === undefined) return forward(req, res);
  const type = api.registry.find(route.group, route.version, route.plural);
  const got = await fetchJson(`${url.pathname}${url.search}`);
  if (type === undefined || got.status !== 200) {
    res.writeHead(got.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(got.body));
    return;
  }
  let crdColumns: Json | undefined;
  if (type.crd !== undefined) {
    const crdType = api.registry.builtIn('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    crdColumns = printerColumnsOf(api.store.get(crdType, '', type.crd), route.version);
  }
  const items = Array.isArray(got.body['items']) ? (got.body['items'] as JsonObject[]) : [];
  const response = route.name === undefined ? { list: true as const, value: got.body, items } : { list: false as const, value: got.body };
  const body = transformResponse(choice.conversion, type, response, { now: new Date(), query: url.searchParams, crdColumns });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function post(path: string, body: JsonObject): Promise<void> {
  const r = await fetch(`http://${upstream.address}:${upstream.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 201) throw new Error(`kubectl.test: POST ${path} answered ${r.status}: ${await r.text()}`);
}

function kubectl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kubectl ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Lines of kubectl's output, each split into its tab-aligned cells. */
const table = (out: string): string[][] =>
  out
    .trimEnd()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hl-tables-'));
  api = new ApiServer();
  upstream = await api.listen('127.0.0.1', 0);
  api.applyCrd(parse(readFileSync(new URL('../../../../manifests/crds/headland.io_ipaddresspools.yaml', import.meta.url), 'utf8')) as JsonObject);
  proxy = createServer((req, res) => {
    serveTable(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  writeFileSync(join(dir, 'kubeconfig'), kubeconfigYaml(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`));
  await post('/api/v1/namespaces/default/services', {
    metadata: { name: 'web' },
    spec: { type: 'LoadBalancer', clusterIP: '198.19.128.20', clusterIPs: ['198.19.128.20'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, nodePort: 31234 }, { name: 'https', port: 443, nodePort: 31443 }] },
  });
  await post('/api/v1/namespaces/kube-system/services', { metadata: { name: 'dns' }, spec: { clusterIP: '198.19.128.10', clusterIPs: ['198.19.128.10'], ports: [{ port: 53, protocol: 'UDP' }] } });
  await post('/api/v1/namespaces/default/events', {
    metadata: { name: 'web.17c4' },
    involvedObject: { kind: 'Service', namespace: 'default', name: 'web' },
    reason: 'IPAllocated',
    type: 'Normal',
    message: 'Assigned IP 203.0.113.7',
    source: { component: 'headland-controller' },
    firstTimestamp: new Date(Date.now() - 3_600_000).toISOString(),
    lastTimestamp: new Date(Date.now() - 65_000).toISOString(),
    count: 2,
  });
  await post('/apis/headland.io/v1beta1/namespaces/default/ipaddresspools', { apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'blue' }, spec: { addresses: ['203.0.113.0/28'], autoAssign: true } });
}, 30_000);

afterAll(async () => {
  const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
  proxy.closeAllConnections();
  await closed;
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const AGE = /^\d+s$/;

test('kubectl get svc -A prints the server columns with NAMESPACE in front', async () => {
  const [header, ...rows] = table(await kubectl('get', 'svc', '-A'));
  expect(header).toEqual(['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
  const web = rows.find((r) => r[1] === 'web');
  expect(web?.slice(0, 6)).toEqual(['default', 'web', 'LoadBalancer', '198.19.128.20', '<pending>', '80:31234/TCP,443:31443/TCP']);
  expect(web?.[6]).toMatch(AGE);
  expect(rows.find((r) => r[1] === 'dns')?.slice(0, 6)).toEqual(['kube-system', 'dns', 'ClusterIP', '198.19.128.10', '<none>', '53/UDP']);
}, 30_000);

test('kubectl get svc -o wide adds the priority-1 SELECTOR column', async () => {
  const [header, ...rows] = table(await kubectl('get', 'svc', 'web', '-o', 'wide'));
  expect(header).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
  expect(rows).toHaveLength(1);
  expect(rows[0]?.[6]).toBe('app=web');
}, 30_000);

test('kubectl get ns', async () => {
  const [header, ...rows] = table(await kubectl('get', 'ns'));
  expect(header).toEqual(['NAME', 'STATUS', 'AGE']);
  expect(rows.map((r) => r.slice(0, 2))).toEqual(
    expect.arrayContaining([
      ['default', 'Active'],
      ['kube-system', 'Active'],
    ]),
  );
  expect(rows.every((r) => AGE.test(r[2] ?? ''))).toBe(true);
}, 30_000);

test('kubectl get events', async () => {
  const [header, ...rows] = table(await kubectl('get', 'events'));
  expect(header).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
  expect(rows[0]?.[0]).toMatch(/^6\ds$/);
  expect(rows[0]?.slice(1)).toEqual(['Normal', 'IPAllocated', 'service/web', 'Assigned IP 203.0.113.7']);
}, 30_000);

test('kubectl get on a custom resource shows its additionalPrinterColumns', async () => {
  const [header, ...rows] = table(await kubectl('get', 'ipaddresspools'));
  expect(header).toEqual(['NAME', 'AUTO ASSIGN', 'ASSIGNED IPV4', 'AVAILABLE IPV4', 'ASSIGNED IPV6', 'AVAILABLE IPV6', 'AGE']);
  expect(rows[0]?.slice(0, 2)).toEqual(['blue', 'true']);
}, 30_000);
