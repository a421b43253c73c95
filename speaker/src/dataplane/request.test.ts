// The default HttpGet against real sockets on 127.0.0.1 (port 0): codes, headers, the body cap,
// a server that never answers, a refused port. Outcomes only; nothing here measures time.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { ProbeRequestError } from './errors.js';
import { httpGet } from './request.js';

const servers: Array<Server | TcpServer> = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function listen(server: Server | TcpServer, host = '127.0.0.1'): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function http(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  return listen(createServer(handler));
}

function get(port: number, options: { timeoutMs?: number; maxBodyBytes?: number; signal?: AbortSignal; host?: string; path?: string } = {}) {
  return httpGet({ host: options.host ?? '127.0.0.1', port, path: options.path ?? '/' }, { timeoutMs: options.timeoutMs ?? 2000, maxBodyBytes: options.maxBodyBytes ?? 4096, signal: options.signal ?? new AbortController().signal });
}

async function failure(promise: Promise<unknown>): Promise<ProbeRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProbeRequestError);
  return error as ProbeRequestError;
}

describe('httpGet (node:http)', () => {
  it('returns a 200 with its headers and body, on a fresh connection', async () => {
    const seen: IncomingMessage[] = [];
    const port = await http((req, res) => {
      seen.push(req);
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Load-Balancing-Endpoint-Weight': '3' });
      res.end('{"service":{"namespace":"shop","name":"web"},"localEndpoints":3,"serviceProxyHealthy":true}');
    });
    const answer = await get(port, { path: '/healthz' });
    expect(answer).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'x-load-balancing-endpoint-weight': '3', 'content-type': 'application/json' }),
      body: '{"service":{"namespace":"shop","name":"web"},"localEndpoints":3,"serviceProxyHealthy":true}',
      truncated: false,
    });
    expect(seen[0]?.url).toBe('/healthz');
    expect(seen[0]?.headers.connection).toBe('close');
  });

  it('returns a 503 as an answer, not an error', async () => {
    const port = await http((_req, res) => {
      res.writeHead(503, { 'X-Load-Balancing-Endpoint-Weight': '0' });
      res.end('{"service":{"namespace":"shop","name":"web"},"localEndpoints":0,"serviceProxyHealthy":true}');
    });
    const answer = await get(port);
    expect(answer.status).toBe(503);
    expect(answer.headers['x-load-balancing-endpoint-weight']).toBe('0');
  });

  it('joins a header sent twice, so a weight of "1, 2" reads as invalid', async () => {
    const port = await http((_req, res) => {
      res.setHeader('X-Load-Balancing-Endpoint-Weight', ['1', '2']);
      res.end('{}');
    });
    expect((await get(port)).headers['x-load-balancing-endpoint-weight']).toBe('1, 2');
  });

  it('cuts the body at maxBodyBytes and says so', async () => {
    const port = await http((_req, res) => {
      res.writeHead(200);
      res.write('x'.repeat(3000));
      res.end('y'.repeat(7000));
    });
    const answer = await get(port, { maxBodyBytes: 4096 });
    expect(answer.truncated).toBe(true);
    expect(answer.body).toBe('x'.repeat(3000) + 'y'.repeat(1096));
    const exact = await get(await http((_req, res) => res.end('z'.repeat(4096))), { maxBodyBytes: 4096 });
    expect(exact).toMatchObject({ truncated: false, body: 'z'.repeat(4096) });
  });

  it('times out on a server that never answers', async () => {
    const port = await http(() => undefined);
    const error = await failure(get(port, { timeoutMs: 100 }));
    expect(error).toMatchObject({ reason: 'timeout', detail: 'timed out after 100 ms' });
  });

  it('times out on a body that never ends (the timeout covers it all)', async () => {
    const port = await http((_req, res) => {
      res.writeHead(200);
      res.write('{"service":');
    });
    const error = await failure(get(port, { timeoutMs: 100 }));
    expect(error.reason).toBe('timeout');
  });

  it('reports a refused connection in the words of the socket', async () => {
    const port = await listen(createTcpServer());
    const server = servers.pop() as TcpServer;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await failure(get(port));
    expect(error).toMatchObject({ reason: 'refused', detail: `connect ECONNREFUSED 127.0.0.1:${port}` });
    expect(error.message).toBe(`dataplane: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('reports a connection closed before the answer as reset', async () => {
    const port = await http((req) => req.socket.destroy());
    expect((await failure(get(port))).reason).toBe('reset');
  });

  it('reports a connection closed in the middle of the body as reset', async () => {
    const port = await http((_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('{"service":', () => res.socket?.destroy());
    });
    const error = await failure(get(port));
    expect(error.reason).toBe('reset');
  });

  it('reports an answer that is not HTTP', async () => {
    const port = await listen(createTcpServer((socket) => socket.end('hello there\r\n\r\n', () => socket.destroy())));
    const error = await failure(get(port));
    expect(error.reason).toBe('network');
    expect(error.detail).toMatch(/^answer is not HTTP: /);
  });

  it('gives up when its signal is aborted', async () => {
    const port = await http(() => undefined);
    const controller = new AbortController();
    const pending = get(port, { signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).reason).toBe('aborted');
    const already = new AbortController();
    already.abort();
    expect((await failure(get(port, { signal: already.signal }))).reason).toBe('aborted');
  });

  it('speaks to ::1 when the machine has IPv6', async () => {
    let port: number;
    try {
      port = await listen(createServer((_req, res) => res.end('{}')), '::1');
    } catch {
      return; // no IPv6 loopback here
    }
    expect((await get(port, { host: '::1' })).status).toBe(200);
  });
});
