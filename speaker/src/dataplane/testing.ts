// Test doubles for the prober: a clock that moves only when told, and an HttpGet whose requests
// the test answers by hand. Not exported from index.ts.
import type { Clock } from '@headland/kube';
import type { HttpAnswer, HttpGet, HttpGetOptions, HttpGetTarget } from './types.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

export class ManualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly timers = new Set<Timer>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as Timer);
  }

  get armed(): number {
    return this.timers.size;
  }

  /** Runs due timers in order, one at a time, letting answers (promise callbacks) land between them. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      await settle();
      let next: Timer | undefined;
      for (const t of this.timers) if (t.at <= until && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      if (!next) break;
      this.timers.delete(next);
      this.time = next.at;
      next.fn();
    }
    this.time = until;
    await settle();
  }
}

/** Lets pending promise callbacks run (a macrotask turn; no time passes on any clock we read). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface FakeCall {
  readonly target: HttpGetTarget;
  readonly options: HttpGetOptions;
  readonly at: number;
  /** Not answered, failed or aborted yet. */
  readonly open: boolean;
  answer(answer: HttpAnswer): void;
  fail(error: unknown): void;
}

/** Every request waits for the test; `auto` answers at once instead (per port, or for all). */
export class FakeRequests {
  readonly calls: FakeCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  auto: ((target: HttpGetTarget) => HttpAnswer | Error) | undefined;

  constructor(private readonly clock: Clock) {}

  readonly request: HttpGet = (target, options) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      let open = true;
      const done = (): boolean => {
        if (!open) return false;
        open = false;
        this.inFlight--;
        return true;
      };
      // Like node:http: an aborted request closes its socket at once.
      options.signal.addEventListener('abort', () => {
        if (done()) reject(new Error('aborted'));
      });
      const call: FakeCall = {
        target,
        options,
        at: this.clock.now(),
        get open() {
          return open;
        },
        answer: (answer) => {
          if (done()) resolve(answer);
        },
        fail: (error) => {
          if (done()) reject(error);
        },
      };
      this.calls.push(call);
      const auto = this.auto?.(target);
      if (auto instanceof Error) call.fail(auto);
      else if (auto) call.answer(auto);
    });

  /** Calls still waiting for an answer. */
  open(): FakeCall[] {
    return this.calls.filter((c) => c.open);
  }
}

/** kube-proxy's answer for a Local Service, as service_health.go writes it. */
export function serviceAnswer(key: string, localEndpoints: number, options: { status?: number; weight?: string | null; proxyHealthy?: boolean } = {}): HttpAnswer {
  const [namespace, name] = key.split('/');
  const proxyHealthy = options.proxyHealthy ?? true;
  const status = options.status ?? (localEndpoints > 0 && proxyHealthy ? 200 : 503);
  const weight = options.weight === undefined ? String(localEndpoints) : options.weight;
  const body = JSON.stringify({ service: { namespace, name }, localEndpoints, serviceProxyHealthy: proxyHealthy }, null, '\t');
  return { status, headers: { 'content-type': 'application/json', ...(weight === null ? {} : { 'x-load-balancing-endpoint-weight': weight }) }, body, truncated: false };
}

/** kube-proxy's /healthz answer, as proxy_health.go writes it. */
export function healthzAnswer(healthy: boolean, nodeEligible: boolean | null = true): HttpAnswer {
  const time = '2025-01-01 00:00:00.000000001 +0000 UTC m=+12.345678901';
  const eligible = nodeEligible === null ? '' : `, "nodeEligible": ${nodeEligible}`;
  return {
    status: healthy && nodeEligible !== false ? 200 : 503,
    headers: { 'content-type': 'application/json' },
    body: `{"lastUpdated": ${JSON.stringify(time)},"currentTime": ${JSON.stringify(time)}${eligible}}`,
    truncated: false,
  };
}
