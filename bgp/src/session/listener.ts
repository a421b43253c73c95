// Passive side: one TCP server that hands each accepted connection to the configured peer with
// that address or, for dynamic neighbours, to a peer created for an address inside a prefix.

import * as net from 'node:net';
import { resetTtl, setTcpMd5Key, setTtl } from '@headland/native';
import { parsePrefix, type Prefix } from '../wire/nlri.js';
import { parseAddress } from '../wire/ip.js';
import { BgpConfigError } from '../fsm/config.js';
import { unmapped } from './connection.js';

export interface ListenerOptions {
  readonly address: string;
  readonly port: number;
  /** Returns true when a peer took the socket; otherwise the listener closes it. */
  readonly accept: (socket: net.Socket, remoteAddress: string) => boolean;
  /** Applied to the server before it listens (TCP MD5 keys per peer go here through native/). */
  readonly serverOptions?: (server: net.Server) => void;
}

/** Whether `address` falls inside `prefix` (same family, leading bits equal). */
export function prefixContains(prefix: Prefix, address: string): boolean {
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  if (family !== prefix.family) return false;
  const a = parseAddress(family, address);
  const p = parseAddress(family, prefix.address);
  if (!a || !p) return false;
  for (let bit = 0; bit < prefix.length; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((a[byte] ?? 0) & mask) !== ((p[byte] ?? 0) & mask)) return false;
  }
  return true;
}

export function parseRange(text: string): Prefix {
  try {
    return parsePrefix(text);
  } catch {
    throw new BgpConfigError(`listener: dynamic neighbour range "${text}" is not a prefix`);
  }
}

export class Listener {
  private readonly server: net.Server;

  private constructor(
    server: net.Server,
    private readonly shared: { ttlRaised: boolean },
  ) {
    this.server = server;
  }

  /** Listens and resolves once bound; a bind failure rejects with a BgpConfigError naming the address. */
  static async open(options: ListenerOptions): Promise<Listener> {
    const shared = { ttlRaised: false };
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      const remote = unmapped(socket.remoteAddress ?? '');
      let taken = false;
      try {
        // Accepted sockets inherit the listener's TTL; a peer without its own TTL gets the system's.
        if (shared.ttlRaised) resetTtl(socket);
        taken = options.accept(socket, remote);
      } catch {
        taken = false;
      }
      if (!taken) socket.destroy();
    });
    options.serverOptions?.(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(new BgpConfigError(`listener: cannot listen on [${options.address}]:${options.port}: ${error.message}`)));
      server.listen({ host: options.address, port: options.port }, resolve);
    });
    server.on('error', () => undefined);
    return new Listener(server, shared);
  }

  /**
   * Requires TCP MD5 with `key` on connections from `address` (or, with prefixLength, from any
   * address in that prefix), or with key undefined stops requiring it. Works while listening.
   */
  setMd5Key(address: string, key: string | undefined, prefixLength?: number): void {
    try {
      setTcpMd5Key(this.server, address, key, prefixLength);
    } catch (error) {
      const what = prefixLength === undefined ? address : `${address}/${prefixLength}`;
      throw new BgpConfigError(`listener: cannot ${key === undefined ? 'remove' : 'set'} the TCP MD5 key for ${what}: ${(error as Error).message}`);
    }
  }

  /** The TTL of what the listener sends itself: the SYN-ACK, before a peer's own TTL is set on the accepted socket. */
  setTtl(ttl: number): void {
    try {
      setTtl(this.server, ttl);
      this.shared.ttlRaised = true;
    } catch (error) {
      throw new BgpConfigError(`listener: cannot set TTL ${ttl}: ${(error as Error).message}`);
    }
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
