import { answerOf, proberFigures, proberView } from './view.js';
import type { ProxyCheck, ServiceCheck } from './types.js';

const svc = (status: ServiceCheck['status'], weight?: number): ServiceCheck => ({ status, reason: status === 'ok' ? 'Ok' : 'NoLocalEndpoints', detail: `d-${status}`, checkedAt: 1, ...(weight === undefined ? {} : { weight }) });
const proxy: ProxyCheck = { status: 'failing', reason: 'NodeNotEligible', detail: 'GET /healthz answered 503 (nodeEligible false)', checkedAt: 1 };

test.each<[string, ServiceCheck | ProxyCheck | undefined, unknown]>([
  ['not asked', undefined, undefined],
  ['ok with weight', svc('ok', 3), { ok: true, weight: 3, detail: 'd-ok' }],
  ['ok without weight', svc('ok'), { ok: true, detail: 'd-ok' }],
  ['failing', svc('failing'), { ok: false, detail: 'd-failing' }],
  ['unreachable', svc('unreachable'), { ok: false, detail: 'd-unreachable' }],
  ['proxy failing', proxy, { ok: false, detail: proxy.detail }],
])('answerOf: %s', (_, check, want) => expect(answerOf(check)).toEqual(want));

test('the view and the figures read the prober', () => {
  const checks = new Map<string, ServiceCheck>([['a/x', svc('ok', 2)], ['a/y', svc('failing')]]);
  const prober = { service: (k: string) => checks.get(k), proxy: () => proxy, figures: () => ({ targets: 3, inFlight: 0, requests: 17 }) };
  expect(proberView(prober).service('a/x')).toEqual({ ok: true, weight: 2, detail: 'd-ok' });
  expect(proberView(prober).proxy()?.ok).toBe(false);
  expect(proberFigures(prober, ['a/x', 'a/y', 'a/z'])).toEqual({
    checks: [{ check: 'service', status: 'ok', count: 1 }, { check: 'service', status: 'failing', count: 1 }, { check: 'service', status: 'unchecked', count: 1 }, { check: 'proxy', status: 'failing', count: 1 }],
    requests: 17,
  });
});
