import { endpointSliceFromKubernetes, serviceFromKubernetes, SERVICE_NAME_LABEL } from './convert.js';

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
