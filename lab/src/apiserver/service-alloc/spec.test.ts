import type { JsonObject } from '../json.js';
import { readService, writeService } from './spec.js';

const stored: JsonObject = {
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    type: 'NodePort',
    clusterIP: '198.19.129.1',
    clusterIPs: ['198.19.129.1'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }, 'not a port'],
    externalTrafficPolicy: 'Cluster',
    sessionAffinity: 'None',
  },
};

test('reading fills Go zero values and the default protocol', () => {
  expect(readService(stored)).toEqual({
    name: 'web',
    namespace: 'default',
    spec: {
      type: 'NodePort', clusterIP: '198.19.129.1', clusterIPs: ['198.19.129.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', selectorSize: 1,
      ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 }, { name: '', protocol: 'TCP', port: 0, nodePort: 0 }],
      externalTrafficPolicy: 'Cluster', healthCheckNodePort: 0, allocateLoadBalancerNodePorts: undefined, loadBalancerClass: undefined, internalTrafficPolicy: undefined,
    },
  });
});

test('writing zero values removes the fields, as omitempty does, and leaves the rest alone', () => {
  const view = readService(stored);
  Object.assign(view.spec, { type: 'ExternalName', clusterIP: '', clusterIPs: [], ipFamilies: undefined, ipFamilyPolicy: undefined, externalTrafficPolicy: '' });
  for (const p of view.spec.ports) p.nodePort = 0;
  expect(writeService(stored, view)).toEqual({
    metadata: stored['metadata'],
    spec: { type: 'ExternalName', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, 'not a port'], sessionAffinity: 'None' },
  });
  expect((stored['spec'] as JsonObject)['clusterIP']).toBe('198.19.129.1');
});
