// Test support: an in-memory ResponderPort (the packet socket's contract, frames in and out
// without a kernel, ARP fast path by the addon's own C function) and a hand-advanced clock.

import { arpFastReply } from '@headland/native';
import type { ResponderPort, Schedule } from './responder.js';

export class MemoryPort implements ResponderPort {
  readonly sent: Uint8Array[] = [];
  readonly groups = new Set<string>();
  closed = false;
  full = false;
  drops = 0;
  /** What setFastArp last set: answered in the port, as packet.c does, when the queue is not full. */
  fastArp: readonly string[] = [];
  /** Frames the fast path answered. */
  fastAnswered = 0;
  constructor(
    readonly mac: string,
    private readonly onFrame: (frame: Uint8Array, answered: boolean) => void,
  ) {}
  /** A frame arriving: the fast path first, then the responder, like packet.c's on_readable. */
  deliver(frame: Uint8Array): void {
    const reply = this.fastArp.length > 0 && !this.closed ? arpFastReply(frame, this.mac, this.fastArp) : null;
    const answered = reply !== null && this.send(reply);
    if (answered) this.fastAnswered++;
    this.onFrame(frame, answered);
  }
  setFastArp(ipv4: readonly string[]): void {
    if (this.closed) throw new Error('memory port: setFastArp after close');
    this.fastArp = [...ipv4];
  }
  send(frame: Uint8Array): boolean {
    if (this.closed) throw new Error('memory port: send after close');
    if (this.full) return false;
    this.sent.push(frame);
    return true;
  }
  joinMulticast(mac: string): void {
    this.groups.add(mac);
  }
  leaveMulticast(mac: string): void {
    this.groups.delete(mac);
  }
  kernelDrops(): number {
    return this.drops;
  }
  close(): void {
    this.closed = true;
  }
}

/** Timers run only when the test advances the clock. */
export class ManualClock {
  now = 0;
  private timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  schedule: Schedule = (ms, fn) => {
    const t = { at: this.now + ms, fn, live: true };
    this.timers.push(t);
    return () => {
      t.live = false;
    };
  };
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      next.live = false;
      this.now = next.at;
      next.fn();
    }
    this.now = until;
    this.timers = this.timers.filter((t) => t.live);
  }
}

