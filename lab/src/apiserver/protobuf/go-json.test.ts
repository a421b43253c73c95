import type { JsonObject } from '../json.js';
import { decodeK8sProtobuf, encodeK8sProtobuf } from './envelope.js';

// JSON not in Go's own form comes back the way Go's encoding/json would write the same struct:
// [what, input, what the JSON API carries after a protobuf trip].
const ns = (extra: JsonObject): JsonObject => ({ kind: 'Namespace', apiVersion: 'v1', ...extra });
const svc = (spec: JsonObject): JsonObject => ({ kind: 'Service', apiVersion: 'v1', metadata: { name: 'web' }, spec });
const svcOut = (spec: JsonObject): JsonObject => ({ kind: 'Service', apiVersion: 'v1', metadata: { name: 'web', creationTimestamp: null }, spec, status: { loadBalancer: {} } });
const lease = (spec: JsonObject): JsonObject => ({ kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { name: 'l', creationTimestamp: null }, spec });

const CASES: [string, JsonObject, JsonObject][] = [
  ['struct values appear even when absent; a zero Time is null', ns({ metadata: { name: 'x' } }), ns({ metadata: { name: 'x', creationTimestamp: null }, spec: {}, status: {} })],
  ['omitempty scalars at their zero value disappear', ns({ metadata: { name: 'x', namespace: '', generation: 0, labels: {}, finalizers: [] } }), ns({ metadata: { name: 'x', creationTimestamp: null }, spec: {}, status: {} })],
  ['null means absent', ns({ metadata: { name: 'x', labels: null, deletionTimestamp: null }, spec: null }), ns({ metadata: { name: 'x', creationTimestamp: null }, spec: {}, status: {} })],
  ['a field without omitempty keeps its zero; a struct IntOrString is 0', svc({ ports: [{ name: 'a' }] }), svcOut({ ports: [{ name: 'a', port: 0, targetPort: 0 }] })],
  ['pointers keep their zero values', svc({ allocateLoadBalancerNodePorts: false, loadBalancerClass: '', ipFamilyPolicy: 'SingleStack' }), svcOut({ ipFamilyPolicy: 'SingleStack', allocateLoadBalancerNodePorts: false, loadBalancerClass: '' })],
  ['targetPort keeps number or string', svc({ ports: [{ port: 1, targetPort: 'http' }, { port: 2, targetPort: -1 }] }), svcOut({ ports: [{ port: 1, targetPort: 'http' }, { port: 2, targetPort: -1 }] })],
  ['a Time drops its fraction and offset', ns({ metadata: { name: 'x', creationTimestamp: '2025-01-01T02:00:00.75+02:00' } }), ns({ metadata: { name: 'x', creationTimestamp: '2025-01-01T00:00:00Z' }, spec: {}, status: {} })],
  ['a MicroTime keeps six digits', lease({ renewTime: '2025-01-01T00:00:00.5Z', acquireTime: '2025-01-01T00:00:00.1234567891Z' }), lease({ acquireTime: '2025-01-01T00:00:00.123456Z', renewTime: '2025-01-01T00:00:00.500000Z' })],
  ['a quantity given as a number becomes its string', { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { limits: { cpu: 2 } } }] } }, { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', creationTimestamp: null }, spec: { containers: [{ name: 'c', resources: { limits: { cpu: '2' } } }] }, status: {} }],
  ['a null []byte in a map reads back as empty, as Go gives it', { kind: 'Secret', apiVersion: 'v1', metadata: { name: 's' }, data: { k: null } }, { kind: 'Secret', apiVersion: 'v1', metadata: { name: 's', creationTimestamp: null }, data: { k: '' } }],
  ['lists without omitempty are null when empty', { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', metadata: { name: 'e' }, addressType: 'IPv4', endpoints: [] }, { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', metadata: { name: 'e', creationTimestamp: null }, addressType: 'IPv4', endpoints: null, ports: null }],
  ['inline structs put their fields in the parent', { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { key: 'k' } } }] }], volumes: [{ name: 'v', configMap: {} }] } }, { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', creationTimestamp: null }, spec: { volumes: [{ name: 'v', configMap: {} }], containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { key: 'k' } } }], resources: {} }] }, status: {} }],
  ['list items may name their kind, which protobuf leaves out', { kind: 'ConfigMapList', apiVersion: 'v1', metadata: {}, items: [{ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' } }] }, { kind: 'ConfigMapList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'c', creationTimestamp: null } }] }],
];

test.each(CASES)('%s', (_what, input, want) => {
  expect(decodeK8sProtobuf(encodeK8sProtobuf(input)).object).toEqual(want);
});
