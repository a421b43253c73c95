// URL paths of the Kubernetes REST API, parsed into what they address: discovery, OpenAPI,
// or a resource (group, version, namespace, plural, name, subresource). Pure.

export type Route =
  | { kind: 'version' }
  | { kind: 'health'; which: string }
  | { kind: 'metrics' }
  | { kind: 'dropWatches' }
  | { kind: 'apiVersions' }
  | { kind: 'apiGroupList' }
  | { kind: 'apiGroup'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | { kind: 'openapiRoot' }
  | { kind: 'openapiGroupVersion'; group: string; version: string }
  | { kind: 'resource'; group: string; version: string; namespace: string | undefined; plural: string; name: string | undefined; subresource: string | undefined }
  | { kind: 'unknown' };

/** Path below /api/v1 or /apis/G/V, e.g. ['namespaces', 'default', 'services', 'web', 'status']. */
function resourcePath(group: string, version: string, rest: string[]): Route {
  const r = (namespace: string | undefined, plural: string | undefined, name: string | undefined, subresource: string | undefined, extra: number): Route =>
    plural === undefined || plural === '' || extra > 0 || name === ''
      ? { kind: 'unknown' }
      : { kind: 'resource', group, version, namespace, plural, name, subresource };
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && rest.length === 3 && ['status', 'finalize'].includes(rest[2] ?? ''))) {
    return r(rest[1], rest[2], rest[3], rest[4], rest.length - 5);
  }
  return r(undefined, rest[0], rest[1], rest[2], rest.length - 3);
}

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  const [a, b, c, d] = parts;
  switch (a) {
    case 'version':
      return parts.length === 1 ? { kind: 'version' } : { kind: 'unknown' };
    case 'healthz':
    case 'readyz':
    case 'livez':
      return { kind: 'health', which: a };
    case 'metrics':
      return { kind: 'metrics' };
    case '_headland':
      return b === 'drop-watches' && parts.length === 2 ? { kind: 'dropWatches' } : { kind: 'unknown' };
    case 'openapi':
      if (b !== 'v3') return { kind: 'unknown' };
      if (parts.length === 2) return { kind: 'openapiRoot' };
      if (c === 'api' && d !== undefined && parts.length === 4) return { kind: 'openapiGroupVersion', group: '', version: d };
      if (c === 'apis' && d !== undefined && parts.length === 5) return { kind: 'openapiGroupVersion', group: d, version: parts[4] ?? '' };
      return { kind: 'unknown' };
    case 'api':
      if (parts.length === 1) return { kind: 'apiVersions' };
      if (b === undefined) return { kind: 'unknown' };
      if (parts.length === 2) return { kind: 'resourceList', group: '', version: b };
      return resourcePath('', b, parts.slice(2));
    case 'apis':
      if (parts.length === 1) return { kind: 'apiGroupList' };
      if (b === undefined) return { kind: 'unknown' };
      if (parts.length === 2) return { kind: 'apiGroup', group: b };
      if (c === undefined) return { kind: 'unknown' };
      if (parts.length === 3) return { kind: 'resourceList', group: b, version: c };
      return resourcePath(b, c, parts.slice(3));
    default:
      return { kind: 'unknown' };
  }
}
