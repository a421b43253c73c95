// The AS + IPv4 address pair shared by AGGREGATOR and AS4_AGGREGATOR.
//
//   +---------------------------+-------------------------------+
//   | AS (2 or 4 octets)        | IPv4 address (4 octets)       |
//   +---------------------------+-------------------------------+

import { BgpEncodeError } from '../errors.js';
import { isUint, put16, put32, putBytes, u16, u32 } from '../bytes.js';
import { formatIPv4, parseIPv4 } from '../ip.js';
import { expectLength, type AttributeCodec, type AttributeDescriptor } from './types.js';

export interface Aggregator {
  readonly asn: number;
  readonly address: string;
}

export function aggregatorCodec(descriptor: AttributeDescriptor, asnOctets: (fourOctetAs: boolean) => 2 | 4): AttributeCodec<Aggregator> {
  return {
    descriptor,
    decode(value, ctx) {
      const octets = asnOctets(ctx.fourOctetAs);
      expectLength(descriptor, value, octets + 4);
      return { asn: octets === 4 ? u32(value, 0) : u16(value, 0), address: formatIPv4(value, octets) };
    },
    encode(value, buf, offset, ctx) {
      const octets = asnOctets(ctx.fourOctetAs);
      if (!isUint(value.asn, octets === 4 ? 32 : 16)) {
        throw new BgpEncodeError(`${descriptor.name}: AS ${value.asn} does not fit ${octets} octets`);
      }
      const address = parseIPv4(value.address);
      if (!address) throw new BgpEncodeError(`${descriptor.name}: "${value.address}" is not an IPv4 address`);
      const at = octets === 4 ? put32(buf, offset, value.asn) : put16(buf, offset, value.asn);
      return putBytes(buf, at, address);
    },
    encodingLength: (_value, ctx) => asnOctets(ctx.fourOctetAs) + 4,
  };
}
