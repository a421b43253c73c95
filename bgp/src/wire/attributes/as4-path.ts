// AS4_PATH, RFC 6793 §3: the 4-octet path beside a 2-octet AS_PATH, optional transitive.
// Malformed -> attribute-discard (RFC 6793 §6). Segment layout: see as-path-segments.ts.

import { UpdateSubcode } from '../errors.js';
import { decodeSegments, encodeSegments, segmentsEncodingLength, type AsPath } from './as-path-segments.js';
import { malformed, OPTIONAL_TRANSITIVE, type AttributeCodec, type AttributeDescriptor } from './types.js';

const descriptor: AttributeDescriptor = { code: 17, name: 'AS4_PATH', flags: OPTIONAL_TRANSITIVE, onError: 'attribute-discard' };

export const as4Path: AttributeCodec<AsPath> = {
  descriptor,
  decode(value) {
    return decodeSegments(value, 4, (why) => malformed(descriptor, UpdateSubcode.optionalAttributeError, why));
  },
  encode: (value, buf, offset) => encodeSegments(value, buf, offset, 4, 'AS4_PATH'),
  encodingLength: (value) => segmentsEncodingLength(value, 4),
};
