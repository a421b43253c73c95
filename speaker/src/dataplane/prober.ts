// The prober of kube-proxy's health servers on this node: the Local Services' healthCheckNodePorts
// and :10256/healthz. The only I/O in dataplane/: requests out, one timer, 'change' events.
//
// Cost: at most maxConcurrent requests at once (a queue behind them, earliest due first), each
// target re-checked once per periodicMs at its own phase, one request per target at a time.
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { systemClock, type Clock } from '@headland/kube';
import { DataPlaneError, ProbeRequestError, PROBE_FAILURE, timeoutError } from './errors.js';
import { answerSignature, proxyCheck, sameAnswer, serviceCheck, targetUrl, unreachableCheck } from './parse.js';
import { httpGet } from './request.js';
import { ProbeSchedule } from './schedule.js';
import { PROXY_KEY, type HttpAnswer, type HttpGet, type ProxyCheck, type ServiceCheck } from './types.js';

export const PROBER_DEFAULTS = {
  proxyHealthzPort: 10256,
  timeoutMs: 1_000,
  periodicMs: 10_000,
  burstIntervalMs: 20,
  burstMaxMs: 5_000,
  maxConcurrent: 4,
  /** kube-proxy's bodies are under 200 bytes. */
  maxBodyBytes: 4_096,
} as const;

export interface DataPlaneProberOptions {
  /** Where kube-proxy listens on this node: an IP literal (127.0.0.1, ::1, the node's address). */
  readonly host: string;
  readonly proxyHealthzPort?: number;
  /** One request's whole life (connect, headers, body). */
  readonly timeoutMs?: number;
  /** Every target is re-checked this often, each at its own phase of the period. */
  readonly periodicMs?: number;
  /** A poked target is re-checked this long after its last request started, while the burst lasts. */
  readonly burstIntervalMs?: number;
  /** A burst ends this long after the poke at the latest. */
  readonly burstMaxMs?: number;
  /** Requests in flight at most, the /healthz one included; more wait in the queue. */
  readonly maxConcurrent?: number;
  readonly maxBodyBytes?: number;
  readonly clock?: Clock;
  /** The HTTP GET; the default is node:http (request.ts). */
  readonly request?: HttpGet;
}

export interface ProberEvents {
  /** Keys whose check changed ("namespace/name", or PROXY_KEY for /healthz); never for checkedAt alone. */
  change: [keys: readonly string[]];
}

export interface ProberFigures {
  readonly targets: number;
  readonly inFlight: number;
  /** Requests started since the prober was made. */
  readonly requests: number;
}

interface Target {
  readonly port: number;
  readonly path: string;
  readonly url: string;
}

interface Request {
  readonly seq: number;
  readonly controller: AbortController;
  readonly guard: unknown;
}

/** "namespace/name": both parts non-empty, one slash. */
const SERVICE_KEY = /^[^/]+\/[^/]+$/;

function checkPort(what: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new DataPlaneError(`${what}: port ${port} is not an integer in 1-65535`);
}

function checkMs(what: string, ms: number, min: number): void {
  if (!Number.isInteger(ms) || ms < min) throw new DataPlaneError(`${what} ${ms} is not an integer >= ${min}`);
}

export class DataPlaneProber extends EventEmitter<ProberEvents> {
  private readonly host: string;
  private readonly proxyHealthzPort: number;
  private readonly timeoutMs: number;
  private readonly maxConcurrent: number;
  private readonly maxBodyBytes: number;
  private readonly clock: Clock;
  private readonly request: HttpGet;
  private readonly schedule: ProbeSchedule;
  private readonly targets = new Map<string, Target>();
  private readonly checks = new Map<string, ServiceCheck | ProxyCheck>();
  private readonly requests = new Map<string, Request>();
  private timer: unknown;
  private timerAt: number | undefined;
  private started = 0;
  private stopped = false;

  constructor(options: DataPlaneProberOptions) {
    super();
    if (isIP(options.host) === 0) throw new DataPlaneError(`host ${JSON.stringify(options.host)} is not an IP address`);
    this.host = options.host;
    this.proxyHealthzPort = options.proxyHealthzPort ?? PROBER_DEFAULTS.proxyHealthzPort;
    checkPort('proxyHealthzPort', this.proxyHealthzPort);
    this.timeoutMs = options.timeoutMs ?? PROBER_DEFAULTS.timeoutMs;
    checkMs('timeoutMs', this.timeoutMs, 1);
    const times = {
      periodicMs: options.periodicMs ?? PROBER_DEFAULTS.periodicMs,
      burstIntervalMs: options.burstIntervalMs ?? PROBER_DEFAULTS.burstIntervalMs,
      burstMaxMs: options.burstMaxMs ?? PROBER_DEFAULTS.burstMaxMs,
    };
    checkMs('periodicMs', times.periodicMs, 1);
    checkMs('burstIntervalMs', times.burstIntervalMs, 1);
    checkMs('burstMaxMs', times.burstMaxMs, 0);
    this.maxConcurrent = options.maxConcurrent ?? PROBER_DEFAULTS.maxConcurrent;
    checkMs('maxConcurrent', this.maxConcurrent, 1);
    this.maxBodyBytes = options.maxBodyBytes ?? PROBER_DEFAULTS.maxBodyBytes;
    checkMs('maxBodyBytes', this.maxBodyBytes, 1);
    this.clock = options.clock ?? systemClock;
    this.request = options.request ?? httpGet;
    this.schedule = new ProbeSchedule(times);
  }

