import { desiredSlices } from './endpointslices.js';
import type { Json, JsonObject } from './json.js';

const NS = 'apps';

function service(spec: JsonObject = {}, metadata: JsonObject = {}): JsonObject {
  return {
    metadata: { name: 'web', namespace: NS, uid: 'svc-uid', ...metadata },
    spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }], ...spec },
  };
}

interface PodOpts {
  labels?: JsonObject;
  namespace?: string;
  nodeName?: string | null;
  ips?: string[];
  podIP?: string;
  ready?: boolean;
  phase?: string;
  deleting?: boolean;
  ports?: Json[];
}

function pod(name: string, o: PodOpts = {}): JsonObject {
  const status: JsonObject = { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] };
  if (o.ips !== undefined) status['podIPs'] = o.ips.map((ip) => ({ ip }));
  if (o.podIP !== undefined) status['podIP'] = o.podIP;
  const metadata: JsonObject = { name, namespace: o.namespace ?? NS, uid: `${name}-uid`, labels: o.labels ?? { app: 'web' } };
  if (o.deleting === true) metadata['deletionTimestamp'] = '2025-03-01T10:00:00Z';
  const spec: JsonObject = { containers: [{ name: 'c', ports: o.ports ?? [{ name: 'web', containerPort: 8080, protocol: 'TCP' }] }] };
  if (o.nodeName !== null) spec['nodeName'] = o.nodeName ?? 'node-1';
  return { metadata, spec, status };
}

/** What a test reads of the result: slice name, addressType, ports and endpoint addresses. */
function summary(slices: JsonObject[]): Json[] {
  return slices.map((s) => [(s['metadata'] as JsonObject)['name'] ?? null, s['addressType'] ?? null, s['ports'] ?? null, (s['endpoints'] as JsonObject[]).map((e) => (e['addresses'] as Json[])[0] ?? null)]);
}

const HTTP_8080 = [{ name: 'http', protocol: 'TCP', port: 8080 }];

