// Checks every argument of the UDP functions before the addon sees it, so a bad value is a
// NativeArgumentError naming the argument instead of an errno from the kernel. Pure, no I/O.

import { isIP } from 'node:net';
import { NativeArgumentError } from './errors.js';

const MODULE = 'native/udp';
/** The largest UDP payload an IPv4 / IPv6 packet (no jumbogram) can carry. */
export const MAX_UDP_PAYLOAD = { 4: 65_507, 6: 65_527 } as const;
/** IFNAMSIZ - 1: the kernel's longest interface name. */
const MAX_DEVICE_BYTES = 15;

function fail(what: string): never {
  throw new NativeArgumentError(`${MODULE}: ${what}`);
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** The family of an IP address in text; IPv6 may carry a zone ("fe80::1%eth0"), IPv4 not. */
export function checkUdpAddress(address: unknown, what: string): 4 | 6 {
  const family = typeof address === 'string' ? isIP(address) : 0;
  if (family !== 4 && family !== 6) fail(`${what} ${show(address)} is not an IPv4 or IPv6 address`);
  return family;
}

function checkInteger(value: unknown, what: string, low: number, high: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) fail(`${what} ${show(value)} is not ${low}..${high}`);
  return value;
}

export interface UdpSocketOptions {
  /** The local address to bind: a host address, or "0.0.0.0" / "::" for any. Picks the family. */
  readonly address: string;
  /** 0 or absent: the kernel picks one (read it back from `localPort`). */
  readonly port?: number;
  /** IP_TTL / IPV6_UNICAST_HOPS our datagrams leave with; absent: the system default (usually 64). */
  readonly ttl?: number;
  /** SO_REUSEADDR, so a socket on one address can share the port with one on the wildcard. Default true. */
  readonly reuseAddress?: boolean;
  /** SO_BINDTODEVICE: send and receive only through this interface. */
  readonly device?: string;
}

export interface CheckedUdpSocketOptions {
  readonly family: 4 | 6;
  readonly address: string;
  readonly port: number;
  /** 0: leave the system default. */
  readonly ttl: number;
  readonly reuseAddress: boolean;
  /** '': none. */
  readonly device: string;
}

export function checkUdpSocketOptions(options: unknown): CheckedUdpSocketOptions {
  if (typeof options !== 'object' || options === null) fail('socket options must be an object');
  const o = options as Record<string, unknown>;
  const family = checkUdpAddress(o.address, 'address');
  if (o.reuseAddress !== undefined && typeof o.reuseAddress !== 'boolean') fail(`reuseAddress ${show(o.reuseAddress)} must be true or false`);
  let device = '';
  if (o.device !== undefined) {
    if (typeof o.device !== 'string' || o.device.length === 0 || Buffer.byteLength(o.device) > MAX_DEVICE_BYTES || /[\s/:]/.test(o.device)) {
      fail(`device ${show(o.device)} is not an interface name (1..${MAX_DEVICE_BYTES} bytes, no space, slash or colon)`);
    }
    device = o.device;
  }
  return {
    family,
    address: o.address as string,
    port: o.port === undefined ? 0 : checkInteger(o.port, 'port', 0, 65535),
    ttl: o.ttl === undefined ? 0 : checkInteger(o.ttl, 'ttl', 1, 255),
    reuseAddress: o.reuseAddress !== false,
    device,
  };
}

/** A destination of the socket's family and a payload that fits one datagram, as the addon wants them. */
export function checkUdpSend(family: 4 | 6, data: unknown, address: unknown, port: unknown): Buffer {
  if (!(data instanceof Uint8Array)) fail('data must be a Uint8Array or Buffer');
  if (data.length > MAX_UDP_PAYLOAD[family]) fail(`data is ${data.length} bytes, more than an IPv${family} UDP datagram holds (${MAX_UDP_PAYLOAD[family]})`);
  if (checkUdpAddress(address, 'destination') !== family) fail(`destination ${show(address)} is not an IPv${family} address, as the socket is`);
  checkInteger(port, 'destination port', 1, 65535);
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
}
