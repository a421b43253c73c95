import { ConfigError } from './errors.js';
import { collectionPath, objectPath, type ResourceRef } from './resource-ref.js';

test.each<[ResourceRef, string]>([
  [{ apiVersion: 'v1', plural: 'services', kind: 'Service' }, '/api/v1/services'],
  [{ apiVersion: 'v1', plural: 'services', kind: 'Service', namespace: 'default' }, '/api/v1/namespaces/default/services'],
  [{ apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', kind: 'EndpointSlice' }, '/apis/discovery.k8s.io/v1/endpointslices'],
  [{ apiVersion: 'headland.io/v1beta1', plural: 'ipaddresspools', kind: 'IPAddressPool', namespace: 'headland-system' }, '/apis/headland.io/v1beta1/namespaces/headland-system/ipaddresspools'],
  [{ apiVersion: 'coordination.k8s.io/v1', plural: 'leases', kind: 'Lease', labelSelector: 'a=b' }, '/apis/coordination.k8s.io/v1/leases'],
])('collectionPath(%j) = %s', (ref, path) => {
  expect(collectionPath(ref)).toBe(path);
});

test.each<[ResourceRef, string]>([
  [{ apiVersion: 'v2', plural: 'services', kind: 'Service' }, 'the core group only serves v1'],
  [{ apiVersion: 'apps/1', plural: 'deployments', kind: 'Deployment' }, 'apiVersion version "1" is not like v1'],
  [{ apiVersion: 'Apps/v1', plural: 'deployments', kind: 'Deployment' }, 'apiVersion group "Apps" is not a DNS subdomain'],
  [{ apiVersion: '/v1', plural: 'deployments', kind: 'Deployment' }, 'apiVersion group "" is not a DNS subdomain'],
  [{ apiVersion: 'v1', plural: 'Services', kind: 'Service' }, 'plural must be a lower-case resource name'],
  [{ apiVersion: 'v1', plural: 'services/status', kind: 'Service' }, 'plural must be a lower-case resource name'],
  [{ apiVersion: 'v1', plural: 'services', kind: 'service' }, 'kind "service" must be a CamelCase name'],
  [{ apiVersion: 'v1', plural: 'services', kind: 'Service', namespace: 'Default' }, 'namespace "Default" is not a DNS label'],
  [{ apiVersion: 'v1', plural: 'services', kind: 'Service', namespace: '' }, 'namespace "" is not a DNS label'],
])('collectionPath(%j) is refused: %s', (ref, message) => {
  expect(() => collectionPath(ref)).toThrow(ConfigError);
  expect(() => collectionPath(ref)).toThrow(/^resource-ref: .*/);
  expect(() => collectionPath(ref)).toThrow(message);
});

test.each([
  ['coordination.k8s.io/v1', 'leases', 'headland-system', 'headland-controller', '/apis/coordination.k8s.io/v1/namespaces/headland-system/leases/headland-controller'],
  ['v1', 'nodes', undefined, 'node-1', '/api/v1/nodes/node-1'],
  ['v1', 'events', 'default', 'svc.17a', '/api/v1/namespaces/default/events/svc.17a'],
])('objectPath(%s, %s, %s, %s) = %s', (apiVersion, plural, ns, name, path) => {
  expect(objectPath(apiVersion, plural, ns, name)).toBe(path);
});

test.each(['', 'a/b'])('objectPath refuses the name %j', (name) => {
  expect(() => objectPath('v1', 'services', 'default', name)).toThrow('resource-ref: object name');
});
