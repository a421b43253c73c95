import type { Endpoint, EndpointSlice, NodeInfo, Service, ServicePort } from './model.js';
import { conditionsOf, planRules, type PlannedRule } from './plan.js';

const node: NodeInfo = { name: 'n1', ips: ['198.18.0.11'] };

const http: ServicePort = { name: 'http', protocol: 'TCP', port: 80 };

function svc(over: Partial<Service> = {}): Service {
  return { namespace: 'default', name: 'web', type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', ports: [http], loadBalancerIPs: ['203.0.113.10'], ...over };
}

function slice(name: string, endpoints: Endpoint[], over: Partial<EndpointSlice> = {}): EndpointSlice {
  return { namespace: 'default', name, serviceName: 'web', addressType: 'IPv4', ports: [{ name: 'http', protocol: 'TCP', port: 8080 }], endpoints, ...over };
}

const ep = (address: string, nodeName: string, conditions: Partial<Endpoint> = {}): Endpoint => ({ address, nodeName, ...conditions });

/** A rule written as one line, so tables read like the intended behaviour. */
function brief(rules: PlannedRule[]): string[] {
  return rules.map(({ frontend: f, verdict: v }) => {
    const head = `${f.address} ${f.protocol}/${f.port}`;
    if (v.kind !== 'dnat') return `${head} ${v.kind}`;
    return `${head} -> ${v.backends.map((b) => (f.family === 4 ? `${b.address}:${b.port}` : `[${b.address}]:${b.port}`)).join(' ')}${v.snat ? ' snat' : ''}${v.terminatingFallback ? ' (terminating)' : ''}`;
  });
}

const twoNodes = [slice('web-a', [ep('198.18.1.2', 'n1'), ep('198.18.2.2', 'n2'), ep('198.18.1.3', 'n1')])];

test.each<[string, Service[], EndpointSlice[], string[]]>([
  ['Cluster: every ready endpoint, SNAT', [svc()], twoNodes, ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 198.18.1.3:8080 198.18.2.2:8080 snat']],
  ['Local: only this node\'s endpoints, no SNAT', [svc({ externalTrafficPolicy: 'Local' })], twoNodes, ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 198.18.1.3:8080']],
  ['Local with endpoints only elsewhere: drop', [svc({ externalTrafficPolicy: 'Local' })], [slice('w', [ep('198.18.2.2', 'n2')])], ['203.0.113.10 TCP/80 drop']],
  ['Local with no endpoints at all: reject', [svc({ externalTrafficPolicy: 'Local' })], [], ['203.0.113.10 TCP/80 reject']],
  ['Cluster with no endpoints: reject', [svc()], [slice('w', [])], ['203.0.113.10 TCP/80 reject']],
  ['service without an IP yet: nothing', [svc({ loadBalancerIPs: [] })], twoNodes, []],
  ['not a LoadBalancer: nothing', [svc({ type: 'ClusterIP' })], twoNodes, []],
  [
    'dual-stack: each family gets its own endpoints',
    [svc({ loadBalancerIPs: ['203.0.113.10', '2001:db8::10'] })],
    [slice('v4', [ep('198.18.1.2', 'n1')]), slice('v6', [ep('2001:db8:1::2', 'n1')], { addressType: 'IPv6' })],
    ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 snat', '2001:db8::10 TCP/80 -> [2001:db8:1::2]:8080 snat'],
  ],
  [
    'dual-stack IPs, IPv4 endpoints only: IPv6 rejects',
    [svc({ loadBalancerIPs: ['203.0.113.10', '2001:db8::10'] })],
    [slice('v4', [ep('198.18.1.2', 'n1')])],
    ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 snat', '2001:db8::10 TCP/80 reject'],
  ],
  [
    'multi-port: each service port maps to its named target port',
    [svc({ ports: [http, { name: 'dns', protocol: 'UDP', port: 53 }, { name: 'https', protocol: 'TCP', port: 443 }] })],
    [slice('w', [ep('198.18.1.2', 'n1')], { ports: [{ name: 'https', protocol: 'TCP', port: 8443 }, { name: 'http', protocol: 'TCP', port: 8080 }, { name: 'dns', protocol: 'UDP', port: 5353 }] })],
    ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 snat', '203.0.113.10 UDP/53 -> 198.18.1.2:5353 snat', '203.0.113.10 TCP/443 -> 198.18.1.2:8443 snat'],
  ],
  ['a slice port of the wrong protocol does not count', [svc()], [slice('w', [ep('198.18.1.2', 'n1')], { ports: [{ name: 'http', protocol: 'UDP', port: 8080 }] })], ['203.0.113.10 TCP/80 reject']],
  ['a slice port of another name does not count', [svc()], [slice('w', [ep('198.18.1.2', 'n1')], { ports: [{ name: 'metrics', protocol: 'TCP', port: 9090 }] })], ['203.0.113.10 TCP/80 reject']],
  [
    'terminating endpoints are left out while ready ones exist',
    [svc()],
    [slice('w', [ep('198.18.1.2', 'n1'), ep('198.18.1.3', 'n1', { ready: false, serving: true, terminating: true })])],
    ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 snat'],
  ],
  [
    'with none ready, serving+terminating ones are used',
    [svc()],
    [slice('w', [ep('198.18.1.2', 'n1', { ready: false, serving: false, terminating: true }), ep('198.18.1.3', 'n1', { ready: false, serving: true, terminating: true })])],
    ['203.0.113.10 TCP/80 -> 198.18.1.3:8080 snat (terminating)'],
  ],
  ['not ready and not terminating: never used', [svc()], [slice('w', [ep('198.18.1.2', 'n1', { ready: false })])], ['203.0.113.10 TCP/80 reject']],
  ['ready unset counts as ready', [svc()], [slice('w', [{ address: '198.18.1.2' }])], ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 snat']],
  [
    'Local falls back to its own terminating endpoints even when other nodes have ready ones',
    [svc({ externalTrafficPolicy: 'Local' })],
    [slice('w', [ep('198.18.1.2', 'n1', { ready: false, serving: true, terminating: true }), ep('198.18.2.2', 'n2')])],
    ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 (terminating)'],
  ],
  [
    'slices of another service or namespace are ignored',
    [svc()],
    [slice('other', [ep('198.18.9.9', 'n1')], { serviceName: 'db' }), slice('elsewhere', [ep('198.18.9.8', 'n1')], { namespace: 'prod' }), slice('w', [ep('198.18.1.2', 'n1')])],
    ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 snat'],
  ],
  [
    'an endpoint in two slices appears once, ready winning',
    [svc()],
    [slice('a', [ep('198.18.1.2', 'n1', { ready: false })]), slice('b', [ep('198.18.1.2', 'n1')]), slice('c', [ep('198.18.1.2', 'n1', { ready: false })])],
    ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 snat'],
  ],
  ['FQDN slices are ignored', [svc()], [slice('f', [{ address: 'pod.example' }], { addressType: 'FQDN' })], ['203.0.113.10 TCP/80 reject']],
  [
    'two services on one IP and port: the first by name keeps it',
    [svc({ name: 'web2' }), svc()],
    [slice('w', [ep('198.18.1.2', 'n1')]), slice('w2', [ep('198.18.1.7', 'n1')], { serviceName: 'web2' })],
    ['203.0.113.10 TCP/80 -> 198.18.1.2:8080 snat'],
  ],
  [
    'two services sharing an IP on different ports both work',
    [svc({ name: 'dns', ports: [{ name: '', protocol: 'UDP', port: 53 }] }), svc()],
    [slice('w', [ep('198.18.1.2', 'n1')]), slice('d', [ep('198.18.1.7', 'n1')], { serviceName: 'dns', ports: [{ name: '', protocol: 'UDP', port: 5353 }] })],
    ['203.0.113.10 UDP/53 -> 198.18.1.7:5353 snat', '203.0.113.10 TCP/80 -> 198.18.1.2:8080 snat'],
  ],
])('%s', (_name, services, slices, expected) => {
  expect(brief(planRules(services, slices, node))).toEqual(expected);
});

test('the plan does not depend on input order', () => {
  const services = [svc(), svc({ name: 'api', loadBalancerIPs: ['203.0.113.11'] })];
  const slices = [slice('a', [ep('198.18.2.2', 'n2'), ep('198.18.1.2', 'n1')]), slice('b', [ep('198.18.1.9', 'n1')], { serviceName: 'api' })];
  expect(planRules([...services].reverse(), [...slices].reverse(), node)).toEqual(planRules(services, slices, node));
});

test.each<[Partial<Endpoint>, { ready: boolean; serving: boolean; terminating: boolean }]>([
  [{}, { ready: true, serving: true, terminating: false }],
  [{ ready: false }, { ready: false, serving: false, terminating: false }],
  [{ ready: false, serving: true }, { ready: false, serving: true, terminating: false }],
  [{ ready: true, terminating: true }, { ready: true, serving: true, terminating: true }],
])('conditions %j read as %j', (conditions, expected) => {
  expect(conditionsOf({ address: '198.18.1.2', ...conditions })).toEqual(expected);
});
