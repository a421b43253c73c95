import { request } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { EMPTY_PROXY_HEALTH, proxyHealthAnswer, queuedUpdate, serviceHealthAnswer, updated, type HttpAnswer, type ServiceHealthCheck } from './health.js';
import { listenLikeGo, ServiceHealthServers, startProxyHealthServer } from './health-server.js';
import type { NodeState } from './model.js';
import type { LogEntry } from '../programs/json-lines.js';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(port: number, path: string, method = 'GET', host = '127.0.0.1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The HTTP reply carries exactly the pure answer: code, each header, body and its length. */
function expectReply(reply: Reply, answer: HttpAnswer, method = 'GET'): void {
  expect(reply.status).toBe(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) expect([name, reply.headers[name.toLowerCase()]]).toEqual([name, value]);
  expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(answer.body)));
  // Go's server sends no Keep-Alive header; neither does this one.
  expect(reply.headers['keep-alive']).toBeUndefined();
  expect(reply.body).toBe(method === 'HEAD' ? '' : answer.body);
}

function logSink() {
  const entries: LogEntry[] = [];
  const waiters: { test: (e: LogEntry) => boolean; resolve: (e: LogEntry) => void }[] = [];
  const log = (e: LogEntry): void => {
    entries.push(e);
    for (const w of waiters.filter((x) => x.test(e))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e);
    }
  };
  /** Resolves at the next entry (from now on) that passes `test`. */
  const next = (test: (e: LogEntry) => boolean): Promise<LogEntry> => new Promise((resolve) => waiters.push({ test, resolve }));
  return { entries, log, next };
}

