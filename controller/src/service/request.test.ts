import { parseIP } from '@headland/api';
import { isManaged, serviceRequest, wantedFamilies, type ServiceRequest } from './request.js';

const base = (spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, annotations, ...extra },
  spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' }, ...spec },
});

function ok(svc: unknown, namespaceLabels: Record<string, string> = {}): ServiceRequest {
  const r = serviceRequest(svc, namespaceLabels);
  if (!r.ok) throw new Error(r.error.message);
  return r.request;
}

function error(svc: unknown): string {
  const r = serviceRequest(svc, {});
  return r.ok ? 'accepted' : `${r.error.reason}: ${r.error.message}`;
}

describe('serviceRequest', () => {
  test('a plain Service', () => {
    expect(ok(base(), { env: 'prod' })).toEqual({
      key: 'shop/web',
      namespace: 'shop',
      labels: { app: 'web' },
      namespaceLabels: { env: 'prod' },
      families: [4],
      familyPolicy: 'SingleStack',
      requestedIPs: [],
      requestedPool: undefined,
      sharingKey: undefined,
      ports: [{ port: 80, protocol: 'TCP' }],
      trafficPolicy: 'Cluster',
      podSelector: { app: 'web' },
    });
  });

  test.each([
    // annotations, spec, expected requested IPs
    [{ 'headland.io/loadBalancerIPs': '203.0.113.5' }, {}, ['203.0.113.5']],
    [{ 'metallb.io/loadBalancerIPs': '203.0.113.5' }, {}, ['203.0.113.5']],
    [{ 'metallb.universe.tf/loadBalancerIPs': '203.0.113.5' }, {}, ['203.0.113.5']],
    [{}, { loadBalancerIP: '203.0.113.6' }, ['203.0.113.6']],
    [{}, { loadBalancerIP: '' }, []],
    [{ 'headland.io/loadBalancerIPs': '' }, {}, []],
    [{ 'headland.io/loadBalancerIPs': '203.0.113.5' }, { loadBalancerIP: '203.0.113.5' }, ['203.0.113.5']],
    // One per family, put in ipFamilies order whatever the written order.
    [{ 'headland.io/loadBalancerIPs': '2001:db8::5, 203.0.113.5' }, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }, ['203.0.113.5', '2001:db8::5']],
    [{ 'headland.io/loadBalancerIPs': '203.0.113.5,2001:db8::5' }, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6', 'IPv4'] }, ['2001:db8::5', '203.0.113.5']],
    [{ 'headland.io/loadBalancerIPs': '2001:db8::5' }, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] }, ['2001:db8::5']],
    // Headland's own spelling wins over an alias.
    [{ 'headland.io/loadBalancerIPs': '203.0.113.5', 'metallb.io/loadBalancerIPs': 'junk' }, {}, ['203.0.113.5']],
  ])('annotations %j spec %j ask for %j', (annotations, spec, expected) => {
    expect(ok(base(spec, annotations)).requestedIPs).toEqual(expected.map(parseIP));
  });

  test.each([
    [{ 'headland.io/address-pool': 'gold' }, 'requestedPool', 'gold'],
    [{ 'metallb.universe.tf/address-pool': ' gold ' }, 'requestedPool', 'gold'],
    [{ 'headland.io/address-pool': '' }, 'requestedPool', undefined],
    [{ 'headland.io/allow-shared-ip': 'k' }, 'sharingKey', 'k'],
    [{ 'metallb.io/allow-shared-ip': 'k' }, 'sharingKey', 'k'],
  ] as const)('annotations %j give %s %j', (annotations, field, expected) => {
    expect(ok(base({}, annotations))[field]).toBe(expected);
  });

  test.each([
    [{}, [4], 'SingleStack'],
    [{ ipFamilies: ['IPv6'] }, [6], 'SingleStack'],
    [{ ipFamilies: [] }, [4], 'SingleStack'],
    [{ ipFamilyPolicy: 'RequireDualStack' }, [4, 6], 'RequireDualStack'],
    [{ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6'] }, [6, 4], 'RequireDualStack'],
    [{ ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6', 'IPv4'] }, [6, 4], 'PreferDualStack'],
    [{ ipFamilyPolicy: null, ipFamilies: null }, [4], 'SingleStack'],
  ])('spec %j: families %j, %s', (spec, families, policy) => {
    const r = ok(base(spec));
    expect(r.families).toEqual(families);
    expect(r.familyPolicy).toBe(policy);
  });

  test.each([
    [{ familyPolicy: 'SingleStack', families: [6, 4] }, [6]],
    [{ familyPolicy: 'PreferDualStack', families: [6, 4] }, [6, 4]],
    [{ familyPolicy: 'RequireDualStack', families: [4, 6] }, [4, 6]],
  ] as const)('wantedFamilies(%j) is %j', (req, expected) => {
    expect(wantedFamilies(req)).toEqual(expected);
  });

  test.each([
    [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] }, 'ports', [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]],
    [{ ports: undefined }, 'ports', []],
    [{ externalTrafficPolicy: 'Local' }, 'trafficPolicy', 'Local'],
    [{ selector: undefined }, 'podSelector', undefined],
    [{ selector: null }, 'podSelector', undefined],
  ] as const)('spec %j gives %s %j', (spec, field, expected) => {
    expect(ok(base(spec))[field]).toEqual(expected);
  });

  // Each malformed input gets a reason and a message naming the field or the annotation as written.
  test.each([
    [null, /^InvalidRequest: service: expected a Service object, not null$/],
    ['svc', /^InvalidRequest: service: expected a Service object/],
    [{ metadata: { namespace: 'shop' }, spec: {} }, /service: metadata\.name must be a non-empty string, not nothing/],
    [{ metadata: { name: 'web' }, spec: {} }, /service web: metadata\.namespace must be/],
    [{ ...base(), spec: [] }, /service shop\/web: spec must be an object, not a list/],
    [base({}, {}, { labels: { app: 3 } }), /metadata\.labels\["app"\] must be a string, not number 3/],
    [base({}, {}, { annotations: 'x' }), /metadata\.annotations must be a map of strings/],
    [base({}, { 'headland.io/loadBalancerIPs': '203.0.113.300' }), /annotation headland\.io\/loadBalancerIPs: "203\.0\.113\.300" is not an IP address/],
    [base({}, { 'metallb.universe.tf/loadBalancerIPs': 'nope' }), /annotation metallb\.universe\.tf\/loadBalancerIPs: "nope" is not an IP address/],
    [base({}, { 'metallb.io/loadBalancerIPs': '203.0.113.5,' }), /annotation metallb\.io\/loadBalancerIPs: "" is not an IP address/],
    [base({}, { 'headland.io/loadBalancerIPs': '203.0.113.5,203.0.113.6' }), /annotation headland\.io\/loadBalancerIPs has two IPv4 addresses \(203\.0\.113\.5 and 203\.0\.113\.6\)/],
    [base({}, { 'headland.io/loadBalancerIPs': '2001:db8::1' }), /annotation headland\.io\/loadBalancerIPs asks for 2001:db8::1, an IPv6 address, but the service has only IPv4/],
    [base({ ipFamilies: ['IPv4', 'IPv6'] }, { 'headland.io/loadBalancerIPs': '203.0.113.5,2001:db8::1' }), /an IPv6 address, but the service has only IPv4/],
    [base({ loadBalancerIP: '2001:db8::1' }), /spec\.loadBalancerIP asks for 2001:db8::1, an IPv6 address/],
    [base({ loadBalancerIP: '203.0.113.7' }, { 'metallb.io/loadBalancerIPs': '203.0.113.5' }), /spec\.loadBalancerIP 203\.0\.113\.7 disagrees with annotation metallb\.io\/loadBalancerIPs \(203\.0\.113\.5\)/],
    [base({ loadBalancerIP: 'x' }), /spec\.loadBalancerIP "x" is not an IP address/],
    [base({ loadBalancerIP: 5 }), /spec\.loadBalancerIP number 5 is not an IP address/],
    [base({ ipFamilyPolicy: 'RequireDualStack' }, { 'headland.io/loadBalancerIPs': '203.0.113.5' }), /names only 203\.0\.113\.5, but ipFamilyPolicy RequireDualStack needs one address of each family/],
    [base({ ipFamilyPolicy: 'Both' }), /spec\.ipFamilyPolicy "Both" is not one of SingleStack, PreferDualStack, RequireDualStack/],
    [base({ ipFamilies: 'IPv4' }), /spec\.ipFamilies must be a list/],
    [base({ ipFamilies: ['IPv5'] }), /spec\.ipFamilies\[0\] "IPv5" is not IPv4 or IPv6/],
    [base({ ipFamilies: ['IPv4', 'IPv4'] }), /spec\.ipFamilies\[1\] lists IPv4 twice/],
    [base({ ports: {} }), /spec\.ports must be a list, not an object/],
    [base({ ports: [7] }), /spec\.ports\[0\] must be an object/],
    [base({ ports: [{ port: 0 }] }), /spec\.ports\[0\]\.port number 0 is not a port number/],
    [base({ ports: [{ port: 80, protocol: 'ICMP' }] }), /spec\.ports\[0\]\.protocol "ICMP" is not TCP, UDP or SCTP/],
    [base({ externalTrafficPolicy: 'Global' }), /spec\.externalTrafficPolicy "Global" is not Cluster or Local/],
    [base({ selector: ['a'] }), /spec\.selector must be a map of strings, not a list/],
  ])('%j is refused: %s', (svc, message) => {
    expect(error(svc)).toMatch(message);
  });
});

describe('isManaged', () => {
  test.each([
    [base(), undefined, true],
    [base({ type: 'ClusterIP' }), undefined, false],
    [base({ type: 'NodePort' }), 'x', false],
    [base({ loadBalancerClass: 'x' }), undefined, false],
    [base({ loadBalancerClass: 'x' }), 'x', true],
    [base({ loadBalancerClass: 'y' }), 'x', false],
    [base(), 'x', false],
    [base({ loadBalancerClass: '' }), undefined, true],
    [null, undefined, false],
    [{ spec: 'LoadBalancer' }, undefined, false],
  ])('%j with --lb-class %s: %s', (svc, lbClass, expected) => {
    expect(isManaged(svc, lbClass)).toBe(expected);
  });
});
