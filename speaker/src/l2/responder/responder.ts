// The ARP and NDP responders over packet sockets: told "this node owns these IPs on these
// interfaces", it answers for them, announces a take-over (gratuitous ARP, unsolicited NA) and counts.

import { PacketSocket } from '@headland/native';
import { formatIP, parseIP } from '@headland/api';
import { ipv6MulticastMac, solicitedNodeAddress } from '../wire/addresses.js';
import { gratuitousArpFrame, unsolicitedAdvertisementFrame } from '../wire/frame.js';
import { answerFrame, warmUpAnswers, type Ownership } from './answer.js';
import { copyCounters, zeroCounters, type L2Protocol, type PacketResponderCounters } from './counters.js';
import { L2ResponderError } from './errors.js';

const MODULE = 'l2/responder';

/** One interface's frame I/O; PacketSocket in production, the same contract in memory for tests. */
export interface ResponderPort {
  readonly mac: string;
  /** false: the kernel queue was full and the frame is lost. */
  send(frame: Uint8Array): boolean;
  /**
   * The IPv4 addresses the port may answer ARP requests for itself, before onFrame (the native fast
   * path); it then calls onFrame with answered = true. Always exactly the IPv4 addresses owned.
   */
  setFastArp(ipv4: readonly string[]): void;
  joinMulticast(mac: string): void;
  leaveMulticast(mac: string): void;
  /** [received, dropped] totals as the kernel counts them, when it does. */
  kernelDrops(): number;
  close(): void;
}

/** onFrame's `answered`: the port already sent the reply (fast path), the frame is only to be counted. */
export type OpenPort = (iface: string, onFrame: (frame: Uint8Array, answered: boolean) => void) => ResponderPort;

/** Runs fn after ms; returns a cancel function. Injected so tests never wait. */
export type Schedule = (ms: number, fn: () => void) => () => void;

export interface ResponderOptions {
  readonly open?: OpenPort;
  readonly schedule?: Schedule;
  /** Gratuitous ARP / unsolicited NA on take-over: how many, how far apart (default 3, 500 ms: over ~1 s). */
  readonly announceCount?: number;
  readonly announceIntervalMs?: number;
  /** Re-announce every owned IP this often; 0 or absent: never. */
  readonly refreshIntervalMs?: number;
  /** Rounds of the answer path run on made-up frames at construction, so the first real answers are fast (default 2000, ~100 ms). */
  readonly warmUpIterations?: number;
  /** Called for what the responder cannot do itself (a send that threw, a handler bug); never throws back. */
  readonly onError?: (error: unknown) => void;
}

export const packetSocketPort: OpenPort = (iface, onFrame) => {
  const socket = PacketSocket.open({ interface: iface, protocols: ['arp', 'ndp'], onFrame: (frame, _type, answered) => onFrame(frame, answered) });
  return {
    mac: socket.iface.mac,
    send: (frame) => socket.send(frame),
    setFastArp: (ipv4) => socket.setFastArp(ipv4),
    joinMulticast: (mac) => socket.joinMulticast(mac),
    leaveMulticast: (mac) => socket.leaveMulticast(mac),
    kernelDrops: () => (socket.closed ? 0 : socket.stats().dropped),
    close: () => socket.close(),
  };
};

const timerSchedule: Schedule = (ms, fn) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

interface InterfaceState {
  readonly port: ResponderPort;
  readonly ipv4: Set<string>;
  readonly ipv6: Set<string>;
  readonly ownership: Ownership;
  /** Solicited-node group MAC -> how many owned IPv6 addresses need it. */
  readonly groups: Map<string, number>;
  /** IP -> cancel of its pending announcements. */
  readonly announcing: Map<string, () => void>;
  kernelDropsSeen: number;
}

/** The canonical text of an IP and its family; L2ResponderError when it is not one. */
function canonical(ip: string): { text: string; family: 4 | 6 } {
  try {
    const parsed = parseIP(ip);
    return { text: formatIP(parsed), family: parsed.family };
  } catch {
    throw new L2ResponderError(MODULE, `${JSON.stringify(ip)} is not an IP address`);
  }
}

export class PacketResponder {
  private readonly interfaces = new Map<string, InterfaceState>();
  private batching = 0;
  private readonly fastArpDirty = new Set<InterfaceState>();
  private readonly counts = zeroCounters();
  private readonly open: OpenPort;
  private readonly schedule: Schedule;
  private readonly announceCount: number;
  private readonly announceIntervalMs: number;
  private readonly onError: (error: unknown) => void;
  private cancelRefresh: (() => void) | undefined;
  private closed = false;

