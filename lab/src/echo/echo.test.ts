import { createConnection } from 'node:net';
import { createSocket } from 'node:dgram';
import { parseEchoFlags } from './flags.js';
import { formatEndpoint, formatReply, hostOf, parseReply } from './reply.js';
import { startEcho } from './server.js';

test.each<[string, number, string]>([
  ['198.18.1.2', 8080, '198.18.1.2:8080'],
  ['::ffff:198.18.1.2', 8080, '198.18.1.2:8080'],
  ['2001:db8::2', 53, '[2001:db8::2]:53'],
  ['::ffff:0:1', 1, '[::ffff:0:1]:1'],
])('formatEndpoint(%s, %d) = %s', (address, port, expected) => {
  expect(formatEndpoint(address, port)).toBe(expected);
  expect(hostOf(expected)).toBe(expected.startsWith('[') ? address : address.replace('::ffff:', ''));
});

test('a reply survives formatting and parsing', () => {
  const reply = { pod: 'web-1', client: '198.18.0.11:40000', local: '[2001:db8:1::2]:8080' };
  expect(parseReply(formatReply(reply))).toEqual(reply);
});

test.each<[string, string]>([
  ['not json', 'echo/reply: reply is not JSON'],
  ['[1]', 'echo/reply: reply is not an object'],
  ['{"client":"1.2.3.4:5","local":"1.2.3.4:5"}', 'echo/reply: reply field "pod" must be a non-empty string, got undefined'],
  ['{"pod":"p","client":5,"local":"1.2.3.4:5"}', 'reply field "client" must be a non-empty string, got 5'],
  ['{"pod":"p","client":"1.2.3.4","local":"1.2.3.4:5"}', 'echo/reply: "1.2.3.4" is not IP:PORT'],
  ['{"pod":"p","client":"1.2.3.4:5","local":"[::1]"}', 'echo/reply: "[::1]" is not IP:PORT'],
])('parseReply refuses %s', (line, message) => {
  expect(() => parseReply(line)).toThrow(message);
});

test.each<[string[], Record<string, unknown>]>([
  [['--name', 'web-1'], { name: 'web-1', port: 8080, udp: true }],
  [['--name=web-1', '--port=9000', '--host', '127.0.0.1', '--no-udp'], { name: 'web-1', port: 9000, host: '127.0.0.1', udp: false }],
])('flags %j', (argv, expected) => {
  expect(parseEchoFlags(argv)).toEqual(expected);
});

test.each<[string[], string]>([
  [[], 'echo/flags: --name is required'],
  [['--name', 'p', '--port', '70000'], 'echo/flags: --port "70000" is not 0-65535'],
  [['--name', 'p', '--port', '-1'], 'echo/flags:'],
  [['--name', 'p', '--what'], "echo/flags: Unknown option '--what'"],
])('flags refuse %j', (argv, message) => {
  expect(() => parseEchoFlags(argv)).toThrow(message);
});

test.each<[string, () => Promise<unknown>, string]>([
  ['empty name', () => startEcho({ name: '', port: 0 }), 'echo/server: pod name "" must be 1-253 characters'],
  ['bad port', () => startEcho({ name: 'p', port: 1.5 }), 'echo/server: port 1.5 is not 0-65535'],
])('startEcho refuses %s', async (_name, start, message) => {
  await expect(start()).rejects.toThrow(message);
});

// Loopback only: the real server, one real TCP connection and one UDP datagram.
test('answers TCP with one line naming itself and the peer, then closes', async () => {
  const server = await startEcho({ name: 'web-1', port: 0, host: '127.0.0.1' });
  try {
    const { line, localPort } = await new Promise<{ line: string; localPort: number }>((resolve, reject) => {
      const sock = createConnection({ host: '127.0.0.1', port: server.port });
      let data = '';
      sock.setEncoding('utf8');
      sock.on('data', (d) => (data += d));
      sock.on('end', () => resolve({ line: data, localPort: sock.localPort! }));
      sock.on('error', reject);
    });
    expect(line.endsWith('\n')).toBe(true);
    expect(parseReply(line)).toEqual({ pod: 'web-1', client: `127.0.0.1:${localPort}`, local: `127.0.0.1:${server.port}` });
  } finally {
    await server.close();
  }
});

test('answers a UDP datagram the same way', async () => {
  const server = await startEcho({ name: 'dns-1', port: 0, host: '127.0.0.1' });
  const sock = createSocket('udp4');
  try {
    const reply = await new Promise<string>((resolve, reject) => {
      sock.on('message', (msg) => resolve(msg.toString('utf8')));
      sock.on('error', reject);
      sock.send('hi', server.port, '127.0.0.1');
    });
    expect(parseReply(reply)).toEqual({ pod: 'dns-1', client: `127.0.0.1:${sock.address().port}`, local: `127.0.0.1:${server.port}` });
  } finally {
    sock.close();
    await server.close();
  }
});

test('a taken port is refused with the address in the message', async () => {
  const first = await startEcho({ name: 'a', port: 0, host: '127.0.0.1', udp: false });
  try {
    await expect(startEcho({ name: 'b', port: first.port, host: '127.0.0.1' })).rejects.toThrow(`echo/server: cannot listen on TCP 127.0.0.1:${first.port}`);
  } finally {
    await first.close();
  }
});
