// Against the real kernel on loopback (no root needed, except SO_BINDTODEVICE): the TTL / hop
// limit each datagram arrived with, the address it was sent to, truncation, handler exceptions,
// close, and kernel refusals as NativeSyscallErrors naming the syscall and errno.

import { networkInterfaces } from 'node:os';
import { readdirSync } from 'node:fs';
import { isSupported } from './binding.js';
import { NativeArgumentError, NativeSyscallError } from './errors.js';
import { UDP_RECEIVE_BUFFER_BYTES, UdpSocket, type UdpDatagram } from './udp.js';

const linux = process.platform === 'linux' && isSupported() ? describe : describe.skip;
const hasIPv6Loopback = Object.values(networkInterfaces()).some((list) => list?.some((a) => a.address === '::1'));
const root = process.getuid?.() === 0 ? test : test.skip;

interface Received extends Omit<UdpDatagram, 'data'> {
  readonly text: string;
}

const sockets: UdpSocket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** A socket that keeps a copy of every datagram (the view is only valid during the call). */
function receiver(address: string, more: { port?: number; reuseAddress?: boolean } = {}): { socket: UdpSocket; got: Received[] } {
  const got: Received[] = [];
  const socket = UdpSocket.open({
    address,
    ...more,
    onDatagram: ({ data, ...rest }) => got.push({ ...rest, text: data.toString('latin1') }),
  });
  sockets.push(socket);
  return { socket, got };
}

function sender(address: string, ttl?: number): UdpSocket {
  const socket = UdpSocket.open({ address, ...(ttl === undefined ? {} : { ttl }), onDatagram: () => undefined });
  sockets.push(socket);
  return socket;
}

