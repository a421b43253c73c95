import { endpointSliceFromKubernetes, nodeFromKubernetes, serviceFromKubernetes, SERVICE_NAME_LABEL } from './convert.js';

const service = (over: Record<string, unknown> = {}, spec: Record<string, unknown> = {}, status: unknown = { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } }) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace: 'default', name: 'web' },
  spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }], ...spec },
  status,
  ...over,
});

const slice = (over: Record<string, unknown> = {}, endpoints: unknown = [{ addresses: ['198.18.1.2'], nodeName: 'n1', conditions: { ready: true } }]) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { namespace: 'default', name: 'web-abc', labels: { [SERVICE_NAME_LABEL]: 'web' } },
  addressType: 'IPv4',
  ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
  endpoints,
  ...over,
});

test('a LoadBalancer Service with an ingress IP', () => {
  expect(serviceFromKubernetes(service())).toEqual({
    namespace: 'default',
    name: 'web',
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
    loadBalancerIPs: ['203.0.113.10'],
  });
});

test.each<[string, Record<string, unknown>, unknown, Record<string, unknown>]>([
  ['defaults: TCP, Cluster, ClusterIP, unnamed port', { type: undefined, externalTrafficPolicy: undefined, ports: [{ port: 53 }] }, null, { type: 'ClusterIP', externalTrafficPolicy: 'Cluster', ports: [{ name: '', protocol: 'TCP', port: 53 }], loadBalancerIPs: [] }],
  ['no IP yet: empty status', {}, {}, { loadBalancerIPs: [] }],
  ['hostname-only ingress is skipped', {}, { loadBalancer: { ingress: [{ hostname: 'lb.example' }, { ip: '2001:db8::10' }] } }, { loadBalancerIPs: ['2001:db8::10'] }],
  ['model classes leave unset fields as undefined', { externalTrafficPolicy: undefined, ports: [{ name: undefined, protocol: undefined, port: 80 }] }, { loadBalancer: { ingress: undefined } }, { externalTrafficPolicy: 'Cluster', loadBalancerIPs: [] }],
  ['health check port and families as the API server fills them', { healthCheckNodePort: 31234, ipFamilies: ['IPv6', 'IPv4'], clusterIPs: ['fd00::10', '10.96.0.10'] }, null, { healthCheckNodePort: 31234, ipFamilies: ['IPv6', 'IPv4'] }],
  ['families from clusterIPs when ipFamilies is missing', { clusterIPs: ['10.96.0.10', 'fd00::10'] }, null, { ipFamilies: ['IPv4', 'IPv6'] }],
  ['families from the old clusterIP field', { clusterIP: 'fd00::10' }, null, { ipFamilies: ['IPv6'] }],
  ['healthCheckNodePort 0 is unset', { healthCheckNodePort: 0 }, null, {}],
])('Service: %s', (_name, spec, status, expected) => {
  expect(serviceFromKubernetes(service({}, spec, status))).toMatchObject(expected);
});

