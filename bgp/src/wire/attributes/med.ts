// MULTI_EXIT_DISC, RFC 4271 §5.1.4: optional non-transitive 4-octet metric (layout in uint32.ts).
// Wrong length -> treat-as-withdraw (RFC 7606 §7.4).

import { OPTIONAL_NON_TRANSITIVE } from './types.js';
import { uint32Attribute } from './uint32.js';

export const multiExitDisc = uint32Attribute({
  code: 4,
  name: 'MULTI_EXIT_DISC',
  flags: OPTIONAL_NON_TRANSITIVE,
  onError: 'treat-as-withdraw',
});
