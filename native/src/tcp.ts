// TCP MD5 (RFC 2385), TTL and GTSM (RFC 5082) on Node sockets. Node cannot set these before the
// SYN, so createTcpSocket() makes the socket here, sets them, and hands the fd to net.Socket.

import * as net from 'node:net';
import { call } from './binding.js';
import { NativeArgumentError } from './errors.js';
import { checkAddress, checkFd, checkMd5Key, checkMinTtl, checkPrefixLength, checkTcpSocketOptions, checkTtl, type TcpSocketOptions } from './tcp-args.js';

const MODULE = 'native/tcp';

/** A socket or server Node made (its fd is read from the handle), or a plain fd. */
export type SocketTarget = net.Socket | net.Server | number;

/** The fd behind a Node socket or server (Linux: the libuv handle's fd), once it has one. */
export function socketFd(target: SocketTarget): number {
  if (typeof target === 'number') return checkFd(target);
  const fd = (target as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) {
    throw new NativeArgumentError(`${MODULE}: the ${target instanceof net.Server ? 'server is not listening' : 'socket is not open'} yet, so it has no file descriptor`);
  }
  return fd;
}

/**
 * A TCP socket with the options set and, with localAddress, bound; not yet connected. Connect it
 * with `socket.connect({ host: peer, port })` (no localAddress: it is bound already): the SYN
 * then already carries the MD5 signature and the TTL. The fd is closed if any step fails.
 */
export function createTcpSocket(options: TcpSocketOptions): net.Socket {
  const o = checkTcpSocketOptions(options);
  return call(MODULE, (raw) => {
    const fd = raw.tcpSocket(o.family);
    try {
      if (o.md5Key) raw.setMd5Key(fd, o.peer, -1, o.md5Key);
      if (o.ttl !== undefined) raw.setTtl(fd, o.ttl);
      if (o.minTtl !== undefined) raw.setMinTtl(fd, o.minTtl);
      if (o.localAddress !== undefined) raw.bind(fd, o.localAddress, 0);
      return new net.Socket({ fd });
    } catch (error) {
      raw.close(fd);
      throw error;
    }
  });
}

/**
 * Sets the MD5 key for connections with `peer` (or, with prefixLength, any address in that
 * prefix) on a socket or a listening server; `key` undefined removes it. A listener can gain and
 * lose keys while it listens; accepted connections inherit the keys of the moment.
 */
export function setTcpMd5Key(target: SocketTarget, peer: string, key: string | undefined, prefixLength?: number): void {
  const family = checkAddress(peer, 'peer');
  const bytes = key === undefined ? Buffer.alloc(0) : checkMd5Key(key);
  const prefix = prefixLength === undefined ? -1 : checkPrefixLength(prefixLength, family);
  const fd = socketFd(target);
  call(MODULE, (raw) => raw.setMd5Key(fd, peer, prefix, bytes));
}

/** IP_TTL (and IPV6_UNICAST_HOPS on an IPv6 socket): the TTL our packets leave with. */
export function setTtl(target: SocketTarget, ttl: number): void {
  const value = checkTtl(ttl);
  const fd = socketFd(target);
  call(MODULE, (raw) => raw.setTtl(fd, value));
}

/** Back to the system's default TTL / hop limit (sysctl ip_default_ttl), e.g. on a socket accepted from a listener with another TTL. */
export function resetTtl(target: SocketTarget): void {
  const fd = socketFd(target);
  // -1 is the kernel's "unset" for IP_TTL and IPV6_UNICAST_HOPS.
  call(MODULE, (raw) => raw.setTtl(fd, -1));
}

export function getTtl(target: SocketTarget): number {
  const fd = socketFd(target);
  return call(MODULE, (raw) => raw.getTtl(fd));
}

/** IP_MINTTL (and IPV6_MINHOPCOUNT): the kernel drops segments that arrive with a lower TTL; 0 turns it off. */
export function setMinTtl(target: SocketTarget, minTtl: number): void {
  const value = checkMinTtl(minTtl);
  const fd = socketFd(target);
  call(MODULE, (raw) => raw.setMinTtl(fd, value));
}

export function getMinTtl(target: SocketTarget): number {
  const fd = socketFd(target);
  return call(MODULE, (raw) => raw.getMinTtl(fd));
}

/** RFC 5082 §3: a peer `hops` away arrives with at least 255 - hops + 1. */
export function gtsmMinTtl(hops: number): number {
  if (!Number.isInteger(hops) || hops < 1 || hops > 254) throw new NativeArgumentError(`${MODULE}: GTSM hops ${String(hops)} is not 1..254`);
  return 256 - hops;
}

