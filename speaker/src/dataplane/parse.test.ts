import { describe, expect, it } from '@jest/globals';
import { ProbeRequestError, PROBE_FAILURE, timeoutError } from './errors.js';
import { answerSignature, parseWeightHeader, proxyCheck, sameAnswer, serviceCheck, targetUrl, unreachableCheck } from './parse.js';
import { healthzAnswer, serviceAnswer } from './testing.js';
import type { HttpAnswer } from './types.js';

const KEY = 'shop/web';
const URL = 'http://127.0.0.1:31234/';
const HEALTHZ = 'http://127.0.0.1:10256/healthz';

function raw(status: number, body: string, headers: Record<string, string> = {}, truncated = false): HttpAnswer {
  return { status, headers, body, truncated };
}

describe('targetUrl', () => {
  it.each([
    ['127.0.0.1', 31234, '/', 'http://127.0.0.1:31234/'],
    ['::1', 10256, '/healthz', 'http://[::1]:10256/healthz'],
    ['fd00::7', 80, '/', 'http://[fd00::7]:80/'],
  ])('%s %d %s', (host, port, path, url) => expect(targetUrl(host, port, path)).toBe(url));
});

describe('parseWeightHeader', () => {
  it.each([
    [undefined, { kind: 'absent' }],
    ['3', { kind: 'weight', weight: 3 }],
    ['0', { kind: 'weight', weight: 0 }],
    ['007', { kind: 'weight', weight: 7 }],
    ['-1', { kind: 'invalid', text: '-1' }],
    ['2.5', { kind: 'invalid', text: '2.5' }],
    ['1e3', { kind: 'invalid', text: '1e3' }],
    ['', { kind: 'invalid', text: '' }],
    ['abc', { kind: 'invalid', text: 'abc' }],
    ['1, 2', { kind: 'invalid', text: '1, 2' }],
    ['99999999999999999999', { kind: 'invalid', text: '99999999999999999999' }],
  ])('%p', (value, expected) => expect(parseWeightHeader(value)).toEqual(expected));
});

