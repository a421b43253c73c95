import type { KubernetesObject } from '@kubernetes/client-node';
import { SERVICE_NAME_LABEL, sliceSkeleton, statusSkeleton, unannouncedServices } from './unannounced.js';

const svc = (name: string, extra: { ip?: string | null; type?: string; lbClass?: string; namespace?: string } = {}) => ({
  metadata: { name, namespace: extra.namespace ?? 'shop' },
  spec: { type: extra.type ?? 'LoadBalancer', ...(extra.lbClass === undefined ? {} : { loadBalancerClass: extra.lbClass }) },
  status: { loadBalancer: { ingress: extra.ip === null ? [] : [{ ip: extra.ip ?? '203.0.113.1' }] } },
});
const slice = (service: string, ready: (boolean | undefined)[], namespace = 'shop') => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${service}-abc`, namespace, labels: { [SERVICE_NAME_LABEL]: service, other: 'x' } },
  endpoints: ready.map((r) => ({ addresses: ['198.18.101.2'], nodeName: 'node1', conditions: r === undefined ? {} : { ready: r } })),
});
const status = (service: string, node: string, kind = 'ServiceBGPStatus', namespace = 'shop') => ({
  apiVersion: 'headland.io/v1beta1',
  kind,
  metadata: { name: `${node}.${service}`, namespace: 'headland-system', labels: { 'headland.io/service-namespace': namespace, 'headland.io/service-name': service, 'headland.io/node': node } },
  status: { node },
});

test.each<{ name: string; services: unknown[]; slices: unknown[]; statuses: unknown[]; lbClass?: string; count: number }>([
  { name: 'announced by one node', services: [svc('web')], slices: [slice('web', [true])], statuses: [status('web', 'node1')], count: 0 },
  { name: 'answered in L2 mode', services: [svc('web')], slices: [slice('web', [true])], statuses: [status('web', 'node1', 'ServiceL2Status')], count: 0 },
  { name: 'ready endpoint, nobody announces', services: [svc('web')], slices: [slice('web', [true])], statuses: [], count: 1 },
  { name: 'a missing ready condition means ready', services: [svc('web')], slices: [slice('web', [undefined])], statuses: [], count: 1 },
  { name: 'only not-ready endpoints: nothing to announce', services: [svc('web')], slices: [slice('web', [false, false])], statuses: [], count: 0 },
  { name: 'no EndpointSlice', services: [svc('web')], slices: [], statuses: [], count: 0 },
  { name: 'one ready among two slices', services: [svc('web')], slices: [slice('web', [false]), { ...slice('web', [true]), metadata: { ...slice('web', [true]).metadata, name: 'web-def' } }], statuses: [], count: 1 },
  { name: 'no IP yet (the pool is full): the allocation alerts cover it', services: [svc('web', { ip: null })], slices: [slice('web', [true])], statuses: [], count: 0 },
  { name: 'not a LoadBalancer', services: [svc('web', { type: 'ClusterIP' })], slices: [slice('web', [true])], statuses: [], count: 0 },
  { name: 'another class is not ours', services: [svc('web', { lbClass: 'other' })], slices: [slice('web', [true])], statuses: [], count: 0 },
  { name: 'our --lb-class', services: [svc('web', { lbClass: 'edge' })], slices: [slice('web', [true])], statuses: [], lbClass: 'edge', count: 1 },
  { name: 'a status for the same name in another namespace does not count', services: [svc('web')], slices: [slice('web', [true])], statuses: [status('web', 'node1', 'ServiceBGPStatus', 'other')], count: 1 },
  { name: 'a slice in another namespace does not count', services: [svc('web')], slices: [slice('web', [true], 'other')], statuses: [], count: 0 },
  {
    name: 'several: each counted once',
    services: [svc('a'), svc('b'), svc('c')],
    slices: [slice('a', [true, true]), slice('b', [true]), slice('c', [true])],
    statuses: [status('b', 'node1'), status('b', 'node2')],
    count: 2,
  },
  {
    name: 'a SpeakerStatus listing the Service counts as announcing it',
    services: [svc('web'), svc('api')],
    slices: [slice('web', [true]), slice('api', [true])],
    statuses: [{ kind: 'SpeakerStatus', metadata: { name: 'node1' }, status: { node: 'node1', announcedServices: ['shop/web'], l2: { answeredServices: ['shop/api'] } } }],
    count: 0,
  },
  { name: 'malformed objects are skipped', services: [null, 'x', { metadata: {} }, svc('web')], slices: [{}, slice('web', [true])], statuses: [{ metadata: { labels: 3 } }], count: 1 },
])('$name: $count', ({ services, slices, statuses, lbClass, count }) => {
  expect(unannouncedServices({ services, slices, statuses, lbClass })).toBe(count);
});

test('the skeletons keep identity and what the count reads, and count the same', () => {
  const full = [slice('web', [false, true]), slice('api', [false])];
  const kept = full.map((s) => sliceSkeleton(s as KubernetesObject));
  expect(kept[0]).toEqual({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc', namespace: 'shop', uid: undefined, resourceVersion: undefined, labels: { [SERVICE_NAME_LABEL]: 'web' } },
    endpoints: [{ conditions: { ready: true } }],
  });
  expect(kept[1]).toMatchObject({ endpoints: [] });
  const statuses = [statusSkeleton(status('web', 'node1') as KubernetesObject)];
  expect(statuses[0]?.metadata?.labels).toEqual({ 'headland.io/service-namespace': 'shop', 'headland.io/service-name': 'web' });
  expect('status' in (statuses[0] ?? {})).toBe(false);
  const speaker = statusSkeleton({ apiVersion: 'headland.io/v1beta1', kind: 'SpeakerStatus', metadata: { name: 'node1', namespace: 'headland-system' }, status: { node: 'node1', announcedServices: ['shop/api'], sessions: [{ peer: 'tor' }] } } as KubernetesObject);
  expect(speaker).toMatchObject({ kind: 'SpeakerStatus', announced: ['shop/api'] });
  expect('status' in speaker).toBe(false);
  const services = [svc('web'), svc('api')];
  expect(unannouncedServices({ services, slices: kept, statuses: [], lbClass: undefined })).toBe(unannouncedServices({ services, slices: full, statuses: [], lbClass: undefined }));
  expect(unannouncedServices({ services, slices: kept, statuses, lbClass: undefined })).toBe(0);
});
