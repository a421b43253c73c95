import { admit, internalContext } from './admission.js';
import { EndpointSliceController } from './endpointslice-controller.js';
import type { Json, JsonObject } from './json.js';
import { Registry } from './registry.js';
import { ApiServer } from './server.js';
import type { ResourceType } from './resources.js';
import { Store } from './store.js';

const NS = 'apps';

interface Rig {
  store: Store;
  logs: JsonObject[];
  /** Writes as the API would: admitted, in namespace `apps`. */
  create: (type: ResourceType, obj: JsonObject) => JsonObject;
  services: ResourceType;
  pods: ResourceType;
  slices: ResourceType;
}

function rig(): Rig {
  let uid = 0;
  const registry = new Registry();
  const store = new Store({ historySize: 1000, now: () => new Date('2025-03-01T10:00:00Z'), newUid: () => `uid-${++uid}`, nameSuffix: () => 'abcde' });
  const nsType = registry.builtIn('', 'v1', 'namespaces');
  store.create(nsType, '', { metadata: { name: NS } }, { admit: (o) => admit(nsType, o, internalContext()) });
  const logs: JsonObject[] = [];
  new EndpointSliceController(store, registry, (l) => logs.push(l)).syncAll();
  return {
    store,
    logs,
    create: (type, obj) => store.create(type, NS, obj, { admit: (o) => admit(type, o, internalContext()) }),
    services: registry.builtIn('', 'v1', 'services'),
    pods: registry.builtIn('', 'v1', 'pods'),
    slices: registry.builtIn('discovery.k8s.io', 'v1', 'endpointslices'),
  };
}

/** Every queued microtask (the controller's flushes) has run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const SERVICE: JsonObject = { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ipFamilies: ['IPv4'], ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };

/** A running pod as the kubelet stand-in leaves it: scheduled, an IP, Ready as given. */
function runPod(r: Rig, name: string, ip: string, ready = true): void {
  r.create(r.pods, { metadata: { name, labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'x' }] } });
  setReady(r, name, ip, ready);
}

function setReady(r: Rig, name: string, ip: string, ready: boolean): void {
  const status: JsonObject = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  r.store.update(r.pods, NS, name, { metadata: { name }, status }, 'status');
}

function slices(r: Rig): JsonObject[] {
  return r.store.list(r.slices, NS);
}

/** name -> [address, ready] of each endpoint. */
function view(r: Rig): Record<string, Json[]> {
  return Object.fromEntries(
    slices(r).map((s) => [String((s['metadata'] as JsonObject)['name']), (s['endpoints'] as JsonObject[]).map((e): Json => [(e['addresses'] as Json[])[0] ?? null, (e['conditions'] as JsonObject)['ready'] ?? null])]),
  );
}

const HAND_WRITTEN: JsonObject = {
  metadata: { name: 'web-by-hand', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['192.0.2.9'], conditions: { ready: true } }],
  ports: [{ name: 'http', port: 9999, protocol: 'TCP' }],
};

test.each<[string, (r: Rig) => void, Record<string, Json[]>]>([
  ['pod added: its endpoint appears', (r) => runPod(r, 'c', '10.0.0.3', false), { 'web-managed-ipv4': [['10.0.0.1', true], ['10.0.0.2', true], ['10.0.0.3', false]] }],
  ['pod Ready flips: the endpoint follows', (r) => setReady(r, 'a', '10.0.0.1', false), { 'web-managed-ipv4': [['10.0.0.1', false], ['10.0.0.2', true]] }],
  ['pod deleted: its endpoint goes', (r) => r.store.delete(r.pods, NS, 'a'), { 'web-managed-ipv4': [['10.0.0.2', true]] }],
  ['last pod deleted: the slice goes', (r) => { r.store.delete(r.pods, NS, 'a'); r.store.delete(r.pods, NS, 'b'); }, {}],
  ['pod relabelled out of the selector', (r) => r.store.update(r.pods, NS, 'b', { ...r.store.get(r.pods, NS, 'b'), metadata: { ...(r.store.get(r.pods, NS, 'b')['metadata'] as JsonObject), labels: { app: 'other' } } }, undefined), { 'web-managed-ipv4': [['10.0.0.1', true]] }],
  ['managed slice deleted by hand comes back', (r) => r.store.delete(r.slices, NS, 'web-managed-ipv4'), { 'web-managed-ipv4': [['10.0.0.1', true], ['10.0.0.2', true]] }],
  ['managed slice edited by hand is repaired', (r) => r.store.update(r.slices, NS, 'web-managed-ipv4', { ...r.store.get(r.slices, NS, 'web-managed-ipv4'), endpoints: [] }, undefined), { 'web-managed-ipv4': [['10.0.0.1', true], ['10.0.0.2', true]] }],
  ['service deleted: managed slices go', (r) => r.store.delete(r.services, NS, 'web'), {}],
  ['selector removed: managed slices go', (r) => r.store.update(r.services, NS, 'web', { ...r.store.get(r.services, NS, 'web'), spec: { ...(SERVICE['spec'] as JsonObject), selector: null } }, undefined), {}],
])('%s', async (_name, change, expected) => {
  const r = rig();
  r.create(r.services, SERVICE);
  runPod(r, 'a', '10.0.0.1');
  runPod(r, 'b', '10.0.0.2');
  await settle();
  expect(view(r)).toEqual({ 'web-managed-ipv4': [['10.0.0.1', true], ['10.0.0.2', true]] });
  change(r);
  await settle();
  expect(view(r)).toEqual(expected);
  expect(r.logs).toEqual([]);
});