/** Waits (polling the event loop, at most 2 s) until `got` holds n datagrams. */
async function until(got: unknown[], n: number): Promise<void> {
  for (let i = 0; i < 400 && got.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  expect(got.length).toBeGreaterThanOrEqual(n);
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

linux('UDP sockets on loopback', () => {
  describe.each<[string, string, boolean]>([
    ['IPv4', '127.0.0.1', true],
    ['IPv6', '::1', hasIPv6Loopback],
  ])('%s', (_family, loopback, available) => {
    const maybe = available ? test : test.skip;

    maybe('the received TTL / hop limit is reported: 255 and 64 as sent, with source, port and destination', async () => {
      const { socket, got } = receiver(loopback);
      expect(socket.localPort).toBeGreaterThan(0);
      expect(socket.localAddress).toBe(loopback);
      const high = sender(loopback, 255);
      const low = sender(loopback, 64);
      expect(high.send(Buffer.from('ttl 255'), loopback, socket.localPort)).toBe(true);
      expect(low.send(Buffer.from('ttl 64'), loopback, socket.localPort)).toBe(true);
      await until(got, 2);
      const byText = Object.fromEntries(got.map((d) => [d.text, d]));
      expect(byText['ttl 255']).toEqual({ text: 'ttl 255', address: loopback, port: high.localPort, ttl: 255, localAddress: loopback, truncated: false });
      expect(byText['ttl 64']).toEqual({ text: 'ttl 64', address: loopback, port: low.localPort, ttl: 64, localAddress: loopback, truncated: false });
    });

    maybe('without a ttl option the system default (not 255) goes out', async () => {
      const { socket, got } = receiver(loopback);
      sender(loopback).send(Buffer.from('default'), loopback, socket.localPort);
      await until(got, 1);
      expect(got[0]!.ttl).toBeGreaterThan(0);
      expect(got[0]!.ttl).toBeLessThan(255);
    });

    maybe('a datagram longer than the receive buffer arrives cut and marked truncated', async () => {
      const { socket, got } = receiver(loopback);
      sender(loopback).send(Buffer.alloc(3000, 0x61), loopback, socket.localPort);
      await until(got, 1);
      expect(got[0]).toMatchObject({ truncated: true });
      expect(got[0]!.text.length).toBe(UDP_RECEIVE_BUFFER_BYTES);
    });
  });

  test('a wildcard socket tells which local address each datagram was sent to', async () => {
    const { socket, got } = receiver('0.0.0.0');
    expect(socket.localAddress).toBe('0.0.0.0');
    const out = sender('0.0.0.0', 255);
    out.send(Buffer.from('a'), '127.0.0.1', socket.localPort);
    out.send(Buffer.from('b'), '127.0.0.2', socket.localPort);
    await until(got, 2);
    expect(got.map((d) => [d.text, d.localAddress, d.ttl]).sort()).toEqual([
      ['a', '127.0.0.1', 255],
      ['b', '127.0.0.2', 255],
    ]);
  });

  test('with SO_REUSEADDR a socket on one address shares the port with the wildcard and gets its datagrams', async () => {
    const wildcard = receiver('0.0.0.0');
    const specific = receiver('127.0.0.2', { port: wildcard.socket.localPort });
    const out = sender('127.0.0.1');
    out.send(Buffer.from('to .2'), '127.0.0.2', wildcard.socket.localPort);
    out.send(Buffer.from('to .1'), '127.0.0.1', wildcard.socket.localPort);
    await until(specific.got, 1);
    await until(wildcard.got, 1);
    expect(specific.got.map((d) => d.text)).toEqual(['to .2']);
    expect(wildcard.got.map((d) => d.text)).toEqual(['to .1']);
  });

  test('an exception in onDatagram goes to onError and the socket keeps receiving', async () => {
    const errors: unknown[] = [];
    const texts: string[] = [];
    const socket = UdpSocket.open({
      address: '127.0.0.1',
      onDatagram: ({ data }) => {
        texts.push(data.toString());
        if (texts.length === 1) throw new Error('handler failed');
      },
      onError: (e) => errors.push(e),
    });
    sockets.push(socket);
    const out = sender('127.0.0.1');
    out.send(Buffer.from('one'), '127.0.0.1', socket.localPort);
    await until(texts, 1);
    out.send(Buffer.from('two'), '127.0.0.1', socket.localPort);
    await until(texts, 2);
    expect(texts).toEqual(['one', 'two']);
    expect(String(errors[0])).toMatch(/handler failed/);
  });

  test('after close nothing arrives, send refuses, closing again is fine, and the fd is gone', async () => {
    const before = openFds();
    const { socket, got } = receiver('127.0.0.1');
    expect(openFds()).toBe(before + 1);
    const port = socket.localPort;
    socket.close();
    expect(openFds()).toBe(before);
    expect(socket.closed).toBe(true);
    socket.close();
    expect(() => socket.send(Buffer.from('x'), '127.0.0.1', 9)).toThrow(NativeArgumentError);
    expect(() => socket.send(Buffer.from('x'), '127.0.0.1', 9)).toThrow(/^native\/udp: cannot send: the socket on 127.0.0.1 port \d+ is closed/);
    const out = receiver('127.0.0.1').socket;
    out.send(Buffer.from('late'), '127.0.0.1', port);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([]);
  });

  test('receiving is event-driven: an idle open socket costs no CPU (a loose bound, not a timing)', async () => {
    receiver('127.0.0.1');
    const start = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 300));
    const used = process.cpuUsage(start);
    expect((used.user + used.system) / 1000).toBeLessThan(150);
  });

  root('SO_BINDTODEVICE lo (root): bound to the interface, still receiving', async () => {
    const got: string[] = [];
    const socket = UdpSocket.open({ address: '127.0.0.1', device: 'lo', onDatagram: ({ data }) => got.push(data.toString()) });
    sockets.push(socket);
    sender('127.0.0.1').send(Buffer.from('on lo'), '127.0.0.1', socket.localPort);
    await until(got, 1);
    expect(got).toEqual(['on lo']);
  });

  describe('kernel refusals are NativeSyscallErrors naming the syscall, address and errno', () => {
    test.each<[string, () => unknown, RegExp, string]>([
      [
        'a port taken by a socket without SO_REUSEADDR',
        () => {
          const taken = receiver('127.0.0.1', { reuseAddress: false }).socket;
          return UdpSocket.open({ address: '127.0.0.1', port: taken.localPort, reuseAddress: false, onDatagram: () => undefined });
        },
        /^native\/udp: bind 127\.0\.0\.1 on fd \d+ failed: .* \(EADDRINUSE\)$/,
        'EADDRINUSE',
      ],
      ['an address that is not ours', () => UdpSocket.open({ address: '198.51.100.1', onDatagram: () => undefined }), /bind 198\.51\.100\.1 .*\(EADDRNOTAVAIL\)/, 'EADDRNOTAVAIL'],
      ['broadcast without SO_BROADCAST', () => sender('0.0.0.0').send(Buffer.from('x'), '255.255.255.255', 9), /^native\/udp: sendto 255\.255\.255\.255 on fd \d+ failed: .*\(EACCES\)/, 'EACCES'],
      ['a zone that names no interface', () => UdpSocket.open({ address: 'fe80::1%hl-nothere', onDatagram: () => undefined }), /if_nametoindex fe80::1%hl-nothere .*\(ENODEV\)/, 'ENODEV'],
    ])('%s', (_name, run, message, code) => {
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(NativeSyscallError);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as NativeSyscallError).code).toBe(code);
    });
  });
});
