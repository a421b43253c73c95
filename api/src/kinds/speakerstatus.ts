// SpeakerStatus: one object per node, written by that node's speaker: its BGP sessions, L2
// membership view, kube-proxy's answers (data-plane checks), the Services it announces and the
// problems it sees. Grows with nodes + Services (each node lists what it announces), never with
// nodes × Services; `headland explain` joins these with the cluster's objects.
import { array, integer, object, optional, string, type Infer } from '../schema/builder.js';
import { ageColumn, type KindInfo, type Resource } from './common.js';

export const speakerStatusSpec = object({}, { description: 'Empty: everything is in status.' });
export type SpeakerStatusSpec = Infer<typeof speakerStatusSpec>;

const checkResult = object({
  status: string({ description: 'ok, failing or unreachable.' }),
  reason: string({ description: 'Why, as one word (NoLocalEndpoints, ProxyNotSynced, NodeNotEligible, Refused, Timeout...).' }),
  detail: string({ description: 'What was asked and answered, in words.' }),
});

export const speakerStatusStatus = object({
  node: string({ description: 'The node whose speaker writes this object.' }),
  version: string({ description: "The speaker's version." }),
  sessionsUp: integer({ minimum: 0, description: 'BGP sessions Established.' }),
  sessionsTotal: integer({ minimum: 0, description: 'BGP sessions configured on this node.' }),
  sessions: array(
    object({
      peer: string({ description: 'The BGPPeer.' }),
      address: string(),
      state: string({ description: 'The BGP FSM state (Idle, Connect, Active, OpenSent, OpenConfirm, Established).' }),
      establishedSince: optional(string({ format: 'date-time', description: 'When the session last reached Established; absent while it is not.' })),
      prefixesSent: integer({ minimum: 0 }),
      prefixesReceived: integer({ minimum: 0 }),
      lastError: optional(string({ description: 'The last NOTIFICATION sent or received, with its direction.' })),
      bfd: optional(
        object({
          state: string({ description: 'AdminDown, Down, Init or Up.' }),
          diagnostic: string({ description: 'The last diagnostic (RFC 5880), e.g. ControlDetectionTimeExpired.' }),
          downs: integer({ minimum: 0, description: 'Times BFD went Down (and took the BGP session with it).' }),
        }),
      ),
    }),
    { description: 'Sorted by peer.' },
  ),
  announcedPrefixes: integer({ minimum: 0, description: 'Prefixes this node announces over BGP.' }),
  announcedServices: array(string(), { description: '"namespace/name" of every Service this node announces over BGP, sorted.' }),
  l2: optional(
    object({
      ownedIPs: integer({ minimum: 0, description: 'IPs this node answers ARP/NDP for.' }),
      answeredServices: array(string(), { description: '"namespace/name" of the Services whose IPs it answers for, sorted.' }),
      members: array(object({ name: string(), state: string({ description: 'alive, suspect or dead, as membership sees it.' }) }), { description: 'The speakers membership knows, this one included.' }),
    }),
  ),
  dataPlane: object({
    proxy: optional(checkResult),
    checked: integer({ minimum: 0, description: 'Local Services whose health check node port this node asks kube-proxy about.' }),
    notServingCount: integer({ minimum: 0, description: 'How many of them kube-proxy does not serve here now.' }),
    notServing: array(
      object({ service: string(), status: string(), reason: string(), detail: string() }),
      { description: 'Checked Services kube-proxy does not serve here now (at most 100, sorted).' },
    ),
  }),
  problems: array(string(), { description: 'Configuration problems this node sees (e.g. no IPv4 address for a router ID).' }),
});
export type SpeakerStatusStatus = Infer<typeof speakerStatusStatus>;

export type SpeakerStatus = Resource<'SpeakerStatus', SpeakerStatusSpec, SpeakerStatusStatus>;

export const speakerStatusKind: KindInfo<SpeakerStatusSpec, SpeakerStatusStatus> = {
  kind: 'SpeakerStatus',
  plural: 'speakerstatuses',
  singular: 'speakerstatus',
  shortNames: ['spks'],
  scope: 'Namespaced',
  description: "One node's speaker as it sees itself: BGP sessions, L2 membership, kube-proxy's answers, the Services it announces, problems. Named after the node; written by its speaker.",
  spec: speakerStatusSpec,
  status: speakerStatusStatus,
  printerColumns: [
    { name: 'Node', type: 'string', jsonPath: '.status.node' },
    { name: 'Version', type: 'string', jsonPath: '.status.version' },
    { name: 'Sessions Up', type: 'integer', jsonPath: '.status.sessionsUp' },
    { name: 'Sessions', type: 'integer', jsonPath: '.status.sessionsTotal' },
    { name: 'Prefixes', type: 'integer', jsonPath: '.status.announcedPrefixes' },
    { name: 'L2 IPs', type: 'integer', jsonPath: '.status.l2.ownedIPs' },
    { name: 'Not Serving', type: 'integer', jsonPath: '.status.dataPlane.notServingCount' },
    ageColumn,
  ],
};
