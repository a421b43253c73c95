// The HTTP face of the in-memory API server: routes requests to discovery, OpenAPI and the
// store, speaks Kubernetes list/get/create/update/patch/delete/watch, and keeps the
// registry of served types in step with the CustomResourceDefinitions in the store.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { admit, parseFieldValidation, type AdmitContext } from './admission.js';
import { ApiError, badRequest, invalid, Reason } from './errors.js';
import { decodeBody, mediaType, readBody, sendError, sendJson } from './http-io.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { applyJsonPatch, JsonPatchError, parseJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { Registry } from './registry.js';
import { apiVersionOf, resourceKey, resourceTypeFromCrd, type ResourceType } from './resources.js';
import { parseRoute, type Route } from './routes.js';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import { Store } from './store.js';
import { applyStrategicMergePatch, StrategicMergeError } from './strategic-merge.js';
import { selects, type WatchFilter } from './watch-filter.js';
import { WatchStream } from './watch-stream.js';

export interface ApiServerOptions {
  /** Watch events kept for resuming watches (default 10,000). */
  historySize?: number;
  /** How often watches with allowWatchBookmarks get a BOOKMARK (default 5 s). */
  bookmarkIntervalMs?: number;
  log?: (line: JsonObject) => void;
  /** Start of the resourceVersion counter; by default the clock in microseconds, so a restarted server's versions never overlap an earlier run's. */
  firstResourceVersion?: number;
}

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

const CRD_KEY = resourceKey('apiextensions.k8s.io', 'customresourcedefinitions');
const START_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)] ?? 'x';
  return s;
}

type ResourceRoute = Extract<Route, { kind: 'resource' }>;

export class ApiServer {
  readonly store: Store;
  readonly registry = new Registry();
  private readonly http: Server;
  private readonly watches = new Set<WatchStream>();
  private readonly bookmarkIntervalMs: number;
  private readonly log: (line: JsonObject) => void;
  private address = '';
  private requests = 0;

