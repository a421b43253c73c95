// AF_PACKET sockets for ARP and NDP: one per interface, bound to it, a kernel BPF filter letting
// through only ARP and/or ICMPv6 Neighbor Solicitations, frames delivered from libuv's poll.

import { call, type RawPacketHandle } from './binding.js';
import { NativeArgumentError } from './errors.js';
import { checkFrame, checkInterfaceName, checkIPv4List, checkMac, checkMulticastMac, checkProtocols, formatMac, type PacketProtocol } from './packet-args.js';

const MODULE = 'native/packet';

/** sockaddr_ll.sll_pkttype: to us, broadcast, multicast, to another host (seen only when promiscuous). */
export const PACKET_TYPES = ['host', 'broadcast', 'multicast', 'otherhost', 'outgoing'] as const;
export type PacketType = (typeof PACKET_TYPES)[number];

/** ARPHRD_ETHER and ARPHRD_LOOPBACK from if_arp.h. */
const HARDWARE_ETHERNET = 1;
const HARDWARE_LOOPBACK = 772;
const IFF_UP = 0x1;
/** packet.c's snap length: the kernel filter cuts frames there (ARP and NS are far shorter). */
const RECEIVE_BUFFER_BYTES = 2048;
const IFF_RUNNING = 0x40;

export interface InterfaceInfo {
  readonly name: string;
  readonly index: number;
  /** Lower-case "aa:bb:cc:dd:ee:ff". */
  readonly mac: string;
  readonly macBytes: Buffer;
  readonly mtu: number;
  readonly up: boolean;
  readonly running: boolean;
  /** "ethernet" (what ARP and NDP are for), "loopback", or the ARPHRD number of anything else. */
  readonly kind: 'ethernet' | 'loopback' | number;
}

/** The interface as the kernel of this process's network namespace sees it now. */
export function interfaceInfo(name: string): InterfaceInfo {
  const ifname = checkInterfaceName(name);
  const raw = call(MODULE, (b) => b.interfaceInfo(ifname));
  const kind = raw.hardwareType === HARDWARE_ETHERNET ? 'ethernet' : raw.hardwareType === HARDWARE_LOOPBACK ? 'loopback' : raw.hardwareType;
  return {
    name: ifname,
    index: raw.index,
    mac: formatMac(raw.mac),
    macBytes: raw.mac,
    mtu: raw.mtu,
    up: (raw.flags & IFF_UP) !== 0,
    running: (raw.flags & IFF_RUNNING) !== 0,
    kind,
  };
}

export interface PacketSocketOptions {
  readonly interface: string;
  readonly protocols: readonly PacketProtocol[];
  /**
   * Called once per frame (the whole Ethernet frame, at most 2048 bytes). The frame is a view of
   * the socket's receive buffer, valid only during the call: copy it (Buffer.from) to keep it.
   * What it throws goes to onError. `answered`: the ARP fast path (setFastArp) has already sent
   * the reply to this frame, so it is only to be counted.
   */
  readonly onFrame: (frame: Buffer, packetType: PacketType, answered: boolean) => void;
  /** Errors thrown by onFrame; without it they become process warnings, never a crash. */
  readonly onError?: (error: unknown) => void;
}

export interface PacketSocketStats {
  /** Frames the filter accepted for this socket. */
  readonly received: number;
  /** Frames the kernel dropped because the socket's receive queue was full. */
  readonly dropped: number;
}

/**
 * The reply the ARP fast path would send for `frame` if it owned `ipv4` with `mac`, or null when
 * it leaves the frame to JS. Pure (no socket); for checking it against the TS responder.
 */
export function arpFastReply(frame: Uint8Array, mac: string | Uint8Array, ipv4: readonly string[]): Buffer | null {
  if (!(frame instanceof Uint8Array)) throw new NativeArgumentError(`${MODULE}: frame must be a Uint8Array or Buffer`);
  const macBytes = checkMac(mac);
  const ips = checkIPv4List(ipv4);
  return call(MODULE, (b) => b.arpFastReply(frame, macBytes, ips));
}

export class PacketSocket {
  private handle: RawPacketHandle | undefined;
  private received = 0;
  private dropped = 0;

