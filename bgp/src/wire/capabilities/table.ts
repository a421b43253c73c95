// The one registry of capabilities the codec understands, and the codec of a capability
// with its code and length (diagram in types.ts). Unknown codes are kept as raw bytes.

import { BgpEncodeError, BgpWireError } from '../errors.js';
import { put8, putBytes, u8 } from '../bytes.js';
import { extendedMessage } from './extended-message.js';
import { fourOctetAs } from './four-octet-as.js';
import { gracefulRestart } from './graceful-restart.js';
import { multiprotocol } from './multiprotocol.js';
import { enhancedRouteRefresh, routeRefresh, routeRefreshCisco } from './route-refresh.js';
import { badCapability, type Capability, type CapabilityCodec, type CapabilityOf, type CapabilityType } from './types.js';

export const capabilityTable: { readonly [K in CapabilityType]: CapabilityCodec<CapabilityOf<K>> } = {
  multiprotocol,
  'route-refresh': routeRefresh,
  'route-refresh-cisco': routeRefreshCisco,
  'enhanced-route-refresh': enhancedRouteRefresh,
  'extended-message': extendedMessage,
  'four-octet-as': fourOctetAs,
  'graceful-restart': gracefulRestart,
};

function codecOf(type: CapabilityType): CapabilityCodec<Capability> {
  return capabilityTable[type] as unknown as CapabilityCodec<Capability>;
}

const typeByCode = new Map<number, CapabilityType>(
  (Object.keys(capabilityTable) as CapabilityType[]).map((type) => [capabilityTable[type].code, type]),
);

export function capabilityCode(capability: Capability): number {
  return capability.type === 'unknown' ? capability.code : capabilityTable[capability.type].code;
}

function valueLength(capability: Capability): number {
  return capability.type === 'unknown' ? capability.value.length : codecOf(capability.type).encodingLength(capability);
}

export function capabilityEncodingLength(capability: Capability): number {
  return 2 + valueLength(capability);
}

export function encodeCapability(capability: Capability, buf: Uint8Array, offset: number): number {
  const length = valueLength(capability);
  if (length > 255) throw new BgpEncodeError(`capability: value of ${length} octets exceeds 255`);
  const code = capabilityCode(capability);
  if (capability.type === 'unknown' && typeByCode.has(code)) {
    throw new BgpEncodeError(`capability: code ${code} is a known capability; use its typed form`);
  }
  if (code < 0 || code > 255 || !Number.isInteger(code)) throw new BgpEncodeError(`capability: code ${code} out of range`);
  const at = put8(buf, put8(buf, offset, code), length);
  return capability.type === 'unknown' ? putBytes(buf, at, capability.value) : codecOf(capability.type).encode(capability, buf, at);
}

/** One capability within bytes[offset..end): `[capability, offset after it]`. */
export function decodeCapability(bytes: Uint8Array, offset: number, end: number): [Capability, number] {
  if (offset + 2 > end) throw badCapability('capability', `header truncated at octet ${offset}`);
  const code = u8(bytes, offset);
  const length = u8(bytes, offset + 1);
  const next = offset + 2 + length;
  if (next > end) throw badCapability('capability', `code ${code} length ${length} overruns the parameter`);
  const value = bytes.subarray(offset + 2, next);
  const type = typeByCode.get(code);
  if (type === undefined) return [{ type: 'unknown', code, value: value.slice() }, next];
  try {
    return [codecOf(type).decode(value), next];
  } catch (error) {
    if (error instanceof BgpWireError) throw error.withData(bytes.subarray(offset, next));
    throw error;
  }
}
