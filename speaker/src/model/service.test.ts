import { describe, expect, test } from '@jest/globals';
import { formatIP } from '@headland/api';
import { serviceFromJSON } from './service.js';

const svc = (over: { spec?: unknown; status?: unknown; metadata?: unknown } = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace: 'ns', name: 'web', labels: { app: 'web' }, annotations: {}, ...(over.metadata as object) },
  spec: { type: 'LoadBalancer', ...(over.spec as object) },
  status: over.status ?? { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
});

describe('serviceFromJSON', () => {
  test('a LoadBalancer Service with defaults applied', () => {
    const { value, problems } = serviceFromJSON(svc());
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ key: 'ns/web', type: 'LoadBalancer', trafficPolicy: 'Cluster', loadBalancerClass: undefined, labels: { app: 'web' }, poolHint: undefined });
    expect(value?.ingressIPs.map(formatIP)).toEqual(['203.0.113.10']);
  });

  test.each([
    { name: 'type unset is ClusterIP', over: { spec: { type: undefined } }, field: 'type', expected: 'ClusterIP' },
    { name: 'Local policy', over: { spec: { externalTrafficPolicy: 'Local' } }, field: 'trafficPolicy', expected: 'Local' },
    { name: 'class', over: { spec: { loadBalancerClass: 'headland.io/lb' } }, field: 'loadBalancerClass', expected: 'headland.io/lb' },
    { name: 'pool annotation', over: { metadata: { annotations: { 'headland.io/ip-allocated-from-pool': 'p1' } } }, field: 'poolHint', expected: 'p1' },
    { name: 'MetalLB pool annotation', over: { metadata: { annotations: { 'metallb.io/ip-allocated-from-pool': 'p2' } } }, field: 'poolHint', expected: 'p2' },
  ])('$name', ({ over, field, expected }) => {
    const { value, problems } = serviceFromJSON(svc(over));
    expect(problems).toEqual([]);
    expect((value as unknown as Record<string, unknown>)[field]).toBe(expected);
  });

  test('dual-stack ingress in order, duplicates and hostname-only entries left out', () => {
    const { value, problems } = serviceFromJSON(svc({ status: { loadBalancer: { ingress: [{ ip: '2001:db8::1' }, { hostname: 'lb.example' }, { ip: '203.0.113.1' }, { ip: '2001:db8:0::1' }] } } }));
    expect(problems).toEqual([]);
    expect(value?.ingressIPs.map(formatIP)).toEqual(['2001:db8::1', '203.0.113.1']);
  });

  test.each([
    { name: 'not an object', obj: 'nope', path: '(object)' },
    { name: 'no name', obj: { metadata: { namespace: 'ns' } }, path: 'metadata.name' },
    { name: 'no namespace', obj: { metadata: { name: 'x' } }, path: 'metadata.namespace' },
  ])('unusable object, skipped and reported: $name', ({ obj, path }) => {
    const { value, problems } = serviceFromJSON(obj);
    expect(value).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.message).toMatch(/^model\/service: Service /);
  });

  test.each([
    { name: 'bad ingress IP', over: { status: { loadBalancer: { ingress: [{ ip: '203.0.113.300' }, { ip: '203.0.113.2' }] } } }, path: 'status.loadBalancer.ingress[0].ip', ips: ['203.0.113.2'] },
    { name: 'ingress not a list', over: { status: { loadBalancer: { ingress: { ip: '203.0.113.2' } } } }, path: 'status.loadBalancer.ingress', ips: [] },
    { name: 'unknown traffic policy reads as Cluster', over: { spec: { externalTrafficPolicy: 'Global' } }, path: 'spec.externalTrafficPolicy', ips: ['203.0.113.10'] },
    { name: 'a label that is not a string', over: { metadata: { labels: { app: 3 } } }, path: 'metadata.labels["app"]', ips: ['203.0.113.10'] },
    { name: 'spec not an object', over: { spec: 7 }, path: 'spec', ips: ['203.0.113.10'] },
  ])('bad field, the rest kept: $name', ({ over, path, ips }) => {
    const obj = svc(over);
    if (over.spec === 7) (obj as Record<string, unknown>)['spec'] = 7;
    const { value, problems } = serviceFromJSON(obj);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.message).toContain('ns/web');
    expect(value?.ingressIPs.map(formatIP)).toEqual(ips);
  });
});
