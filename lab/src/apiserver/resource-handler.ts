// Requests on /api/v1/... and /apis/G/V/...: checks the path against the served type, then maps
// each verb (list, watch, create, delete a collection; get, update, patch, delete one) onto the store.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { admit, parseFieldValidation, type AdmitContext } from './admission.js';
import type { CrdTypes } from './crd-types.js';
import { ApiError, badRequest, Reason } from './errors.js';
import { decodeBody, mediaType, readBody, sendJson } from './http-io.js';
import { isObject, type JsonObject } from './json.js';
import { patchObject } from './patch.js';
import type { Registry } from './registry.js';
import { apiVersionOf, resourceKey, type ResourceType } from './resources.js';
import type { Route } from './routes.js';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import type { Store } from './store.js';
import { selects, type WatchFilter } from './watch-filter.js';
import type { Watches } from './watches.js';

export type ResourceRoute = Extract<Route, { kind: 'resource' }>;

export class ResourceHandler {
  constructor(
    private readonly registry: Registry,
    private readonly store: Store,
    private readonly watches: Watches,
    private readonly crds: CrdTypes,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, route: ResourceRoute, method: string): Promise<void> {
    const type = this.registry.find(route.group, route.version, route.plural);
    if (type === undefined) {
      throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (${route.plural}.${apiVersionOf(route.group, route.version)})`);
    }
    if (route.namespace !== undefined && !type.namespaced) throw new ApiError(404, Reason.NotFound, `${type.plural} is not namespaced`);
    if (route.subresource !== undefined && !(route.subresource === 'status' && type.hasStatus)) {
      throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (${type.plural}/${route.subresource})`);
    }
    const q = url.searchParams;
    if (q.get('dryRun') !== null && q.get('dryRun') !== '') throw badRequest('server: dryRun is not supported by headland-apiserver');
    const ns = type.namespaced ? (route.namespace ?? '') : '';
    const present = (obj: JsonObject): JsonObject => ({ ...obj, apiVersion: apiVersionOf(type.group, route.version), kind: type.kind });
    const ctx: AdmitContext = { fieldValidation: parseFieldValidation(q.get('fieldValidation')), warnings: [] };
    const write = { admit: (o: JsonObject) => (type.crd === undefined && type.plural === 'customresourcedefinitions' ? this.crds.admit(o, ctx) : admit(type, o, ctx)) };

    if (route.name === undefined) {
      if (type.namespaced && route.namespace === undefined && method !== 'GET') {
        throw new ApiError(405, Reason.MethodNotAllowed, `${method} on ${type.plural} needs a namespace`);
      }
      const filter = this.filter(type, route.namespace, q);
      const selected = (): JsonObject[] => this.store.list(type, filter.namespace).filter((o) => selects(filter, o));
      const list = (items: JsonObject[]): JsonObject => ({ kind: type.listKind, apiVersion: apiVersionOf(type.group, route.version), metadata: { resourceVersion: String(this.store.resourceVersion) }, items });
      if (method === 'GET') {
        const watch = q.get('watch');
        if (watch === '1' || watch === 'true') return this.watches.start(res, q, { type, filter, present, initial: selected });
        return sendJson(res, 200, list(selected().map(present)));
      }
      if (method === 'POST') {
        const body = await this.objectBody(req, type, route.version);
        const created = this.store.create(type, ns, body, write);
        return sendJson(res, 201, present(created), ctx.warnings);
      }
      if (method === 'DELETE') {
        const items = selected().map((o) => present(this.store.delete(type, ns || String((o['metadata'] as JsonObject)['namespace'] ?? ''), String((o['metadata'] as JsonObject)['name']))));
        return sendJson(res, 200, list(items));
      }
      throw new ApiError(405, Reason.MethodNotAllowed, `${method} is not supported on a collection`);
    }

    const name = route.name;
    const sub = route.subresource === 'status' ? 'status' : undefined;
    switch (method) {
      case 'GET':
        return sendJson(res, 200, present(this.store.get(type, ns, name)));
      case 'PUT': {
        const body = await this.objectBody(req, type, route.version);
        return sendJson(res, 200, present(this.store.update(type, ns, name, body, sub, write)), ctx.warnings);
      }
      case 'PATCH': {
        const current = this.store.get(type, ns, name);
        const patched = patchObject(type, current, await readBody(req), mediaType(req));
        return sendJson(res, 200, present(this.store.update(type, ns, name, patched, sub, write)), ctx.warnings);
      }
      case 'DELETE': {
        const text = await readBody(req);
        const opts = text.trim() === '' ? {} : decodeBody(text, mediaType(req));
        const pre = isObject(opts) && isObject(opts['preconditions']) ? opts['preconditions'] : {};
        const pc: { uid?: string; resourceVersion?: string } = {};
        if (typeof pre['uid'] === 'string') pc.uid = pre['uid'];
        if (typeof pre['resourceVersion'] === 'string') pc.resourceVersion = pre['resourceVersion'];
        return sendJson(res, 200, present(this.store.delete(type, ns, name, pc)));
      }
      default:
        throw new ApiError(405, Reason.MethodNotAllowed, `${method} is not supported on ${type.plural}/${name}`);
    }
  }

  private filter(type: ResourceType, namespace: string | undefined, q: URLSearchParams): WatchFilter {
    try {
      return {
        resource: resourceKey(type.group, type.plural),
        namespace,
        labels: parseLabelSelector(q.get('labelSelector') ?? ''),
        fields: parseFieldSelector(q.get('fieldSelector') ?? '', type.selectableFields),
      };
    } catch (e) {
      if (e instanceof SelectorError) throw badRequest(e.message);
      throw e;
    }
  }

  private async objectBody(req: IncomingMessage, type: ResourceType, version: string): Promise<JsonObject> {
    const body = decodeBody(await readBody(req), mediaType(req));
    if (!isObject(body)) throw badRequest(`the request body must be a ${type.kind} object, got ${Array.isArray(body) ? 'an array' : typeof body}`);
    const want = apiVersionOf(type.group, version);
    if (body['kind'] !== undefined && body['kind'] !== type.kind) throw badRequest(`the body is a ${String(body['kind'])}, but the URL is for ${type.kind}`);
    if (body['apiVersion'] !== undefined && body['apiVersion'] !== want) throw badRequest(`the body has apiVersion ${String(body['apiVersion'])}, but the URL is for ${want}`);
    return body;
  }
}
