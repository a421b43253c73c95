// Our OPEN, and the checks on the peer's OPEN (RFC 4271 §6.2 via validateOpen, plus the
// dynamic internal/external AS rule), ending in what the session negotiated.

import { AS_TRANS, Afi, Safi, type WireContext } from '../wire/context.js';
import { BgpWireError, ErrorCode, OpenSubcode } from '../wire/errors.js';
import type { AddressFamily } from '../wire/ip.js';
import type { OpenMessage } from '../wire/open.js';
import type { Capability, CapabilityOf } from '../wire/capabilities/types.js';
import { negotiateContext, negotiateHoldTime, validateOpen } from '../wire/validate-open.js';
import type { SessionConfig } from './config.js';

export interface Negotiated {
  readonly peerAs: number;
  readonly external: boolean;
  readonly peerRouterId: string;
  /** Seconds; 0 means no hold timer and no keepalives. */
  readonly holdTime: number;
  readonly keepaliveTime: number;
  readonly context: WireContext;
  /** Families both sides advertised (IPv4 unicast when the peer sent no multiprotocol capability). */
  readonly families: readonly AddressFamily[];
  readonly routeRefresh: boolean;
  /** The peer's graceful restart capability, if it sent one. */
  readonly peerGracefulRestart: CapabilityOf<'graceful-restart'> | undefined;
  /** Both sides sent the RFC 8538 N bit: NOTIFICATIONs other than Hard Reset keep routes too. */
  readonly gracefulNotification: boolean;
  readonly remoteOpen: OpenMessage;
}

const familyCodes: Readonly<Record<AddressFamily, { afi: number; safi: number }>> = {
  ipv4: { afi: Afi.ipv4, safi: Safi.unicast },
  ipv6: { afi: Afi.ipv6, safi: Safi.unicast },
};

export interface OpenOptions {
  /** RFC 4724 R bit: this speaker has restarted (first session after a graceful stop). */
  readonly restarting: boolean;
}

export function buildOpen(cfg: SessionConfig, options: OpenOptions = { restarting: false }): OpenMessage {
  const capabilities: Capability[] = cfg.families.map((f) => ({ type: 'multiprotocol', ...familyCodes[f] }));
  capabilities.push({ type: 'route-refresh' }, { type: 'four-octet-as', asn: cfg.localAs });
  if (cfg.extendedMessage) capabilities.push({ type: 'extended-message' });
  if (cfg.gracefulRestart) {
    const { restartTime, forwardingFamilies, notification } = cfg.gracefulRestart;
    // Every family is listed (the peer keeps only listed families' routes); F per family.
    capabilities.push({
      type: 'graceful-restart',
      restarting: options.restarting,
      notification,
      restartTime,
      families: cfg.families.map((f) => ({ ...familyCodes[f], forwardingPreserved: forwardingFamilies.includes(f) })),
    });
  }
  return { type: 'open', myAs: cfg.localAs > 0xffff ? AS_TRANS : cfg.localAs, holdTime: cfg.holdTime, identifier: cfg.routerId, capabilities };
}

function familiesOf(open: OpenMessage): AddressFamily[] {
  const mp = open.capabilities.filter((c): c is CapabilityOf<'multiprotocol'> => c.type === 'multiprotocol');
  // RFC 4760 §8: a peer without the capability speaks IPv4 unicast only.
  if (mp.length === 0) return ['ipv4'];
  return (Object.keys(familyCodes) as AddressFamily[]).filter((f) => mp.some((c) => c.afi === familyCodes[f].afi && c.safi === familyCodes[f].safi));
}

/** Keepalive interval: the configured one, never more than a third of the hold time. */
export function keepaliveFor(holdTime: number, configured: number | undefined): number {
  if (holdTime === 0) return 0;
  const third = Math.max(1, Math.floor(holdTime / 3));
  return configured === undefined ? third : Math.min(configured, third);
}

/** Throws the BgpWireError to send as NOTIFICATION, or returns what the session uses. */
export function checkOpen(remote: OpenMessage, cfg: SessionConfig): Negotiated {
  const peerAs = validateOpen(remote, {
    localAs: cfg.localAs,
    localIdentifier: cfg.routerId,
    peerAs: typeof cfg.peerAs === 'number' ? cfg.peerAs : undefined,
  });
  const external = peerAs !== cfg.localAs;
  if ((cfg.peerAs === 'internal' && external) || (cfg.peerAs === 'external' && !external)) {
    throw new BgpWireError(`open-check: peer AS ${peerAs} is not ${cfg.peerAs} to local AS ${cfg.localAs}`, {
      code: ErrorCode.open,
      subcode: OpenSubcode.badPeerAs,
    });
  }
  const local = buildOpen(cfg);
  const holdTime = negotiateHoldTime(local, remote);
  const gr = remote.capabilities.find((c): c is CapabilityOf<'graceful-restart'> => c.type === 'graceful-restart');
  const remoteFamilies = familiesOf(remote);
  return {
    peerAs,
    external,
    peerRouterId: remote.identifier,
    holdTime,
    keepaliveTime: keepaliveFor(holdTime, cfg.keepaliveTime),
    context: negotiateContext(local, remote),
    families: cfg.families.filter((f) => remoteFamilies.includes(f)),
    routeRefresh: remote.capabilities.some((c) => c.type === 'route-refresh' || c.type === 'route-refresh-cisco'),
    peerGracefulRestart: gr,
    gracefulNotification: cfg.gracefulRestart?.notification === true && gr?.notification === true,
    remoteOpen: remote,
  };
}

/** The address family of an AFI/SAFI pair, if it is one this speaker handles. */
export function familyOf(afi: number, safi: number): AddressFamily | undefined {
  return (Object.keys(familyCodes) as AddressFamily[]).find((f) => familyCodes[f].afi === afi && familyCodes[f].safi === safi);
}