describe('serviceCheck: answer -> status', () => {
  // One row per kind of answer; detail is matched in part.
  const rows: Array<[string, HttpAnswer, { status: string; reason: string; weight?: number; localEndpoints?: number; detail: string }]> = [
    ['200 with the weight header (kube-proxy 1.31+)', serviceAnswer(KEY, 3), { status: 'ok', reason: 'Ok', weight: 3, localEndpoints: 3, detail: `GET ${URL} answered 200 (localEndpoints 3, weight 3)` }],
    ['200 without the header (older kube-proxy)', serviceAnswer(KEY, 2, { weight: null }), { status: 'ok', reason: 'Ok', localEndpoints: 2, detail: 'no X-Load-Balancing-Endpoint-Weight header, unweighted' }],
    ['200, body without serviceProxyHealthy (kube-proxy < 1.26, Cilium)', raw(200, '{"service":{"namespace":"shop","name":"web"},"localEndpoints":1}'), { status: 'ok', reason: 'Ok', localEndpoints: 1, detail: `GET ${URL} answered 200 (localEndpoints 1; no X-Load-Balancing` }],
    ['200 with a weight header that is not an integer', serviceAnswer(KEY, 2, { weight: 'lots' }), { status: 'ok', reason: 'Ok', localEndpoints: 2, detail: 'X-Load-Balancing-Endpoint-Weight "lots" is not an integer >= 0, unweighted' }],
    ['200 with a negative weight header', serviceAnswer(KEY, 2, { weight: '-2' }), { status: 'ok', reason: 'Ok', localEndpoints: 2, detail: '"-2" is not an integer >= 0' }],
    ['200 whose header and body disagree', serviceAnswer(KEY, 2, { weight: '5' }), { status: 'ok', reason: 'Ok', weight: 5, localEndpoints: 2, detail: 'weight 5: header and body disagree, the header counts' }],
    ['200 with weight 0', serviceAnswer(KEY, 2, { weight: '0' }), { status: 'failing', reason: 'Contradiction', localEndpoints: 2, detail: `GET ${URL} answered 200 with X-Load-Balancing-Endpoint-Weight 0` }],
    ['200 with localEndpoints 0', serviceAnswer(KEY, 0, { status: 200 }), { status: 'failing', reason: 'Contradiction', localEndpoints: 0, detail: 'answered 200 with localEndpoints 0 (kube-proxy answers 200 only with a local endpoint)' }],
    ['200 with serviceProxyHealthy false', serviceAnswer(KEY, 1, { status: 200, proxyHealthy: false }), { status: 'failing', reason: 'Contradiction', localEndpoints: 1, detail: 'answered 200 with serviceProxyHealthy false' }],
    ['503 with localEndpoints 0', serviceAnswer(KEY, 0), { status: 'failing', reason: 'NoLocalEndpoints', localEndpoints: 0, detail: `GET ${URL} answered 503 (localEndpoints 0)` }],
    ['503, rules not in sync', serviceAnswer(KEY, 2, { proxyHealthy: false }), { status: 'failing', reason: 'ProxyNotSynced', localEndpoints: 2, detail: `GET ${URL} answered 503 (localEndpoints 2, serviceProxyHealthy false: kube-proxy's rules are not in sync)` }],
    ['503 with endpoints and no reason', raw(503, '{"service":{"namespace":"shop","name":"web"},"localEndpoints":2}'), { status: 'failing', reason: 'Unavailable', localEndpoints: 2, detail: `GET ${URL} answered 503 (localEndpoints 2)` }],
    ['503 with a garbled body', raw(503, 'Service Unavailable'), { status: 'failing', reason: 'Unavailable', detail: `GET ${URL} answered 503; body is not kube-proxy's JSON: ` }],
    ['the empty 200 of a closed health check', raw(200, ''), { status: 'failing', reason: 'BadBody', detail: `GET ${URL} answered 200 but the body is not kube-proxy's JSON: empty` }],
    ['200 with HTML', raw(200, '<html>hello</html>'), { status: 'failing', reason: 'BadBody', detail: "body is not kube-proxy's JSON: Unexpected token" }],
    ['200 with a JSON array', raw(200, '[1,2]'), { status: 'failing', reason: 'BadBody', detail: "body is not kube-proxy's JSON: not an object: \"[1,2]\"" }],
    ['200 without service', raw(200, '{"localEndpoints":1}'), { status: 'failing', reason: 'BadBody', detail: '"service" is not {"namespace", "name"}' }],
    ['200 with localEndpoints as a string', raw(200, '{"service":{"namespace":"shop","name":"web"},"localEndpoints":"1"}'), { status: 'failing', reason: 'BadBody', detail: '"localEndpoints" is not an integer >= 0' }],
    ['200 with negative localEndpoints', raw(200, '{"service":{"namespace":"shop","name":"web"},"localEndpoints":-1}'), { status: 'failing', reason: 'BadBody', detail: '"localEndpoints" is not an integer >= 0' }],
    ['200 with fractional localEndpoints', raw(200, '{"service":{"namespace":"shop","name":"web"},"localEndpoints":1.5}'), { status: 'failing', reason: 'BadBody', detail: '"localEndpoints" is not an integer >= 0' }],
    ['200 with serviceProxyHealthy "yes"', raw(200, '{"service":{"namespace":"shop","name":"web"},"localEndpoints":1,"serviceProxyHealthy":"yes"}'), { status: 'failing', reason: 'BadBody', detail: '"serviceProxyHealthy" is not true or false' }],
    ['200 with a body cut at the cap', raw(200, '{"service":{"namespace":"shop","na', {}, true), { status: 'failing', reason: 'BadBody', detail: "body is not kube-proxy's JSON: longer than 34 bytes" }],
    ['200 for another Service (port reused)', serviceAnswer('shop/cart', 1), { status: 'failing', reason: 'WrongService', localEndpoints: 1, detail: `GET ${URL} answered 200 for shop/cart, not shop/web` }],
    ['404', raw(404, 'not found'), { status: 'failing', reason: 'UnexpectedStatus', detail: `GET ${URL} answered 404, not kube-proxy's 200 or 503` }],
    ['500 with kube-proxy JSON', { ...serviceAnswer(KEY, 1), status: 500 }, { status: 'failing', reason: 'UnexpectedStatus', detail: 'answered 500, not' }],
  ];
  it.each(rows)('%s', (_name, answer, expected) => {
    const check = serviceCheck(KEY, URL, answer, 42);
    expect(check.status).toBe(expected.status);
    expect(check.reason).toBe(expected.reason);
    expect(check.httpStatus).toBe(answer.status);
    expect(check.weight).toBe(expected.weight);
    expect(check.localEndpoints).toBe(expected.localEndpoints);
    expect(check.detail).toContain(expected.detail);
    expect(check.checkedAt).toBe(42);
  });

  it('puts a weight only on an ok check', () => {
    for (const [, answer] of rows) {
      const check = serviceCheck(KEY, URL, answer, 0);
      if (check.status !== 'ok') expect(check).not.toHaveProperty('weight');
    }
  });

  it('keeps long bodies out of the detail', () => {
    const check = serviceCheck(KEY, URL, raw(200, `[${'1,'.repeat(2000)}1]`), 0);
    expect(check.detail.length).toBeLessThan(250);
  });
});

