// IPv4 and IPv6 addresses as text <-> octets. Text is the codec's address form; output
// follows RFC 5952 (lower case, longest run of zero groups shortened to "::").

import { u8 } from './bytes.js';

export type AddressFamily = 'ipv4' | 'ipv6';

export const addressOctets: Readonly<Record<AddressFamily, number>> = { ipv4: 4, ipv6: 16 };

/** Dotted quad to 4 octets, or undefined when it is not one. */
export function parseIPv4(text: string): Uint8Array | undefined {
  // A character scan rather than split and a regex per part: every prefix and next hop that
  // is encoded passes through here, 100,000 times for a full table.
  const out = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || part === 3) return undefined;
      out[part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      // No leading zeros ("01"): they read as octal in some tools.
      if (digits > 0 && value === 0) return undefined;
      value = value * 10 + (c - 0x30);
      if (value > 255) return undefined;
      digits++;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || part !== 3) return undefined;
  out[3] = value;
  return out;
}

export function formatIPv4(bytes: Uint8Array, offset = 0): string {
  return `${u8(bytes, offset)}.${u8(bytes, offset + 1)}.${u8(bytes, offset + 2)}.${u8(bytes, offset + 3)}`;
}

/** IPv6 text (with "::" and an optional dotted-quad tail) to 16 octets, or undefined. */
export function parseIPv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] ?? '';
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return undefined;
        groups.push((u8(v4, 0) << 8) | u8(v4, 1), (u8(v4, 2) << 8) | u8(v4, 3));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >>> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

export function formatIPv6(bytes: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((u8(bytes, offset + 2 * i) << 8) | u8(bytes, offset + 2 * i + 1));
  // RFC 5952 §4.2: shorten the longest run of two or more zero groups, the first on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return text(groups);
  return `${text(groups.slice(0, bestStart))}::${text(groups.slice(bestStart + bestLength))}`;
}

export function parseAddress(family: AddressFamily, text: string): Uint8Array | undefined {
  return family === 'ipv4' ? parseIPv4(text) : parseIPv6(text);
}

export function formatAddress(family: AddressFamily, bytes: Uint8Array, offset = 0): string {
  return family === 'ipv4' ? formatIPv4(bytes, offset) : formatIPv6(bytes, offset);
}

/** IPv6 link-local unicast, fe80::/10 (RFC 4291 §2.5.6). */
export function isIPv6LinkLocal(bytes: Uint8Array, offset = 0): boolean {
  return u8(bytes, offset) === 0xfe && (u8(bytes, offset + 1) & 0xc0) === 0x80;
}
