// Which BGP sessions this node runs: the BGPPeers whose nodeSelectors select it, as the library's
// PeerConfig, and the difference to the sessions already up, so an untouched peer keeps its session.
import { formatIP, type BFDProfileConfig, type Config, type Peer } from '@headland/api';
import type { PeerBfdConfig, PeerConfig } from 'bgp-speaker-ts';

/** The node's own addresses, the next hop for a family the session itself does not carry. */
export interface NodeAddresses {
  readonly ipv4: string | undefined;
  readonly ipv6: string | undefined;
}

export interface SessionPlan {
  /** BGPPeer name. */
  readonly name: string;
  readonly address: string;
  readonly config: PeerConfig;
  /** Equal fingerprints: the session may stay up. BFD is not in it: its changes apply in place. */
  readonly fingerprint: string;
  /** The BFD part of the config alone (empty without BFD). */
  readonly bfdFingerprint: string;
}

export interface PeerProblem {
  readonly peer: string;
  readonly message: string;
}

export interface PeerPlan {
  /** By BGPPeer name. */
  readonly sessions: ReadonlyMap<string, SessionPlan>;
  readonly problems: readonly PeerProblem[];
}

/** How long a peer keeps our routes across a graceful restart of the speaker (RFC 4724). */
export const GRACEFUL_RESTART_TIME = 120;

/**
 * The sessions for the named peers (those that select this node, sorted). Two peers with one
 * address cannot both run: the library keys sessions by address, so the first by name wins.
 */
export function planPeers(config: Config, selected: readonly string[], node: NodeAddresses): PeerPlan {
  const sessions = new Map<string, SessionPlan>();
  const byAddress = new Map<string, string>();
  const problems: PeerProblem[] = [];
  for (const name of [...selected].sort()) {
    const peer = config.peers.get(name);
    if (peer === undefined) continue;
    const profile = peer.bfdProfile === undefined ? undefined : config.bfdProfiles.get(peer.bfdProfile);
    const session = sessionFor(peer, node, profile);
    const other = byAddress.get(session.address);
    if (other !== undefined) {
      problems.push({ peer: name, message: `BGPPeer ${name} has the address ${session.address} of BGPPeer ${other}, which also selects this node; only ${other} runs` });
      continue;
    }
    byAddress.set(session.address, name);
    sessions.set(name, session);
  }
  return { sessions, problems };
}

/** A BFDProfile as the library's per-peer BFD settings (intervals in ms; minimumTtl for multihop peers only). */
export function bfdFor(profile: BFDProfileConfig, peer: Pick<Peer, 'ebgpMultiHop'>): PeerBfdConfig {
  return {
    transmitIntervalMs: profile.transmitInterval,
    receiveIntervalMs: profile.receiveInterval,
    detectMultiplier: profile.detectMultiplier,
    passive: profile.passiveMode,
    multihop: peer.ebgpMultiHop,
    ...(peer.ebgpMultiHop ? { minimumTtl: profile.minimumTtl } : {}),
  };
}

export function sessionFor(peer: Peer, node: NodeAddresses, bfdProfile?: BFDProfileConfig): SessionPlan {
  const address = formatIP(peer.address);
  const own = peer.address.family === 4 ? 'ipv4' : 'ipv6';
  const other = own === 'ipv4' ? 'ipv6' : 'ipv4';
  // The other family rides the session as MP-BGP only when the node has an address of it to
  // give as next hop; without one the routes could not be sent anyway.
  const otherNextHop = node[other];
  const config: PeerConfig = {
    address,
    peerAs: peer.peerASN ?? peer.dynamicASN ?? 'external',
    port: peer.port,
    localAs: peer.myASN,
    holdTime: peer.holdTime,
    ...(peer.holdTime === 0 ? {} : { keepaliveTime: peer.keepaliveTime }),
    connectRetry: { initial: Math.max(1, peer.connectTime), max: Math.max(1, peer.connectTime), jitter: 0.25 },
    ...(peer.sourceAddress === undefined ? {} : { sourceAddress: formatIP(peer.sourceAddress) }),
    passive: peer.passive,
    families: otherNextHop === undefined ? [own] : [own, other],
    ...(otherNextHop === undefined ? {} : { nextHop: { [other]: otherNextHop } }),
    ...(peer.password === undefined ? {} : { password: peer.password }),
    // eBGP multihop: the most hops a packet may cross; GTSM: only directly connected.
    ...(peer.ebgpMultiHop ? { ttl: 255 } : {}),
    ...(peer.ttlSecurity ? { gtsm: true } : {}),
    // The F bit: the node forwards (kube-proxy's rules, the kernel) whether or not this process
    // runs, and nothing received is installed, so forwarding survives a restart. Without it the
    // peer must drop our stale routes the moment we reconnect (RFC 4724 §4.2), a flap of every
    // route the node announces, instead of replacing them in place.
    ...(peer.gracefulRestart ? { gracefulRestart: { restartTime: GRACEFUL_RESTART_TIME, forwardingPreserved: true } } : {}),
  };
  const bfd = bfdProfile === undefined ? undefined : bfdFor(bfdProfile, peer);
  return { name: peer.name, address, config: bfd === undefined ? config : { ...config, bfd }, fingerprint: JSON.stringify(config), bfdFingerprint: bfd === undefined ? '' : JSON.stringify(bfd) };
}

export interface PeerDiff {
  readonly add: readonly SessionPlan[];
  /** Addresses whose sessions end. */
  readonly remove: readonly string[];
  /** Settings changed: the session is closed and opened again with the new ones. */
  readonly replace: readonly SessionPlan[];
}

/** From the sessions running (address to fingerprint) to the planned ones. */
export function diffPeers(running: ReadonlyMap<string, string>, planned: ReadonlyMap<string, SessionPlan>): PeerDiff {
  const wanted = new Map([...planned.values()].map((s) => [s.address, s]));
  const add: SessionPlan[] = [];
  const replace: SessionPlan[] = [];
  const remove: string[] = [];
  for (const [address, fingerprint] of running) {
    const plan = wanted.get(address);
    if (plan === undefined) remove.push(address);
    else if (plan.fingerprint !== fingerprint) replace.push(plan);
  }
  for (const [address, plan] of wanted) if (!running.has(address)) add.push(plan);
  const byAddress = (a: { address: string }, b: { address: string }) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
  return { add: add.sort(byAddress), remove: remove.sort(), replace: replace.sort(byAddress) };
}

/**
 * The BGP identifier: the flag, else the routerID of the first peer (by name) that sets one,
 * else the node's IPv4 address; undefined when there is none (an IPv6-only node needs one set).
 */
export function chooseRouterId(flag: string | undefined, config: Config, selected: readonly string[], node: NodeAddresses): string | undefined {
  if (flag !== undefined) return flag;
  for (const name of [...selected].sort()) {
    const id = config.peers.get(name)?.routerID;
    if (id !== undefined) return formatIP(id);
  }
  return node.ipv4;
}

/** The AS the speaker starts with; every session sets its own localAs from its BGPPeer's myASN. */
export function defaultLocalAs(config: Config, selected: readonly string[]): number {
  for (const name of [...selected].sort()) {
    const peer = config.peers.get(name);
    if (peer !== undefined) return peer.myASN;
  }
  return 64512;
}
