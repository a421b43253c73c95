// The responder headland-speaker hands to L2 mode: the packet-socket port (l2/responder/port.ts)
// kept from failing the flush loop: a socket that cannot open is logged once per cause and retried.
import type { Logger } from '@headland/kube';
import type { AnsweredIP } from './ownership.js';
import type { L2Responder, ResponderCounters } from './responder-port.js';
import { PacketResponderPort, type Schedule } from './responder/index.js';

export interface RetryingResponderOptions {
  /** Called once per distinct failure message; never throws back. */
  readonly onError: (error: unknown) => void;
  /** How long to wait before trying failed answers again (default 1 s). */
  readonly retryMs?: number;
  readonly schedule?: Schedule;
}

const timerSchedule: Schedule = (ms, fn) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

/**
 * L2 mode calls setAnswers only when the election changes, so a failure (no CAP_NET_RAW yet, an
 * interface that appears later) would otherwise leave IPs unanswered until an unrelated change.
 */
export class RetryingResponder implements L2Responder {
  private readonly schedule: Schedule;
  private readonly retryMs: number;
  private cancelRetry: (() => void) | undefined;
  private pendingAnnounce = new Set<string>();
  private lastError = '';
  private stopped = false;

  constructor(
    private readonly inner: L2Responder,
    private readonly options: RetryingResponderOptions,
  ) {
    this.schedule = options.schedule ?? timerSchedule;
    this.retryMs = options.retryMs ?? 1000;
  }

  setAnswers(answers: readonly AnsweredIP[], announce: readonly string[]): void {
    if (this.stopped) return;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    // IPs still waiting for their announcement from a failed attempt keep it.
    const wanted = new Set(answers.map((a) => a.ip));
    const toAnnounce = [...new Set([...announce, ...[...this.pendingAnnounce].filter((ip) => wanted.has(ip))])];
    try {
      this.inner.setAnswers(answers, toAnnounce);
      this.pendingAnnounce.clear();
      this.lastError = '';
    } catch (error) {
      this.pendingAnnounce = new Set(toAnnounce);
      const message = String((error as Error)?.message ?? error);
      if (message !== this.lastError) {
        this.lastError = message;
        this.options.onError(error);
      }
      this.cancelRetry = this.schedule(this.retryMs, () => {
        this.cancelRetry = undefined;
        this.setAnswers(answers, []);
      });
    }
  }

  /** True while some answers failed and a retry is armed. */
  get retrying(): boolean {
    return this.cancelRetry !== undefined;
  }

  counters(): ResponderCounters {
    return this.inner.counters();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    await this.inner.stop();
  }
}

/** The real thing: packet sockets on the node's interfaces, failures logged and retried. */
export function speakerResponder(log: Logger): L2Responder {
  const onError = (error: unknown): void => log.warn({ err: String((error as Error)?.message ?? error) }, 'ARP/NDP responder problem');
  return new RetryingResponder(new PacketResponderPort({ onError }), { onError });
}
