// The BGP session settings both input families share (a v0.12 `peers` entry and a BGPPeer, a
// `bfd-profiles` entry and a BFDProfile), read into Headland's BGPPeer and BFDProfile specs.
import type { BFDProfileSpec, BGPPeerSpec } from '@headland/api';
import { bgpTimers, compact } from './common.js';
import type { ObjectReport } from './report.js';
import type { SpecFields } from './types.js';

/** A peer's settings, typed but not yet judged; the keys say where each came from, for the report. */
export interface PeerInput {
  readonly myASN?: number | undefined;
  readonly peerASN?: number | undefined;
  readonly peerAddress?: string | undefined;
  readonly sourceAddress?: string | undefined;
  readonly peerPort?: number | undefined;
  readonly holdTime?: string | undefined;
  readonly keepaliveTime?: string | undefined;
  readonly routerID?: string | undefined;
  readonly nodeSelectors?: unknown[] | undefined;
  readonly password?: string | undefined;
  readonly bfdProfile?: string | undefined;
  readonly ebgpMultiHop?: boolean | undefined;
}

export interface PeerKeys {
  readonly holdTime: string;
  readonly keepaliveTime: string;
  readonly peerPort: string;
  readonly ebgpMultiHop: string;
}

export function peerSpec(input: PeerInput, report: ObjectReport, keys: PeerKeys): SpecFields<BGPPeerSpec> {
  // MetalLB's zero values mean "unset" (Go's omitempty): port 0 is 179, an empty string is none.
  if (input.peerPort === 0) report.note(keys.peerPort, '0 means the default port 179 in MetalLB; left out');
  if (input.ebgpMultiHop === true && input.myASN !== undefined && input.myASN === input.peerASN) {
    report.changed(keys.ebgpMultiHop, 'MetalLB refuses ebgpMultiHop on an iBGP peer (peerASN = myASN); Headland accepts it and only raises the TTL to 255');
  }
  return compact({
    myASN: input.myASN,
    peerASN: input.peerASN === 0 ? undefined : input.peerASN,
    peerAddress: nonEmpty(input.peerAddress),
    peerPort: input.peerPort === 0 ? undefined : input.peerPort,
    sourceAddress: nonEmpty(input.sourceAddress),
    routerID: nonEmpty(input.routerID),
    ...bgpTimers({ holdTime: nonEmpty(input.holdTime), keepaliveTime: nonEmpty(input.keepaliveTime) }, report, keys),
    password: nonEmpty(input.password),
    ebgpMultiHop: input.ebgpMultiHop,
    nodeSelectors: input.nodeSelectors,
    bfdProfile: nonEmpty(input.bfdProfile),
  } satisfies SpecFields<BGPPeerSpec>);
}

export interface BFDInput {
  readonly receiveInterval?: number | undefined;
  readonly transmitInterval?: number | undefined;
  readonly detectMultiplier?: number | undefined;
  readonly minimumTtl?: number | undefined;
  readonly passiveMode?: boolean | undefined;
  readonly echoInterval?: number | undefined;
  readonly echoMode?: boolean | undefined;
}

export function bfdSpec(input: BFDInput, report: ObjectReport, keys: { echoInterval: string; echoMode: string }): SpecFields<BFDProfileSpec> {
  if (input.echoMode !== undefined) {
    report.dropped(
      keys.echoMode,
      input.echoMode
        ? 'Headland\'s BFD has no echo mode: it runs asynchronous mode with control packets only, so detection follows receiveInterval x detectMultiplier'
        : 'no Headland equivalent; Headland\'s BFD never uses echo mode, which is what false asks',
    );
  }
  if (input.echoInterval !== undefined) report.dropped(keys.echoInterval, 'Headland\'s BFD has no echo mode, so there is no echo interval');
  return compact({
    receiveInterval: input.receiveInterval,
    transmitInterval: input.transmitInterval,
    detectMultiplier: input.detectMultiplier,
    minimumTtl: input.minimumTtl,
    passiveMode: input.passiveMode,
  } satisfies SpecFields<BFDProfileSpec>);
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === '' ? undefined : text;
}
