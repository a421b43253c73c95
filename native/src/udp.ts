// UDP sockets that report each datagram's received TTL / hop limit and destination address,
// which dgram cannot; BFD (RFC 5881/5883) needs both. Datagrams arrive from libuv's poll.

import { call, type RawUdpHandle } from './binding.js';
import { NativeArgumentError } from './errors.js';
import { checkUdpSend, checkUdpSocketOptions, type UdpSocketOptions } from './udp-args.js';

const MODULE = 'native/udp';
/** Datagrams are received into a buffer of this size; longer ones arrive cut, with `truncated`. */
export const UDP_RECEIVE_BUFFER_BYTES = 2048;

export interface UdpDatagram {
  /** The payload: a view of the socket's receive buffer, valid only during onDatagram (copy to keep). */
  readonly data: Buffer;
  /** Source address; IPv6 link-local with "%interface". */
  readonly address: string;
  readonly port: number;
  /** The IPv4 TTL or IPv6 Hop Limit it arrived with; undefined if the kernel gave none. */
  readonly ttl: number | undefined;
  /** The address it was sent to (IP_PKTINFO / IPV6_PKTINFO): which local address, on a wildcard socket. */
  readonly localAddress: string | undefined;
  /** Longer than the receive buffer: `data` is its first UDP_RECEIVE_BUFFER_BYTES octets. */
  readonly truncated: boolean;
}

export interface UdpSocketOpenOptions extends UdpSocketOptions {
  /** Called once per datagram; what it throws goes to onError. */
  readonly onDatagram: (datagram: UdpDatagram) => void;
  /** Errors thrown by onDatagram; without it they become process warnings, never a crash. */
  readonly onError?: (error: unknown) => void;
}

export class UdpSocket {
  private handle: RawUdpHandle | undefined;

  private constructor(
    readonly family: 4 | 6,
    /** The bound address and port (the kernel's pick when port 0 was asked for). */
    readonly localAddress: string,
    readonly localPort: number,
    handle: RawUdpHandle,
  ) {
    this.handle = handle;
  }

  /** Opens and binds the socket; received TTL / hop limit and destination address are always on. */
  static open(options: UdpSocketOpenOptions): UdpSocket {
    const o = checkUdpSocketOptions(options);
    const { onDatagram, onError } = options;
    if (typeof onDatagram !== 'function') throw new NativeArgumentError(`${MODULE}: onDatagram must be a function`);
    // Datagrams land here without a per-datagram allocation; the addon keeps it alive while open.
    const buffer = Buffer.alloc(UDP_RECEIVE_BUFFER_BYTES);
    const deliver = (length: number, address: string, port: number, ttl: number, localAddress: string | null, truncated: boolean): void => {
      try {
        onDatagram({ data: buffer.subarray(0, Math.min(length, buffer.length)), address, port, ttl: ttl < 0 ? undefined : ttl, localAddress: localAddress ?? undefined, truncated });
      } catch (error) {
        if (onError) onError(error);
        else process.emitWarning(`${MODULE}: onDatagram on ${o.address} threw: ${String(error)}`);
      }
    };
    const handle = call(MODULE, (b) => b.udpOpen(o.family, o.address, o.port, o.ttl, o.reuseAddress, o.device, buffer, deliver));
    try {
      const [address, port] = call(MODULE, (b) => b.udpLocalAddress(handle));
      return new UdpSocket(o.family, address, port, handle);
    } catch (error) {
      call(MODULE, (b) => b.udpClose(handle));
      throw error;
    }
  }

  get closed(): boolean {
    return this.handle === undefined;
  }

  private open(what: string): RawUdpHandle {
    if (this.handle === undefined) throw new NativeArgumentError(`${MODULE}: cannot ${what}: the socket on ${this.localAddress} port ${this.localPort} is closed`);
    return this.handle;
  }

  /**
   * One datagram to address:port (of the socket's family; IPv6 link-local with "%interface"), with
   * the socket's TTL; false when the kernel's queue was full and it was dropped. Other refusals
   * (no route, EPERM from a firewall) throw a NativeSyscallError naming sendto and the errno.
   */
  send(data: Uint8Array, address: string, port: number): boolean {
    const bytes = checkUdpSend(this.family, data, address, port);
    const handle = this.open('send');
    return call(MODULE, (b) => b.udpSend(handle, bytes, address, port)) >= 0;
  }

  /** Whether an open socket keeps the process running (as dgram.Socket's ref/unref). */
  ref(keepLoopAlive = true): void {
    const handle = this.open('ref');
    call(MODULE, (b) => b.udpRef(handle, keepLoopAlive));
  }

  unref(): void {
    this.ref(false);
  }

  /** Stops receiving and closes the fd; closing twice is fine. */
  close(): void {
    const handle = this.handle;
    if (handle === undefined) return;
    this.handle = undefined;
    call(MODULE, (b) => b.udpClose(handle));
  }
}
