// Whether a node may announce at all (known, not excluded by label, network up) and which
// BGPPeers it talks to; shared by the BGP policy and, later, the L2 election.
import { DYNAMIC_ASN, matchesAny, type Config, type Peer } from '@headland/api';
import type { NodeInfo } from '../model/types.js';
import { REASON, type Verdict } from './types.js';

/** Kubernetes' own label: any value keeps the node out of external load balancers. */
export const EXCLUDE_FROM_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** Undefined when the node may announce; otherwise why not. */
export function nodeIneligibility(nodeName: string, node: NodeInfo | undefined): Verdict | undefined {
  if (node === undefined) return { reason: REASON.NodeUnknown, detail: `node ${nodeName} is not in the cluster's node list (yet)` };
  if (Object.hasOwn(node.labels, EXCLUDE_FROM_LB_LABEL)) {
    return { reason: REASON.NodeExcluded, detail: `node ${nodeName} has the label ${EXCLUDE_FROM_LB_LABEL}` };
  }
  if (node.networkUnavailable) return { reason: REASON.NodeNetworkUnavailable, detail: `node ${nodeName} has the condition NetworkUnavailable=True` };
  return undefined;
}

/** Names of the BGPPeers whose nodeSelectors select the node (no selectors: every node), sorted. */
export function peersOfNode(config: Config, node: NodeInfo | undefined): string[] {
  if (node === undefined) return [];
  const names: string[] = [];
  for (const peer of config.peers.values()) if (matchesAny(peer.nodeSelectors, node.labels)) names.push(peer.name);
  return names.sort();
}

/** iBGP: the peer is in our AS, by number or by the dynamic "internal" setting. */
export function isInternalPeer(peer: Peer): boolean {
  if (peer.dynamicASN !== undefined) return peer.dynamicASN === DYNAMIC_ASN.Internal;
  return peer.peerASN === peer.myASN;
}