  constructor(opts: ApiServerOptions = {}) {
    this.store = new Store({ historySize: opts.historySize ?? 10_000, now: () => new Date(), newUid: randomUUID, nameSuffix: randomSuffix, firstResourceVersion: opts.firstResourceVersion ?? Date.now() * 1000 });
    this.bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 5_000;
    this.log = opts.log ?? (() => undefined);
    this.store.subscribe((e) => {
      if (e.resource !== CRD_KEY) return;
      this.followCrd(e.type, e.object);
    });
    const nsType = this.mustFind('', 'v1', 'namespaces');
    for (const ns of START_NAMESPACES) this.store.create(nsType, '', { metadata: { name: ns } }, { admit: (o) => admit(nsType, o, this.ctx()) });
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => sendError(res, err));
    });
    this.http.keepAliveTimeout = 60_000;
  }

  private ctx(): AdmitContext {
    return { fieldValidation: 'Warn', warnings: [] };
  }

  private mustFind(group: string, version: string, plural: string): ResourceType {
    const t = this.registry.find(group, version, plural);
    if (t === undefined) throw new Error(`server: built-in type ${group}/${version}/${plural} missing`);
    return t;
  }

  /** The registry follows CRDs in the store; a deleted CRD takes its objects and watches with it. */
  private followCrd(event: string, crd: JsonObject): void {
    if (event === 'DELETED') {
      const spec = isObject(crd['spec']) ? crd['spec'] : {};
      const names = isObject(spec['names']) ? spec['names'] : {};
      const removed = this.registry.remove(String(spec['group'] ?? ''), String(names['plural'] ?? ''));
      if (removed === undefined) return;
      this.log({ level: 'info', msg: 'custom resource type removed', group: removed.group, plural: removed.plural });
      this.store.dropType(removed);
      for (const w of [...this.watches]) if (w.resource === resourceKey(removed.group, removed.plural)) w.close();
      return;
    }
    const type = resourceTypeFromCrd(crd);
    if (this.registry.put(type) && event === 'ADDED') {
      this.log({ level: 'info', msg: 'custom resource type served', group: type.group, versions: [...type.versions], plural: type.plural, kind: type.kind });
    }
  }

  /** Creates (or replaces) a CRD, as `--crds DIR` does at start. */
  applyCrd(crd: JsonObject): JsonObject {
    const type = this.mustFind('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    const name = isObject(crd['metadata']) ? String(crd['metadata']['name'] ?? '') : '';
    const write = { admit: (o: JsonObject) => this.admitCrd(o, this.ctx()) };
    try {
      const existing = this.store.get(type, '', name);
      const next = { ...crd, metadata: { ...(isObject(crd['metadata']) ? crd['metadata'] : {}), resourceVersion: (existing['metadata'] as JsonObject)['resourceVersion'] ?? '' } };
      return this.store.update(type, '', name, next, undefined, write);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return this.store.create(type, '', crd, write);
      throw e;
    }
  }

  private admitCrd(obj: JsonObject, ctx: AdmitContext): JsonObject {
    const crdType = this.mustFind('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    const out = admit(crdType, obj, ctx);
    const t = resourceTypeFromCrd(out);
    const existing = this.registry.find(t.group, t.versions[0] ?? '', t.plural);
    if (existing !== undefined && existing.crd === undefined) {
      throw invalid('CustomResourceDefinition', 'apiextensions.k8s.io', t.crd ?? '', [{ field: 'spec.names.plural', type: 'FieldValueInvalid', detail: `Invalid value: "${t.plural}": the group ${JSON.stringify(t.group)} already serves a built-in resource of that name` }]);
    }
    return out;
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const addr = this.http.address() as AddressInfo;
    this.address = `${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
    return addr;
  }

  /** Ends every open watch; clients see their stream close and re-watch. Returns how many. */
  dropWatches(): number {
    const n = this.watches.size;
    for (const w of [...this.watches]) w.close();
    return n;
  }

  async close(): Promise<void> {
    this.dropWatches();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = parseRoute(url.pathname);
    const method = req.method ?? 'GET';
    const readOnly = (): void => {
      if (method !== 'GET') throw new ApiError(405, Reason.MethodNotAllowed, `${method} is not supported on ${url.pathname}`);
    };
    switch (route.kind) {
      case 'version':
        readOnly();
        return sendJson(res, 200, SERVER_VERSION);
      case 'health':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      case 'metrics':
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(
          `# TYPE headland_apiserver_requests_total counter\nheadland_apiserver_requests_total ${this.requests}\n` +
            `# TYPE headland_apiserver_watches gauge\nheadland_apiserver_watches ${this.watches.size}\n` +
            `# TYPE headland_apiserver_resource_version gauge\nheadland_apiserver_resource_version ${this.store.resourceVersion}\n`,
        );
        return;
      case 'dropWatches':
        if (method !== 'POST') throw new ApiError(405, Reason.MethodNotAllowed, 'POST /_headland/drop-watches');
        return sendJson(res, 200, { dropped: this.dropWatches() });
      case 'apiVersions':
        readOnly();
        return sendJson(res, 200, this.registry.apiVersions(this.address));
      case 'apiGroupList':
        readOnly();
        return sendJson(res, 200, this.registry.apiGroupList());
      case 'apiGroup': {
        readOnly();
        const doc = this.registry.apiGroupDoc(route.group);
        if (doc === undefined) throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (group ${route.group})`);
        return sendJson(res, 200, doc);
      }
      case 'resourceList':
        readOnly();
        if (!this.registry.servesGroupVersion(route.group, route.version)) {
          throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (${apiVersionOf(route.group, route.version)})`);
        }
        return sendJson(res, 200, this.registry.apiResourceList(route.group, route.version));
      case 'openapiRoot':
        readOnly();
        return sendJson(res, 200, openApiRoot(this.registry));
      case 'openapiGroupVersion':
        readOnly();
        if (!this.registry.servesGroupVersion(route.group, route.version)) throw new ApiError(404, Reason.NotFound, `no OpenAPI document for ${apiVersionOf(route.group, route.version)}`);
        return sendJson(res, 200, openApiGroupVersion(this.registry, route.group, route.version));
      case 'resource':
        return this.handleResource(req, res, url, route, method);
      case 'unknown':
        throw new ApiError(404, Reason.NotFound, `the server could not find the requested resource (path ${url.pathname})`);
    }
  }

  private async handleResource(req: IncomingMessage, res: ServerResponse, url: URL, route: ResourceRoute, method: string): Promise<void> {
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
    const write = { admit: (o: JsonObject) => (type.crd === undefined && type.plural === 'customresourcedefinitions' ? this.admitCrd(o, ctx) : admit(type, o, ctx)) };

    if (route.name === undefined) {
      if (type.namespaced && route.namespace === undefined && method !== 'GET') {
        throw new ApiError(405, Reason.MethodNotAllowed, `${method} on ${type.plural} needs a namespace`);
      }
      const filter = this.filter(type, route.namespace, q);
      if (method === 'GET') {
        const watch = q.get('watch');
        if (watch === '1' || watch === 'true') return this.watch(res, type, filter, q, present);
        return sendJson(res, 200, this.listBody(type, route.version, filter, present));
      }
      if (method === 'POST') {
        const body = await this.objectBody(req, type, route.version);
        const created = this.store.create(type, ns, body, write);
        return sendJson(res, 201, present(created), ctx.warnings);
      }
      if (method === 'DELETE') {
        const victims = this.store.list(type, route.namespace).filter((o) => selects(filter, o));
        const items = victims.map((o) => present(this.store.delete(type, ns || String((o['metadata'] as JsonObject)['namespace'] ?? ''), String((o['metadata'] as JsonObject)['name']))));
        return sendJson(res, 200, { kind: type.listKind, apiVersion: apiVersionOf(type.group, route.version), metadata: { resourceVersion: String(this.store.resourceVersion) }, items });
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
        const patched = this.patch(type, current, await readBody(req), mediaType(req));
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

  private listBody(type: ResourceType, version: string, filter: WatchFilter, present: (o: JsonObject) => JsonObject): JsonObject {
    const items = this.store.list(type, filter.namespace).filter((o) => selects(filter, o)).map(present);
    return { kind: type.listKind, apiVersion: apiVersionOf(type.group, version), metadata: { resourceVersion: String(this.store.resourceVersion) }, items };
  }

  private watch(res: ServerResponse, type: ResourceType, filter: WatchFilter, q: URLSearchParams, present: (o: JsonObject) => JsonObject): void {
    const rvText = q.get('resourceVersion');
    let rv: number | undefined;
    if (rvText !== null && rvText !== '') {
      if (!/^\d+$/.test(rvText)) throw badRequest(`server: resourceVersion "${rvText}" is not a valid resource version`);
      rv = Number(rvText);
    }
    const timeoutText = q.get('timeoutSeconds');
    if (timeoutText !== null && !/^\d+$/.test(timeoutText)) throw badRequest(`server: timeoutSeconds "${timeoutText}" is not a whole number`);
    const stream = new WatchStream(
      res,
      this.store,
      {
        filter,
        resourceVersion: rv,
        sendInitialEvents: q.get('sendInitialEvents') === 'true',
        bookmarks: q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1',
        bookmarkIntervalMs: this.bookmarkIntervalMs,
        timeoutMs: timeoutText === null ? undefined : Number(timeoutText) * 1000,
        present,
        initial: () => this.store.list(type, filter.namespace).filter((o) => selects(filter, o)),
        bookmarkKind: { apiVersion: apiVersionOf(type.group, type.versions[0] ?? 'v1'), kind: type.kind },
      },
      (w) => this.watches.delete(w),
    );
    this.watches.add(stream);
    stream.start();
  }

  private async objectBody(req: IncomingMessage, type: ResourceType, version: string): Promise<JsonObject> {
    const body = decodeBody(await readBody(req), mediaType(req));
    if (!isObject(body)) throw badRequest(`the request body must be a ${type.kind} object, got ${Array.isArray(body) ? 'an array' : typeof body}`);
    const want = apiVersionOf(type.group, version);
    if (body['kind'] !== undefined && body['kind'] !== type.kind) throw badRequest(`the body is a ${String(body['kind'])}, but the URL is for ${type.kind}`);
    if (body['apiVersion'] !== undefined && body['apiVersion'] !== want) throw badRequest(`the body has apiVersion ${String(body['apiVersion'])}, but the URL is for ${want}`);
    return body;
  }

  private patch(type: ResourceType, current: JsonObject, text: string, media: string): JsonObject {
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
}
