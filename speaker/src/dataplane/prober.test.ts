import { beforeEach, describe, expect, it } from '@jest/globals';
import { DataPlaneError, ProbeRequestError, PROBE_FAILURE } from './errors.js';
import { DataPlaneProber, type DataPlaneProberOptions } from './prober.js';
import { phaseOf } from './schedule.js';
import { FakeRequests, healthzAnswer, ManualClock, serviceAnswer, settle } from './testing.js';
import { PROXY_KEY, type HttpAnswer, type HttpGetTarget } from './types.js';

const A = 'shop/web';
const B = 'shop/cart';
const PORTS = new Map([
  [A, 31001],
  [B, 31002],
]);

let clock: ManualClock;
let fake: FakeRequests;
let changes: string[][];

function prober(options: Partial<DataPlaneProberOptions> = {}): DataPlaneProber {
  const p = new DataPlaneProber({ host: '127.0.0.1', timeoutMs: 1000, periodicMs: 10_000, burstIntervalMs: 20, burstMaxMs: 5000, maxConcurrent: 4, clock, request: fake.request, ...options });
  p.on('change', (keys) => changes.push([...keys]));
  return p;
}

/** Answers per port: kube-proxy with `endpoints` local endpoints for each Service, and a healthy /healthz. */
function kubeProxy(endpoints: Map<number, [string, number]>, healthy = true): (target: HttpGetTarget) => HttpAnswer | Error {
  return (target) => {
    if (target.port === 10256) return healthzAnswer(healthy);
    const service = endpoints.get(target.port);
    if (!service) return new ProbeRequestError(PROBE_FAILURE.Refused, `connect ECONNREFUSED 127.0.0.1:${target.port}`);
    return serviceAnswer(service[0], service[1]);
  };
}

beforeEach(() => {
  clock = new ManualClock();
  fake = new FakeRequests(clock);
  changes = [];
});

