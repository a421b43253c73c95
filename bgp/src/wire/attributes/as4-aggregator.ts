// AS4_AGGREGATOR, RFC 6793 §3: the 4-octet aggregator beside a 2-octet AGGREGATOR; layout in
// aggregator-value.ts (always 4-octet AS). Malformed -> attribute-discard (RFC 6793 §6).

import { aggregatorCodec } from './aggregator-value.js';
import { OPTIONAL_TRANSITIVE } from './types.js';

export const as4Aggregator = aggregatorCodec(
  { code: 18, name: 'AS4_AGGREGATOR', flags: OPTIONAL_TRANSITIVE, onError: 'attribute-discard' },
  () => 4,
);
