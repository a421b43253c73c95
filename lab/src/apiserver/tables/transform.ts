// The response body once the Accept header has picked a conversion: the object or list
// itself, its metadata only (PartialObjectMetadata[List]), or a Table; 406s as the real server words them.

import { ApiError, Reason } from '../errors.js';
import type { Json, JsonObject } from '../json.js';
import type { Conversion } from './accept.js';
import { partialObjectMetadata, parseIncludeObject, toTable, type PartialObjectMetadata, type Table, type TableResource } from './table.js';

export type Response = { list: true; value: JsonObject; items: readonly JsonObject[] } | { list: false; value: JsonObject };

export interface PartialObjectMetadataList {
  kind: 'PartialObjectMetadataList';
  apiVersion: string;
  metadata: JsonObject;
  items: PartialObjectMetadata[] | null;
}

export type ResponseBody = JsonObject | Table | PartialObjectMetadata | PartialObjectMetadataList;

export interface TransformOptions {
  now: Date;
  /** The request's query, for `includeObject`. */
  query: URLSearchParams;
  /** The served version's additionalPrinterColumns, for custom resources. */
  crdColumns?: Json | undefined;
}

/** The Go type in kube-apiserver's messages: `*core.PodList`, `*unstructured.Unstructured`. */
function goType(type: TableResource, value: JsonObject): string {
  const kind = typeof value['kind'] === 'string' ? value['kind'] : '';
  if (type.crd !== undefined) return kind.endsWith('List') ? '*unstructured.UnstructuredList' : '*unstructured.Unstructured';
  const pkg = type.group === '' || type.group === 'events.k8s.io' ? 'core' : (type.group.split('.')[0] ?? type.group);
  return `*${pkg}.${kind}`;
}

const notAcceptable = (message: string): ApiError => new ApiError(406, Reason.NotAcceptable, message);

function listMeta(value: JsonObject): JsonObject {
  const m = typeof value['metadata'] === 'object' && value['metadata'] !== null && !Array.isArray(value['metadata']) ? value['metadata'] : {};
  const out: JsonObject = {};
  for (const k of ['resourceVersion', 'continue', 'remainingItemCount']) if (m[k] !== undefined && m[k] !== '') out[k] = m[k] as Json;
  return out;
}

/**
 * What the server writes for `response` given the negotiated `conversion`: the lead's list or
 * object unchanged when there is none. Throws the 400/406 ApiErrors the real server answers with.
 */
export function transformResponse(conversion: Conversion | undefined, type: TableResource, response: Response, opts: TransformOptions): ResponseBody {
  if (conversion === undefined) return response.value;
  const { kind, version } = conversion;
  if (kind === 'Table') {
    const includeObject = parseIncludeObject(opts.query);
    const m = listMeta(response.value);
    const objects = response.list ? response.items : [response.value];
    const resourceVersion = typeof m['resourceVersion'] === 'string' ? m['resourceVersion'] : undefined;
    const cont = typeof m['continue'] === 'string' ? m['continue'] : undefined;
    return toTable(type, objects, {
      now: opts.now,
      includeObject,
      version,
      crdColumns: opts.crdColumns,
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
      ...(cont === undefined ? {} : { continue: cont }),
    });
  }
  if (kind === 'PartialObjectMetadata') {
    if (response.list) throw notAcceptable(`you requested PartialObjectMetadata, but the requested object is a list (${goType(type, response.value)})`);
    return partialObjectMetadata(response.value, version);
  }
  if (!response.list) throw notAcceptable(`you requested PartialObjectMetadataList, but the requested object is not a list (${goType(type, response.value)})`);
  const items = response.items.map((o) => partialObjectMetadata(o, version));
  // Built by appending to a nil slice, the real list encodes no items as null.
  return { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${version}`, metadata: listMeta(response.value), items: items.length === 0 ? null : items };
}
