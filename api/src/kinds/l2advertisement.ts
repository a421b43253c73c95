// L2Advertisement: which pools' IPs are answered for by ARP/NDP on the LAN, by which nodes,
// on which interfaces.
import { array, labelSelector, object, optional, string, type Infer } from '../schema/builder.js';
import { dataPlaneCheckField } from './bgpadvertisement.js';
import { ageColumn, conditions, selectorDoc, type KindInfo, type Resource } from './common.js';

export const l2AdvertisementSpec = object({
  ipAddressPools: optional(array(string(), { description: 'Pools whose IPs this advertisement answers for, by name.' })),
  ipAddressPoolSelectors: optional(array(labelSelector, { description: selectorDoc('pools, beside ipAddressPools') })),
  serviceSelectors: optional(array(labelSelector, { description: selectorDoc('the Services answered for') })),
  nodeSelectors: optional(array(labelSelector, { description: selectorDoc('the nodes that may answer') })),
  interfaces: optional(array(string(), { description: 'Interfaces to answer on. Absent: every interface but loopback and virtual ones.' })),
  dataPlaneCheck: dataPlaneCheckField,
});
export type L2AdvertisementSpec = Infer<typeof l2AdvertisementSpec>;

export const l2AdvertisementStatus = object({ conditions });
export type L2AdvertisementStatus = Infer<typeof l2AdvertisementStatus>;

export type L2Advertisement = Resource<'L2Advertisement', L2AdvertisementSpec, L2AdvertisementStatus>;

export const l2AdvertisementKind: KindInfo<L2AdvertisementSpec, L2AdvertisementStatus> = {
  kind: 'L2Advertisement',
  plural: 'l2advertisements',
  singular: 'l2advertisement',
  shortNames: ['l2adv'],
  scope: 'Namespaced',
  description: 'Answers ARP and NDP for the IPs of some pools from one elected node per IP.',
  spec: l2AdvertisementSpec,
  status: l2AdvertisementStatus,
  printerColumns: [
    { name: 'IPAddressPools', type: 'string', jsonPath: '.spec.ipAddressPools' },
    { name: 'Interfaces', type: 'string', jsonPath: '.spec.interfaces' },
    { name: 'Data Plane Check', type: 'string', jsonPath: '.spec.dataPlaneCheck', priority: 1 },
    { name: 'Node Selectors', type: 'string', jsonPath: '.spec.nodeSelectors', priority: 1 },
    ageColumn,
  ],
};