function occupy(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (s: Server): number => (s.address() as AddressInfo).port;
const closeNet = (s: Server): Promise<void> => new Promise((resolve) => s.close(() => resolve()));

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const TIMEOUT = 60_000;
const node: NodeState = { name: 'n1', taintKeys: [] };

test('the proxy health server answers /healthz, /livez and 404 exactly as the pure state says', async () => {
  const { log, next } = logSink();
  let state = updated(EMPTY_PROXY_HEALTH, ['IPv4', 'IPv6'], T0);
  let nodeState: NodeState | undefined = node;
  let now = T0 + 1_000;
  const answer = (target: string) => proxyHealthAnswer(target, state, nodeState, now, TIMEOUT);
  const serving = next((e) => e.msg === 'serving proxy health');
  const server = startProxyHealthServer({ host: '127.0.0.1', port: 0 }, answer, log);
  try {
    await serving;
    const port = server.address()!.port;
    const targets: [string, string][] = [
      ['GET', '/healthz'],
      ['GET', '/livez'],
      ['POST', '/healthz?probe=1'],
      ['HEAD', '/livez'],
      ['GET', '/healthz/'],
      ['GET', '/'],
    ];
    const check = async () => {
      for (const [method, target] of targets) expectReply(await get(port, target, method), answer(target), method);
    };
    await check();
    expect((await get(port, '/healthz')).status).toBe(200);

    // The Node is being deleted: /healthz goes 503, /livez does not look.
    nodeState = { ...node, deletionTimestamp: '2026-01-02T03:04:06Z' };
    await check();
    expect([(await get(port, '/healthz')).status, (await get(port, '/livez')).status]).toEqual([503, 200]);

    // An update queued for longer than the timeout: both 503.
    nodeState = node;
    state = queuedUpdate(state, ['IPv4'], T0 + 2_000);
    now = T0 + 2_000 + TIMEOUT;
    await check();
    expect([(await get(port, '/healthz')).status, (await get(port, '/livez')).status]).toEqual([503, 503]);
  } finally {
    await server.close();
  }
});

test('a healthz address that cannot be bound is logged and retried, and nothing throws', async () => {
  const busy = await occupy();
  const { log, next, entries } = logSink();
  const answer = (target: string) => proxyHealthAnswer(target, EMPTY_PROXY_HEALTH, node, T0, TIMEOUT);
  const failedTwice = next((e) => e.msg === 'proxy health server failed' && entries.filter((x) => x.msg === 'proxy health server failed').length === 2);
  const server = startProxyHealthServer({ host: '127.0.0.1', port: portOf(busy) }, answer, log, 1);
  try {
    const failure = await failedTwice;
    expect(failure).toMatchObject({ level: 'error', address: `127.0.0.1:${portOf(busy)}`, retryInMs: 1 });
    expect(server.address()).toBeUndefined();
    const serving = next((e) => e.msg === 'serving proxy health');
    const port = portOf(busy);
    await closeNet(busy);
    await serving;
    expect(server.address()?.port).toBe(port);
    expect((await get(port, '/healthz')).status).toBe(200);
  } finally {
    await server.close();
    if (busy.listening) await closeNet(busy);
  }
});

test('Service health ports answer on any path, follow the published counts, and open and close with the Services', async () => {
  const { log } = logSink();
  let proxyHealthy = true;
  const checks = new Map<string, ServiceHealthCheck>([
    ['shop/web', { namespace: 'shop', name: 'web', port: 31001, family: 'IPv4', localEndpoints: 0 }],
    ['shop/api', { namespace: 'shop', name: 'api', port: 31002, family: 'IPv4', localEndpoints: 2 }],
  ]);
  const answer = (service: string) => {
    const c = checks.get(service);
    return c === undefined ? undefined : serviceHealthAnswer(c, proxyHealthy);
  };
  const servers = new ServiceHealthServers({ answer, log, host: '127.0.0.1', listenPort: () => 0 });
  try {
    await servers.sync([...checks.values()].map((c) => ({ service: `${c.namespace}/${c.name}`, port: c.port })));
    const web = servers.address('shop/web')!.port;
    const api = servers.address('shop/api')!.port;
    for (const [method, path] of [['GET', '/'], ['GET', '/healthz'], ['POST', '/anything/at/all?x=1'], ['HEAD', '/']]) {
      expectReply(await get(web, path!, method), answer('shop/web')!, method);
      expectReply(await get(api, path!, method), answer('shop/api')!, method);
    }
    expect([(await get(web, '/')).status, (await get(api, '/')).status]).toEqual([503, 200]);
    expect((await get(api, '/')).headers['x-load-balancing-endpoint-weight']).toBe('2');

    // A new count is answered on the same socket; a proxy that is behind turns every Service 503.
    checks.set('shop/web', { ...checks.get('shop/web')!, localEndpoints: 1 });
    expectReply(await get(web, '/'), answer('shop/web')!);
    expect((await get(web, '/')).status).toBe(200);
    proxyHealthy = false;
    expectReply(await get(api, '/'), answer('shop/api')!);
    expect((await get(api, '/')).status).toBe(503);

    // shop/api goes away: its port closes, shop/web's stays as it was.
    checks.delete('shop/api');
    await servers.sync([{ service: 'shop/web', port: 31001 }]);
    expect(servers.address('shop/api')).toBeUndefined();
    await expect(get(api, '/')).rejects.toThrow(/ECONNREFUSED/);
    expect(servers.address('shop/web')?.port).toBe(web);
  } finally {
    await servers.close();
  }
});

test('a health check port that cannot be bound is one log line naming the Service and port; the others open, and it is retried', async () => {
  const busy = await occupy();
  const { log, entries } = logSink();
  const checks = new Map<string, ServiceHealthCheck>([
    ['shop/blocked', { namespace: 'shop', name: 'blocked', port: 31001, family: 'IPv4', localEndpoints: 1 }],
    ['shop/web', { namespace: 'shop', name: 'web', port: 31002, family: 'IPv4', localEndpoints: 1 }],
  ]);
  const answer = (service: string) => {
    const c = checks.get(service);
    return c === undefined ? undefined : serviceHealthAnswer(c, true);
  };
  const busyPort = portOf(busy);
  const servers = new ServiceHealthServers({ answer, log, host: '127.0.0.1', listenPort: (p) => (p === 31001 ? busyPort : 0) });
  const wanted = [...checks.values()].map((c) => ({ service: `${c.namespace}/${c.name}`, port: c.port }));
  try {
    await servers.sync(wanted);
    const failures = entries.filter((e) => e.level === 'error');
    expect(failures).toEqual([{ level: 'error', msg: 'cannot open health check port', service: 'shop/blocked', port: 31001, error: expect.stringContaining('EADDRINUSE') }]);
    expect(servers.address('shop/blocked')).toBeUndefined();
    expectReply(await get(servers.address('shop/web')!.port, '/'), answer('shop/web')!);

    // kube-proxy tries again at every sync; once the port is free it opens.
    await closeNet(busy);
    await servers.sync(wanted);
    expect(servers.address('shop/blocked')?.port).toBe(busyPort);
  } finally {
    await servers.close();
    if (busy.listening) await closeNet(busy);
  }
});

test('"0.0.0.0" is one socket for both families, as Go listens for kube-proxy', async () => {
  const server = await listenLikeGo((_req, res) => res.end('ok'), { host: '0.0.0.0', port: 0 });
  try {
    const { address, port } = server.address() as AddressInfo;
    expect(address).toBe('::');
    expect((await get(port, '/', 'GET', '127.0.0.1')).body).toBe('ok');
    expect((await get(port, '/', 'GET', '::1')).body).toBe('ok');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