  private constructor(
    readonly iface: InterfaceInfo,
    handle: RawPacketHandle,
  ) {
    this.handle = handle;
  }

  /** Opens the socket on an interface that is up; ARP/NDP need Ethernet (loopback is allowed for tests). */
  static open(options: PacketSocketOptions): PacketSocket {
    if (typeof options !== 'object' || options === null) throw new NativeArgumentError(`${MODULE}: options must be an object`);
    const mask = checkProtocols(options.protocols);
    if (typeof options.onFrame !== 'function') throw new NativeArgumentError(`${MODULE}: onFrame must be a function`);
    const iface = interfaceInfo(options.interface);
    if (iface.kind !== 'ethernet' && iface.kind !== 'loopback') {
      throw new NativeArgumentError(`${MODULE}: interface ${iface.name} is not Ethernet (hardware type ${String(iface.kind)}), so it has no ARP or NDP`);
    }
    const { onFrame, onError } = options;
    // Frames land here without a per-frame allocation; the addon keeps it alive while open.
    const frames = Buffer.alloc(RECEIVE_BUFFER_BYTES);
    const deliver = (length: number, type: number, answered: number): void => {
      try {
        onFrame(frames.subarray(0, length), PACKET_TYPES[type] ?? 'otherhost', answered === 1);
      } catch (error) {
        if (onError) onError(error);
        else process.emitWarning(`${MODULE}: onFrame on ${iface.name} threw: ${String(error)}`);
      }
    };
    const handle = call(MODULE, (b) => b.packetOpen(iface.index, mask, frames, deliver));
    return new PacketSocket(iface, handle);
  }

  get closed(): boolean {
    return this.handle === undefined;
  }

  private open(what: string): RawPacketHandle {
    if (this.handle === undefined) throw new NativeArgumentError(`${MODULE}: cannot ${what}: the socket on ${this.iface.name} is closed`);
    return this.handle;
  }

  /** Sends one whole Ethernet frame; false when the kernel's queue was full and it was dropped. */
  send(frame: Uint8Array): boolean {
    const bytes = checkFrame(frame, this.iface.mtu);
    const handle = this.open('send');
    return call(MODULE, (b) => b.packetSend(handle, bytes)) >= 0;
  }

  /**
   * Answers ARP requests for these IPv4 addresses in C, as soon as they are read, with this
   * interface's MAC (frames are still delivered, answered = true); an empty list turns it off.
   * Only a plain request that the TS responder would answer the same way is answered there.
   */
  setFastArp(ipv4: readonly string[]): void {
    const ips = checkIPv4List(ipv4);
    const handle = this.open('set the ARP fast path');
    call(MODULE, (b) => b.packetSetFastArp(handle, this.iface.macBytes, ips));
  }

  /** Receives frames sent to a multicast MAC (e.g. 33:33:ff:xx:xx:xx for a solicited-node group) until left or closed. */
  joinMulticast(mac: string | Uint8Array): void {
    const bytes = checkMulticastMac(mac);
    const handle = this.open('join a multicast group');
    call(MODULE, (b) => b.packetMembership(handle, bytes, true));
  }

  leaveMulticast(mac: string | Uint8Array): void {
    const bytes = checkMulticastMac(mac);
    const handle = this.open('leave a multicast group');
    call(MODULE, (b) => b.packetMembership(handle, bytes, false));
  }

  /** Totals since the socket opened (the kernel counts since the previous read; added up here). */
  stats(): PacketSocketStats {
    const handle = this.open('read statistics');
    const [received, dropped] = call(MODULE, (b) => b.packetStats(handle));
    this.received += received;
    this.dropped += dropped;
    return { received: this.received, dropped: this.dropped };
  }

  /** Whether an open socket keeps the process running (as net.Socket's ref/unref). */
  ref(keepLoopAlive = true): void {
    const handle = this.open('ref');
    call(MODULE, (b) => b.packetRef(handle, keepLoopAlive));
  }

  unref(): void {
    this.ref(false);
  }

  /** Stops receiving and closes the fd (multicast memberships go with it); closing twice is fine. */
  close(): void {
    const handle = this.handle;
    if (handle === undefined) return;
    this.handle = undefined;
    call(MODULE, (b) => b.packetClose(handle));
  }
}
