// Just enough OpenAPI v3 for kubectl 1.32: per group-version documents whose PATCH
// operations carry the GVK and the `fieldValidation` parameter, so kubectl leaves
// validation to this server, and no strategic-merge content, so it patches from built-in types.

import { createHash } from 'node:crypto';
import type { Registry } from './registry.js';
import type { JsonObject } from './json.js';

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

const PATCH_CONTENT = {
  'application/json-patch+json': { schema: { type: 'object' } },
  'application/merge-patch+json': { schema: { type: 'object' } },
  'application/apply-patch+yaml': { schema: { type: 'object' } },
};

const QUERY = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({ name, in: 'query', schema: { type: 'string' } }));

export function openApiGroupVersion(registry: Registry, group: string, version: string): JsonObject {
  const paths: JsonObject = {};
  for (const t of registry.all()) {
    if (t.group !== group || !t.versions.includes(version)) continue;
    const base = `/${gvPath(group, version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}`;
    const gvk = { group, version, kind: t.kind };
    const op = (verb: string): JsonObject => ({
      operationId: `${verb}${t.kind}`,
      'x-kubernetes-group-version-kind': gvk,
      parameters: QUERY,
      responses: { '200': { description: 'OK' } },
    });
    paths[`${base}/{name}`] = {
      get: op('read'),
      put: op('replace'),
      delete: op('delete'),
      patch: { ...op('patch'), requestBody: { content: PATCH_CONTENT, required: true } },
    };
    paths[base] = { get: op('list'), post: op('create') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}

/** The root index: one entry per group-version, the hash changing whenever its document does. */
export function openApiRoot(registry: Registry): JsonObject {
  const paths: JsonObject = {};
  for (const [group, versions] of registry.groups()) {
    for (const version of versions) {
      const doc = JSON.stringify(openApiGroupVersion(registry, group, version));
      const hash = createHash('sha512').update(doc).digest('hex').slice(0, 128).toUpperCase();
      paths[gvPath(group, version)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}` };
    }
  }
  return { paths };
}
