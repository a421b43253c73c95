// Checks every argument of the TCP option functions before the addon sees it, so a bad value is
// a NativeArgumentError naming the argument instead of an errno from the kernel. Pure, no I/O.

import { isIP } from 'node:net';
import { NativeArgumentError } from './errors.js';

const MODULE = 'native/tcp';
/** TCP_MD5SIG_MAXKEYLEN in the kernel. */
export const MAX_MD5_KEY_BYTES = 80;

function fail(what: string): never {
  throw new NativeArgumentError(`${MODULE}: ${what}`);
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

export function checkFd(fd: unknown): number {
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) fail(`fd ${show(fd)} is not a file descriptor`);
  return fd;
}

/** The family (4 or 6) of an IP address in text. */
export function checkAddress(address: unknown, what: string): 4 | 6 {
  const family = typeof address === 'string' ? isIP(address) : 0;
  if (family !== 4 && family !== 6) fail(`${what} ${show(address)} is not an IPv4 or IPv6 address`);
  return family;
}

/** The key as the bytes the kernel signs with (UTF-8, as routers take a password). */
export function checkMd5Key(key: unknown): Buffer {
  if (typeof key !== 'string' || key.length === 0) fail('the TCP MD5 key must be a non-empty string');
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length > MAX_MD5_KEY_BYTES) fail(`the TCP MD5 key is ${bytes.length} bytes, more than the kernel's ${MAX_MD5_KEY_BYTES}`);
  return bytes;
}

export function checkPrefixLength(length: unknown, family: 4 | 6): number {
  const max = family === 4 ? 32 : 128;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > max) fail(`prefix length ${show(length)} is not 0..${max}`);
  return length;
}

/** IP_TTL / IPV6_UNICAST_HOPS: 1..255. */
export function checkTtl(ttl: unknown): number {
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > 255) fail(`ttl ${show(ttl)} is not 1..255`);
  return ttl;
}

/** IP_MINTTL / IPV6_MINHOPCOUNT: 0 (off) .. 255. */
export function checkMinTtl(minTtl: unknown): number {
  if (typeof minTtl !== 'number' || !Number.isInteger(minTtl) || minTtl < 0 || minTtl > 255) fail(`minimum ttl ${show(minTtl)} is not 0..255`);
  return minTtl;
}

export function checkPort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) fail(`port ${show(port)} is not 0..65535`);
  return port;
}

export interface TcpSocketOptions {
  /** The address the socket will connect to: it picks the family and is what the MD5 key is for. */
  readonly peer: string;
  /** Source address to bind before connecting (same family as peer). */
  readonly localAddress?: string;
  /** TCP MD5 key (RFC 2385) for segments to and from peer. */
  readonly md5Key?: string;
  /** TTL / hop limit our packets leave with. */
  readonly ttl?: number;
  /** Drop what arrives with a lower TTL / hop limit (GTSM, RFC 5082). */
  readonly minTtl?: number;
}

export interface CheckedTcpSocketOptions {
  readonly family: 4 | 6;
  readonly peer: string;
  readonly localAddress: string | undefined;
  readonly md5Key: Buffer | undefined;
  readonly ttl: number | undefined;
  readonly minTtl: number | undefined;
}

export function checkTcpSocketOptions(options: unknown): CheckedTcpSocketOptions {
  if (typeof options !== 'object' || options === null) fail('socket options must be an object');
  const o = options as Record<string, unknown>;
  const family = checkAddress(o.peer, 'peer');
  let localAddress: string | undefined;
  if (o.localAddress !== undefined) {
    if (checkAddress(o.localAddress, 'localAddress') !== family) fail(`localAddress ${show(o.localAddress)} is not of the peer's family (IPv${family})`);
    localAddress = o.localAddress as string;
  }
  return {
    family,
    peer: o.peer as string,
    localAddress,
    md5Key: o.md5Key === undefined ? undefined : checkMd5Key(o.md5Key),
    ttl: o.ttl === undefined ? undefined : checkTtl(o.ttl),
    minTtl: o.minTtl === undefined ? undefined : checkMinTtl(o.minTtl),
  };
}
