// Bodies in protobuf as well as JSON: a write's body whatever the client sent it as (kubectl's
// typed clients send built-in kinds as protobuf), and an answer in protobuf to a client that takes nothing else.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, Reason } from './errors.js';
import { decodeBody, mediaType, readBody, readBodyBytes } from './http-io.js';
import type { Json, JsonObject } from './json.js';
import { decodeK8sProtobuf, encodeK8sProtobuf, PROTOBUF_MEDIA_TYPE, ProtobufError } from './protobuf/index.js';
import { parseAccept } from './tables/index.js';

/** `apiVersion` and `kind` are what the URL serves, for a protobuf envelope that leaves them out. */
export async function readRequestObject(req: IncomingMessage, apiVersion: string, kind: string): Promise<Json> {
  const media = mediaType(req);
  if (media !== PROTOBUF_MEDIA_TYPE) return decodeBody(await readBody(req), media);
  try {
    return decodeK8sProtobuf(await readBodyBytes(req), { defaults: { apiVersion, kind } }).object;
  } catch (e) {
    if (!(e instanceof ProtobufError)) throw e;
    if (e.reason === 'UnknownKind' || e.reason === 'UnsupportedEncoding') throw new ApiError(415, Reason.UnsupportedMediaType, `the body of the request was in an unknown format (${PROTOBUF_MEDIA_TYPE} for ${kind}): ${e.message}`);
    throw badRequest(`the request body is not a valid ${kind} in protobuf: ${e.message}`);
  }
}

/** An Accept header naming protobuf and nothing JSON can answer (no JSON, no wildcard). */
export function acceptsOnlyProtobuf(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return false;
  const types = parseAccept(accept).map((c) => `${c.type}/${c.subType}`.toLowerCase());
  return types.includes(PROTOBUF_MEDIA_TYPE) && !types.some((t) => t === 'application/json' || t.endsWith('+json') || t === '*/*' || t === 'application/*');
}

/** The object in protobuf; a kind this server has no protobuf form for is 406, as the real server's for custom resources. */
export function sendProtobuf(res: ServerResponse, code: number, value: JsonObject): void {
  let bytes: Uint8Array;
  try {
    bytes = encodeK8sProtobuf(value);
  } catch (e) {
    if (!(e instanceof ProtobufError)) throw e;
    throw new ApiError(406, Reason.NotAcceptable, `only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf (this ${String(value['kind'])} has no protobuf form here: ${e.message})`);
  }
  res.writeHead(code, { 'content-type': PROTOBUF_MEDIA_TYPE, 'content-length': String(bytes.length) });
  res.end(bytes);
}