describe('proxyCheck: answer -> status', () => {
  const rows: Array<[string, HttpAnswer, { status: string; reason: string; nodeEligible?: boolean; detail: string }]> = [
    ['200, nodeEligible true (1.28+)', healthzAnswer(true), { status: 'ok', reason: 'Ok', nodeEligible: true, detail: `GET ${HEALTHZ} answered 200 (nodeEligible true)` }],
    ['200 without nodeEligible (older kube-proxy, Cilium)', healthzAnswer(true, null), { status: 'ok', reason: 'Ok', detail: `GET ${HEALTHZ} answered 200 (no nodeEligible field)` }],
    ['200, newest format (json.Marshal of ProxyHealth)', raw(200, '{"lastUpdated":"2025-01-01T00:00:05.5Z","currentTime":"2025-01-01T00:00:05.5Z","nodeEligible":true,"healthy":true,"status":{"IPv4":{"lastUpdated":"2025-01-01T00:00:05.5Z","healthy":true}}}'), { status: 'ok', reason: 'Ok', nodeEligible: true, detail: `GET ${HEALTHZ} answered 200 (nodeEligible true)` }],
    ['503, newest format, a family not in sync', raw(503, '{"lastUpdated":"2025-01-01T00:00:00Z","currentTime":"2025-01-01T00:01:05Z","nodeEligible":true,"healthy":false,"status":{"IPv4":{"lastUpdated":"2025-01-01T00:00:00Z","healthy":false}}}'), { status: 'failing', reason: 'ProxyNotSynced', nodeEligible: true, detail: "kube-proxy's rules are not in sync" }],
    ['503, newest format, never synced (zero time)', raw(503, '{"lastUpdated":"0001-01-01T00:00:00Z","currentTime":"2025-01-01T00:01:05Z","nodeEligible":false,"healthy":true}'), { status: 'failing', reason: 'NodeNotEligible', nodeEligible: false, detail: 'nodeEligible false' }],
    ['200 with healthy false', raw(200, '{"lastUpdated":"a","currentTime":"b","nodeEligible":true,"healthy":false}'), { status: 'failing', reason: 'Contradiction', nodeEligible: true, detail: 'answered 200 with healthy false' }],
    ['200 with healthy "yes"', raw(200, '{"lastUpdated":"a","currentTime":"b","healthy":"yes"}'), { status: 'failing', reason: 'BadBody', detail: '"healthy" is not true or false' }],
    ['503, rules not in sync', healthzAnswer(false), { status: 'failing', reason: 'ProxyNotSynced', nodeEligible: true, detail: `GET ${HEALTHZ} answered 503 (kube-proxy's rules are not in sync)` }],
    ['503, node being deleted or tainted', healthzAnswer(true, false), { status: 'failing', reason: 'NodeNotEligible', nodeEligible: false, detail: 'nodeEligible false: the node is being deleted or tainted ToBeDeletedByClusterAutoscaler' }],
    ['503 without a body', raw(503, ''), { status: 'failing', reason: 'Unavailable', detail: `GET ${HEALTHZ} answered 503; body is not kube-proxy's JSON: empty` }],
    ['200 with nodeEligible false', { ...healthzAnswer(true, false), status: 200 }, { status: 'failing', reason: 'Contradiction', nodeEligible: false, detail: 'answered 200 with nodeEligible false' }],
    ['200 "ok" (not kube-proxy)', raw(200, 'ok'), { status: 'failing', reason: 'BadBody', detail: `GET ${HEALTHZ} answered 200 but the body is not kube-proxy's JSON:` }],
    ['200 without the times', raw(200, '{"nodeEligible":true}'), { status: 'failing', reason: 'BadBody', detail: '"lastUpdated" and "currentTime" are not both strings' }],
    ['200 with nodeEligible 1', raw(200, '{"lastUpdated":"a","currentTime":"b","nodeEligible":1}'), { status: 'failing', reason: 'BadBody', detail: '"nodeEligible" is not true or false' }],
    ['404 (no /healthz here)', raw(404, '404 page not found'), { status: 'failing', reason: 'UnexpectedStatus', detail: `GET ${HEALTHZ} answered 404, not kube-proxy's 200 or 503` }],
  ];
  it.each(rows)('%s', (_name, answer, expected) => {
    const check = proxyCheck(HEALTHZ, answer, 7);
    expect(check.status).toBe(expected.status);
    expect(check.reason).toBe(expected.reason);
    expect(check.httpStatus).toBe(answer.status);
    expect(check.nodeEligible).toBe(expected.nodeEligible);
    expect(check.detail).toContain(expected.detail);
  });

  it('says the same for answers that differ only in their times', () => {
    const later = healthzAnswer(true);
    const a = proxyCheck(HEALTHZ, healthzAnswer(true), 1);
    const b = proxyCheck(HEALTHZ, { ...later, body: later.body.replaceAll('2025', '2026') }, 2);
    expect(sameAnswer(a, b)).toBe(true);
  });
});

