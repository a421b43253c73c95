// POSTs that store nothing: reviews (can-i, whoami, TokenReview) and a ServiceAccount's
// TokenRequest (`kubectl create token`), answered from the caller's identity and the store.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTokenRequest, type AuthenticatorConfig, type BoundKind } from './auth/index.js';
import { ApiError, badRequest, Reason } from './errors.js';
import { sendJson } from './http-io.js';
import { readRequestObject } from './request-body.js';
import type { RequestAttributes, UserInfo } from './identity.js';
import { isObject, type JsonObject } from './json.js';
import type { Decision, RbacObjects } from './rbac/index.js';
import type { Registry } from './registry.js';
import type { ResourceAction, ResourceType } from './resources.js';
import { review } from './reviews.js';
import type { ResourceRoute } from './resource-handler.js';
import type { Security } from './security.js';
import type { Store } from './store.js';

export interface ActionRequest {
  readonly type: ResourceType;
  readonly route: ResourceRoute;
  readonly user: UserInfo;
  readonly action?: ResourceAction;
}

const BOUND_PLURAL: Readonly<Record<BoundKind, string>> = { Pod: 'pods', Secret: 'secrets', Node: 'nodes' };

export class Actions {
  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly security: Security | undefined,
    private readonly rbac: RbacObjects,
    private readonly decide: (attrs: RequestAttributes) => Decision,
    private readonly authenticator: AuthenticatorConfig | undefined,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, r: ActionRequest): Promise<void> {
    const body = r.action === undefined ? await readRequestObject(req, `${r.type.group}/v1`, r.type.kind) : await readRequestObject(req, `${r.action.group}/${r.action.version}`, r.action.kind);
    if (!isObject(body)) throw badRequest(`the request body must be an object, got ${Array.isArray(body) ? 'an array' : typeof body}`);
    if (r.action !== undefined) return this.tokenRequest(res, r, body);
    const answer = await review(r.type, body, { user: r.user, decide: this.decide, rbac: this.rbac, authenticator: this.authenticator, rbacMode: this.security?.authorization === 'RBAC' });
    sendJson(res, 201, answer);
  }

  private async tokenRequest(res: ServerResponse, r: ActionRequest, body: JsonObject): Promise<void> {
    if (this.security === undefined) throw new ApiError(404, Reason.NotFound, 'the server could not find the requested resource: this server issues no tokens (it was started without security)');
    const ns = r.route.namespace ?? '';
    const name = r.route.name ?? '';
    if (name === '') throw new ApiError(405, Reason.MethodNotAllowed, 'POST on serviceaccounts/token needs a ServiceAccount name');
    const result = await createTokenRequest({
      namespace: ns,
      name,
      body,
      serviceAccount: this.store.find(r.type, ns, name),
      getObject: (kind, namespace, objName) => this.store.find(this.registry.builtIn('', 'v1', BOUND_PLURAL[kind]), namespace, objName),
      tokens: this.security.serviceAccounts,
    });
    sendJson(res, 201, result.object, result.warnings);
  }
}
