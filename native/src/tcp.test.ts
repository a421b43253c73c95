// Against the real kernel on loopback: options read back with getsockopt, and TCP MD5 / GTSM
// decide whether a connection comes up at all. Linux only (the addon's platform).

import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import { binding, isSupported } from './binding.js';
import { NativeArgumentError, NativeSyscallError, NativeUnsupportedError } from './errors.js';
import { createTcpSocket, getMinTtl, getTtl, gtsmMinTtl, resetTtl, setMinTtl, setTcpMd5Key, setTtl, socketFd } from './tcp.js';

const linux = process.platform === 'linux' ? describe : describe.skip;

/** How long a refused handshake is given: MD5 and min-TTL drops are silent, so "not connected" is all one sees. */
const NO_CONNECT_MS = 700;

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A listening echo server; `prepare` runs once it listens (keys and options on the listening fd). */
async function server(host: string, prepare?: (server: net.Server) => void): Promise<net.Server> {
  const srv = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.on('data', (d) => socket.write(d));
  });
  servers.push(srv);
  await new Promise<void>((resolve) => srv.listen({ host, port: 0 }, resolve));
  prepare?.(srv);
  return srv;
}

const portOf = (srv: net.Server): number => (srv.address() as net.AddressInfo).port;

/** Connects and sends one line; resolves 'echoed' when it comes back, 'no connection' if the handshake does not finish in time. */
function tryConnect(socket: net.Socket, host: string, port: number): Promise<'echoed' | 'no connection' | string> {
  sockets.push(socket);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(socket.connecting ? 'no connection' : 'connected, no echo'), NO_CONNECT_MS);
    socket.on('error', (e) => {
      clearTimeout(timer);
      resolve(`error: ${e.message}`);
    });
    socket.once('data', (d) => {
      clearTimeout(timer);
      resolve(String(d) === 'hello' ? 'echoed' : `wrong echo ${String(d)}`);
    });
    socket.connect({ host, port }, () => socket.write('hello'));
  });
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

test('off Linux the wrapper says which platform is not supported', () => {
  expect(() => binding('darwin')).toThrow(NativeUnsupportedError);
  expect(() => binding('darwin')).toThrow(/^native: not supported on darwin/);
  expect(isSupported('win32')).toBe(false);
});

test.each([
  [1, 255],
  [2, 254],
  [254, 2],
])('GTSM: a peer %i hop(s) away must arrive with TTL >= %i', (hops, min) => expect(gtsmMinTtl(hops)).toBe(min));

test.each([0, 255, 1.5])('GTSM hops %p is refused', (hops) => expect(() => gtsmMinTtl(hops)).toThrow(/^native\/tcp: GTSM hops/));

