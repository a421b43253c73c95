// BGPAdvertisement: which pools' IPs are announced over BGP, from which nodes, to which peers,
// with which attributes, and whether paths are weighted by local endpoints.
import { array, enumOf, integer, labelSelector, object, optional, string, type Infer } from '../schema/builder.js';
import { ageColumn, conditions, selectorDoc, type KindInfo, type Resource } from './common.js';

export const WEIGHTING = { LocalEndpoints: 'LocalEndpoints', None: 'None' } as const;
export type Weighting = (typeof WEIGHTING)[keyof typeof WEIGHTING];

export const DATA_PLANE_CHECK = { KubeProxy: 'KubeProxy', None: 'None' } as const;
export type DataPlaneCheck = (typeof DATA_PLANE_CHECK)[keyof typeof DATA_PLANE_CHECK];

/** The field both advertisement kinds share: announce only what kube-proxy on the node says it serves. */
export const dataPlaneCheckField = optional(
  enumOf(['KubeProxy', 'None'] as const satisfies readonly DataPlaneCheck[], {
    default: 'KubeProxy',
    description:
      "KubeProxy: a node announces a Local Service only while kube-proxy's health check on the Service's healthCheckNodePort answers 200 on that node (the weight is kube-proxy's X-Load-Balancing-Endpoint-Weight when it sends one), and a Cluster Service only while kube-proxy's /healthz (port 10256) answers 200, so traffic never reaches a node whose rules are not in yet and a node being drained or scaled away withdraws first. A check that cannot be reached means no announcement. None: EndpointSlices alone decide (for clusters without kube-proxy health servers).",
  }),
);

export const bgpAdvertisementSpec = object({
  ipAddressPools: optional(array(string(), { description: 'Pools whose IPs this advertisement announces, by name.' })),
  ipAddressPoolSelectors: optional(array(labelSelector, { description: selectorDoc('pools, beside ipAddressPools') })),
  serviceSelectors: optional(array(labelSelector, { description: selectorDoc('the Services announced') })),
  nodeSelectors: optional(array(labelSelector, { description: selectorDoc('the nodes that announce') })),
  peers: optional(array(string(), { description: 'BGPPeer names to announce to. Absent: every peer of the node.' })),
  aggregationLength: optional(integer({ minimum: 0, maximum: 32, default: 32, description: 'Announce the IPv4 aggregate of this length that holds the IP. Default 32.' })),
  aggregationLengthV6: optional(integer({ minimum: 0, maximum: 128, default: 128, description: 'Announce the IPv6 aggregate of this length that holds the IP. Default 128.' })),
  localPref: optional(integer({ minimum: 0, maximum: 4294967295, format: 'int64', description: 'LOCAL_PREF on iBGP sessions.' })),
  communities: optional(
    array(string(), {
      description: 'Standard communities "65000:100", large ones "large:1:2:3", or names of Community aliases.',
    }),
  ),
  weighting: optional(
    enumOf(['LocalEndpoints', 'None'] as const satisfies readonly Weighting[], {
      default: 'LocalEndpoints',
      description:
        'LocalEndpoints: paths of externalTrafficPolicy Local Services carry the link-bandwidth extended community in proportion to the node\'s ready local endpoints, so weighted-ECMP routers send each node its share. None: plain ECMP.',
    }),
  ),
  dataPlaneCheck: dataPlaneCheckField,
});
export type BGPAdvertisementSpec = Infer<typeof bgpAdvertisementSpec>;

export const bgpAdvertisementStatus = object({ conditions });
export type BGPAdvertisementStatus = Infer<typeof bgpAdvertisementStatus>;

export type BGPAdvertisement = Resource<'BGPAdvertisement', BGPAdvertisementSpec, BGPAdvertisementStatus>;

export const bgpAdvertisementKind: KindInfo<BGPAdvertisementSpec, BGPAdvertisementStatus> = {
  kind: 'BGPAdvertisement',
  plural: 'bgpadvertisements',
  singular: 'bgpadvertisement',
  shortNames: ['bgpadv'],
  scope: 'Namespaced',
  description: 'Announces the IPs of some pools over BGP.',
  spec: bgpAdvertisementSpec,
  status: bgpAdvertisementStatus,
  printerColumns: [
    { name: 'IPAddressPools', type: 'string', jsonPath: '.spec.ipAddressPools' },
    { name: 'Peers', type: 'string', jsonPath: '.spec.peers' },
    { name: 'Weighting', type: 'string', jsonPath: '.spec.weighting' },
    { name: 'Data Plane Check', type: 'string', jsonPath: '.spec.dataPlaneCheck', priority: 1 },
    { name: 'Node Selectors', type: 'string', jsonPath: '.spec.nodeSelectors', priority: 1 },
    ageColumn,
  ],
};