test.each<[string, unknown, string]>([
  ['not an object', 'web', 'kubeproxy/convert: Service ?/?: (object): must be an object'],
  ['no metadata', { spec: {} }, 'kubeproxy/convert: Service ?/?: metadata: must be an object'],
  ['bad name', service({ metadata: { namespace: 'default', name: 'Web_1' } }), 'Service default/Web_1: metadata.name: must be a lowercase RFC 1123 name, got "Web_1"'],
  ['no namespace', service({ metadata: { name: 'web' } }), 'Service ?/web: metadata.namespace: must be a lowercase RFC 1123 name'],
  ['no spec', service({ spec: undefined }), 'Service default/web: spec: must be an object'],
  ['ports not a list', service({}, { ports: { port: 80 } }), 'Service default/web: spec.ports: must be a list'],
  ['port zero', service({}, { ports: [{ port: 0 }] }), 'Service default/web: spec.ports[0].port: must be an integer 1-65535, got 0'],
  ['port as a string', service({}, { ports: [{ port: '80' }] }), 'spec.ports[0].port: must be an integer 1-65535, got "80"'],
  ['unknown protocol', service({}, { ports: [{ port: 80, protocol: 'ICMP' }] }), 'spec.ports[0].protocol: must be one of TCP, UDP, SCTP, got "ICMP"'],
  ['bad port name', service({}, { ports: [{ port: 80, name: 'HTTP!' }] }), 'spec.ports[0].name: must be an IANA-style port name'],
  ['unknown traffic policy', service({}, { externalTrafficPolicy: 'Global' }), 'spec.externalTrafficPolicy: must be one of Cluster, Local, got "Global"'],
  ['type not a string', service({}, { type: 5 }), 'spec.type: must be a string, got 5'],
  ['health check port out of range', service({}, { healthCheckNodePort: 70000 }), 'Service default/web: spec.healthCheckNodePort: must be an integer 1-65535, got 70000'],
  ['unknown IP family', service({}, { ipFamilies: ['IPv5'] }), 'Service default/web: spec.ipFamilies[0]: must be one of IPv4, IPv6, got "IPv5"'],
  ['cluster IP that is not one', service({}, { clusterIPs: ['10.96.0.300'] }), 'Service default/web: spec.clusterIPs[0]: must be an IP address, got "10.96.0.300"'],
  ['ingress IP that is not one', service({}, {}, { loadBalancer: { ingress: [{ ip: '203.0.113.300' }] } }), 'status.loadBalancer.ingress[0].ip: must be an IP address, got "203.0.113.300"'],
  ['ingress not a list', service({}, {}, { loadBalancer: { ingress: 'x' } }), 'status.loadBalancer.ingress: must be a list'],
  ['ingress entry not an object', service({}, {}, { loadBalancer: { ingress: ['203.0.113.10'] } }), 'status.loadBalancer.ingress[0]: must be an object'],
])('Service refused: %s', (_name, input, message) => {
  expect(() => serviceFromKubernetes(input)).toThrow(message);
});

test('an EndpointSlice with conditions', () => {
  expect(
    endpointSliceFromKubernetes(
      slice({}, [
        { addresses: ['198.18.1.2'], nodeName: 'n1', conditions: { ready: true, serving: true, terminating: false } },
        { addresses: ['198.18.2.2', '198.18.2.3'], conditions: {} },
      ]),
    ),
  ).toEqual({
    namespace: 'default',
    name: 'web-abc',
    serviceName: 'web',
    addressType: 'IPv4',
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    endpoints: [
      { address: '198.18.1.2', nodeName: 'n1', ready: true, serving: true, terminating: false },
      { address: '198.18.2.2' },
    ],
  });
});

test.each<[string, Record<string, unknown>, unknown, Record<string, unknown> | null]>([
  ['no service-name label: not ours', { metadata: { namespace: 'default', name: 'x', labels: {} } }, [], null],
  ['a port-less entry is skipped', { ports: [{ name: 'all' }, { port: 53, protocol: 'UDP' }] }, [], { ports: [{ name: '', protocol: 'UDP', port: 53 }] }],
  ['no endpoints field', {}, null, { endpoints: [] }],
  ['FQDN addresses are kept as text', { addressType: 'FQDN' }, [{ addresses: ['pod.example'] }], { endpoints: [{ address: 'pod.example' }] }],
  ['IPv6', { addressType: 'IPv6' }, [{ addresses: ['2001:db8:1::2'], conditions: { ready: false, terminating: true, serving: undefined } }], { endpoints: [{ address: '2001:db8:1::2', ready: false, terminating: true }] }],
])('EndpointSlice: %s', (_name, over, endpoints, expected) => {
  const got = endpointSliceFromKubernetes(slice(over, endpoints));
  if (expected === null) expect(got).toBeNull();
  else expect(got).toMatchObject(expected);
});

