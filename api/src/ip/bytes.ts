// Addresses to and from network-order bytes, for the wire: BGP NLRI, ARP and NDP frames.
// Kept apart from the text forms so the codecs need not know about parsing.

import { FAMILY_BITS, IPParseError, addressProblem, type IPAddress } from './address.js';

export function ipToBytes(a: IPAddress): Uint8Array {
  const problem = addressProblem(a?.family, a?.value);
  if (problem !== undefined) throw new IPParseError(`ipToBytes: ${problem}`);
  const length = FAMILY_BITS[a.family] / 8;
  const bytes = new Uint8Array(length);
  let value = a.value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return bytes;
}

/** 4 bytes make an IPv4 address, 16 an IPv6 one; any other length is an error. */
export function ipFromBytes(bytes: Uint8Array): IPAddress {
  if (!(bytes instanceof Uint8Array) || (bytes.length !== 4 && bytes.length !== 16)) {
    const what = bytes instanceof Uint8Array ? `${bytes.length} bytes` : 'not a Uint8Array';
    throw new IPParseError(`ipFromBytes: expected 4 or 16 bytes, got ${what}`);
  }
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return { family: bytes.length === 4 ? 4 : 6, value };
}