  /**
   * Probe exactly these Services ("namespace/name" -> healthCheckNodePort), and /healthz when
   * wantProxy. New targets (and a Service whose port changed) are probed at once; removed ones are
   * forgotten, their requests in flight given up and their late answers dropped. Emits nothing:
   * service(key) stays undefined until the first answer, which emits 'change'. Throws
   * DataPlaneError for a bad key or port, before changing anything.
   */
  setTargets(services: ReadonlyMap<string, number>, wantProxy: boolean): void {
    for (const [key, port] of services) {
      if (!SERVICE_KEY.test(key)) throw new DataPlaneError(`target ${JSON.stringify(key)} is not "namespace/name"`);
      checkPort(`target ${key}`, port);
    }
    if (this.stopped) return;
    const wanted = new Map<string, Target>();
    for (const [key, port] of services) wanted.set(key, this.target(port, '/'));
    if (wantProxy) wanted.set(PROXY_KEY, this.target(this.proxyHealthzPort, '/healthz'));

    const now = this.clock.now();
    for (const [key, target] of this.targets) {
      if (wanted.get(key)?.port !== target.port) this.forget(key);
    }
    for (const [key, target] of wanted) {
      if (this.targets.has(key)) continue;
      this.targets.set(key, target);
      this.schedule.add(key, now);
    }
    this.pump();
  }

  /**
   * Something changed for this target (an EndpointSlice for this node, the Node): probe it at once,
   * then every burstIntervalMs until kube-proxy's answer shows a change or burstMaxMs has passed.
   * False when the key is not a target.
   */
  poke(key: string): boolean {
    if (this.stopped || !this.schedule.poke(key, this.clock.now())) return false;
    this.pump();
    return true;
  }

  service(key: string): ServiceCheck | undefined {
    return key === PROXY_KEY ? undefined : this.checks.get(key);
  }

  proxy(): ProxyCheck | undefined {
    return this.checks.get(PROXY_KEY);
  }

  figures(): ProberFigures {
    return { targets: this.targets.size, inFlight: this.requests.size, requests: this.started };
  }

  /** Gives every request up and arms nothing more; the checks stay readable. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.disarm();
    for (const key of [...this.requests.keys()]) this.giveUp(key);
  }

  private target(port: number, path: string): Target {
    return { port, path, url: targetUrl(this.host, port, path) };
  }

  private forget(key: string): void {
    this.giveUp(key);
    this.targets.delete(key);
    this.checks.delete(key);
    this.schedule.remove(key);
  }

  private giveUp(key: string): void {
    const request = this.requests.get(key);
    if (!request) return;
    this.requests.delete(key);
    this.clock.clearTimeout(request.guard);
    request.controller.abort();
  }

  /** Starts what is due while there is room, then arms the timer for what falls due next. */
  private pump(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    while (this.requests.size < this.maxConcurrent) {
      const next = this.schedule.startNext(now);
      if (!next) break;
      this.send(next.key, next.seq);
    }
    // At the limit, the next answer pumps again; no timer needed.
    const at = this.requests.size < this.maxConcurrent ? this.schedule.wakeAt() : undefined;
    if (at === this.timerAt) return;
    this.disarm();
    if (at === undefined) return;
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.pump();
    }, Math.max(0, at - now));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
  }

  private send(key: string, seq: number): void {
    const target = this.targets.get(key) as Target;
    const controller = new AbortController();
    // The request has its own timeout; this one also holds when an injected request has none.
    const guard = this.clock.setTimeout(() => this.settle(key, seq, { error: timeoutError(this.timeoutMs) }), this.timeoutMs);
    this.requests.set(key, { seq, controller, guard });
    this.started++;
    let pending: Promise<HttpAnswer>;
    try {
      pending = this.request({ host: this.host, port: target.port, path: target.path }, { timeoutMs: this.timeoutMs, maxBodyBytes: this.maxBodyBytes, signal: controller.signal });
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (answer) => this.settle(key, seq, { answer }),
      (error: unknown) => this.settle(key, seq, { error }),
    );
  }

  /** One outcome of request `seq`; dropped when the request was given up (removed, timed out, stopped). */
  private settle(key: string, seq: number, outcome: { readonly answer: HttpAnswer } | { readonly error: unknown }): void {
    const request = this.requests.get(key);
    if (this.stopped || request?.seq !== seq) return;
    this.requests.delete(key);
    this.clock.clearTimeout(request.guard);
    if ('error' in outcome && outcome.error instanceof ProbeRequestError && outcome.error.reason === PROBE_FAILURE.Timeout) {
      request.controller.abort();
    }
    const now = this.clock.now();
    const target = this.targets.get(key) as Target;
    let check: ServiceCheck | ProxyCheck;
    if ('error' in outcome) check = unreachableCheck(outcome.error, now);
    else if (key === PROXY_KEY) check = proxyCheck(target.url, outcome.answer, now);
    else check = serviceCheck(key, target.url, outcome.answer, now);
    const before = this.checks.get(key);
    this.checks.set(key, check);
    this.schedule.finished(key, seq, { status: check.status, signature: answerSignature(check) }, now);
    this.pump();
    if (!sameAnswer(before, check)) this.emit('change', [key]);
  }
}
