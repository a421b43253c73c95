// AS_PATH, RFC 4271 §5.1.2 / §4.3; ASNs are 4 octets when RFC 6793 was negotiated.
// Malformed -> treat-as-withdraw (RFC 7606 §7.2). Segment layout: see as-path-segments.ts.

import { UpdateSubcode } from '../errors.js';
import { decodeSegments, encodeSegments, segmentsEncodingLength, type AsPath } from './as-path-segments.js';
import { malformed, WELL_KNOWN, type AttributeCodec, type AttributeDescriptor } from './types.js';

const descriptor: AttributeDescriptor = { code: 2, name: 'AS_PATH', flags: WELL_KNOWN, onError: 'treat-as-withdraw' };

export const asPath: AttributeCodec<AsPath> = {
  descriptor,
  decode(value, ctx) {
    return decodeSegments(value, ctx.fourOctetAs ? 4 : 2, (why) =>
      malformed(descriptor, UpdateSubcode.malformedAsPath, why),
    );
  },
  encode(value, buf, offset, ctx) {
    return encodeSegments(value, buf, offset, ctx.fourOctetAs ? 4 : 2, 'AS_PATH');
  },
  encodingLength: (value, ctx) => segmentsEncodingLength(value, ctx.fourOctetAs ? 4 : 2),
};
