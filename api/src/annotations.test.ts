import { ALLOCATED_FROM_POOL_ANNOTATION, SERVICE_ANNOTATION, annotationKeys, readAnnotation } from './annotations.js';

test('each annotation has its MetalLB spellings as aliases', () => {
  expect(annotationKeys(SERVICE_ANNOTATION.AddressPool)).toEqual(['headland.io/address-pool', 'metallb.io/address-pool', 'metallb.universe.tf/address-pool']);
  expect(annotationKeys(SERVICE_ANNOTATION.LoadBalancerIPs)).toEqual(['headland.io/loadBalancerIPs', 'metallb.io/loadBalancerIPs', 'metallb.universe.tf/loadBalancerIPs']);
  expect(ALLOCATED_FROM_POOL_ANNOTATION).toBe('headland.io/ip-allocated-from-pool');
});

test.each([
  ['none', undefined, undefined],
  ['empty', {}, undefined],
  ['headland', { 'headland.io/allow-shared-ip': 'k' }, { key: 'headland.io/allow-shared-ip', value: 'k' }],
  ['metallb.io', { 'metallb.io/allow-shared-ip': 'm' }, { key: 'metallb.io/allow-shared-ip', value: 'm' }],
  ['universe', { 'metallb.universe.tf/allow-shared-ip': 'u' }, { key: 'metallb.universe.tf/allow-shared-ip', value: 'u' }],
  ['headland wins', { 'metallb.universe.tf/allow-shared-ip': 'u', 'headland.io/allow-shared-ip': 'k' }, { key: 'headland.io/allow-shared-ip', value: 'k' }],
  ['empty value is present', { 'headland.io/allow-shared-ip': '' }, { key: 'headland.io/allow-shared-ip', value: '' }],
] as const)('readAnnotation: %s', (_name, annotations, expected) => {
  expect(readAnnotation(annotations, SERVICE_ANNOTATION.AllowSharedIP)).toEqual(expected);
});
