// BGPPeers: ASNs, addresses, timers, the TCP MD5 password (inline or from a Secret), session
// options, and no two peers that would open the same session from the same nodes.
import { formatIP, IPParseError, parseIP, type IPAddress } from '../ip/address.js';
import type { BGPPeerSpec } from '../kinds/bgppeer.js';
import { DEFAULT_NAMESPACE } from '../kinds/common.js';
import { selectorListKey } from '../selector.js';
import { formatRef, REFERENCE_EFFECT, type ObjectIssues } from './issues.js';
import type { ReadObject } from './read.js';
import { compileSelectors } from './selectors.js';
import { sessionTimers } from './timers.js';
import type { Peer, SecretData } from './types.js';

export const PASSWORD_KEY = 'password';
const DEFAULT_PEER_PORT = 179;

export interface PeerContext {
  readonly secrets: readonly SecretData[];
  /** Names of the valid BFD profiles. */
  readonly bfdProfiles: ReadonlySet<string>;
}

/** The valid peers by name; `objects` come sorted by namespace/name, which decides "the later peer". */
export function buildPeers(objects: readonly ReadObject<BGPPeerSpec>[], context: PeerContext): Map<string, Peer> {
  const peers = new Map<string, Peer>();
  const sessions = new Map<string, Peer>();
  for (const object of objects) {
    const peer = buildPeer(object, context);
    if (peer === undefined) continue;
    // Two peers with one address, port and node selectors would open the same session twice
    // from every node they select; speakers could not tell which settings to use.
    const session = `${formatIP(peer.address)} ${peer.port} ${selectorListKey(peer.nodeSelectors)}`;
    const other = sessions.get(session);
    if (other !== undefined) {
      object.issues.invalid('spec.peerAddress', `BGPPeer ${formatRef(other.ref)} already peers with ${formatIP(peer.address)} port ${peer.port} from the same nodes`);
      continue;
    }
    sessions.set(session, peer);
    peers.set(peer.name, peer);
  }
  return peers;
}

function buildPeer({ ref, spec, issues }: ReadObject<BGPPeerSpec>, context: PeerContext): Peer | undefined {
  // ASN 0 (reserved, RFC 7607) and ASNs past 32 bits are refused by the schema's bounds.
  if (spec.peerASN !== undefined && spec.dynamicASN !== undefined) issues.invalid('spec.dynamicASN', 'set peerASN or dynamicASN, not both');
  if (spec.peerASN === undefined && spec.dynamicASN === undefined) issues.invalid('spec.peerASN', 'set peerASN or dynamicASN');

  const address = ip(spec.peerAddress, 'spec.peerAddress', issues);
  const sourceAddress = spec.sourceAddress === undefined ? undefined : ip(spec.sourceAddress, 'spec.sourceAddress', issues);
  if (address !== undefined && sourceAddress !== undefined && address.family !== sourceAddress.family) {
    issues.invalid('spec.sourceAddress', `${spec.sourceAddress} is IPv${sourceAddress.family} but peerAddress ${spec.peerAddress} is IPv${address.family}`);
  }
  const routerID = spec.routerID === undefined ? undefined : ip(spec.routerID, 'spec.routerID', issues);
  if (routerID !== undefined && routerID.family !== 4) {
    issues.invalid('spec.routerID', `${spec.routerID} is not an IPv4 address; a BGP identifier is 32 bits (RFC 4271)`);
  }

  const timers = sessionTimers(spec, issues);
  const password = resolvePassword(ref.namespace, spec, context.secrets, issues);

  const ebgpMultiHop = spec.ebgpMultiHop === true;
  const ttlSecurity = spec.ttlSecurity === true;
  // GTSM accepts only TTL 255, i.e. packets that crossed no router: a multihop peer never passes.
  if (ttlSecurity && ebgpMultiHop) issues.invalid('spec.ttlSecurity', 'ttlSecurity works only with directly connected peers; it cannot be set with ebgpMultiHop');

  // A missing BFD profile only means the session runs without BFD: keep the peer, skip the
  // profile, and say so; it takes effect once the profile appears.
  let bfdProfile = spec.bfdProfile;
  if (bfdProfile !== undefined && !context.bfdProfiles.has(bfdProfile)) {
    issues.missing('spec.bfdProfile', `BFDProfile ${JSON.stringify(bfdProfile)} does not exist (or is invalid); the session runs without BFD until it does`, REFERENCE_EFFECT.Skip);
    bfdProfile = undefined;
  }
  const nodeSelectors = compileSelectors(spec.nodeSelectors, 'spec.nodeSelectors', issues);

  if (issues.rejected || address === undefined || timers === undefined) return undefined;
  return {
    ref,
    name: ref.name,
    myASN: spec.myASN,
    peerASN: spec.peerASN,
    dynamicASN: spec.dynamicASN,
    address,
    port: spec.peerPort ?? DEFAULT_PEER_PORT,
    sourceAddress,
    routerID,
    ...timers,
    password,
    ebgpMultiHop,
    ttlSecurity,
    passive: spec.passive === true,
    nodeSelectors,
    bfdProfile,
    gracefulRestart: spec.enableGracefulRestart === true,
  };
}

function ip(text: string, field: string, issues: ObjectIssues): IPAddress | undefined {
  try {
    return parseIP(text);
  } catch (err: unknown) {
    issues.invalid(field, err instanceof IPParseError ? err.message : String(err));
    return undefined;
  }
}

function resolvePassword(peerNamespace: string, spec: BGPPeerSpec, secrets: readonly SecretData[], issues: ObjectIssues): string | undefined {
  const ref = spec.passwordSecret;
  if (ref === undefined) return spec.password;
  if (spec.password !== undefined) {
    issues.invalid('spec.passwordSecret', 'set password or passwordSecret, not both');
    return undefined;
  }
  const namespace = ref.namespace ?? peerNamespace;
  if (namespace !== DEFAULT_NAMESPACE) {
    issues.invalid('spec.passwordSecret.namespace', `the Secret must be in ${DEFAULT_NAMESPACE}, where speakers may read Secrets, not in ${namespace}`);
    return undefined;
  }
  // Without its password the session would try to open unauthenticated, which the router
  // refuses or, worse, accepts: hold the peer back until the Secret is there. Transient,
  // because creating or fixing the Secret (not the peer) repairs it.
  const secret = secrets.find((s) => typeof s === 'object' && s !== null && s.namespace === namespace && s.name === ref.name);
  if (secret === undefined) {
    issues.missing('spec.passwordSecret.name', `Secret ${namespace}/${ref.name} does not exist`, REFERENCE_EFFECT.HoldBack);
    return undefined;
  }
  const data: unknown = secret.data;
  const password = typeof data === 'object' && data !== null && Object.hasOwn(data, PASSWORD_KEY) ? (data as Record<string, unknown>)[PASSWORD_KEY] : undefined;
  if (typeof password !== 'string') {
    issues.missing('spec.passwordSecret.name', `Secret ${namespace}/${ref.name} has no "${PASSWORD_KEY}" key`, REFERENCE_EFFECT.HoldBack);
    return undefined;
  }
  return password;
}
