// ServiceBGPStatus: what one node's speaker announces for one Service over BGP: the prefixes,
// the peers, the weight. Written by the speakers, read with kubectl; not configuration.
import { array, integer, object, optional, string, type Infer } from '../schema/builder.js';
import { ageColumn, type KindInfo, type Resource } from './common.js';

/** Labels on every ServiceBGPStatus, for `kubectl get servicebgpstatus -l ...`. */
export const STATUS_LABELS = {
  serviceNamespace: 'headland.io/service-namespace',
  serviceName: 'headland.io/service-name',
  node: 'headland.io/node',
} as const;

export const serviceBGPStatusSpec = object({}, { description: 'Empty: everything is in status.' });
export type ServiceBGPStatusSpec = Infer<typeof serviceBGPStatusSpec>;

export const serviceBGPStatusStatus = object({
  node: string({ description: 'The node whose speaker announces.' }),
  serviceNamespace: string(),
  serviceName: string(),
  peers: array(string(), { description: 'BGPPeers that get at least one of the prefixes, sorted.' }),
  weight: optional(integer({ minimum: 0, description: 'Ready local endpoints the link-bandwidth community stands for; absent when unweighted.' })),
  prefixes: array(
    object({
      prefix: string({ description: 'What is announced, after aggregation.' }),
      peers: array(string()),
      linkBandwidth: optional(integer({ minimum: 0, description: 'Link-bandwidth extended community, bytes per second.' })),
      localPref: optional(integer({ minimum: 0, description: 'Toward iBGP peers.' })),
      communities: optional(array(string())),
    }),
  ),
});
export type ServiceBGPStatusStatus = Infer<typeof serviceBGPStatusStatus>;

export type ServiceBGPStatus = Resource<'ServiceBGPStatus', ServiceBGPStatusSpec, ServiceBGPStatusStatus>;

export const serviceBGPStatusKind: KindInfo<ServiceBGPStatusSpec, ServiceBGPStatusStatus> = {
  kind: 'ServiceBGPStatus',
  plural: 'servicebgpstatuses',
  singular: 'servicebgpstatus',
  shortNames: ['sbgps'],
  scope: 'Namespaced',
  description: 'Deprecated: speakers up to 0.1.0 wrote one per Service and node (what it announced: prefixes, peers, weight); speakers now list what they announce in their SpeakerStatus and delete their old ServiceBGPStatus objects at start. `headland explain service NS/NAME` shows the per-node view.',
  spec: serviceBGPStatusSpec,
  status: serviceBGPStatusStatus,
  printerColumns: [
    { name: 'Service Namespace', type: 'string', jsonPath: '.status.serviceNamespace' },
    { name: 'Service', type: 'string', jsonPath: '.status.serviceName' },
    { name: 'Node', type: 'string', jsonPath: '.status.node' },
    { name: 'Peers', type: 'string', jsonPath: '.status.peers' },
    { name: 'Weight', type: 'integer', jsonPath: '.status.weight' },
    ageColumn,
  ],
};