test.each<[string, unknown, string]>([
  ['not an object', null, 'kubeproxy/convert: EndpointSlice ?/?: (object): must be an object'],
  ['bad service-name label', slice({ metadata: { namespace: 'default', name: 'x', labels: { [SERVICE_NAME_LABEL]: 'Web' } } }), 'EndpointSlice default/x: metadata.labels["kubernetes.io/service-name"]: must be a lowercase RFC 1123 name'],
  ['no addressType', slice({ addressType: undefined }), 'EndpointSlice default/web-abc: addressType: is required'],
  ['unknown addressType', slice({ addressType: 'IPv5' }), 'addressType: must be one of IPv4, IPv6, FQDN, got "IPv5"'],
  ['port out of range', slice({ ports: [{ port: 65536 }] }), 'ports[0].port: must be an integer 1-65535, got 65536'],
  ['endpoint without addresses', slice({}, [{ addresses: [] }]), 'endpoints[0].addresses: must hold at least one address'],
  ['address that is not an IP', slice({}, [{ addresses: ['pod-1'] }]), 'endpoints[0].addresses[0]: must be an IP address, got "pod-1"'],
  ['IPv6 address in an IPv4 slice', slice({}, [{ addresses: ['2001:db8::2'] }]), 'endpoints[0].addresses[0]: 2001:db8::2 is not an IPv4 address'],
  ['condition not a boolean', slice({}, [{ addresses: ['198.18.1.2'], conditions: { ready: 'yes' } }]), 'endpoints[0].conditions.ready: must be true or false, got "yes"'],
  ['bad nodeName', slice({}, [{ addresses: ['198.18.1.2'], nodeName: 'N_1' }]), 'endpoints[0].nodeName: must be a lowercase RFC 1123 name'],
  ['endpoints not a list', slice({}, { addresses: [] }), 'EndpointSlice default/web-abc: endpoints: must be a list'],
])('EndpointSlice refused: %s', (_name, input, message) => {
  expect(() => endpointSliceFromKubernetes(input)).toThrow(message);
});

test.each<[string, Record<string, unknown>, string[] | undefined, number | undefined]>([
  ['headless: no families', { clusterIP: 'None', clusterIPs: ['None'] }, undefined, undefined],
  ['nothing said: no families, no port', {}, undefined, undefined],
])('Service: %s', (_name, spec, ipFamilies, healthCheckNodePort) => {
  const got = serviceFromKubernetes(service({}, spec));
  expect([got.ipFamilies, got.healthCheckNodePort]).toEqual([ipFamilies, healthCheckNodePort]);
  expect(Object.keys(got)).not.toContain('ipFamilies');
});

const nodeObject = (metadata: Record<string, unknown> = {}, spec: unknown = {}) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', ...metadata }, spec });

test.each<[string, unknown, Record<string, unknown>]>([
  ['a plain Node', nodeObject(), { name: 'n1', taintKeys: [] }],
  ['labels, taints and a deletion', nodeObject({ labels: { 'kubernetes.io/os': 'linux' }, deletionTimestamp: '2026-01-02T03:04:05Z' }, { taints: [{ key: 'ToBeDeletedByClusterAutoscaler', value: '1700000000', effect: 'NoSchedule' }] }), { name: 'n1', labels: { 'kubernetes.io/os': 'linux' }, deletionTimestamp: '2026-01-02T03:04:05Z', taintKeys: ['ToBeDeletedByClusterAutoscaler'] }],
  ['a model class deletionTimestamp is a Date', nodeObject({ deletionTimestamp: new Date(Date.UTC(2026, 0, 2)) }, undefined), { name: 'n1', deletionTimestamp: '2026-01-02T00:00:00.000Z', taintKeys: [] }],
])('Node: %s', (_name, input, expected) => {
  expect(nodeFromKubernetes(input)).toEqual(expected);
});

test.each<[string, unknown, string]>([
  ['not an object', 'n1', 'kubeproxy/convert: Node ?: (object): must be an object'],
  ['no name', { metadata: {} }, 'kubeproxy/convert: Node ?: metadata.name: must be a lowercase RFC 1123 name'],
  ['taint without a key', nodeObject({}, { taints: [{ effect: 'NoSchedule' }] }), 'kubeproxy/convert: Node n1: spec.taints[0].key: must be a non-empty string'],
  ['label that is not a string', nodeObject({ labels: { a: 1 } }), 'kubeproxy/convert: Node n1: metadata.labels["a"]: must be a string, got 1'],
  ['deletionTimestamp that is not a time', nodeObject({ deletionTimestamp: 5 }), 'kubeproxy/convert: Node n1: metadata.deletionTimestamp: must be a timestamp, got 5'],
])('Node refused: %s', (_name, input, message) => {
  expect(() => nodeFromKubernetes(input)).toThrow(message);
});
