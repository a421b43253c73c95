export * from './common.js';
export * from './ipaddresspool.js';
export * from './bgppeer.js';
export * from './bgpadvertisement.js';
export * from './l2advertisement.js';
export * from './bfdprofile.js';
export * from './community.js';
export * from './servicebgpstatus.js';
export * from './servicel2status.js';
export * from './speakerstatus.js';

import { bfdProfileKind } from './bfdprofile.js';
import { bgpAdvertisementKind } from './bgpadvertisement.js';
import { bgpPeerKind } from './bgppeer.js';
import type { KindInfo } from './common.js';
import { communityKind } from './community.js';
import { ipAddressPoolKind } from './ipaddresspool.js';
import { l2AdvertisementKind } from './l2advertisement.js';
import { serviceBGPStatusKind } from './servicebgpstatus.js';
import { serviceL2StatusKind } from './servicel2status.js';
import { speakerStatusKind } from './speakerstatus.js';

/** Every Headland kind, in the order CRDs are generated and errors are listed. */
export const ALL_KINDS: readonly KindInfo[] = [
  ipAddressPoolKind,
  bgpPeerKind,
  bgpAdvertisementKind,
  l2AdvertisementKind,
  bfdProfileKind,
  communityKind,
] as KindInfo[];

/** Kinds the speakers write to report what they do; not configuration (buildConfig never reads them). */
export const STATUS_KINDS: readonly KindInfo[] = [serviceBGPStatusKind, serviceL2StatusKind, speakerStatusKind] as KindInfo[];

/** Every kind with a CRD: the configuration kinds, then the status kinds. */
export const CRD_KINDS: readonly KindInfo[] = [...ALL_KINDS, ...STATUS_KINDS];