test.each<[string, JsonObject, JsonObject[], Json[]]>([
  ['selector matches every key', service({ selector: { app: 'web', tier: 'front' } }), [pod('a', { ips: ['10.0.0.1'], labels: { app: 'web', tier: 'front', x: 'y' } }), pod('b', { ips: ['10.0.0.2'], labels: { app: 'web' } })], [['web-managed-ipv4', 'IPv4', HTTP_8080, ['10.0.0.1']]]],
  ['other namespace is not selected', service(), [pod('a', { ips: ['10.0.0.1'], namespace: 'other' })], []],
  ['numeric targetPort', service(), [pod('a', { ips: ['10.0.0.1'] })], [['web-managed-ipv4', 'IPv4', HTTP_8080, ['10.0.0.1']]]],
  ['named targetPort resolves per pod', service({ ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' }] }), [pod('a', { ips: ['10.0.0.1'] }), pod('b', { ips: ['10.0.0.2'], ports: [{ name: 'web', containerPort: 9090, protocol: 'TCP' }] })], [
    ['web-managed-ipv4', 'IPv4', HTTP_8080, ['10.0.0.1']],
    ['web-managed-ipv4-2', 'IPv4', [{ name: 'http', protocol: 'TCP', port: 9090 }], ['10.0.0.2']],
  ]],
  ['missing targetPort is the port, unnamed port named ""', service({ ports: [{ protocol: 'UDP', port: 53 }] }), [pod('a', { ips: ['10.0.0.1'] })], [['web-managed-ipv4', 'IPv4', [{ name: '', protocol: 'UDP', port: 53 }], ['10.0.0.1']]]],
  ['unresolvable named port leaves the pod out', service({ ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' }] }), [pod('a', { ips: ['10.0.0.1'], ports: [{ name: 'other', containerPort: 1, protocol: 'TCP' }] }), pod('b', { ips: ['10.0.0.2'] })], [['web-managed-ipv4', 'IPv4', HTTP_8080, ['10.0.0.2']]]],
  ['named port needs the same protocol', service({ ports: [{ name: 'dns', protocol: 'UDP', port: 53, targetPort: 'web' }] }), [pod('a', { ips: ['10.0.0.1'] })], []],
  ['dual-stack pod in a dual-stack Service', service({ ipFamilies: ['IPv4', 'IPv6'] }), [pod('a', { ips: ['10.0.0.1', '2001:db8::1'] }), pod('b', { podIP: '10.0.0.2' })], [
    ['web-managed-ipv4', 'IPv4', HTTP_8080, ['10.0.0.1', '10.0.0.2']],
    ['web-managed-ipv6', 'IPv6', HTTP_8080, ['2001:db8::1']],
  ]],
  ['single-stack Service takes only its family', service({ ipFamilies: ['IPv6'] }), [pod('a', { ips: ['10.0.0.1', '2001:db8::1'] })], [['web-managed-ipv6', 'IPv6', HTTP_8080, ['2001:db8::1']]]],
  ['without ipFamilies, the clusterIP family', service({ clusterIP: '198.19.128.10' }), [pod('a', { ips: ['10.0.0.1', '2001:db8::1'] })], [['web-managed-ipv4', 'IPv4', HTTP_8080, ['10.0.0.1']]]],
  ['phase Failed and Succeeded are left out', service(), [pod('a', { ips: ['10.0.0.1'], phase: 'Failed' }), pod('b', { ips: ['10.0.0.2'], phase: 'Succeeded' }), pod('c', { ips: ['10.0.0.3'], phase: 'Pending' })], [['web-managed-ipv4', 'IPv4', HTTP_8080, ['10.0.0.3']]]],
  ['no nodeName or no IP is left out', service(), [pod('a', { ips: ['10.0.0.1'], nodeName: null }), pod('b'), pod('c', { ips: ['10.0.0.3'] })], [['web-managed-ipv4', 'IPv4', HTTP_8080, ['10.0.0.3']]]],
  ['endpoints sorted by address', service(), [pod('c', { ips: ['10.0.0.3'] }), pod('a', { ips: ['10.0.0.1'] }), pod('b', { ips: ['10.0.0.2'] })], [['web-managed-ipv4', 'IPv4', HTTP_8080, ['10.0.0.1', '10.0.0.2', '10.0.0.3']]]],
  ['no selector', service({ selector: null }), [pod('a', { ips: ['10.0.0.1'] })], []],
  ['empty selector', service({ selector: {} }), [pod('a', { ips: ['10.0.0.1'] })], []],
  ['ExternalName', service({ type: 'ExternalName', externalName: 'example.com' }), [pod('a', { ips: ['10.0.0.1'] })], []],
  ['no pods: no slice (Kubernetes would keep an empty one)', service(), [], []],
])('%s', (_name, svc, pods, expected) => {
  expect(summary(desiredSlices(svc, pods))).toEqual(expected);
});

test.each<[string, PodOpts, boolean, JsonObject]>([
  ['ready pod', {}, false, { ready: true, serving: true, terminating: false }],
  ['not ready pod', { ready: false }, false, { ready: false, serving: false, terminating: false }],
  ['terminating ready pod', { deleting: true }, false, { ready: false, serving: true, terminating: true }],
  ['terminating not ready pod', { deleting: true, ready: false }, false, { ready: false, serving: false, terminating: true }],
  ['publishNotReadyAddresses', { ready: false }, true, { ready: true, serving: false, terminating: false }],
])('conditions: %s', (_name, opts, publishNotReady, conditions) => {
  const [slice] = desiredSlices(service({ publishNotReadyAddresses: publishNotReady }), [pod('a', { ips: ['10.0.0.1'], ...opts })]);
  expect((slice?.['endpoints'] as JsonObject[])[0]?.['conditions']).toEqual(conditions);
});

test('a whole slice: metadata, owner, endpoint', () => {
  const svc = service({ clusterIP: 'None', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, appProtocol: 'http' }] }, { labels: { team: 'a', 'kubernetes.io/service-name': 'spoof' } });
  expect(desiredSlices(svc, [pod('a', { ips: ['10.0.0.1'] })])).toEqual([
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'web-managed-ipv4',
        namespace: NS,
        labels: { team: 'a', 'service.kubernetes.io/headless': '', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: NS, name: 'a', uid: 'a-uid' } }],
      ports: [{ name: 'http', protocol: 'TCP', port: 8080, appProtocol: 'http' }],
    },
  ]);
});

test('names and contents do not depend on the order of the pods', () => {
  const svc = service({ ipFamilies: ['IPv4', 'IPv6'], ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' }] });
  const pods = [
    pod('a', { ips: ['10.0.0.1', '2001:db8::1'], ports: [{ name: 'web', containerPort: 9000, protocol: 'TCP' }] }),
    pod('b', { ips: ['10.0.0.2', '2001:db8::2'] }),
    pod('c', { ips: ['10.0.0.3'], ports: [{ name: 'web', containerPort: 7000, protocol: 'TCP' }] }),
  ];
  const forward = desiredSlices(svc, pods);
  expect(desiredSlices(svc, [...pods].reverse())).toEqual(forward);
  expect(desiredSlices(svc, [pods[1]!, pods[2]!, pods[0]!])).toEqual(forward);
  expect(summary(forward).map((s) => (s as Json[])[0])).toEqual(['web-managed-ipv4', 'web-managed-ipv4-2', 'web-managed-ipv4-3', 'web-managed-ipv6', 'web-managed-ipv6-2']);
});
