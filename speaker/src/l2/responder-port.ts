// What L2 mode needs from the ARP/NDP responder (speaker/src/l2/responder): answer for exactly
// these IPs on these interfaces, announce the newly won ones, and its counters for /metrics.
import type { AnsweredIP } from './ownership.js';

export interface ResponderCounters {
  readonly requestsReceived: number;
  readonly repliesSent: number;
  readonly gratuitousSent: number;
  /** Frames dropped, by reason (truncated, wrong opcode, not ours, spoofed sender, ...). */
  readonly dropped: Readonly<Record<string, number>>;
}

export interface L2Responder {
  /** From now on answer for exactly `answers`; send gratuitous ARP / unsolicited NA for `announce`. */
  setAnswers(answers: readonly AnsweredIP[], announce: readonly string[]): void;
  counters(): ResponderCounters;
  /** Stop answering and close the sockets. */
  stop(): Promise<void>;
}
