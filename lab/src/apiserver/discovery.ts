// The read-only documents kubectl and client-go fetch before touching a resource (version,
// discovery, OpenAPI); all are answers about the registry, none about stored objects.

import type { ServerResponse } from 'node:http';
import { ApiError, Reason } from './errors.js';
import { sendJson } from './http-io.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import type { Registry } from './registry.js';
import { apiVersionOf } from './resources.js';
import type { Route } from './routes.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-headland',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export type DiscoveryRoute = Extract<Route, { kind: 'version' | 'apiVersions' | 'apiGroupList' | 'apiGroup' | 'resourceList' | 'openapiRoot' | 'openapiGroupVersion' }>;

/** `address` is where the server listens, which /api reports to clients. */
export function serveDiscovery(res: ServerResponse, route: DiscoveryRoute, method: string, pathname: string, registry: Registry, address: string): void {
  if (method !== 'GET') throw new ApiError(405, Reason.MethodNotAllowed, `${method} is not supported on ${pathname}`);
  switch (route.kind) {
    case 'version':
      return sendJson(res, 200, SERVER_VERSION);
    case 'apiVersions':
      return sendJson(res, 200, registry.apiVersions(address));
    case 'apiGroupList':
      return sendJson(res, 200, registry.apiGroupList());
    case 'apiGroup': {
      const doc = registry.apiGroupDoc(route.group);
      if (doc === undefined) throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (group ${route.group})`);
      return sendJson(res, 200, doc);
    }
    case 'resourceList':
      if (!registry.servesGroupVersion(route.group, route.version)) {
        throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (${apiVersionOf(route.group, route.version)})`);
      }
      return sendJson(res, 200, registry.apiResourceList(route.group, route.version));
    case 'openapiRoot':
      return sendJson(res, 200, openApiRoot(registry));
    case 'openapiGroupVersion':
      if (!registry.servesGroupVersion(route.group, route.version)) throw new ApiError(404, Reason.NotFound, `no OpenAPI document for ${apiVersionOf(route.group, route.version)}`);
      return sendJson(res, 200, openApiGroupVersion(registry, route.group, route.version));
  }
}
