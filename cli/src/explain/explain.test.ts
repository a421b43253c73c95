import { parseAllDocuments } from 'yaml';
import { modelOf, type ClusterObjects, type Obj } from '../cluster/snapshot.js';
import { explainServiceReport, servicesWithIP } from './explain.js';

const docs = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJSON() as Obj);

const CONFIG = docs(`
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: demo, namespace: headland-system }
spec: { addresses: [203.0.113.0/28] }
status: { assignedIPv4: 15, availableIPv4: "1" }
---
apiVersion: headland.io/v1beta1
kind: BGPPeer
metadata: { name: tor, namespace: headland-system }
spec: { myASN: 64513, peerASN: 64512, peerAddress: 198.18.0.1 }
---
apiVersion: headland.io/v1beta1
kind: BGPAdvertisement
metadata: { name: demo, namespace: headland-system }
spec: { ipAddressPools: [demo] }
`);

const node = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
const service = (name: string, policy: 'Local' | 'Cluster', ip: string): Obj =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'demo', annotations: { 'headland.io/ip-allocated-from-pool': 'demo' } }, spec: { type: 'LoadBalancer', externalTrafficPolicy: policy, healthCheckNodePort: 31000 }, status: { loadBalancer: { ingress: [{ ip }] } } }) as Obj;
const slice = (svc: string, pods: [string, string, boolean?][]): Obj =>
  ({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${svc}-x`, namespace: 'demo', labels: { 'kubernetes.io/service-name': svc } }, addressType: 'IPv4',
    endpoints: pods.map(([pod, nodeName, ready], i) => ({ addresses: [`198.18.10${i}.2`], nodeName, targetRef: { kind: 'Pod', name: pod }, conditions: { ready: ready ?? true, serving: true, terminating: ready === false } })),
  }) as Obj;
const status = (nodeName: string, announced: string[], extra: Record<string, unknown> = {}): Obj =>
  ({ apiVersion: 'headland.io/v1beta1', kind: 'SpeakerStatus', metadata: { name: nodeName, namespace: 'headland-system' }, status: { node: nodeName, sessions: [{ peer: 'tor', address: '198.18.0.1', state: 'Established' }], announcedServices: announced, dataPlane: { checked: 1, notServingCount: 0, notServing: [] }, ...extra } }) as Obj;

function cluster(over: Partial<ClusterObjects> = {}): ClusterObjects {
  return {
    services: [service('web', 'Local', '203.0.113.1'), service('hello', 'Cluster', '203.0.113.2')],
    endpointSlices: [slice('web', [['web-1', 'node1'], ['web-2', 'node2'], ['web-3', 'node2'], ['web-4', 'node2']]), slice('hello', [['hello-1', 'node1'], ['hello-2', 'node3']])],
    nodes: [node('node1'), node('node2'), node('node3')],
    config: CONFIG,
    speakerStatuses: [status('node1', ['demo/hello', 'demo/web']), status('node2', ['demo/hello', 'demo/web']), status('node3', ['demo/hello'])],
    l2Statuses: [],
    gaps: [],
    ...over,
  };
}

test('the demo: web (Local) 1 pod on node1 25 %, 3 on node2 75 %, node3 does not announce (no local endpoint)', () => {
  const r = explainServiceReport(modelOf(cluster()), 'demo/web')!;
  expect(r.ips).toEqual([{ ip: '203.0.113.1', pool: 'demo', requested: undefined, sharedKey: undefined }]);
  expect(r.nodes.map((n) => [n.node, n.announces, n.reason, n.weight, Math.round(n.share * 100), n.peers.join(',')])).toEqual([
    ['node1', true, 'Announced', 1, 25, 'tor'],
    ['node2', true, 'Announced', 3, 75, 'tor'],
    ['node3', false, 'NoLocalEndpoint', undefined, 0, ''],
  ]);
  expect(r.pods.map((p) => [p.pod, Math.round(p.share * 1000) / 10])).toEqual([['web-1', 25], ['web-2', 25], ['web-3', 25], ['web-4', 25]]);
  expect(r.warnings.join('\n')).toMatch(/link-bandwidth/);
  expect(r.warnings.join('\n')).toMatch(/pool demo is 94 % used for IPv4 \(1 free\)/);
  expect(r.warnings.join('\n')).not.toMatch(/disagreement/);
});

test('Cluster: every node announces, every ready pod gets an equal share', () => {
  const r = explainServiceReport(modelOf(cluster()), 'demo/hello')!;
  expect(r.nodes.map((n) => [n.node, n.announces, Math.round(n.share * 1000) / 10])).toEqual([['node1', true, 33.3], ['node2', true, 33.3], ['node3', true, 33.3]]);
  expect(r.pods.map((p) => [p.pod, p.share])).toEqual([['hello-1', 0.5], ['hello-2', 0.5]]);
});

test('a node whose kube-proxy does not serve the Service: not announced, with kube-proxy\'s words; a speaker that says otherwise is a disagreement', () => {
  const statuses = [
    status('node1', ['demo/hello', 'demo/web'], { dataPlane: { checked: 1, notServingCount: 1, notServing: [{ service: 'demo/web', status: 'failing', reason: 'NoLocalEndpoints', detail: 'answered 503 (localEndpoints 0)' }] } }),
    status('node2', ['demo/hello', 'demo/web']),
    status('node3', ['demo/hello']),
  ];
  const r = explainServiceReport(modelOf(cluster({ speakerStatuses: statuses })), 'demo/web')!;
  const n1 = r.nodes.find((n) => n.node === 'node1')!;
  expect([n1.announces, n1.reason]).toEqual([false, 'DataPlaneNotServing']);
  expect(n1.detail).toMatch(/NoLocalEndpoints: answered 503/);
  expect(r.nodes.find((n) => n.node === 'node2')!.share).toBe(1);
  expect(r.warnings.join('\n')).toMatch(/disagreement: node node1's speaker announces the Service, but the policy says it should not \(DataPlaneNotServing\)/);
});

test('a session down and a missing SpeakerStatus are warnings; no endpoints at all too', () => {
  const statuses = [status('node1', ['demo/web'], { sessions: [{ peer: 'tor', address: '198.18.0.1', state: 'Active' }] }), status('node2', ['demo/web'])];
  const r = explainServiceReport(modelOf(cluster({ speakerStatuses: statuses })), 'demo/web')!;
  expect(r.warnings.join('\n')).toMatch(/node node1 announces to tor, but its session is not Established/);
  expect(r.warnings.join('\n')).toMatch(/node node3 has no SpeakerStatus/);
  const empty = explainServiceReport(modelOf(cluster({ endpointSlices: [] })), 'demo/web')!;
  expect(empty.nodes.every((n) => !n.announces && n.reason === 'NoEndpoints')).toBe(true);
  expect(empty.warnings.join('\n')).toMatch(/no ready endpoint/);
});

test('explain ip finds the Services holding it; an unknown Service is undefined', () => {
  const m = modelOf(cluster());
  expect(servicesWithIP(m, '203.0.113.2')).toEqual(['demo/hello']);
  expect(servicesWithIP(m, '203.0.113.9')).toEqual([]);
  expect(explainServiceReport(m, 'demo/nope')).toBeUndefined();
});

test('L2: the election the speakers run picks one owner; the others say who answers; a node without a ready local endpoint says why', () => {
  const l2Config = docs(`
apiVersion: headland.io/v1beta1
kind: IPAddressPool
metadata: { name: lan, namespace: headland-system }
spec: { addresses: [203.0.113.64/28] }
---
apiVersion: headland.io/v1beta1
kind: L2Advertisement
metadata: { name: lan, namespace: headland-system }
spec: { ipAddressPools: [lan] }
`);
  const svc = service('lan', 'Local', '203.0.113.65');
  const objects = cluster({
    config: l2Config,
    services: [svc],
    endpointSlices: [slice('lan', [['lan-1', 'node1'], ['lan-2', 'node2']])],
    l2Statuses: [{ kind: 'ServiceL2Status', metadata: { name: 'node2-lan' }, status: { node: 'node2', serviceNamespace: 'demo', serviceName: 'lan', addresses: [{ ip: '203.0.113.65' }] } } as Obj],
  });
  const r = explainServiceReport(modelOf(objects), 'demo/lan')!;
  expect(r.nodes.map((n) => [n.node, n.mode, n.announces, n.reason])).toEqual([
    ['node1', 'L2', false, 'L2OwnerIsAnotherNode'],
    ['node2', 'L2', true, 'L2Owner'],
    ['node3', 'L2', false, 'NoLocalEndpoint'],
  ]);
  expect(r.pods.map((p) => [p.pod, p.share])).toEqual([['lan-1', 0], ['lan-2', 1]]);
  expect(r.warnings.join('\n')).not.toMatch(/disagreement/);
});
