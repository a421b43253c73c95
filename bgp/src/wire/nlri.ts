// NLRI prefixes, RFC 4271 §4.3 (and RFC 4760 §5 for IPv6): a length in bits, then just
// enough octets to hold it. Bits past the length are ignored on input and zero on output.
//
//   +---------------------------+
//   |   Length (1 octet)        |
//   +---------------------------+
//   |   Prefix (variable)       |
//   +---------------------------+

import { BgpEncodeError, BgpWireError, ErrorCode, UpdateSubcode } from './errors.js';
import { u8 } from './bytes.js';
import { addressOctets, formatAddress, parseAddress, type AddressFamily } from './ip.js';

export interface Prefix {
  readonly family: AddressFamily;
  /** The network address, host bits zero, as text. */
  readonly address: string;
  readonly length: number;
}

function invalid(message: string): BgpWireError {
  // RFC 4271 §6.3 and RFC 7606 §5.3: a syntactically wrong NLRI cannot be withdrawn, so reset.
  return new BgpWireError(`nlri: ${message}`, {
    code: ErrorCode.update,
    subcode: UpdateSubcode.invalidNetworkField,
    action: 'session-reset',
  });
}

/** Reads one prefix of `family` from bytes[offset..end). */
export function decodePrefix(
  bytes: Uint8Array,
  offset: number,
  end: number,
  family: AddressFamily,
): [Prefix, number] {
  if (offset >= end) throw invalid('prefix length octet missing');
  const length = u8(bytes, offset);
  const maxBits = addressOctets[family] * 8;
  if (length > maxBits) throw invalid(`${family} prefix length ${length} exceeds ${maxBits}`);
  const octets = Math.ceil(length / 8);
  if (offset + 1 + octets > end) {
    throw invalid(`${family} /${length} needs ${octets} octets, ${end - offset - 1} remain`);
  }
  const address = new Uint8Array(addressOctets[family]);
  address.set(bytes.subarray(offset + 1, offset + 1 + octets));
  maskHostBits(address, length);
  return [{ family, address: formatAddress(family, address), length }, offset + 1 + octets];
}

/** Reads prefixes until `end`; every octet must belong to a prefix. */
export function decodePrefixes(bytes: Uint8Array, offset: number, end: number, family: AddressFamily): Prefix[] {
  const out: Prefix[] = [];
  let at = offset;
  while (at < end) {
    const [prefix, next] = decodePrefix(bytes, at, end, family);
    out.push(prefix);
    at = next;
  }
  return out;
}

function maskHostBits(address: Uint8Array, length: number): void {
  for (let i = 0; i < address.length; i++) {
    const bitsHere = Math.min(8, Math.max(0, length - 8 * i));
    address[i] = (address[i] ?? 0) & ((0xff00 >> bitsHere) & 0xff);
  }
}

/** The prefix's address octets, checked; local misuse throws BgpEncodeError. */
function prefixOctets(prefix: Prefix): Uint8Array {
  const address = parseAddress(prefix.family, prefix.address);
  if (!address) throw new BgpEncodeError(`nlri: "${prefix.address}" is not an ${prefix.family} address`);
  const maxBits = address.length * 8;
  if (!Number.isInteger(prefix.length) || prefix.length < 0 || prefix.length > maxBits) {
    throw new BgpEncodeError(`nlri: prefix length ${prefix.length} out of 0..${maxBits}`);
  }
  maskHostBits(address, prefix.length);
  return address;
}

export function prefixEncodingLength(prefix: Prefix): number {
  return 1 + Math.ceil(prefix.length / 8);
}

export function encodePrefix(prefix: Prefix, buf: Uint8Array, offset: number): number {
  const address = prefixOctets(prefix);
  const octets = Math.ceil(prefix.length / 8);
  if (offset + 1 + octets > buf.length) throw new RangeError('nlri: buffer too small');
  buf[offset] = prefix.length;
  buf.set(address.subarray(0, octets), offset + 1);
  return offset + 1 + octets;
}

export function encodePrefixes(prefixes: readonly Prefix[], buf: Uint8Array, offset: number): number {
  let at = offset;
  for (const prefix of prefixes) at = encodePrefix(prefix, buf, at);
  return at;
}

export function prefixesEncodingLength(prefixes: readonly Prefix[]): number {
  let total = 0;
  for (const prefix of prefixes) total += prefixEncodingLength(prefix);
  return total;
}

/** "203.0.113.0/24" or "2001:db8::/32" to a Prefix; host bits are cleared. */
export function parsePrefix(text: string): Prefix {
  const slash = text.lastIndexOf('/');
  const family: AddressFamily = text.includes(':') ? 'ipv6' : 'ipv4';
  const lengthText = slash < 0 ? '' : text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(lengthText)) throw new BgpEncodeError(`nlri: "${text}" has no /length`);
  const prefix = prefixOctets({ family, address: text.slice(0, slash), length: Number(lengthText) });
  return { family, address: formatAddress(family, prefix), length: Number(lengthText) };
}

export function formatPrefix(prefix: Prefix): string {
  return `${prefix.address}/${prefix.length}`;
}
