import { ServiceAllocator } from './allocator.js';
import { MiniStore, outcomeText, service, specOf } from './fixtures.js';
import { kubernetesService } from './kubernetes-service.js';

test.each([
  [['198.19.128.0/20', '2001:db8:5e::/112'], '198.19.128.1', 'IPv4'],
  [['2001:db8:5e::/112', '198.19.128.0/20'], '2001:db8:5e::1', 'IPv6'],
])('on %j default/kubernetes takes %s, and nobody else can', (cidrs, ip, family) => {
  const store = new MiniStore(new ServiceAllocator({ serviceClusterIPRanges: cidrs }));
  const k = store.create(kubernetesService(store.alloc, 6443));
  expect(specOf(k)).toEqual({
    ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
    clusterIP: ip,
    clusterIPs: [ip],
    ipFamilies: [family],
    ipFamilyPolicy: 'SingleStack',
    sessionAffinity: 'None',
    type: 'ClusterIP',
  });
  expect(outcomeText(store.create(service('grabby', { clusterIP: ip })))).toBe(
    `Service "grabby" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated`,
  );
});