describe('unreachableCheck', () => {
  it.each([
    [new ProbeRequestError(PROBE_FAILURE.Refused, 'connect ECONNREFUSED 127.0.0.1:31234'), 'Refused', 'connect ECONNREFUSED 127.0.0.1:31234'],
    [timeoutError(1000), 'Timeout', 'timed out after 1000 ms'],
    [new ProbeRequestError(PROBE_FAILURE.Reset, 'socket hang up'), 'Reset', 'socket hang up'],
    [new ProbeRequestError(PROBE_FAILURE.Network, 'answer is not HTTP: Parse Error'), 'NetworkError', 'answer is not HTTP: Parse Error'],
    [new TypeError('fetch is broken'), 'NetworkError', 'request failed: fetch is broken'],
    ['a string', 'NetworkError', 'request failed: a string'],
  ])('%p', (error, reason, detail) => {
    expect(unreachableCheck(error, 5)).toEqual({ status: 'unreachable', reason, detail, checkedAt: 5 });
  });
});

describe('sameAnswer', () => {
  it('ignores checkedAt and nothing else', () => {
    const a = serviceCheck(KEY, URL, serviceAnswer(KEY, 2), 1);
    expect(sameAnswer(a, serviceCheck(KEY, URL, serviceAnswer(KEY, 2), 99))).toBe(true);
    expect(sameAnswer(a, serviceCheck(KEY, URL, serviceAnswer(KEY, 3), 1))).toBe(false);
    expect(sameAnswer(a, serviceCheck(KEY, URL, serviceAnswer(KEY, 2, { weight: null }), 1))).toBe(false);
    expect(sameAnswer(a, undefined)).toBe(false);
    expect(sameAnswer(undefined, undefined)).toBe(true);
    expect(answerSignature(a)).not.toContain('"1"');
  });
});
