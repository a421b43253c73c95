// buildConfig: the one pure step from a snapshot of Headland's custom resources (of any shape)
// to the validated model, with every issue named by object and field. Never throws.
import { bfdProfileKind } from '../kinds/bfdprofile.js';
import { bgpAdvertisementKind } from '../kinds/bgpadvertisement.js';
import { bgpPeerKind } from '../kinds/bgppeer.js';
import { communityKind } from '../kinds/community.js';
import { ipAddressPoolKind } from '../kinds/ipaddresspool.js';
import { l2AdvertisementKind } from '../kinds/l2advertisement.js';
import { buildBFDProfiles } from './bfd.js';
import { buildBGPAdvertisements } from './bgp-advertisements.js';
import { buildCommunityAliases } from './communities.js';
import { IssueLog } from './issues.js';
import { buildL2Advertisements } from './l2-advertisements.js';
import { buildPeers } from './peers.js';
import { buildPools } from './pools.js';
import { readObjects } from './read.js';
import type { Config, Snapshot } from './types.js';

export function buildConfig(snapshot: Snapshot): Config {
  const log = new IssueLog();
  const input = (isRecord(snapshot) ? snapshot : {}) as Partial<Record<keyof Snapshot, unknown>>;
  const list = (key: keyof Snapshot): unknown[] => {
    const value = input[key];
    return Array.isArray(value) ? value : [];
  };

  // Referenced kinds first, so that references can be resolved against what is valid.
  const bfdProfiles = buildBFDProfiles(readObjects(bfdProfileKind, list('bfdProfiles'), log, { namedWithoutNamespace: true }));
  const communities = buildCommunityAliases(readObjects(communityKind, list('communities'), log));
  const pools = buildPools(readObjects(ipAddressPoolKind, list('ipAddressPools'), log, { namedWithoutNamespace: true }));
  const peers = buildPeers(readObjects(bgpPeerKind, list('bgpPeers'), log, { namedWithoutNamespace: true }), {
    secrets: list('secrets') as Snapshot['secrets'],
    bfdProfiles: new Set(bfdProfiles.keys()),
  });
  const bgpAdvertisements = buildBGPAdvertisements(readObjects(bgpAdvertisementKind, list('bgpAdvertisements'), log), { pools, peers, communities });
  const l2Advertisements = buildL2Advertisements(readObjects(l2AdvertisementKind, list('l2Advertisements'), log), pools);

  return { pools, peers, bgpAdvertisements, l2Advertisements, bfdProfiles, communities, issues: log.issues, rejected: log.rejected };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
