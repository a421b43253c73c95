// The echo pod: on each TCP connection (or UDP datagram) it answers one JSON line naming itself,
// the client address it saw and its own address, then closes. Readiness is simply "listening".

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { EchoError, formatEndpoint, formatReply } from './reply.js';

export interface EchoOptions {
  readonly name: string;
  readonly port: number;
  /** "::" (default) listens on IPv4 and IPv6 alike. */
  readonly host?: string;
  /** Answer UDP on the same port too (default true). */
  readonly udp?: boolean;
}

export interface EchoServer {
  /** The TCP port actually bound (differs from the option when it was 0). */
  readonly port: number;
  close(): Promise<void>;
}

export async function startEcho(opts: EchoOptions): Promise<EchoServer> {
  if (opts.name === '' || opts.name.length > 253) throw new EchoError('echo/server', `pod name "${opts.name}" must be 1-253 characters`);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new EchoError('echo/server', `port ${opts.port} is not 0-65535`);
  const host = opts.host ?? '::';
  const tcp: Server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    const client = formatEndpoint(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    const local = formatEndpoint(socket.localAddress ?? '?', socket.localPort ?? 0);
    socket.end(formatReply({ pod: opts.name, client, local }));
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', (err) => reject(new EchoError('echo/server', `cannot listen on TCP ${formatEndpoint(host, opts.port)}: ${err.message}`)));
    tcp.listen({ host, port: opts.port, ipv6Only: false }, () => resolve());
  });
  const port = (tcp.address() as AddressInfo).port;
  let udp: UdpSocket | undefined;
  if (opts.udp ?? true) {
    const sock = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', ipv6Only: false });
    sock.on('message', (_msg, peer) => {
      const local = sock.address();
      // A dual-stack socket reports "::" as its own address; the datagram's real destination
      // is not visible without IP_PKTINFO, so UDP replies name the bound address.
      sock.send(formatReply({ pod: opts.name, client: formatEndpoint(peer.address, peer.port), local: formatEndpoint(local.address, local.port) }), peer.port, peer.address);
    });
    await new Promise<void>((resolve, reject) => {
      sock.once('error', (err) => reject(new EchoError('echo/server', `cannot listen on UDP ${formatEndpoint(host, port)}: ${err.message}`)));
      sock.bind({ address: host, port }, () => resolve());
    }).catch(async (err: unknown) => {
      await new Promise((r) => tcp.close(r));
      throw err;
    });
    udp = sock;
  }
  return {
    port,
    async close() {
      await Promise.all([new Promise((r) => tcp.close(r)), udp === undefined ? undefined : new Promise<void>((r) => udp!.close(() => r()))]);
    },
  };
}
