// ATOMIC_AGGREGATE, RFC 4271 §5.1.6: well-known, no value.
// Non-zero length -> attribute-discard (RFC 7606 §7.6).
//
//   (empty value field)

import { expectLength, WELL_KNOWN, type AttributeCodec, type AttributeDescriptor } from './types.js';

const descriptor: AttributeDescriptor = {
  code: 6,
  name: 'ATOMIC_AGGREGATE',
  flags: WELL_KNOWN,
  onError: 'attribute-discard',
};

export const atomicAggregate: AttributeCodec<true> = {
  descriptor,
  decode(value) {
    expectLength(descriptor, value, 0);
    return true;
  },
  encode: (_value, _buf, offset) => offset,
  encodingLength: () => 0,
};
