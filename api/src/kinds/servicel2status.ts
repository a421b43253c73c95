// ServiceL2Status: which IPs of one Service one node's speaker answers ARP/NDP for, and on which
// interfaces. Written by the speakers in L2 mode, read with kubectl; not configuration.
import { array, object, optional, string, type Infer } from '../schema/builder.js';
import { ageColumn, type KindInfo, type Resource } from './common.js';

export const serviceL2StatusSpec = object({}, { description: 'Empty: everything is in status.' });
export type ServiceL2StatusSpec = Infer<typeof serviceL2StatusSpec>;

export const serviceL2StatusStatus = object({
  node: string({ description: 'The node whose speaker answers.' }),
  serviceNamespace: string(),
  serviceName: string(),
  addresses: array(
    object({
      ip: string({ description: 'A Service IP this node answers ARP (IPv4) or NDP (IPv6) for.' }),
      interfaces: optional(array(string(), { description: 'The interfaces named by the L2Advertisements; absent: every suitable interface of the node.' })),
    }),
    { description: 'Sorted by IP.' },
  ),
});
export type ServiceL2StatusStatus = Infer<typeof serviceL2StatusStatus>;

export type ServiceL2Status = Resource<'ServiceL2Status', ServiceL2StatusSpec, ServiceL2StatusStatus>;

export const serviceL2StatusKind: KindInfo<ServiceL2StatusSpec, ServiceL2StatusStatus> = {
  kind: 'ServiceL2Status',
  plural: 'servicel2statuses',
  singular: 'servicel2status',
  shortNames: ['sl2s'],
  scope: 'Namespaced',
  description: 'Which IPs of one Service one node answers ARP/NDP for, on which interfaces. Written by the speakers; exists while the node answers for the Service. Labels as ServiceBGPStatus.',
  spec: serviceL2StatusSpec,
  status: serviceL2StatusStatus,
  printerColumns: [
    { name: 'Service Namespace', type: 'string', jsonPath: '.status.serviceNamespace' },
    { name: 'Service', type: 'string', jsonPath: '.status.serviceName' },
    { name: 'Node', type: 'string', jsonPath: '.status.node' },
    ageColumn,
  ],
};
