// AGGREGATOR, RFC 4271 §5.1.7 (AS is 4 octets under RFC 6793); layout in aggregator-value.ts.
// Wrong length -> attribute-discard (RFC 7606 §7.7).

import { aggregatorCodec } from './aggregator-value.js';
import { OPTIONAL_TRANSITIVE } from './types.js';

export const aggregator = aggregatorCodec(
  { code: 7, name: 'AGGREGATOR', flags: OPTIONAL_TRANSITIVE, onError: 'attribute-discard' },
  (fourOctetAs) => (fourOctetAs ? 4 : 2),
);
