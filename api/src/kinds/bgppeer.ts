// BGPPeer: a router the speakers open BGP sessions with, and from which nodes.
import { array, boolean, duration, enumOf, integer, labelSelector, object, optional, string, type Infer } from '../schema/builder.js';
import { ageColumn, conditions, selectorDoc, type KindInfo, type Resource } from './common.js';

const asn = (description: string) => integer({ minimum: 1, maximum: 4294967295, format: 'int64', description });

export const bgpPeerSpec = object({
  myASN: asn('The AS number the speakers use towards this peer (1 to 4294967295).'),
  peerASN: optional(asn('The AS number the peer must present. Set this or dynamicASN, not both.')),
  dynamicASN: optional(
    enumOf(['internal', 'external'] as const, {
      description: 'Accept whatever AS the peer presents as long as the session is iBGP (internal) or eBGP (external). Set this or peerASN.',
    }),
  ),
  peerAddress: string({ description: 'The IPv4 or IPv6 address to reach the peer at.' }),
  peerPort: optional(integer({ minimum: 1, maximum: 65535, default: 179, description: 'The TCP port of the peer. Default 179.' })),
  sourceAddress: optional(string({ description: 'The local address to open the session from.' })),
  routerID: optional(string({ description: 'The BGP identifier (an IPv4 address) the speakers use; default: the node address.' })),
  holdTime: optional(duration({ description: 'The proposed hold time: 0s, or at least 3s. With only keepaliveTime set, three times it. Default 90s.' })),
  keepaliveTime: optional(duration({ description: 'Time between keepalives; at most holdTime. With only holdTime set, a third of it.' })),
  connectTime: optional(duration({ description: 'How long to wait between connection attempts. Default 10s.' })),
  password: optional(string({ description: 'TCP MD5 (RFC 2385) password in plain text; prefer passwordSecret.' })),
  passwordSecret: optional(
    object(
      {
        name: string({ description: 'The Secret that holds the password under the key "password".' }),
        namespace: optional(string({ description: 'Its namespace; default the BGPPeer namespace.' })),
      },
      { description: 'A Secret holding the TCP MD5 password. Not together with password.' },
    ),
  ),
  ebgpMultiHop: optional(boolean({ default: false, description: 'Allow an eBGP peer that is not directly connected.' })),
  ttlSecurity: optional(boolean({ default: false, description: 'GTSM (RFC 5082): send with TTL 255 and accept only packets with TTL 255. Directly connected peers only.' })),
  passive: optional(boolean({ default: false, description: 'Wait for the peer to connect rather than connecting to it.' })),
  nodeSelectors: optional(array(labelSelector, { description: selectorDoc('the nodes that peer with this router') })),
  bfdProfile: optional(string({ description: 'The BFDProfile to run on this session.' })),
  enableGracefulRestart: optional(boolean({ default: false, description: 'Negotiate graceful restart (RFC 4724) so the peer keeps routes while a speaker restarts.' })),
});
export type BGPPeerSpec = Infer<typeof bgpPeerSpec>;

export const bgpPeerStatus = object({ conditions });
export type BGPPeerStatus = Infer<typeof bgpPeerStatus>;

export type BGPPeer = Resource<'BGPPeer', BGPPeerSpec, BGPPeerStatus>;

export const bgpPeerKind: KindInfo<BGPPeerSpec, BGPPeerStatus> = {
  kind: 'BGPPeer',
  plural: 'bgppeers',
  singular: 'bgppeer',
  shortNames: ['bgpp'],
  scope: 'Namespaced',
  description: 'A BGP router that Headland speakers peer with.',
  spec: bgpPeerSpec,
  status: bgpPeerStatus,
  printerColumns: [
    { name: 'Address', type: 'string', jsonPath: '.spec.peerAddress' },
    { name: 'My ASN', type: 'integer', jsonPath: '.spec.myASN' },
    { name: 'Peer ASN', type: 'integer', jsonPath: '.spec.peerASN' },
    { name: 'Dynamic ASN', type: 'string', jsonPath: '.spec.dynamicASN', priority: 1 },
    { name: 'Multi Hops', type: 'boolean', jsonPath: '.spec.ebgpMultiHop', priority: 1 },
    { name: 'BFD Profile', type: 'string', jsonPath: '.spec.bfdProfile', priority: 1 },
    ageColumn,
  ],
};