  constructor(options: ResponderOptions = {}) {
    this.open = options.open ?? packetSocketPort;
    this.schedule = options.schedule ?? timerSchedule;
    this.announceCount = options.announceCount ?? 3;
    this.announceIntervalMs = options.announceIntervalMs ?? 500;
    this.onError = options.onError ?? (() => undefined);
    if (!Number.isInteger(this.announceCount) || this.announceCount < 0) throw new L2ResponderError(MODULE, `announceCount ${this.announceCount} is not a whole number >= 0`);
    if (!(this.announceIntervalMs >= 0)) throw new L2ResponderError(MODULE, `announceIntervalMs ${this.announceIntervalMs} is not >= 0`);
    const refresh = options.refreshIntervalMs ?? 0;
    if (!(refresh >= 0)) throw new L2ResponderError(MODULE, `refreshIntervalMs ${refresh} is not >= 0`);
    if (refresh > 0) this.armRefresh(refresh);
    warmUpAnswers(options.warmUpIterations ?? 2000);
  }

  /** Starts answering for ip on iface (opening the interface's socket on first use) and announces it. */
  own(iface: string, ip: string): void {
    if (this.closed) throw new L2ResponderError(MODULE, 'the responder is closed');
    const { text, family } = canonical(ip);
    const state = this.interfaces.get(iface) ?? this.openInterface(iface);
    const set = family === 4 ? state.ipv4 : state.ipv6;
    if (set.has(text)) return;
    try {
      if (family === 6) this.joinGroup(state, text);
    } catch (error) {
      if (state.ipv4.size === 0 && state.ipv6.size === 0) this.closeInterface(iface, state);
      throw error;
    }
    set.add(text);
    if (family === 4) this.fastArpChanged(state);
    this.announce(state, text, family, this.announceCount);
  }

  /** Stops answering for ip on iface; the socket closes when the interface owns nothing more. */
  disown(iface: string, ip: string): void {
    const state = this.interfaces.get(iface);
    const { text, family } = canonical(ip);
    if (!state || !(family === 4 ? state.ipv4 : state.ipv6).delete(text)) return;
    if (family === 4) this.fastArpChanged(state);
    state.announcing.get(text)?.();
    state.announcing.delete(text);
    if (family === 6) this.leaveGroup(state, text);
    if (state.ipv4.size === 0 && state.ipv6.size === 0) this.closeInterface(iface, state);
  }

  /** Announces an IP already owned again (a burst), e.g. when ownership moved back to this node. */
  reannounce(iface: string, ip: string): void {
    const state = this.interfaces.get(iface);
    const { text, family } = canonical(ip);
    if (state && (family === 4 ? state.ipv4 : state.ipv6).has(text)) this.announce(state, text, family, this.announceCount);
  }

  /** Every (interface, ip) answered for now, sorted. */
  owned(): Array<{ interface: string; ip: string }> {
    const out: Array<{ interface: string; ip: string }> = [];
    for (const [name, s] of this.interfaces) for (const ip of [...s.ipv4, ...s.ipv6]) out.push({ interface: name, ip });
    return out.sort((a, b) => a.interface.localeCompare(b.interface) || a.ip.localeCompare(b.ip));
  }

  counters(): PacketResponderCounters {
    for (const s of this.interfaces.values()) this.readKernelDrops(s);
    return copyCounters(this.counts);
  }

  /** Closes every socket and timer; owning again afterwards is refused. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelRefresh?.();
    for (const [name, state] of [...this.interfaces]) this.closeInterface(name, state);
  }

  private openInterface(iface: string): InterfaceState {
    let state: InterfaceState | undefined;
    const port = this.open(iface, (frame, answered) => {
      if (state) this.onFrame(state, frame, answered);
    });
    const ipv4 = new Set<string>();
    const ipv6 = new Set<string>();
    state = { port, ipv4, ipv6, ownership: { mac: port.mac, ipv4, ipv6 }, groups: new Map(), announcing: new Map(), kernelDropsSeen: 0 };
    this.interfaces.set(iface, state);
    this.syncFastArp(state);
    return state;
  }

  /**
   * Runs fn (owns and disowns) and hands each changed interface's fast-path table to its port once
   * at the end, instead of once per IP: a take-over of k IPs on an interface holding n costs O(n),
   * not O(k x n). Still synchronous, so no frame is read in between.
   */
  batch(fn: () => void): void {
    this.batching++;
    try {
      fn();
    } finally {
      if (--this.batching === 0) {
        const open = new Set(this.interfaces.values());
        for (const state of this.fastArpDirty) if (open.has(state)) this.syncFastArp(state);
        this.fastArpDirty.clear();
      }
    }
  }

