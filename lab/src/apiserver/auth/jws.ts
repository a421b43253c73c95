// Reading a compact JWS (header.payload.signature) before its signature is checked: the real
// server peeks at `iss` to find the authenticator a token belongs to, and garbled tokens stop here.

import type { JsonObject } from '../json.js';
import { isObject } from '../json.js';

export class JwsParseError extends Error {
  override readonly name = 'JwsParseError';
}

export interface CompactJws {
  readonly header: JsonObject;
  /** The claims, NOT verified: trust nothing in them before the signature is checked. */
  readonly payload: JsonObject;
}

// base64url without padding (RFC 7515 §2); a length of 4n+1 can never come out of an encoder.
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodePart(part: string, what: string): Buffer {
  if (part === '') throw new JwsParseError(`jws: the ${what} is empty`);
  if (!BASE64URL.test(part) || part.length % 4 === 1) throw new JwsParseError(`jws: the ${what} is not base64url`);
  return Buffer.from(part, 'base64url');
}

function decodeJson(part: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(decodePart(part, what).toString('utf8'));
  } catch (e) {
    if (e instanceof JwsParseError) throw e;
    throw new JwsParseError(`jws: the ${what} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(value)) throw new JwsParseError(`jws: the ${what} is not a JSON object`);
  return value;
}

/** Splits and decodes a compact JWS; throws JwsParseError naming the first thing that is wrong. */
export function parseCompactJws(token: string): CompactJws {
  if (token.trimStart().startsWith('{')) throw new JwsParseError('jws: JSON serialization, not the compact form');
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwsParseError(`jws: expected 3 dot-separated parts, got ${parts.length}`);
  const [header = '', payload = '', signature = ''] = parts;
  const out = { header: decodeJson(header, 'header'), payload: decodeJson(payload, 'payload') };
  decodePart(signature, 'signature');
  return out;
}
