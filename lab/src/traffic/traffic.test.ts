import { createServer, type AddressInfo } from 'node:net';
import { startEcho } from '../echo/server.js';
import { runConnections } from './connect.js';
import { checkTrafficOptions, parseTarget, worstCaseMs } from './options.js';
import { compiledScript, openConnections } from './open.js';
import { parseSummary, summarize, type Outcome } from './summary.js';

test.each<[string, { host: string; port: number; family: 4 | 6 }]>([
  ['203.0.113.10:80', { host: '203.0.113.10', port: 80, family: 4 }],
  ['[2001:db8::10]:8080', { host: '2001:db8::10', port: 8080, family: 6 }],
])('target %s', (text, expected) => {
  expect(parseTarget(text)).toEqual(expected);
});

test.each<[string, string]>([
  ['203.0.113.10', 'traffic/options: target "203.0.113.10" is not IP:PORT'],
  ['2001:db8::10:80', 'is not IP:PORT'],
  ['[203.0.113.10]:80', 'is not IP:PORT'],
  ['lb.example:80', 'is not IP:PORT'],
  ['203.0.113.10:0', 'traffic/options: target "203.0.113.10:0" has port 0 outside 1-65535'],
  ['203.0.113.10:99999', 'has port 99999 outside'],
])('target %s refused', (text, message) => {
  expect(() => parseTarget(text)).toThrow(message);
});

const base = { target: '203.0.113.10:80', count: 10, concurrency: 2 };
test.each<[string, Record<string, unknown>, string]>([
  ['zero count', { count: 0 }, 'traffic/options: count 0 is not a whole number 1-100000'],
  ['huge count', { count: 1e6 }, 'count 1000000 is not'],
  ['fractional concurrency', { concurrency: 1.5 }, 'traffic/options: concurrency 1.5 is not'],
  ['too much concurrency', { concurrency: 10_000 }, 'concurrency 10000 is not'],
  ['zero timeout', { timeoutMs: 0 }, 'traffic/options: timeoutMs 0 is not'],
  ['unknown protocol', { protocol: 'sctp' }, 'traffic/options: protocol "sctp" is not tcp or udp'],
])('options refused: %s', (_name, over, message) => {
  expect(() => checkTrafficOptions({ ...base, ...over } as never)).toThrow(message);
});

test('defaults and the worst-case bound', () => {
  const opts = checkTrafficOptions(base);
  expect(opts).toMatchObject({ timeoutMs: 2000, protocol: 'tcp' });
  // Five waves of two, each at most the timeout, plus start-up.
  expect(worstCaseMs(opts)).toBe(5 * 2000 + 10_000);
});

const reply = (pod: string, client: string): Outcome => ({ ok: true, reply: { pod, client, local: '198.18.1.2:8080' } });

test('summarize counts per pod, distinct client IPs, and failures by reason', () => {
  const s = summarize('203.0.113.10:80', [reply('a', '198.18.0.2:1000'), reply('a', '198.18.0.2:1001'), reply('b', '198.18.0.11:5'), reply('b', '[2001:db8::2]:7'), { ok: false, reason: 'timeout', startedAt: 1000, endedAt: 1500 }, { ok: false, reason: 'timeout' }, { ok: false, reason: 'ECONNREFUSED', startedAt: 1200, endedAt: 1201 }], 42);
  expect(s).toEqual({
    target: '203.0.113.10:80',
    count: 7,
    ok: 4,
    failed: 3,
    perPod: { a: 2, b: 2 },
    clientsByPod: { a: ['198.18.0.2'], b: ['198.18.0.11', '2001:db8::2'] },
    failures: { timeout: 2, ECONNREFUSED: 1 },
    // Only failures that carry their times are listed.
    failedConnections: [
      { reason: 'timeout', startedAt: 1000, endedAt: 1500 },
      { reason: 'ECONNREFUSED', startedAt: 1200, endedAt: 1201 },
    ],
    durationMs: 42,
  });
  expect(parseSummary(`log line\n${JSON.stringify(s)}\n`)).toEqual(s);
});

