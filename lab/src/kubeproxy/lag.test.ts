import { laggingNodes } from './lag.js';
import { buildRuleset } from './rules.js';
import { endpointSliceFromKubernetes, serviceFromKubernetes } from './convert.js';

const service = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' },
  spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
  status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }] } },
};
const slice = (nodeName: string) => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-v4', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4', ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
  endpoints: [{ addresses: ['198.18.101.2'], nodeName, conditions: { ready: true, serving: true, terminating: false } }],
});
const nodes = { node1: ['198.18.0.11'], node2: ['198.18.0.12'] };
/** What node's stand-in applies for these objects. */
const applied = (objects: readonly Record<string, unknown>[], node: string): string =>
  buildRuleset(
    objects.filter((o) => o['kind'] === 'Service').map(serviceFromKubernetes),
    objects.filter((o) => o['kind'] === 'EndpointSlice').flatMap((o) => endpointSliceFromKubernetes(o) ?? []),
    { name: node, ips: nodes[node as keyof typeof nodes] },
  ).text;

const now = [service, slice('node1')];
const before = [service];

test.each<[string, readonly Record<string, unknown>[], Record<string, string | undefined>, string[]]>([
  ['both nodes applied the current objects', now, { node1: applied(now, 'node1'), node2: applied(now, 'node2') }, []],
  ['node2 still has the ruleset from before the slice', now, { node1: applied(now, 'node1'), node2: applied(before, 'node2') }, ['node2']],
  ['no state file yet', now, { node1: undefined, node2: applied(now, 'node2') }, ['node1']],
  ['an object the stand-in cannot read is skipped by both', [...now, { kind: 'Service', metadata: {} }], { node1: applied(now, 'node1'), node2: applied(now, 'node2') }, []],
  ['other kinds are ignored', [...now, { kind: 'ConfigMap', metadata: { name: 'x' } }], { node1: applied(now, 'node1'), node2: applied(now, 'node2') }, []],
])('%s', (_what, objects, state, want) => {
  expect(laggingNodes(objects, nodes, (n) => state[n])).toEqual(want);
});
