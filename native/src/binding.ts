// Loads the compiled addon (build/Release/headland_native.node, built by node-gyp at npm install)
// once, on first use, and turns what it throws into the typed errors of errors.ts.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NativeArgumentError, NativeError, NativeLoadError, NativeSyscallError, NativeUnsupportedError } from './errors.js';

/** The C functions as tcp.c exports them; arguments are checked in TypeScript before a call. */
export interface RawTcpBinding {
  tcpSocket(family: 4 | 6): number;
  bind(fd: number, address: string, port: number): void;
  close(fd: number): void;
  /** prefixLength -1: that one address; an empty key removes the entry. */
  setMd5Key(fd: number, address: string, prefixLength: number, key: Buffer): void;
  setTtl(fd: number, ttl: number): void;
  getTtl(fd: number): number;
  setMinTtl(fd: number, minTtl: number): void;
  getMinTtl(fd: number): number;
}

/** An open AF_PACKET socket as packet.c hands it out (an N-API external). */
export type RawPacketHandle = { readonly __brand: 'packet-socket' };

/** The C functions as packet.c exports them; arguments are checked in TypeScript before a call. */
export interface RawPacketBinding {
  interfaceInfo(name: string): { index: number; flags: number; mtu: number; hardwareType: number; mac: Buffer };
  /**
   * protocols: 1 ARP, 2 ICMPv6 Neighbor Solicitation, 3 both. Each frame is received into `frames` (>= 2048 bytes),
   * then onFrame(length, type, answered): answered 1 when the ARP fast path has already sent the reply.
   */
  packetOpen(ifindex: number, protocols: number, frames: Buffer, onFrame: (length: number, packetType: number, answered: number) => void): RawPacketHandle;
  /** The ARP fast path's table: the interface MAC (6 bytes) and IPv4 addresses (4 bytes each); empty ips: off. */
  packetSetFastArp(handle: RawPacketHandle, mac: Uint8Array, ips: Uint8Array): void;
  /** The reply the fast path sends for `frame` with that table, or null when it leaves the frame to JS. Pure. */
  arpFastReply(frame: Uint8Array, mac: Uint8Array, ips: Uint8Array): Buffer | null;
  /** Bytes sent, or -1 when the kernel queue was full and the frame was dropped. */
  packetSend(handle: RawPacketHandle, frame: Buffer): number;
  packetMembership(handle: RawPacketHandle, mac: Buffer, add: boolean): void;
  /** [received, dropped] since the previous call. */
  packetStats(handle: RawPacketHandle): [number, number];
  packetClose(handle: RawPacketHandle): void;
  packetRef(handle: RawPacketHandle, keepLoopAlive: boolean): void;
}

/** An open UDP socket as udp.c hands it out (an N-API external). */
export type RawUdpHandle = { readonly __brand: 'udp-socket' };

/** The C functions as udp.c exports them; arguments are checked in TypeScript before a call. */
export interface RawUdpBinding {
  /**
   * port 0: the kernel picks; ttl 0: the system default; device '': none. Each datagram is received
   * into `buffer`, then onDatagram(length, address, port, ttl (-1: none given), localAddress, truncated).
   */
  udpOpen(
    family: 4 | 6,
    address: string,
    port: number,
    ttl: number,
    reuseAddress: boolean,
    device: string,
    buffer: Buffer,
    onDatagram: (length: number, address: string, port: number, ttl: number, localAddress: string | null, truncated: boolean) => void,
  ): RawUdpHandle;
  udpLocalAddress(handle: RawUdpHandle): [string, number];
  /** Bytes sent, or -1 when the kernel queue was full and the datagram was dropped. */
  udpSend(handle: RawUdpHandle, data: Buffer, address: string, port: number): number;
  udpClose(handle: RawUdpHandle): void;
  udpRef(handle: RawUdpHandle, keepLoopAlive: boolean): void;
}

export type RawBinding = RawTcpBinding & RawPacketBinding & RawUdpBinding;

// Same relative path from src/ (tests) and dist/ (built package).
export const addonPath = fileURLToPath(new URL('../build/Release/headland_native.node', import.meta.url));

let loaded: RawBinding | undefined;

/** The addon, or a NativeUnsupportedError off Linux, or a NativeLoadError when it was not built. */
export function binding(platform: string = process.platform): RawBinding {
  if (platform !== 'linux') throw new NativeUnsupportedError(platform);
  if (loaded) return loaded;
  if (!existsSync(addonPath)) {
    throw new NativeLoadError(`native: the addon is not built (no ${addonPath}); run "npm install" at the repository root or "npm run rebuild -w @headland/native"`);
  }
  try {
    loaded = createRequire(import.meta.url)(addonPath) as RawBinding;
  } catch (error) {
    throw new NativeLoadError(`native: cannot load ${addonPath}: ${(error as Error).message}`);
  }
  return loaded;
}

/** Whether the addon can be used here; never throws. */
export function isSupported(platform: string = process.platform): boolean {
  try {
    binding(platform);
    return true;
  } catch {
    return false;
  }
}

interface ThrownByC {
  readonly errno?: unknown;
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly option?: unknown;
  readonly fd?: unknown;
  readonly message?: unknown;
}

/** Runs one addon call; what the C side throws comes back as a NativeSyscallError or NativeArgumentError. */
export function call<T>(module: string, run: (raw: RawBinding) => T): T {
  const raw = binding();
  try {
    return run(raw);
  } catch (error) {
    if (error instanceof NativeError) throw error;
    const e = error as ThrownByC;
    if (typeof e.errno === 'number' && typeof e.syscall === 'string') {
      const reason = String(e.message).replace(/^.*: /, '');
      throw new NativeSyscallError(module, e.syscall, String(e.option), Number(e.fd), e.errno, String(e.code), reason);
    }
    throw new NativeArgumentError(`${module}: ${String(e.message).replace(/^native: /, '')}`);
  }
}
