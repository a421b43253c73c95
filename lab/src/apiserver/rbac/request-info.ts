// What a request asks for, in the authorizer's terms, computed from the method, the URL path and
// the query the way the real request-info resolver (k8s.io/apiserver endpoints/request) does.

import type { RequestAttributes, UserInfo } from '../identity.js';
import { listQuery } from './list-options.js';

export class RequestInfoError extends Error {
  override readonly name = 'RequestInfoError';
  /** The real server's text (it answers 500 "failed to create RequestInfo: <text>"). */
  readonly kubeMessage: string;
  constructor(kubeMessage: string) {
    super(`rbac/request-info: ${kubeMessage}`);
    this.kubeMessage = kubeMessage;
  }
}

/** `/api/v1/proxy/...` and `/api/v1/watch/...`: the verb is in the path. */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** `/api/v1/namespaces/x/status` is the namespace's status, not a resource named "status". */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const VERB_OF_METHOD: Readonly<Record<string, string>> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** The percent-decoded path, as Go's URL.Path holds it (an encoded "/" splits there too). */
function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    throw new RequestInfoError(`invalid URL escape in path ${JSON.stringify(pathname)}`);
  }
}

/** Leading and trailing slashes trimmed, then split: inner empty segments stay, as in Go. */
function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

/**
 * `pathname` as the URL carries it (percent-encoded), `method` in upper case as Node gives it.
 * Paths outside /api/V/... and /apis/G/V/... (discovery, /version, /healthz) are non-resource
 * requests whose verb is the method in lower case. Throws RequestInfoError where the real server
 * fails the request: `/api/v1/watch` with nothing after the verb, or a path that is not valid
 * percent-encoding.
 */
export function requestAttributes(user: UserInfo, method: string, pathname: string, query: URLSearchParams): RequestAttributes {
  const path = decodePath(pathname);
  const nonResource: RequestAttributes = { kind: 'nonResource', user, verb: method.toLowerCase(), path };
  let parts = splitPath(path);
  const prefix = parts[0];
  if (parts.length < 3 || (prefix !== 'api' && prefix !== 'apis')) return nonResource;
  parts = parts.slice(1);
  let apiGroup = '';
  if (prefix === 'apis') {
    if (parts.length < 3) return nonResource;
    apiGroup = parts[0] ?? '';
    parts = parts.slice(1);
  }
  const apiVersion = parts[0] ?? '';
  parts = parts.slice(1);

  let verb: string;
  const first = parts[0] ?? '';
  if (SPECIAL_VERBS.has(first)) {
    if (parts.length < 2) {
      const q = query.toString();
      throw new RequestInfoError(`unable to determine kind and namespace from url, ${pathname}${q === '' ? '' : `?${q}`}`);
    }
    verb = first;
    parts = parts.slice(1);
  } else verb = VERB_OF_METHOD[method] ?? '';

  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1] ?? '';
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? '')) parts = parts.slice(2);
  }

  const resource = parts[0] ?? '';
  let name = parts[1] ?? '';
  const subresource = parts.length >= 3 && verb !== 'proxy' ? (parts[2] ?? '') : '';

  if (name === '' && verb === 'get') {
    const list = listQuery(query);
    verb = list.watch ? 'watch' : 'list';
    name = list.name;
  }
  if (name === '' && verb === 'delete') verb = 'deletecollection';
  return { kind: 'resource', user, verb, apiGroup, apiVersion, resource, subresource, name, namespace };
}
