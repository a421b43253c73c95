// A PATCH body's media type picks the patch flavour; clients act on the status code, so each
// flavour's failures map to what kube-apiserver answers (400, 415, 422), not a generic 500.

import { ApiError, badRequest, Reason } from './errors.js';
import { decodeBody } from './http-io.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { applyJsonPatch, JsonPatchError, parseJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import type { ResourceType } from './resources.js';
import { applyStrategicMergePatch, StrategicMergeError } from './strategic-merge.js';

export function patchObject(type: ResourceType, current: JsonObject, text: string, media: string): JsonObject {
  let result: Json;
  try {
    switch (media) {
      case 'application/merge-patch+json':
        result = applyMergePatch(current, decodeBody(text, 'application/json'));
        break;
      case 'application/json-patch+json':
        result = applyJsonPatch(current, parseJsonPatch(decodeBody(text, 'application/json')));
        break;
      case 'application/strategic-merge-patch+json':
        if (type.patchMeta === undefined) {
          throw new ApiError(415, Reason.UnsupportedMediaType, `strategic merge patch is not supported for ${type.kind}.${type.group}: use application/merge-patch+json or application/json-patch+json`);
        }
        result = applyStrategicMergePatch(current, decodeBody(text, 'application/json'), type.patchMeta);
        break;
      case 'application/apply-patch+yaml':
        throw new ApiError(415, Reason.UnsupportedMediaType, 'server-side apply (application/apply-patch+yaml) is not supported by headland-apiserver: use client-side apply or a merge patch');
      default:
        throw new ApiError(415, Reason.UnsupportedMediaType, `the body of the request was in an unknown format (${media}) - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
    }
  } catch (e) {
    if (e instanceof JsonPatchError) throw new ApiError(e.message.includes('test failed') ? 422 : 400, e.message.includes('test failed') ? Reason.Invalid : Reason.BadRequest, e.message);
    if (e instanceof StrategicMergeError) throw badRequest(e.message);
    throw e;
  }
  if (!isObject(result)) throw badRequest('the patched object is not a JSON object');
  return result;
}
