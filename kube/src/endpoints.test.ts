// Real HTTP servers on loopback, real requests: routes, probes, shared and separate ports.
import { Counter, Registry } from 'prom-client';
import { routeOf, serveEndpoints, type Route } from './endpoints.js';

test.each<[string, string, { metrics: boolean; health: boolean }, Route]>([
  ['GET', '/metrics', { metrics: true, health: false }, 'metrics'],
  ['GET', '/metrics?x=1', { metrics: true, health: false }, 'metrics'],
  ['GET', '/healthz', { metrics: true, health: false }, 'not-found'],
  ['GET', '/healthz', { metrics: false, health: true }, 'healthz'],
  ['HEAD', '/readyz', { metrics: false, health: true }, 'readyz'],
  ['GET', '/metrics', { metrics: false, health: true }, 'not-found'],
  ['GET', '/', { metrics: true, health: true }, 'not-found'],
  ['POST', '/metrics', { metrics: true, health: true }, 'method-not-allowed'],
  ['DELETE', '/nothing', { metrics: true, health: true }, 'not-found'],
])('%s %s on %j -> %s', (method, url, serves, route) => {
  expect(routeOf(method, url, serves)).toBe(route);
});

async function get(port: number, path: string, method = 'GET'): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

test('separate addresses: metrics on one port, probes on the other, probe results as status codes', async () => {
  const registry = new Registry();
  new Counter({ name: 'headland_test_total', help: 'a test counter', registers: [registry] }).inc(3);
  let ready: { ok: boolean; detail?: string } = { ok: false, detail: 'informers not synced' };
  const e = await serveEndpoints({ metricsAddr: '127.0.0.1:0', healthAddr: '127.0.0.1:0', registry, healthz: () => ({ ok: true }), readyz: () => ready });
  try {
    expect(e.metricsPort).not.toBe(e.healthPort);
    const m = await get(e.metricsPort, '/metrics');
    expect(m.status).toBe(200);
    expect(m.body).toContain('headland_test_total 3');
    expect(m.type).toBe(registry.contentType);
    expect((await get(e.metricsPort, '/healthz')).status).toBe(404);
    expect((await get(e.healthPort, '/metrics')).status).toBe(404);
    expect(await get(e.healthPort, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get(e.healthPort, '/readyz')).toMatchObject({ status: 503, body: 'informers not synced\n' });
    ready = { ok: true };
    expect((await get(e.healthPort, '/readyz')).status).toBe(200);
    expect((await get(e.healthPort, '/readyz', 'POST')).status).toBe(405);
  } finally {
    await e.close();
  }
  await expect(get(e.metricsPort, '/metrics')).rejects.toThrow();
});

test('one address: a single server answers all three; a probe that throws is a 503 with the reason', async () => {
  const registry = new Registry();
  const first = await serveEndpoints({ metricsAddr: '127.0.0.1:0', healthAddr: '127.0.0.1:0', registry, healthz: () => ({ ok: true }), readyz: () => ({ ok: true }) });
  const port = first.metricsPort;
  await first.close();
  const e = await serveEndpoints({
    metricsAddr: `127.0.0.1:${port}`,
    healthAddr: `127.0.0.1:${port}`,
    registry,
    healthz: () => {
      throw new Error('wedged');
    },
    readyz: () => ({ ok: true }),
  });
  try {
    expect(e.metricsPort).toBe(port);
    expect(e.healthPort).toBe(port);
    expect((await get(port, '/metrics')).status).toBe(200);
    expect((await get(port, '/readyz')).status).toBe(200);
    expect(await get(port, '/healthz')).toMatchObject({ status: 503, body: 'endpoints: the healthz probe threw: Error: wedged\n' });
  } finally {
    await e.close();
  }
});

test('a bad address is refused before anything listens; a taken port is an error', async () => {
  const registry = new Registry();
  const probe = () => ({ ok: true });
  await expect(serveEndpoints({ metricsAddr: 'nonsense', healthAddr: ':0', registry, healthz: probe, readyz: probe })).rejects.toThrow('listen-address: "nonsense" has no :PORT');
  const taken = await serveEndpoints({ metricsAddr: '127.0.0.1:0', healthAddr: '127.0.0.1:0', registry, healthz: probe, readyz: probe });
  try {
    await expect(serveEndpoints({ metricsAddr: '127.0.0.1:0', healthAddr: `127.0.0.1:${taken.healthPort}`, registry, healthz: probe, readyz: probe })).rejects.toThrow('EADDRINUSE');
  } finally {
    await taken.close();
  }
});
