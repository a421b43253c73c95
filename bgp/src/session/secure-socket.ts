// A session's socket with what Node cannot set itself: TCP MD5 and the TTL before the SYN
// (outgoing), TTL and GTSM's minimum TTL on an accepted socket. The work is native/'s.

import type * as net from 'node:net';
import { createTcpSocket, setMinTtl, setTtl } from '@headland/native';
import type { SocketSecurity } from './peer-config.js';

/** An unconnected socket to `host` with the key and TTLs set and, with localAddress, bound: connect it without localAddress. */
export function openSecuredSocket(host: string, localAddress: string | undefined, security: SocketSecurity): net.Socket {
  return createTcpSocket({
    peer: host,
    ...(localAddress === undefined ? {} : { localAddress }),
    ...(security.password === undefined ? {} : { md5Key: security.password }),
    ...(security.ttl === undefined ? {} : { ttl: security.ttl }),
    ...(security.minTtl === undefined ? {} : { minTtl: security.minTtl }),
  });
}

/** An accepted socket takes the peer's TTLs; its MD5 key came with it from the listener. */
export function secureAccepted(socket: net.Socket, security: SocketSecurity): void {
  if (security.ttl !== undefined) setTtl(socket, security.ttl);
  if (security.minTtl !== undefined) setMinTtl(socket, security.minTtl);
}
