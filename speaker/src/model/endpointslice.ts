// An EndpointSlice (discovery.k8s.io/v1) as plain JSON to SliceInfo: its Service, its address
// family, and each endpoint's node and conditions with Kubernetes' defaults applied.
import { ObjectReader, readMeta, show } from './reader.js';
import type { Converted, EndpointRecord, SliceInfo } from './types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const FAMILY_OF_ADDRESS_TYPE: Readonly<Record<string, 4 | 6 | undefined>> = { IPv4: 4, IPv6: 6, FQDN: undefined };

/**
 * Undefined value for a slice that names no Service (not managed for one, so not ours to
 * count) or is FQDN; a slice whose identity is readable but some endpoint is not keeps the rest.
 */
export function sliceFromJSON(obj: unknown): Converted<SliceInfo> {
  const r = new ObjectReader('model/endpointslice', 'EndpointSlice');
  const id = readMeta(r, obj, true);
  if (id === undefined) return { value: undefined, problems: r.problems };
  const root = obj as Record<string, unknown>;
  const labels = r.strings(id.meta['labels'], 'metadata.labels');
  const serviceName = labels[SERVICE_NAME_LABEL];
  if (serviceName === undefined || serviceName === '') return { value: undefined, problems: r.problems };

  const addressType = root['addressType'];
  if (typeof addressType !== 'string' || !Object.hasOwn(FAMILY_OF_ADDRESS_TYPE, addressType)) {
    r.problem('addressType', `must be IPv4, IPv6 or FQDN, not ${show(addressType)}`);
    return { value: undefined, problems: r.problems };
  }
  const family = FAMILY_OF_ADDRESS_TYPE[addressType];
  if (family === undefined) return { value: undefined, problems: r.problems };

  const endpoints: EndpointRecord[] = [];
  r.optList(root['endpoints'], 'endpoints').forEach((e, i) => {
    const path = `endpoints[${i}]`;
    const before = r.problems.length;
    const endpoint = r.optObj(e, path);
    const conditions = r.optObj(endpoint['conditions'], `${path}.conditions`);
    const ready = r.optBool(conditions['ready'], `${path}.conditions.ready`) ?? true;
    const serving = r.optBool(conditions['serving'], `${path}.conditions.serving`) ?? ready;
    const terminating = r.optBool(conditions['terminating'], `${path}.conditions.terminating`) ?? false;
    const nodeName = r.optStr(endpoint['nodeName'], `${path}.nodeName`);
    // A half-read endpoint could count as ready when it is not: leave it out entirely.
    if (r.problems.length > before || !isRecordLike(e)) return;
    endpoints.push({ nodeName: nodeName === '' ? undefined : nodeName, ready, serving, terminating });
  });

  return { value: { key: `${id.namespace}/${id.name}`, serviceKey: `${id.namespace}/${serviceName}`, family, endpoints }, problems: r.problems };
}

function isRecordLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
