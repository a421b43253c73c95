import type { Json } from '../json.js';
import { getPath } from '../json.js';
import { decodeK8sProtobuf, encodeK8sProtobuf } from './envelope.js';
import { KUBECTL_CASES, readFixture } from './kubectl-cases.js';

// Bodies real kubectl (see testdata/kubectl/KUBECTL_VERSION) sent for typed creates, kept as hex.
const names = KUBECTL_CASES.map((c) => c.name);

test.each(names)('%s: decodes to exactly the JSON kubectl prints for the same command', (name) => {
  const { body, json } = readFixture(name);
  expect(decodeK8sProtobuf(body).object).toEqual(json);
});

test.each(names)('%s: encoding kubectl\'s JSON gives kubectl\'s bytes', (name) => {
  const { body, json } = readFixture(name);
  expect(Buffer.from(encodeK8sProtobuf(json)).toString('hex')).toBe(body.toString('hex'));
});

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

// What each command meant, field by field: [fixture, path, value].
const FIELDS: [string, string, Json | undefined][] = [
  ['namespace', 'apiVersion', 'v1'],
  ['namespace', 'kind', 'Namespace'],
  ['namespace', 'metadata.name', 'demo'],
  ['namespace', 'metadata.namespace', undefined],
  ['namespace', 'metadata.creationTimestamp', null],
  ['namespace', 'spec', {}],
  ['namespace', 'status', {}],
  ['secret-generic', 'kind', 'Secret'],
  ['secret-generic', 'metadata.name', 's'],
  ['secret-generic', 'metadata.namespace', 'default'],
  ['secret-generic', 'data', { k: b64('v') }],
  ['secret-generic', 'type', undefined],
  ['secret-generic', 'stringData', undefined],
  ['secret-docker-registry', 'type', 'kubernetes.io/dockerconfigjson'],
  ['secret-docker-registry', 'metadata.name', 'reg'],
  ['configmap', 'kind', 'ConfigMap'],
  ['configmap', 'metadata.name', 'c'],
  ['configmap', 'data', { a: 'b' }],
  ['configmap', 'binaryData', undefined],
  ['configmap-multi', 'data', { hello: 'héllo wörld', empty: '', emoji: '🙂' }],
  ['service-loadbalancer', 'kind', 'Service'],
  ['service-loadbalancer', 'metadata.name', 'web'],
  ['service-loadbalancer', 'metadata.labels', { app: 'web' }],
  ['service-loadbalancer', 'spec.type', 'LoadBalancer'],
  ['service-loadbalancer', 'spec.ports', [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]],
  ['service-loadbalancer', 'spec.selector', { app: 'web' }],
  ['service-loadbalancer', 'spec.clusterIP', undefined],
  ['service-loadbalancer', 'status', { loadBalancer: {} }],
  ['service-nodeport', 'spec.type', 'NodePort'],
  ['service-nodeport', 'spec.ports', [{ name: '5678-8080', protocol: 'TCP', port: 5678, targetPort: 8080, nodePort: 30080 }]],
  ['service-clusterip-headless', 'spec.clusterIP', 'None'],
  ['service-clusterip-headless', 'spec.type', 'ClusterIP'],
  ['service-clusterip-headless', 'spec.ports', [{ name: '53-5353', protocol: 'TCP', port: 53, targetPort: 5353 }]],
  ['deployment', 'apiVersion', 'apps/v1'],
  ['deployment', 'kind', 'Deployment'],
  ['deployment', 'metadata.name', 'd'],
  ['deployment', 'metadata.labels', { app: 'd' }],
  ['deployment', 'spec.replicas', 1],
  ['deployment', 'spec.selector', { matchLabels: { app: 'd' } }],
  ['deployment', 'spec.template.metadata', { creationTimestamp: null, labels: { app: 'd' } }],
  ['deployment', 'spec.template.spec.containers', [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }]],
  ['deployment', 'spec.strategy', {}],
  ['deployment', 'status', {}],
  ['deployment-replicas', 'metadata.namespace', 'kube-system'],
  ['deployment-replicas', 'spec.replicas', 3],
  ['deployment-replicas', 'spec.template.spec.containers', [{ name: 'echoserver', image: 'registry.k8s.io/echoserver:1.10', ports: [{ containerPort: 8080 }], resources: {} }]],
];

test.each(FIELDS)('%s: %s', (name, path, want) => {
  const { object } = decodeK8sProtobuf(readFixture(name).body);
  expect(getPath(object, path.split('.'))).toEqual(want);
});

test('the docker-registry secret carries the credentials kubectl was given', () => {
  const { object } = decodeK8sProtobuf(readFixture('secret-docker-registry').body);
  const data = getPath(object, ['data', '.dockerconfigjson']);
  expect(typeof data).toBe('string');
  const config = JSON.parse(Buffer.from(String(data), 'base64').toString('utf8')) as { auths: Record<string, { username: string; password: string; email: string; auth: string }> };
  expect(config.auths['registry.example']).toEqual({ username: 'u', password: 'p@ss', email: 'u@example.com', auth: b64('u:p@ss') });
});