const good = summarize('203.0.113.10:80', [reply('a', '198.18.0.2:1'), { ok: false, reason: 'timeout', startedAt: 10, endedAt: 20 }], 5);
test.each<[string, string, string]>([
  ['empty output', '', 'traffic/summary: output is not a JSON summary'],
  ['an error line', '{"error":"traffic/options: count 0"}', 'traffic/summary: "target" must be a string'],
  ['a list', '[]', 'traffic/summary: summary is not an object'],
  ['negative count', JSON.stringify({ ...good, count: -1 }), '"count" must be a non-negative number, got -1'],
  ['perPod not counts', JSON.stringify({ ...good, perPod: { a: 'x' } }), '"perPod.a" must be a count, got "x"'],
  ['failures missing', JSON.stringify({ ...good, failures: undefined }), '"failures" must be an object'],
  ['clients not addresses', JSON.stringify({ ...good, clientsByPod: { a: [1] } }), '"clientsByPod.a" must be a list of addresses'],
  ['failed connections missing', JSON.stringify({ ...good, failedConnections: undefined }), '"failedConnections" must be a list'],
  ['more failed connections listed than failed', JSON.stringify({ ...good, failedConnections: [{ reason: 'timeout', startedAt: 1, endedAt: 2 }, { reason: 'timeout', startedAt: 1, endedAt: 2 }] }), '"failedConnections" lists 2 connections but 1 failed'],
  ['a failed connection that ends before it starts', JSON.stringify({ ...good, failedConnections: [{ reason: 'timeout', startedAt: 5, endedAt: 2 }] }), '"failedConnections[0]" must be {reason, startedAt, endedAt} with endedAt >= startedAt'],
  ['counts that do not add up', JSON.stringify({ ...good, ok: 2 }), 'traffic/summary: counts do not add up: count 2, ok 2 (pods 1), failed 1 (reasons 1)'],
])('parseSummary refuses %s', (_name, text, message) => {
  expect(() => parseSummary(text)).toThrow(message);
});

// Loopback only: two real echo pods behind one tiny round-robin forwarder would need NAT, so
// each run targets one pod; the lab suite covers spreading across pods.
test.each(['tcp', 'udp'] as const)('runConnections over %s against a real echo pod', async (protocol) => {
  const pod = await startEcho({ name: 'web-1', port: 0, host: '127.0.0.1' });
  try {
    const s = await runConnections({ target: `127.0.0.1:${pod.port}`, count: 20, concurrency: 4, protocol });
    expect(s).toMatchObject({ count: 20, ok: 20, failed: 0, perPod: { 'web-1': 20 }, clientsByPod: { 'web-1': ['127.0.0.1'] }, failures: {} });
  } finally {
    await pod.close();
  }
});

test('refused connections are counted by reason, not thrown', async () => {
  // Bind then close to get a port nothing listens on.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const s = await runConnections({ target: `127.0.0.1:${port}`, count: 3, concurrency: 3 });
  expect(s).toMatchObject({ ok: 0, failed: 3, failures: { ECONNREFUSED: 3 }, perPod: {} });
  // Each failure is listed with when it ran.
  expect(s.failedConnections).toHaveLength(3);
  for (const f of s.failedConnections) expect(f).toEqual({ reason: 'ECONNREFUSED', startedAt: expect.any(Number), endedAt: expect.any(Number) });
  expect(s.failedConnections.every((f) => f.endedAt >= f.startedAt && f.startedAt > Date.now() - 60_000)).toBe(true);
});

test('a server that answers garbage is a "bad reply"', async () => {
  const liar = createServer((sock) => sock.end('not json\n'));
  await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r));
  try {
    const s = await runConnections({ target: `127.0.0.1:${(liar.address() as AddressInfo).port}`, count: 2, concurrency: 1 });
    expect(s.failures).toEqual({ 'bad reply': 2 });
  } finally {
    await new Promise((r) => liar.close(r));
  }
});

test.each<[string, string]>([
  ['file:///x/lab/src/traffic/open.ts', 'traffic/open: /x/lab/dist/traffic/client.js is missing: build the lab package first'],
  ['file:///x/lab/dist/traffic/open.js', 'traffic/open: /x/lab/dist/traffic/client.js is missing'],
])('compiledScript from %s looks in dist', (url, message) => {
  expect(() => compiledScript(url, 'client.js')).toThrow(message);
});

test('openConnections refuses a namespace name that is not one, before running anything', async () => {
  await expect(openConnections({ netns: 'a b; reboot', target: '203.0.113.10:80', count: 1, concurrency: 1 })).rejects.toThrow('traffic/open: "a b; reboot" is not a network namespace name');
  await expect(openConnections({ netns: 'hl-x_client', target: '203.0.113.10:80', count: 0, concurrency: 1 })).rejects.toThrow('traffic/options: count 0');
});
