// The membership protocol over a UDP socket: the only I/O in membership. Datagrams in and out,
// one timer armed for the protocol's next deadline; a socket that will not bind is a MembershipError.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { MembershipError } from './errors.js';
import type { Membership, Outbound } from './protocol.js';

/** The leave goes out twice this far apart: one lost datagram must not cost a peer the failure-detection time. */
export const LEAVE_REPEAT_MS = 20;

/** Default port, memberlist's (MetalLB uses it too, so firewalls often already allow it). */
export const MEMBERSHIP_PORT = 7946;

export interface UdpOptions {
  readonly address: string;
  readonly port?: number;
  /** Wall clock in ms; the default is Date.now. */
  readonly clock?: () => number;
  /** Told when the alive/suspect/dead picture changed, after each batch of work. */
  readonly onChange?: () => void;
  /** A send failed (no route, buffer full): counted by the caller, never thrown. */
  readonly onSendError?: (error: Error) => void;
}

export class UdpMembership {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private seenVersion: number;
  sendErrors = 0;

  private constructor(
    readonly membership: Membership,
    private readonly socket: Socket,
    private readonly options: UdpOptions,
    private readonly clock: () => number,
  ) {
    this.seenVersion = membership.version;
  }

  /** Binds the socket and starts probing. Rejects with MembershipError when the port cannot be had. */
  static async start(membership: Membership, options: UdpOptions): Promise<UdpMembership> {
    const socket = createSocket({ type: isIPv6(options.address) ? 'udp6' : 'udp4', reuseAddr: false });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(options.port ?? MEMBERSHIP_PORT, options.address, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      socket.close();
      throw new MembershipError(`cannot bind UDP ${options.address} port ${options.port ?? MEMBERSHIP_PORT}: ${(error as Error).message}`, { cause: error });
    }
    const running = new UdpMembership(membership, socket, options, options.clock ?? Date.now);
    socket.on('message', (bytes) => running.work(() => membership.receive(bytes, running.clock())));
    // After binding, socket errors are per datagram (ICMP unreachable on some systems): not fatal.
    socket.on('error', (error) => running.sendFailed(error));
    running.work(() => membership.tick(running.clock()));
    return running;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /**
   * Tells every live member we are gone (Membership.leave), again LEAVE_REPEAT_MS later against
   * UDP loss, then closes. Resolves once the datagrams are handed to the kernel.
   */
  async leave(): Promise<void> {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.sendAll(this.membership.leave(this.clock()));
    await new Promise((r) => setTimeout(r, LEAVE_REPEAT_MS));
    if (!this.stopped) await this.sendAll(this.membership.leave(this.clock()));
    await this.stop();
  }

  private sendAll(out: readonly Outbound[]): Promise<void> {
    return Promise.all(
      out.map(
        (o) =>
          new Promise<void>((resolve) =>
            this.socket.send(o.bytes, o.to.port, o.to.address, (error) => {
              if (error) this.sendFailed(error);
              resolve();
            }),
          ),
      ),
    ).then(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private work(step: () => Outbound[]): void {
    if (this.stopped) return;
    for (const o of step()) {
      this.socket.send(o.bytes, o.to.port, o.to.address, (error) => {
        if (error) this.sendFailed(error);
      });
    }
    if (this.membership.version !== this.seenVersion) {
      this.seenVersion = this.membership.version;
      this.options.onChange?.();
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.membership.hasLeft) return;
    const delay = Math.max(1, this.membership.nextWakeAt() - this.clock());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.work(() => this.membership.tick(this.clock()));
    }, delay);
  }

  private sendFailed(error: Error): void {
    this.sendErrors++;
    this.options.onSendError?.(error);
  }
}