  private fastArpChanged(state: InterfaceState): void {
    if (this.batching > 0) this.fastArpDirty.add(state);
    else this.syncFastArp(state);
  }

  /**
   * The port's fast-path table follows ipv4 in the same tick, so it never answers for an IP given
   * up. If setting it fails the port is left answering nothing itself and JS answers everything.
   */
  private syncFastArp(state: InterfaceState): void {
    try {
      state.port.setFastArp([...state.ipv4]);
    } catch (error) {
      this.onError(error);
      try {
        state.port.setFastArp([]);
      } catch {
        // Already reported; a port that cannot even be turned off is closed or gone.
      }
    }
  }

  private closeInterface(iface: string, state: InterfaceState): void {
    this.readKernelDrops(state);
    for (const cancel of state.announcing.values()) cancel();
    state.port.close();
    this.interfaces.delete(iface);
  }

  private readKernelDrops(state: InterfaceState): void {
    try {
      const total = state.port.kernelDrops();
      this.counts.kernelDrops += total - state.kernelDropsSeen;
      state.kernelDropsSeen = total;
    } catch (error) {
      this.onError(error);
    }
  }

  private onFrame(state: InterfaceState, frame: Uint8Array, answered: boolean): void {
    if (answered) {
      // Only a valid ARP request for an owned IP is answered by the port, and the reply went out.
      this.counts.received.arp++;
      this.counts.replies.arp++;
      return;
    }
    try {
      const verdict = answerFrame(frame, state.ownership);
      this.counts.received[verdict.protocol]++;
      if ('drop' in verdict) {
        this.counts.dropped[verdict.drop]++;
        return;
      }
      if (this.send(state, verdict.reply)) this.counts.replies[verdict.protocol]++;
    } catch (error) {
      this.onError(error);
    }
  }

  private send(state: InterfaceState, frame: Uint8Array): boolean {
    try {
      if (state.port.send(frame)) return true;
    } catch (error) {
      this.onError(error);
    }
    this.counts.sendFailures++;
    return false;
  }

  private joinGroup(state: InterfaceState, ip: string): void {
    const mac = ipv6MulticastMac(solicitedNodeAddress(ip));
    const n = state.groups.get(mac) ?? 0;
    if (n === 0) state.port.joinMulticast(mac);
    state.groups.set(mac, n + 1);
  }

  private leaveGroup(state: InterfaceState, ip: string): void {
    const mac = ipv6MulticastMac(solicitedNodeAddress(ip));
    const n = state.groups.get(mac) ?? 0;
    if (n <= 1) {
      state.groups.delete(mac);
      try {
        state.port.leaveMulticast(mac);
      } catch (error) {
        this.onError(error);
      }
    } else state.groups.set(mac, n - 1);
  }

  /** Sends `count` announcements for ip, the first now, then one every announceIntervalMs. */
  private announce(state: InterfaceState, ip: string, family: 4 | 6, count: number): void {
    state.announcing.get(ip)?.();
    state.announcing.delete(ip);
    if (count <= 0) return;
    const protocol: L2Protocol = family === 4 ? 'arp' : 'ndp';
    const frame = family === 4 ? gratuitousArpFrame(ip, state.port.mac) : unsolicitedAdvertisementFrame(ip, state.port.mac);
    if (this.send(state, frame)) this.counts.gratuitous[protocol]++;
    if (count > 1) {
      state.announcing.set(
        ip,
        this.schedule(this.announceIntervalMs, () => {
          state.announcing.delete(ip);
          this.announce(state, ip, family, count - 1);
        }),
      );
    }
  }

  private armRefresh(ms: number): void {
    this.cancelRefresh = this.schedule(ms, () => {
      for (const state of this.interfaces.values()) {
        for (const ip of state.ipv4) if (!state.announcing.has(ip)) this.announce(state, ip, 4, 1);
        for (const ip of state.ipv6) if (!state.announcing.has(ip)) this.announce(state, ip, 6, 1);
      }
      if (!this.closed) this.armRefresh(ms);
    });
  }
}