linux('on Linux', () => {
  test('the addon loads', () => expect(isSupported()).toBe(true));

  test.each([
    ['IPv4', '127.0.0.1'],
    ['IPv6', '::1'],
  ])('%s: createTcpSocket sets TTL and minimum TTL before connect (getsockopt round trip)', (_family, peer) => {
    const socket = createTcpSocket({ peer, ttl: 7, minTtl: 200 });
    sockets.push(socket);
    expect(getTtl(socket)).toBe(7);
    expect(getMinTtl(socket)).toBe(200);
  });

  test('TTL and minimum TTL can be changed on a connected socket and on a listener', async () => {
    const srv = await server('127.0.0.1');
    setTtl(srv, 33);
    setMinTtl(srv, 1);
    expect([getTtl(srv), getMinTtl(srv)]).toEqual([33, 1]);
    const socket = net.connect({ host: '127.0.0.1', port: portOf(srv) });
    sockets.push(socket);
    await new Promise((r) => socket.once('connect', r));
    setTtl(socket, 255);
    setMinTtl(socket, 0);
    expect([getTtl(socket), getMinTtl(socket)]).toEqual([255, 0]);
  });

  test('resetTtl goes back to the system default, also on a socket accepted from a listener with another TTL', async () => {
    const systemDefault = Number(readFileSync('/proc/sys/net/ipv4/ip_default_ttl', 'utf8'));
    const accepted = new Promise<net.Socket>((resolve) => {
      const srv = net.createServer(resolve);
      servers.push(srv);
      srv.listen({ host: '127.0.0.1', port: 0 }, () => {
        setTtl(srv, 255);
        sockets.push(net.connect({ host: '127.0.0.1', port: portOf(srv) }));
      });
    });
    const socket = await accepted;
    sockets.push(socket);
    // Inherited from the listener: why the BGP listener resets it for peers without a TTL of their own.
    expect(getTtl(socket)).toBe(255);
    resetTtl(socket);
    expect(getTtl(socket)).toBe(systemDefault);
    const v6 = createTcpSocket({ peer: '::1', ttl: 9 });
    sockets.push(v6);
    resetTtl(v6);
    expect(getTtl(v6)).toBe(Number(readFileSync('/proc/sys/net/ipv6/conf/all/hop_limit', 'utf8')));
  });

  test('bound to localAddress before connecting', async () => {
    const srv = await server('127.0.0.1');
    const socket = createTcpSocket({ peer: '127.0.0.1', localAddress: '127.0.0.2' });
    expect(await tryConnect(socket, '127.0.0.1', portOf(srv))).toBe('echoed');
    expect(socket.localAddress).toBe('127.0.0.2');
  });

  describe('TCP MD5', () => {
    test.each([
      ['IPv4', '127.0.0.1'],
      ['IPv6', '::1'],
    ])('%s: the same key on both ends connects', async (_family, host) => {
      const srv = await server(host, (s) => setTcpMd5Key(s, host, 'swordfish'));
      expect(await tryConnect(createTcpSocket({ peer: host, md5Key: 'swordfish' }), host, portOf(srv))).toBe('echoed');
    });

    test.each<[string, string | undefined]>([
      ['a different key', 'tuna'],
      ['no key', undefined],
    ])('%s does not connect to a listener that wants a key', async (_name, key) => {
      const srv = await server('127.0.0.1', (s) => setTcpMd5Key(s, '127.0.0.1', 'swordfish'));
      const socket = key === undefined ? new net.Socket() : createTcpSocket({ peer: '127.0.0.1', md5Key: key });
      expect(await tryConnect(socket, '127.0.0.1', portOf(srv))).toBe('no connection');
    });

    test('a signed connection to a listener without the key does not connect', async () => {
      const srv = await server('127.0.0.1');
      expect(await tryConnect(createTcpSocket({ peer: '127.0.0.1', md5Key: 'swordfish' }), '127.0.0.1', portOf(srv))).toBe('no connection');
    });

    test('keys are added and removed while the listener listens', async () => {
      const srv = await server('127.0.0.1');
      setTcpMd5Key(srv, '127.0.0.1', 'swordfish');
      expect(await tryConnect(new net.Socket(), '127.0.0.1', portOf(srv))).toBe('no connection');
      setTcpMd5Key(srv, '127.0.0.1', undefined);
      expect(await tryConnect(new net.Socket(), '127.0.0.1', portOf(srv))).toBe('echoed');
      // Removing a key that is not there is not an error: the listener already is as asked.
      expect(() => setTcpMd5Key(srv, '127.0.0.1', undefined)).not.toThrow();
    });

    test('a key for a prefix covers every address in it', async () => {
      const srv = await server('127.0.0.1', (s) => setTcpMd5Key(s, '127.0.0.0', 'range-key', 8));
      const socket = createTcpSocket({ peer: '127.0.0.1', localAddress: '127.0.0.9', md5Key: 'range-key' });
      expect(await tryConnect(socket, '127.0.0.1', portOf(srv))).toBe('echoed');
      expect(await tryConnect(new net.Socket(), '127.0.0.1', portOf(srv))).toBe('no connection');
    });

    test('an IPv4 peer on a dual-stack (::) listener', async () => {
      const srv = await server('::', (s) => setTcpMd5Key(s, '127.0.0.1', 'swordfish'));
      expect(await tryConnect(createTcpSocket({ peer: '127.0.0.1', md5Key: 'swordfish' }), '127.0.0.1', portOf(srv))).toBe('echoed');
      expect(await tryConnect(createTcpSocket({ peer: '127.0.0.1', md5Key: 'tuna' }), '127.0.0.1', portOf(srv))).toBe('no connection');
    });
  });

  describe('GTSM (minimum TTL)', () => {
    test.each<[string, number | undefined, string]>([
      ['TTL 255 passes a 255 minimum', 255, 'echoed'],
      ['the default TTL (64) does not', undefined, 'no connection'],
      ['TTL 254 does not', 254, 'no connection'],
    ])('%s', async (_name, ttl, outcome) => {
      const srv = await server('127.0.0.1', (s) => {
        setMinTtl(s, 255);
        setTtl(s, 255);
      });
      const socket = createTcpSocket({ peer: '127.0.0.1', ...(ttl === undefined ? {} : { ttl }), minTtl: 255 });
      expect(await tryConnect(socket, '127.0.0.1', portOf(srv))).toBe(outcome);
    });
  });

  describe('kernel refusals are NativeSyscallErrors naming the option, fd and errno', () => {
    test('an fd that is not a socket', () => {
      const fd = openSync('/dev/null', 'r');
      try {
        const run = () => setTtl(fd, 5);
        expect(run).toThrow(NativeSyscallError);
        expect(run).toThrow(new RegExp(`^native/tcp: getsockname IP_TTL on fd ${fd} failed: Socket operation on non-socket \\(ENOTSOCK\\)`));
        try {
          run();
        } catch (error) {
          expect(error).toMatchObject({ fd, code: 'ENOTSOCK', syscall: 'getsockname', option: 'IP_TTL' });
        }
      } finally {
        closeSync(fd);
      }
    });

    test('binding to an address this host does not have; the fd is closed again', () => {
      const before = openFds();
      const run = () => createTcpSocket({ peer: '198.18.0.1', localAddress: '198.18.0.2' });
      expect(run).toThrow(NativeSyscallError);
      expect(run).toThrow(/^native\/tcp: bind 198\.18\.0\.2 on fd \d+ failed: Cannot assign requested address \(EADDRNOTAVAIL\)/);
      expect(openFds()).toBe(before);
    });

    test('a server that does not listen yet has no fd', () => {
      expect(() => setTtl(net.createServer(), 5)).toThrow(NativeArgumentError);
      expect(() => socketFd(new net.Socket())).toThrow(/^native\/tcp: the socket is not open yet/);
    });
  });
});
