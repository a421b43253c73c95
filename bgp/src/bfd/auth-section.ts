// The optional Authentication Section of a BFD Control packet, RFC 5880 §4.2-§4.4, parsed for
// structure only: no key is checked here (this library runs no authentication, see receive.ts).
//
//   Simple Password (§4.2), Auth Len 4..19:
//   +---------------+---------------+---------------+---------------+
//   |   Auth Type   |   Auth Len    |  Auth Key ID  |  Password...  |
//   +---------------+---------------+---------------+---------------+
//
//   Keyed / Meticulous Keyed MD5 (§4.3), Auth Len 24; SHA1 (§4.4), Auth Len 28:
//   +---------------+---------------+---------------+---------------+
//   |   Auth Type   |   Auth Len    |  Auth Key ID  |   Reserved    |
//   +---------------+---------------+---------------+---------------+
//   |                        Sequence Number                        |
//   +---------------+---------------+---------------+---------------+
//   |       Auth Key/Digest (16 octets) or Auth Key/Hash (20)       |
//   +---------------+---------------+---------------+---------------+

import { isUint, put8, put32, putBytes, u8, u32 } from '../wire/bytes.js';
import { BfdEncodeError, BfdWireError } from './errors.js';

/** §4.1 Auth Type codes. */
export const BfdAuthType = {
  simplePassword: 1,
  keyedMd5: 2,
  meticulousKeyedMd5: 3,
  keyedSha1: 4,
  meticulousKeyedSha1: 5,
} as const;

export type BfdDigestAuthKind = 'keyed-md5' | 'meticulous-keyed-md5' | 'keyed-sha1' | 'meticulous-keyed-sha1';

export type BfdAuthSection =
  | { readonly type: 'simple-password'; readonly keyId: number; readonly password: Uint8Array }
  | { readonly type: BfdDigestAuthKind; readonly keyId: number; readonly sequence: number; readonly digest: Uint8Array }
  /** Reserved or later Auth Types: carried as the octets after Auth Len. */
  | { readonly type: 'unknown'; readonly code: number; readonly data: Uint8Array };

const digestCodes: Readonly<Record<BfdDigestAuthKind, number>> = {
  'keyed-md5': BfdAuthType.keyedMd5,
  'meticulous-keyed-md5': BfdAuthType.meticulousKeyedMd5,
  'keyed-sha1': BfdAuthType.keyedSha1,
  'meticulous-keyed-sha1': BfdAuthType.meticulousKeyedSha1,
};

const digestKinds: ReadonlyMap<number, BfdDigestAuthKind> = new Map(Object.entries(digestCodes).map(([kind, code]) => [code, kind as BfdDigestAuthKind]));

/** Octets of the digest (MD5) or hash (SHA1) field. */
function digestOctets(kind: BfdDigestAuthKind): number {
  return kind === 'keyed-md5' || kind === 'meticulous-keyed-md5' ? 16 : 20;
}

/** Octets of the whole section: Auth Type and Auth Len included, as the Auth Len field counts. */
export function authSectionLength(auth: BfdAuthSection): number {
  switch (auth.type) {
    case 'simple-password':
      return 3 + auth.password.length;
    case 'unknown':
      return 2 + auth.data.length;
    default:
      return 8 + digestOctets(auth.type);
  }
}

export function encodeAuthSection(auth: BfdAuthSection, buf: Uint8Array, offset: number): number {
  const length = authSectionLength(auth);
  if (auth.type === 'unknown') {
    if (!isUint(auth.code, 8) || digestKinds.has(auth.code) || auth.code === BfdAuthType.simplePassword) {
      throw new BfdEncodeError(`bfd codec: unknown auth type code ${auth.code} must be a free 8-bit code`);
    }
    if (length > 255) throw new BfdEncodeError(`bfd codec: auth section of ${length} octets exceeds Auth Len`);
    return putBytes(buf, put8(buf, put8(buf, offset, auth.code), length), auth.data);
  }
  if (!isUint(auth.keyId, 8)) throw new BfdEncodeError(`bfd codec: auth key id ${auth.keyId} out of range`);
  if (auth.type === 'simple-password') {
    if (auth.password.length < 1 || auth.password.length > 16) {
      throw new BfdEncodeError(`bfd codec: simple password of ${auth.password.length} octets, must be 1..16`);
    }
    const at = put8(buf, put8(buf, put8(buf, offset, BfdAuthType.simplePassword), length), auth.keyId);
    return putBytes(buf, at, auth.password);
  }
  if (!isUint(auth.sequence, 32)) throw new BfdEncodeError(`bfd codec: auth sequence ${auth.sequence} out of range`);
  if (auth.digest.length !== digestOctets(auth.type)) {
    throw new BfdEncodeError(`bfd codec: ${auth.type} digest of ${auth.digest.length} octets, must be ${digestOctets(auth.type)}`);
  }
  let at = put8(buf, offset, digestCodes[auth.type]);
  at = put8(buf, at, length);
  at = put8(buf, at, auth.keyId);
  at = put8(buf, at, 0); // Reserved: zero on transmit, ignored on receipt
  at = put32(buf, at, auth.sequence);
  return putBytes(buf, at, auth.digest);
}

/**
 * The section from `start` to `end` (the packet's Length): Auth Len must cover exactly that
 * and be the length its Auth Type prescribes. The caller has checked `end - start >= 2`.
 */
export function decodeAuthSection(bytes: Uint8Array, start: number, end: number): BfdAuthSection {
  const code = u8(bytes, start);
  const length = u8(bytes, start + 1);
  if (length !== end - start) {
    throw new BfdWireError('auth-length', `Auth Len ${length} but ${end - start} octets follow the mandatory section`);
  }
  const kind = digestKinds.get(code);
  if (code === BfdAuthType.simplePassword) {
    if (length < 4 || length > 19) throw new BfdWireError('auth-type-length', `simple password Auth Len ${length}, must be 4..19`);
    return { type: 'simple-password', keyId: u8(bytes, start + 2), password: bytes.slice(start + 3, end) };
  }
  if (kind !== undefined) {
    const expected = 8 + digestOctets(kind);
    if (length !== expected) throw new BfdWireError('auth-type-length', `${kind} Auth Len ${length}, must be ${expected}`);
    return { type: kind, keyId: u8(bytes, start + 2), sequence: u32(bytes, start + 4), digest: bytes.slice(start + 8, end) };
  }
  return { type: 'unknown', code, data: bytes.slice(start + 2, end) };
}