test('a hand-written slice for the same Service is never touched', async () => {
  const r = rig();
  const hand = r.create(r.slices, HAND_WRITTEN);
  r.create(r.services, SERVICE);
  runPod(r, 'a', '10.0.0.1');
  await settle();
  expect(Object.keys(view(r))).toEqual(['web-by-hand', 'web-managed-ipv4']);
  r.store.delete(r.services, NS, 'web');
  await settle();
  expect(slices(r)).toEqual([hand]);
});

test('a settled controller stops writing', async () => {
  const r = rig();
  r.create(r.services, SERVICE);
  runPod(r, 'a', '10.0.0.1');
  await settle();
  const rv = r.store.resourceVersion;
  r.store.update(r.services, NS, 'web', { ...r.store.get(r.services, NS, 'web'), metadata: { name: 'web', annotations: { note: 'x' } } }, undefined);
  await settle();
  expect(r.store.resourceVersion).toBe(rv + 1);
  const [slice] = slices(r);
  expect((slice?.['metadata'] as JsonObject)['ownerReferences']).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: expect.any(String), controller: true, blockOwnerDeletion: true }]);
});

test('syncAll: slices for Services and Pods stored before the controller, and orphans removed', () => {
  const registry = new Registry();
  const store = new Store({ historySize: 1000, now: () => new Date(), newUid: () => Math.random().toString(36), nameSuffix: () => 'abcde' });
  const write = (plural: string, group: string, ns: string, obj: JsonObject): JsonObject => {
    const type = registry.builtIn(group, 'v1', plural);
    return store.create(type, ns, obj, { admit: (o) => admit(type, o, internalContext()) });
  };
  write('namespaces', '', '', { metadata: { name: NS } });
  write('services', '', NS, SERVICE);
  write('pods', '', NS, { metadata: { name: 'a', labels: { app: 'web' } }, spec: { nodeName: 'n', containers: [] } });
  store.update(registry.builtIn('', 'v1', 'pods'), NS, 'a', { status: { podIP: '10.0.0.1' } }, 'status');
  write('endpointslices', 'discovery.k8s.io', NS, { ...HAND_WRITTEN, metadata: { name: 'gone-managed-ipv4', labels: { 'kubernetes.io/service-name': 'gone', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } } });
  new EndpointSliceController(store, registry).syncAll();
  const names = store.list(registry.builtIn('discovery.k8s.io', 'v1', 'endpointslices'), NS).map((s) => (s['metadata'] as JsonObject)['name']);
  expect(names).toEqual(['web-managed-ipv4']);
});

test.each([
  [undefined, []],
  [true, ['web-managed-ipv4']],
])('ApiServer endpointSliceController: %s', async (on, expected) => {
  const server = new ApiServer(on === undefined ? {} : { endpointSliceController: on });
  const { store, registry } = server;
  const write = (type: ResourceType, ns: string, obj: JsonObject): JsonObject => store.create(type, ns, obj, { admit: (o) => admit(type, o, internalContext()) });
  const pods = registry.builtIn('', 'v1', 'pods');
  write(registry.builtIn('', 'v1', 'services'), 'default', SERVICE);
  write(pods, 'default', { metadata: { name: 'a', labels: { app: 'web' } }, spec: { nodeName: 'n', containers: [] } });
  store.update(pods, 'default', 'a', { status: { podIP: '10.0.0.1' } }, 'status');
  await settle();
  expect(store.list(registry.builtIn('discovery.k8s.io', 'v1', 'endpointslices'), 'default').map((s) => (s['metadata'] as JsonObject)['name'])).toEqual(expected);
});
