import { describe, expect, test } from '@jest/globals';
import { sliceFromJSON } from './endpointslice.js';

const slice = (over: Record<string, unknown> = {}, labels: Record<string, unknown> = { 'kubernetes.io/service-name': 'web' }) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { namespace: 'ns', name: 'web-abc', labels },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['198.18.1.1'], nodeName: 'n1', conditions: { ready: true } }],
  ...over,
});

describe('sliceFromJSON', () => {
  test('identity, family and endpoints', () => {
    const { value, problems } = sliceFromJSON(slice());
    expect(problems).toEqual([]);
    expect(value).toEqual({ key: 'ns/web-abc', serviceKey: 'ns/web', family: 4, endpoints: [{ nodeName: 'n1', ready: true, serving: true, terminating: false }] });
  });

  test.each([
    { name: 'all unset: ready, serving, not terminating', conditions: undefined, expected: { ready: true, serving: true, terminating: false } },
    { name: 'not ready, serving unset follows ready', conditions: { ready: false }, expected: { ready: false, serving: false, terminating: false } },
    { name: 'draining', conditions: { ready: false, serving: true, terminating: true }, expected: { ready: false, serving: true, terminating: true } },
    { name: 'null values are unset', conditions: { ready: null, serving: null, terminating: null }, expected: { ready: true, serving: true, terminating: false } },
  ])('conditions with Kubernetes defaults: $name', ({ conditions, expected }) => {
    const { value } = sliceFromJSON(slice({ endpoints: [{ addresses: ['198.18.1.1'], conditions }] }));
    expect(value?.endpoints).toEqual([{ nodeName: undefined, ...expected }]);
  });

  test('IPv6 slice', () => {
    expect(sliceFromJSON(slice({ addressType: 'IPv6' })).value?.family).toBe(6);
  });

  test.each([
    { name: 'FQDN slice', obj: slice({ addressType: 'FQDN' }) },
    { name: 'slice of no Service', obj: slice({}, {}) },
  ])('not counted, not a problem: $name', ({ obj }) => {
    expect(sliceFromJSON(obj)).toEqual({ value: undefined, problems: [] });
  });

  test.each([
    { name: 'missing addressType', obj: slice({ addressType: undefined }), path: 'addressType' },
    { name: 'unknown addressType', obj: slice({ addressType: 'IPX' }), path: 'addressType' },
    { name: 'no name', obj: { metadata: { namespace: 'ns' } }, path: 'metadata.name' },
  ])('unusable, reported: $name', ({ obj, path }) => {
    const { value, problems } = sliceFromJSON(obj);
    expect(value).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.message).toMatch(/^model\/endpointslice: EndpointSlice /);
  });

  test.each([
    { name: 'ready not a boolean', endpoint: { conditions: { ready: 'yes' } }, path: 'endpoints[0].conditions.ready' },
    { name: 'conditions not an object', endpoint: { conditions: [] }, path: 'endpoints[0].conditions' },
    { name: 'nodeName not a string', endpoint: { nodeName: 3 }, path: 'endpoints[0].nodeName' },
    { name: 'endpoint not an object', endpoint: 'x', path: 'endpoints[0]' },
  ])('a malformed endpoint is left out, the others kept: $name', ({ endpoint, path }) => {
    const { value, problems } = sliceFromJSON(slice({ endpoints: [endpoint, { nodeName: 'n2' }] }));
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(value?.endpoints).toEqual([{ nodeName: 'n2', ready: true, serving: true, terminating: false }]);
  });
});
