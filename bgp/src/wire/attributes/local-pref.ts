// LOCAL_PREF, RFC 4271 §5.1.5: well-known 4-octet preference for internal peers (layout in
// uint32.ts). Wrong length -> treat-as-withdraw; from an external peer it is discarded
// (RFC 7606 §7.5), which validate-update.ts does since only it knows the peer.

import { WELL_KNOWN } from './types.js';
import { uint32Attribute } from './uint32.js';

export const localPref = uint32Attribute({
  code: 5,
  name: 'LOCAL_PREF',
  flags: WELL_KNOWN,
  onError: 'treat-as-withdraw',
});
