// Requests on /api/v1/... and /apis/G/V/...: checks the path against the served type, then maps
// each verb (list, watch, create, delete a collection; get, update, patch, delete one) onto the store.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { admit, parseFieldValidation, type AdmitContext } from './admission.js';
import type { Actions } from './actions.js';
import type { AdmissionWebhooks } from './admission-webhooks.js';
import type { PodLogs } from './pod-logs.js';
import type { CrdTypes } from './crd-types.js';
import { ApiError, badRequest, Reason } from './errors.js';
import { decodeBody, mediaType, readBody, sendJson } from './http-io.js';
import { acceptsOnlyProtobuf, readRequestObject, sendProtobuf } from './request-body.js';
import { clone, isObject, type Json, type JsonObject } from './json.js';
import { patchObject } from './patch.js';
import type { Registry } from './registry.js';
import { apiVersionOf, resourceKey, type ResourceType } from './resources.js';
import type { Route } from './routes.js';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import type { Store } from './store.js';
import { SERVICES, type ServiceRegistry } from './service-registry.js';
import { negotiate, printerColumnsOf, toTable, transformResponse, type Conversion } from './tables/index.js';
import type { UserInfo } from './identity.js';
import { selects, type WatchFilter } from './watch-filter.js';
import type { Watches } from './watches.js';

const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };

export type ResourceRoute = Extract<Route, { kind: 'resource' }>;

export class ResourceHandler {
  constructor(
    private readonly registry: Registry,
    private readonly store: Store,
    private readonly watches: Watches,
    private readonly crds: CrdTypes,
    private readonly services: ServiceRegistry,
    private readonly actions: Actions,
    private readonly webhooks: AdmissionWebhooks,
    private readonly logs: PodLogs,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, route: ResourceRoute, method: string, user: UserInfo): Promise<void> {
    const type = this.registry.find(route.group, route.version, route.plural);
    if (type === undefined) {
      throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (${route.plural}.${apiVersionOf(route.group, route.version)})`);
    }
    if (route.namespace !== undefined && !type.namespaced) throw new ApiError(404, Reason.NotFound, `${type.plural} is not namespaced`);
    const action = type.actions?.find((a) => a.subresource === route.subresource);
    if (route.subresource !== undefined && route.name !== undefined && type.readSubresources?.includes(route.subresource) === true) {
      if (method !== 'GET') throw new ApiError(405, Reason.MethodNotAllowed, `${method} is not supported on ${type.plural}/${route.subresource}`);
      return this.logs.serve(res, this.store.get(type, route.namespace ?? '', route.name), url.searchParams);
    }
    if (route.subresource !== undefined && !(route.subresource === 'status' && type.hasStatus) && action === undefined) {
      throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (${type.plural}/${route.subresource})`);
    }
    if (type.createOnly === true || action !== undefined) {
      if (method !== 'POST') throw new ApiError(405, Reason.MethodNotAllowed, `${method} is not supported on ${type.plural}${action === undefined ? '' : `/${action.subresource}`}`);
      return this.actions.handle(req, res, { type, route, user, ...(action === undefined ? {} : { action }) });
    }
    const q = url.searchParams;
    if (q.get('dryRun') !== null && q.get('dryRun') !== '') throw badRequest('server: dryRun is not supported by headland-apiserver');
    const ns = type.namespaced ? (route.namespace ?? '') : '';
    const present = (obj: JsonObject): JsonObject => ({ ...obj, apiVersion: apiVersionOf(type.group, route.version), kind: type.kind });
    const ctx: AdmitContext = { fieldValidation: parseFieldValidation(q.get('fieldValidation')), warnings: [] };
    const base = (o: JsonObject): JsonObject => (type.crd === undefined && type.plural === 'customresourcedefinitions' ? this.crds.admit(o, ctx) : admit(type, o, ctx));
    // Services take cluster IPs and node ports in their admit step; /status writes take nothing.
    const allocates = resourceKey(type.group, type.plural) === SERVICES && route.subresource === undefined;
    const store = <T>(run: (w: { admit: (o: JsonObject, old: JsonObject | undefined) => JsonObject }) => T): T =>
      allocates ? this.services.write((allocate) => run({ admit: (o, old) => allocate(base(o), old) })) : run({ admit: base });
    // Admission webhooks see the object as the store would take it, before it is stored.
    const hooked = async (operation: 'CREATE' | 'UPDATE' | 'DELETE', name: string, object: JsonObject | null, old: JsonObject | null): Promise<JsonObject | null> => {
      if (!this.webhooks.any) return object;
      const preview = object === null ? null : present(base(clone(object)));
      const attrs = { operation, type, version: route.version, subresource: route.subresource ?? '', namespace: type.plural === 'namespaces' && operation === 'CREATE' ? '' : ns || (type.plural === 'namespaces' ? name : ''), name, user, object: preview, oldObject: old === null ? null : present(old) };
      return this.webhooks.review(attrs, ctx);
    };
    // JSON unless the client takes protobuf alone (kubectl and client-go always list JSON too).
    const protobufOnly = method === 'GET' && !isWatch(q) && acceptsOnlyProtobuf(req.headers.accept);
    const choice = method === 'GET' && !protobufOnly ? negotiate(req.headers.accept, { watch: isWatch(q) }) : undefined;
    const answer = (code: number, value: JsonObject, list: boolean, items: JsonObject[] = []): void => {
      if (protobufOnly) return sendProtobuf(res, code, value);
      sendJson(res, code, choice?.conversion === undefined ? value : this.convert(choice.conversion, type, route.version, q, list ? { list: true, value, items } : { list: false, value }), ctx.warnings);
    };

