// ORIGIN, RFC 4271 §5.1.1; malformed -> treat-as-withdraw (RFC 7606 §7.1).
//
//   +-----------------+
//   | value (1 octet) |   0 IGP, 1 EGP, 2 INCOMPLETE
//   +-----------------+

import { BgpEncodeError, UpdateSubcode } from '../errors.js';
import { put8, u8 } from '../bytes.js';
import { malformed, WELL_KNOWN, type AttributeCodec, type AttributeDescriptor } from './types.js';

export const OriginCode = { igp: 0, egp: 1, incomplete: 2 } as const;
export type Origin = keyof typeof OriginCode;
const byCode: readonly Origin[] = ['igp', 'egp', 'incomplete'];

const descriptor: AttributeDescriptor = { code: 1, name: 'ORIGIN', flags: WELL_KNOWN, onError: 'treat-as-withdraw' };

export const origin: AttributeCodec<Origin> = {
  descriptor,
  decode(value) {
    if (value.length !== 1) {
      throw malformed(descriptor, UpdateSubcode.attributeLengthError, `length ${value.length}, expected 1`);
    }
    const name = byCode[u8(value, 0)];
    if (name === undefined) throw malformed(descriptor, UpdateSubcode.invalidOrigin, `value ${u8(value, 0)}`);
    return name;
  },
  encode(value, buf, offset) {
    const code = OriginCode[value] as number | undefined;
    if (code === undefined) throw new BgpEncodeError(`ORIGIN: unknown origin "${String(value)}"`);
    return put8(buf, offset, code);
  },
  encodingLength: () => 1,
};
