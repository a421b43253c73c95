// Neighbor Solicitation and Advertisement (RFC 4861 §4.3, §4.4) with the link-layer address
// options (§4.6.1, 8 bytes on Ethernet per RFC 2464 §6). The message runs to the end of `bytes`
// (the caller hands in the IPv6 payload); the checksum is written and checked by frame.ts.
//
//   NS: | 135 | code 0 | checksum |  reserved (4)          | target (16) | options...
//   NA: | 136 | code 0 | checksum |R|S|O| reserved (29 bits)| target (16) | options...
//   option: | type | length in 8-byte units | value |    1 source / 2 target link-layer address

import { ipv6FromBytes, macFromBytes, writeIPv6, writeMac } from './addresses.js';
import { L2WireError, need, target, type Codec } from './errors.js';

const MODULE = 'l2/wire/ndp';
export const ICMPV6_TYPE = { neighborSolicitation: 135, neighborAdvertisement: 136 } as const;
const FIXED_LENGTH = 24;
const OPTION_SOURCE_LL = 1;
const OPTION_TARGET_LL = 2;
const LL_OPTION_LENGTH = 8;

export interface NeighborSolicitation {
  readonly type: 'solicitation';
  readonly target: string;
  /** Absent in Duplicate Address Detection probes (source ::). */
  readonly sourceLinkLayer?: string;
}

export interface NeighborAdvertisement {
  readonly type: 'advertisement';
  readonly router: boolean;
  readonly solicited: boolean;
  readonly override: boolean;
  readonly target: string;
  readonly targetLinkLayer?: string;
}

export type NeighborMessage = NeighborSolicitation | NeighborAdvertisement;

/** Walks the options from `offset` to the end: known link-layer ones are read, unknown ones skipped (§4.6). */
function decodeOptions(bytes: Uint8Array, offset: number): { source?: string; target?: string } {
  const found: { source?: string; target?: string } = {};
  while (offset < bytes.length) {
    need(MODULE, bytes, offset, 2, 'an option header');
    const type = bytes[offset]!;
    const length = bytes[offset + 1]! * 8;
    if (length === 0) throw new L2WireError(MODULE, 'option', `option ${type} at offset ${offset} has length 0`);
    if (offset + length > bytes.length) throw new L2WireError(MODULE, 'option', `option ${type} at offset ${offset} runs ${offset + length - bytes.length} bytes past the message`);
    if (type === OPTION_SOURCE_LL || type === OPTION_TARGET_LL) {
      if (length !== LL_OPTION_LENGTH) throw new L2WireError(MODULE, 'option', `link-layer address option is ${length} bytes, not 8 (Ethernet)`);
      found[type === OPTION_SOURCE_LL ? 'source' : 'target'] = macFromBytes(bytes, offset + 2);
    }
    offset += length;
  }
  return found;
}

export const ndp: Codec<NeighborMessage> = {
  decode(bytes, offset = 0) {
    need(MODULE, bytes, offset, FIXED_LENGTH, 'a Neighbor Discovery message');
    const type = bytes[offset]!;
    if (type !== ICMPV6_TYPE.neighborSolicitation && type !== ICMPV6_TYPE.neighborAdvertisement) {
      throw new L2WireError(MODULE, 'icmp-type', `ICMPv6 type ${type}, not 135 or 136`);
    }
    const code = bytes[offset + 1]!;
    if (code !== 0) throw new L2WireError(MODULE, 'icmp-code', `ICMPv6 code ${code}, not 0`);
    const targetIp = ipv6FromBytes(bytes, offset + 8);
    const options = decodeOptions(bytes, offset + FIXED_LENGTH);
    if (type === ICMPV6_TYPE.neighborSolicitation) {
      const ns: NeighborSolicitation = { type: 'solicitation', target: targetIp, ...(options.source !== undefined && { sourceLinkLayer: options.source }) };
      return [ns, bytes.length];
    }
    const flags = bytes[offset + 4]!;
    const na: NeighborAdvertisement = {
      type: 'advertisement',
      router: (flags & 0x80) !== 0,
      solicited: (flags & 0x40) !== 0,
      override: (flags & 0x20) !== 0,
      target: targetIp,
      ...(options.target !== undefined && { targetLinkLayer: options.target }),
    };
    return [na, bytes.length];
  },
  /** Writes the message with a zero checksum (frame.ts fills it in over the pseudo-header). */
  encode(m, into, offset = 0) {
    const out = target(MODULE, ndp.encodingLength(m), into, offset);
    out.fill(0, offset, offset + FIXED_LENGTH);
    writeIPv6(m.target, out, offset + 8);
    let link: string | undefined;
    if (m.type === 'solicitation') {
      out[offset] = ICMPV6_TYPE.neighborSolicitation;
      link = m.sourceLinkLayer;
    } else {
      out[offset] = ICMPV6_TYPE.neighborAdvertisement;
      out[offset + 4] = (m.router ? 0x80 : 0) | (m.solicited ? 0x40 : 0) | (m.override ? 0x20 : 0);
      link = m.targetLinkLayer;
    }
    if (link !== undefined) {
      out[offset + FIXED_LENGTH] = m.type === 'solicitation' ? OPTION_SOURCE_LL : OPTION_TARGET_LL;
      out[offset + FIXED_LENGTH + 1] = 1;
      writeMac(link, out, offset + FIXED_LENGTH + 2);
    }
    return out;
  },
  encodingLength(m) {
    const link = m.type === 'solicitation' ? m.sourceLinkLayer : m.targetLinkLayer;
    return FIXED_LENGTH + (link === undefined ? 0 : LL_OPTION_LENGTH);
  },
};