    if (route.name === undefined) {
      if (type.namespaced && route.namespace === undefined && method !== 'GET') {
        throw new ApiError(405, Reason.MethodNotAllowed, `${method} on ${type.plural} needs a namespace`);
      }
      const filter = this.filter(type, route.namespace, q);
      const selected = (): JsonObject[] => this.store.list(type, filter.namespace).filter((o) => selects(filter, o));
      const list = (items: JsonObject[]): JsonObject => ({ kind: type.listKind, apiVersion: apiVersionOf(type.group, route.version), metadata: { resourceVersion: String(this.store.resourceVersion) }, items });
      if (method === 'GET') {
        if (isWatch(q)) return this.watches.start(res, q, { type, filter, present: this.watchPresenter(choice?.conversion, type, route.version, q, present), initial: selected });
        const items = selected().map(present);
        return answer(200, list(items), true, items);
      }
      if (method === 'POST') {
        const body = await this.objectBody(req, type, route.version);
        const name = str((body['metadata'] as JsonObject | undefined)?.['name']);
        const admitted = (await hooked('CREATE', name, body, null)) ?? body;
        const created = store((w) => this.store.create(type, ns, admitted, w));
        return sendJson(res, 201, present(created), ctx.warnings);
      }
      if (method === 'DELETE') {
        const items: JsonObject[] = [];
        for (const o of selected()) {
          const m = o['metadata'] as JsonObject;
          await hooked('DELETE', str(m['name']), null, o);
          items.push(present(this.store.delete(type, ns || str(m['namespace']), str(m['name']))));
        }
        return sendJson(res, 200, list(items));
      }
      throw new ApiError(405, Reason.MethodNotAllowed, `${method} is not supported on a collection`);
    }