describe('DataPlaneProber', () => {
  it('probes new targets at once, each on its own port, and reports what kube-proxy said', async () => {
    const p = prober();
    p.setTargets(PORTS, true);
    expect(fake.calls.map((c) => [c.target.port, c.target.path])).toEqual([
      [31001, '/'],
      [31002, '/'],
      [10256, '/healthz'],
    ]);
    expect(p.service(A)).toBeUndefined();
    fake.calls[0]!.answer(serviceAnswer(A, 3));
    fake.calls[1]!.answer(serviceAnswer(B, 0));
    fake.calls[2]!.answer(healthzAnswer(true));
    await settle();
    expect(p.service(A)).toEqual({ status: 'ok', reason: 'Ok', httpStatus: 200, localEndpoints: 3, weight: 3, detail: 'GET http://127.0.0.1:31001/ answered 200 (localEndpoints 3, weight 3)', checkedAt: 0 });
    expect(p.service(B)).toMatchObject({ status: 'failing', reason: 'NoLocalEndpoints', detail: 'GET http://127.0.0.1:31002/ answered 503 (localEndpoints 0)' });
    expect(p.proxy()).toMatchObject({ status: 'ok', nodeEligible: true });
    expect(p.service(PROXY_KEY)).toBeUndefined();
    expect(changes).toEqual([[A], [B], [PROXY_KEY]]);
    p.stop();
  });

  it('writes IPv6 hosts in brackets in the detail', async () => {
    const p = prober({ host: '::1' });
    fake.auto = () => serviceAnswer(A, 0);
    p.setTargets(new Map([[A, 31001]]), false);
    await settle();
    expect(fake.calls[0]!.target.host).toBe('::1');
    expect(p.service(A)?.detail).toBe('GET http://[::1]:31001/ answered 503 (localEndpoints 0)');
    p.stop();
  });

  it('emits change only when an answer says something new', async () => {
    const endpoints = new Map([[31001, [A, 2] as [string, number]]]);
    fake.auto = kubeProxy(endpoints);
    const p = prober();
    p.setTargets(new Map([[A, 31001]]), true);
    await clock.advance(30_000);
    expect(fake.calls.filter((c) => c.target.port === 31001)).toHaveLength(4); // at once, then once per period
    expect(changes).toEqual([[A], [PROXY_KEY]]);
    endpoints.set(31001, [A, 3]);
    await clock.advance(10_000);
    expect(changes).toEqual([[A], [PROXY_KEY], [A]]);
    expect(p.service(A)?.weight).toBe(3);
    p.stop();
  });

  it('keeps one request per target: a poke while in flight waits for it, then asks again at once', async () => {
    const p = prober();
    p.setTargets(new Map([[A, 31001]]), false);
    expect(fake.open()).toHaveLength(1);
    expect(p.poke(A)).toBe(true);
    expect(p.poke(A)).toBe(true);
    expect(fake.open()).toHaveLength(1);
    fake.calls[0]!.answer(serviceAnswer(A, 0));
    await settle();
    // The first answer was asked before the poke: a fresh one goes out at once.
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1]!.at).toBe(0);
    p.stop();
  });

  it('drops the late answer of a removed target and frees its slot at once', async () => {
    const p = prober({ maxConcurrent: 1 });
    p.setTargets(PORTS, false);
    expect(fake.open().map((c) => c.target.port)).toEqual([31001]);
    p.setTargets(new Map([[B, 31002]]), false);
    expect(fake.calls[0]!.options.signal.aborted).toBe(true);
    expect(fake.open().map((c) => c.target.port)).toEqual([31002]);
    fake.calls[0]!.answer(serviceAnswer(A, 1)); // too late: ignored
    fake.calls[1]!.answer(serviceAnswer(B, 1));
    await settle();
    expect(p.service(A)).toBeUndefined();
    expect(p.service(B)?.status).toBe('ok');
    expect(changes).toEqual([[B]]);
    expect(p.figures()).toEqual({ targets: 1, inFlight: 0, requests: 2 });
    p.stop();
  });

  it('forgets the result when a Service changes its port, and probes the new one', async () => {
    fake.auto = kubeProxy(new Map([[31001, [A, 1]], [31009, [A, 2]]]));
    const p = prober();
    p.setTargets(new Map([[A, 31001]]), false);
    await settle();
    expect(p.service(A)?.weight).toBe(1);
    fake.auto = undefined;
    p.setTargets(new Map([[A, 31009]]), false);
    expect(p.service(A)).toBeUndefined();
    expect(fake.open().map((c) => c.target.port)).toEqual([31009]);
    fake.open()[0]!.answer(serviceAnswer(A, 2));
    await settle();
    expect(p.service(A)?.weight).toBe(2);
    p.stop();
  });

  it('times a request out on its clock, gives it up, and ignores its late answer', async () => {
    const p = prober();
    p.setTargets(new Map([[A, 31001]]), false);
    const call = fake.calls[0]!;
    expect(call.options).toMatchObject({ timeoutMs: 1000, maxBodyBytes: 4096 });
    await clock.advance(999);
    expect(p.service(A)).toBeUndefined();
    await clock.advance(1);
    expect(p.service(A)).toEqual({ status: 'unreachable', reason: 'Timeout', detail: 'timed out after 1000 ms', checkedAt: 1000 });
    expect(call.options.signal.aborted).toBe(true);
    call.answer(serviceAnswer(A, 1));
    await settle();
    expect(p.service(A)?.status).toBe('unreachable');
    expect(p.figures().inFlight).toBe(0);
    p.stop();
  });

  it('reports a refused connection and a request that throws as unreachable', async () => {
    const p = prober({
      request: (target) => {
        if (target.port === 31002) throw new Error('no sockets left');
        return Promise.reject(new ProbeRequestError(PROBE_FAILURE.Refused, 'connect ECONNREFUSED 127.0.0.1:31001'));
      },
    });
    p.setTargets(PORTS, false);
    await settle();
    expect(p.service(A)).toMatchObject({ status: 'unreachable', reason: 'Refused', detail: 'connect ECONNREFUSED 127.0.0.1:31001' });
    expect(p.service(B)).toMatchObject({ status: 'unreachable', reason: 'NetworkError', detail: 'request failed: no sockets left' });
    p.stop();
  });

  it('bursts after a poke: every 20 ms until kube-proxy shows the change, then back to the period', async () => {
    const endpoints = new Map([[31001, [A, 1] as [string, number]]]);
    fake.auto = kubeProxy(endpoints);
    const p = prober();
    p.setTargets(new Map([[A, 31001]]), false);
    await clock.advance(1000);
    expect(fake.calls).toHaveLength(1);
    // A second pod became ready here; kube-proxy programs it 130 ms later.
    p.poke(A);
    await settle();
    await clock.advance(130);
    endpoints.set(31001, [A, 2]);
    await clock.advance(1000);
    const burst = fake.calls.slice(1).map((c) => c.at);
    expect(burst).toEqual([1000, 1020, 1040, 1060, 1080, 1100, 1120, 1140]);
    expect(p.service(A)?.weight).toBe(2);
    // Then the periodic re-check, on the target's phase.
    await clock.advance(20_000);
    const after = fake.calls.slice(9).map((c) => c.at);
    expect(after).toHaveLength(2);
    for (const at of after) expect(at % 10_000).toBe(phaseOf(A, 10_000));
    p.stop();
  });

  it('bounds a burst that sees no change by burstMaxMs', async () => {
    fake.auto = kubeProxy(new Map([[31001, [A, 1]]]));
    const p = prober();
    p.setTargets(new Map([[A, 31001]]), false);
    await settle();
    p.poke(A);
    await clock.advance(9_999);
    const burst = fake.calls.slice(1).filter((c) => c.at <= 5000);
    expect(burst).toHaveLength(251); // at 0, 20, ... 5000
    expect(fake.calls.slice(1).filter((c) => c.at > 5000).length).toBeLessThanOrEqual(1); // the phase, at most once
    p.stop();
  });

  it('never has more than maxConcurrent requests out, and the queue drains', async () => {
    const p = prober();
    const targets = new Map([...Array(100).keys()].map((i) => [`ns/svc-${i}`, 30_000 + i] as [string, number]));
    p.setTargets(targets, true);
    expect(fake.open()).toHaveLength(4);
    for (let round = 0; round < 200 && fake.open().length > 0; round++) {
      const [first] = fake.open();
      const key = [...targets].find(([, port]) => port === first!.target.port)?.[0];
      first!.answer(key ? serviceAnswer(key, 1) : healthzAnswer(true));
      await settle();
      expect(fake.inFlight).toBeLessThanOrEqual(4);
    }
    expect(fake.calls).toHaveLength(101);
    expect(fake.maxInFlight).toBe(4);
    expect([...targets.keys()].every((key) => p.service(key)?.status === 'ok')).toBe(true);
    expect(p.proxy()?.status).toBe('ok');
    p.stop();
  });

  it('spreads the periodic re-checks of 100 Services over the period', async () => {
    const endpoints = new Map([...Array(100).keys()].map((i) => [30_000 + i, [`ns/svc-${i}`, 1]] as [number, [string, number]]));
    fake.auto = kubeProxy(endpoints);
    const p = prober();
    p.setTargets(new Map([...endpoints].map(([port, [key]]) => [key, port])), true);
    await clock.advance(40_000);
    const steady = fake.calls.filter((c) => c.at >= 10_000 && c.at < 40_000);
    // Each target exactly once per period ...
    expect(steady).toHaveLength(3 * 101);
    for (const port of [...endpoints.keys(), 10256]) expect(steady.filter((c) => c.target.port === port)).toHaveLength(3);
    // ... and never many at once: at most 5 in any 100 ms (2.5 s of probes would be 25).
    const perWindow = new Map<number, number>();
    for (const c of steady) perWindow.set(Math.floor(c.at / 100), (perWindow.get(Math.floor(c.at / 100)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(5);
    expect(fake.maxInFlight).toBeLessThanOrEqual(4);
    p.stop();
  });

  it('probes /healthz only while wanted', async () => {
    fake.auto = kubeProxy(new Map(), false);
    const p = prober();
    p.setTargets(new Map(), false);
    expect(p.poke(PROXY_KEY)).toBe(false);
    expect(fake.calls).toHaveLength(0);
    p.setTargets(new Map(), true);
    await settle();
    expect(p.proxy()).toMatchObject({ status: 'failing', reason: 'ProxyNotSynced' });
    p.setTargets(new Map(), false);
    expect(p.proxy()).toBeUndefined();
    await clock.advance(60_000);
    expect(fake.calls).toHaveLength(1);
    expect(clock.armed).toBe(0);
    p.stop();
  });

  it('stop gives every request up, arms nothing and ignores what comes after', async () => {
    const p = prober();
    p.setTargets(PORTS, true);
    p.stop();
    expect(fake.calls.every((c) => c.options.signal.aborted)).toBe(true);
    expect(clock.armed).toBe(0);
    fake.calls[0]!.answer(serviceAnswer(A, 1));
    await settle();
    expect(p.service(A)).toBeUndefined();
    expect(p.poke(A)).toBe(false);
    p.setTargets(PORTS, true);
    await clock.advance(60_000);
    expect(fake.calls).toHaveLength(3);
    expect(changes).toEqual([]);
  });

  it.each([
    [{ host: 'localhost' }, 'dataplane: host "localhost" is not an IP address'],
    [{ proxyHealthzPort: 0 }, 'dataplane: proxyHealthzPort: port 0 is not an integer in 1-65535'],
    [{ timeoutMs: 0 }, 'dataplane: timeoutMs 0 is not an integer >= 1'],
    [{ periodicMs: 2.5 }, 'dataplane: periodicMs 2.5 is not an integer >= 1'],
    [{ maxConcurrent: 0 }, 'dataplane: maxConcurrent 0 is not an integer >= 1'],
  ])('refuses options %p', (options, message) => {
    expect(() => prober(options)).toThrow(new DataPlaneError(message.replace('dataplane: ', '')));
  });

  it.each([
    [new Map([['web', 31001]]), 'dataplane: target "web" is not "namespace/name"'],
    [new Map([[A, 70000]]), 'dataplane: target shop/web: port 70000 is not an integer in 1-65535'],
  ])('refuses targets %p and changes nothing', (targets, message) => {
    const p = prober();
    p.setTargets(new Map([[B, 31002]]), false);
    expect(() => p.setTargets(targets, false)).toThrow(message);
    expect(p.figures().targets).toBe(1);
    p.stop();
  });
});
