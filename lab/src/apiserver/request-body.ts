// A write's body, whatever the client sent it as: JSON, YAML, or the protobuf kubectl's typed
// clients use for built-in kinds (custom resources have no protobuf form: 415, as the real server).

import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest, Reason } from './errors.js';
import { decodeBody, mediaType, readBody, readBodyBytes } from './http-io.js';
import type { Json } from './json.js';
import { decodeK8sProtobuf, PROTOBUF_MEDIA_TYPE, ProtobufError } from './protobuf/index.js';

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