    const name = route.name;
    const sub = route.subresource === 'status' ? 'status' : undefined;
    switch (method) {
      case 'GET':
        return answer(200, present(this.store.get(type, ns, name)), false);
      case 'PUT': {
        const body = await this.objectBody(req, type, route.version);
        const old = this.webhooks.any ? this.store.get(type, ns, name) : null;
        const admitted = (await hooked('UPDATE', name, body, old)) ?? body;
        return sendJson(res, 200, present(store((w) => this.store.update(type, ns, name, admitted, sub, w))), ctx.warnings);
      }
      case 'PATCH': {
        const current = this.store.get(type, ns, name);
        const patched = patchObject(type, current, await readBody(req), mediaType(req));
        const admitted = (await hooked('UPDATE', name, patched, current)) ?? patched;
        return sendJson(res, 200, present(store((w) => this.store.update(type, ns, name, admitted, sub, w))), ctx.warnings);
      }
      case 'DELETE': {
        const text = await readBody(req);
        const opts = text.trim() === '' ? {} : decodeBody(text, mediaType(req));
        const pre = isObject(opts) && isObject(opts['preconditions']) ? opts['preconditions'] : {};
        const pc: { uid?: string; resourceVersion?: string; gracePeriodSeconds?: number } = {};
        if (typeof pre['uid'] === 'string') pc.uid = pre['uid'];
        if (typeof pre['resourceVersion'] === 'string') pc.resourceVersion = pre['resourceVersion'];
        const grace = isObject(opts) ? opts['gracePeriodSeconds'] : undefined;
        if (typeof grace === 'number' && Number.isInteger(grace) && grace >= 0) pc.gracePeriodSeconds = grace;
        if (this.webhooks.any) await hooked('DELETE', name, null, this.store.get(type, ns, name));
        return sendJson(res, 200, present(this.store.delete(type, ns, name, pc)));
      }
      default:
        throw new ApiError(405, Reason.MethodNotAllowed, `${method} is not supported on ${type.plural}/${name}`);
    }
  }

  /** A list or object as the Table (or PartialObjectMetadata) kubectl asked for. */
  private convert(conversion: Conversion, type: ResourceType, version: string, q: URLSearchParams, response: { list: true; value: JsonObject; items: JsonObject[] } | { list: false; value: JsonObject }): unknown {
    return transformResponse(conversion, type, response, { now: new Date(), query: q, ...this.crdColumns(type, version) });
  }

  private crdColumns(type: ResourceType, version: string): { crdColumns?: Json } {
    if (type.crd === undefined) return {};
    const crd = this.store.find(this.registry.builtIn(CRDS.group, CRDS.version, CRDS.plural), '', type.crd);
    const columns = crd === undefined ? undefined : printerColumnsOf(crd, version);
    return columns === undefined ? {} : { crdColumns: columns };
  }

  /** `kubectl get -w`: each event's object a one-row Table, the column headers only in the first. */
  private watchPresenter(conversion: Conversion | undefined, type: ResourceType, version: string, q: URLSearchParams, present: (o: JsonObject) => JsonObject): (o: JsonObject) => JsonObject {
    if (conversion?.kind !== 'Table') return present;
    let first = true;
    return (o) => {
      const table = toTable(type, [present(o)], { now: new Date(), version: conversion.version, ...this.crdColumns(type, version), noHeaders: !first, includeObject: 'Metadata' }) as unknown as JsonObject;
      first = false;
      return table;
    };
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
    const body = await readRequestObject(req, apiVersionOf(type.group, version), type.kind);
    if (!isObject(body)) throw badRequest(`the request body must be a ${type.kind} object, got ${Array.isArray(body) ? 'an array' : typeof body}`);
    const want = apiVersionOf(type.group, version);
    if (body['kind'] !== undefined && body['kind'] !== type.kind) throw badRequest(`the body is a ${String(body['kind'])}, but the URL is for ${type.kind}`);
    if (body['apiVersion'] !== undefined && body['apiVersion'] !== want) throw badRequest(`the body has apiVersion ${String(body['apiVersion'])}, but the URL is for ${want}`);
    return body;
  }
}

function isWatch(q: URLSearchParams): boolean {
  const watch = q.get('watch');
  return watch === '1' || watch === 'true';
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
