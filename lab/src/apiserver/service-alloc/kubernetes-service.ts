// default/kubernetes as kube-apiserver's controller writes it at start-up: the first address of
// the primary service CIDR, port 443 to the secure port, no selector (its endpoints are managed).

import type { JsonObject } from '../json.js';
import type { ServiceAllocator } from './allocator.js';

/** The Service to create through onCreate at start-up, before any user Service. */
export function kubernetesService(alloc: ServiceAllocator, securePort: number): JsonObject {
  return {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { provider: 'kubernetes', component: 'apiserver' } },
    spec: {
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: securePort }],
      clusterIP: alloc.kubernetesServiceIP(),
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
  };
}
