import { applyStrategicMergePatch, StrategicMergeError } from './strategic-merge.js';
import { BUILTIN_TYPES } from './resources.js';
import type { Json, JsonObject } from './json.js';

function meta(plural: string, group = '') {
  const t = BUILTIN_TYPES.find((x) => x.plural === plural && x.group === group);
  if (t?.patchMeta === undefined) throw new Error(`no patch meta for ${plural}`);
  return t.patchMeta;
}

const pod: JsonObject = {
  metadata: { name: 'p', finalizers: ['a'], ownerReferences: [{ uid: 'u1', name: 'rs1' }] },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] },
      { name: 'side', image: 'busybox' },
    ],
    tolerations: [{ key: 'x' }],
  },
  status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] },
};

const podCases: [string, Json, (r: JsonObject) => unknown, unknown][] = [
  ['containers merge by name', { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } }, (r) => (r['spec'] as JsonObject)['containers'], [
    { name: 'web', image: 'nginx:2', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] },
    { name: 'side', image: 'busybox' },
  ]],
  ['a new container is appended', { spec: { containers: [{ name: 'new', image: 'x' }] } }, (r) => ((r['spec'] as JsonObject)['containers'] as JsonObject[]).map((c) => c['name']), ['web', 'side', 'new']],
  ['$patch delete removes by key', { spec: { containers: [{ name: 'side', $patch: 'delete' }] } }, (r) => ((r['spec'] as JsonObject)['containers'] as JsonObject[]).map((c) => c['name']), ['web']],
  ['$patch replace on a list', { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'z' }] } }, (r) => (r['spec'] as JsonObject)['containers'], [{ name: 'only', image: 'z' }]],
  ['$patch replace on a map', { spec: { $patch: 'replace', containers: [{ name: 'c' }] } }, (r) => r['spec'], { containers: [{ name: 'c' }] }],
  ['$patch delete on a map', { status: { $patch: 'delete' } }, (r) => r['status'], undefined],
  ['nested list merges by key (env)', { spec: { containers: [{ name: 'web', env: [{ name: 'B', value: '2' }] }] } }, (r) => ((r['spec'] as JsonObject)['containers'] as JsonObject[])[0]?.['env'], [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]],
  ['container ports key defaults protocol', { spec: { containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }] }] } }, (r) => ((r['spec'] as JsonObject)['containers'] as JsonObject[])[0]?.['ports'], [{ containerPort: 80, protocol: 'TCP', name: 'http' }]],
  ['lists without a strategy are replaced', { spec: { tolerations: [{ key: 'y' }] } }, (r) => (r['spec'] as JsonObject)['tolerations'], [{ key: 'y' }]],
  ['conditions merge by type', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, (r) => (r['status'] as JsonObject)['conditions'], [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }]],
  ['finalizers merge as a set', { metadata: { finalizers: ['a', 'b'] } }, (r) => (r['metadata'] as JsonObject)['finalizers'], ['a', 'b']],
  ['$deleteFromPrimitiveList removes finalizers', { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, (r) => (r['metadata'] as JsonObject)['finalizers'], []],
  ['ownerReferences merge by uid', { metadata: { ownerReferences: [{ uid: 'u2', name: 'rs2' }] } }, (r) => (r['metadata'] as JsonObject)['ownerReferences'], [{ uid: 'u1', name: 'rs1' }, { uid: 'u2', name: 'rs2' }]],
  ['null deletes a key', { spec: { tolerations: null } }, (r) => (r['spec'] as JsonObject)['tolerations'], undefined],
  ['$setElementOrder is accepted and not stored', { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }] } }, (r) => Object.keys(r['spec'] as JsonObject), ['containers', 'tolerations']],
  ['$retainKeys drops unlisted keys', { spec: { $retainKeys: ['containers'], containers: [] } }, (r) => Object.keys(r['spec'] as JsonObject), ['containers']],
];

test.each(podCases)('pod: %s', (_name, patch, pick, expected) => {
  const before = JSON.stringify(pod);
  expect(pick(applyStrategicMergePatch(pod, patch, meta('pods')))).toEqual(expected);
  expect(JSON.stringify(pod)).toBe(before);
});

const svc: JsonObject = { spec: { ports: [{ port: 53, protocol: 'UDP', targetPort: 53 }, { port: 53, protocol: 'TCP', targetPort: 53 }] } };

test.each([
  ['port+protocol picks the TCP entry when protocol is omitted', { spec: { ports: [{ port: 53, targetPort: 5353 }] } }, [{ port: 53, protocol: 'UDP', targetPort: 53 }, { port: 53, protocol: 'TCP', targetPort: 5353 }]],
  ['port+protocol picks UDP when named', { spec: { ports: [{ port: 53, protocol: 'UDP', targetPort: 5353 }] } }, [{ port: 53, protocol: 'UDP', targetPort: 5353 }, { port: 53, protocol: 'TCP', targetPort: 53 }]],
  ['a new port is appended', { spec: { ports: [{ port: 80 }] } }, [{ port: 53, protocol: 'UDP', targetPort: 53 }, { port: 53, protocol: 'TCP', targetPort: 53 }, { port: 80 }]],
] as [string, Json, Json][])('service: %s', (_name, patch, expected) => {
  expect((applyStrategicMergePatch(svc, patch, meta('services'))['spec'] as JsonObject)['ports']).toEqual(expected);
});

test('EndpointSlice endpoints are replaced whole', () => {
  const slice = { endpoints: [{ addresses: ['198.18.1.1'] }, { addresses: ['198.18.1.2'] }] };
  const r = applyStrategicMergePatch(slice, { endpoints: [{ addresses: ['198.18.1.3'] }] }, meta('endpointslices', 'discovery.k8s.io'));
  expect(r['endpoints']).toEqual([{ addresses: ['198.18.1.3'] }]);
});

test.each([
  ['not an object', [1], 'must be a JSON object'],
  ['unknown directive', { spec: { $patch: 'frob' } }, 'unknown $patch directive "frob" at spec'],
  ['merge list element without its key', { spec: { containers: [{ image: 'x' }] } }, 'none of its merge keys (name)'],
  ['$deleteFromPrimitiveList not a list', { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, 'must be a list'],
] as [string, Json, string][])('bad patch: %s', (_name, patch, message) => {
  expect(() => applyStrategicMergePatch(pod, patch, meta('pods'))).toThrow(StrategicMergeError);
  expect(() => applyStrategicMergePatch(pod, patch, meta('pods'))).toThrow(message);
});
