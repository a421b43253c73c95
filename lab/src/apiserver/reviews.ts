// Kinds the server answers and never stores: access reviews (kubectl auth can-i, --list),
// TokenReview and SelfSubjectReview (kubectl auth whoami). Each echoes the request with a status.

import { authenticate, type AuthenticatorConfig } from './auth/index.js';
import { invalid, badRequest } from './errors.js';
import type { RequestAttributes, UserInfo } from './identity.js';
import { isObject, type JsonObject } from './json.js';
import { rulesReview, RulesReviewError, type Decision, type RbacObjects } from './rbac/index.js';
import type { ResourceType } from './resources.js';

export interface ReviewContext {
  readonly user: UserInfo;
  /** The server's authorizer (RBAC or allow-all). */
  readonly decide: (attrs: RequestAttributes) => Decision;
  readonly rbac: RbacObjects;
  /** For TokenReview; undefined on a server without authentication. */
  readonly authenticator: AuthenticatorConfig | undefined;
  /** Whether decide() is RBAC (rules reviews list rules) or allow-all (they list everything). */
  readonly rbacMode: boolean;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function userInfoJson(u: UserInfo): JsonObject {
  const out: JsonObject = { username: u.name, groups: [...u.groups] };
  if (u.uid !== undefined) out['uid'] = u.uid;
  if (u.extra !== undefined && Object.keys(u.extra).length > 0) out['extra'] = Object.fromEntries(Object.entries(u.extra).map(([k, v]) => [k, [...v]]));
  return out;
}

/** spec.resourceAttributes / spec.nonResourceAttributes of an access review, for `user`. */
function accessAttributes(kind: string, spec: JsonObject, user: UserInfo): RequestAttributes {
  const r = spec['resourceAttributes'];
  const n = spec['nonResourceAttributes'];
  if (isObject(r) === isObject(n)) {
    throw invalid(kind, 'authorization.k8s.io', '', [{ field: 'spec.resourceAttributes', type: 'FieldValueInvalid', detail: `Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified` }]);
  }
  if (isObject(r)) {
    return { kind: 'resource', user, verb: str(r['verb']), apiGroup: str(r['group']), apiVersion: str(r['version']), resource: str(r['resource']), subresource: str(r['subresource']), name: str(r['name']), namespace: str(r['namespace']) };
  }
  const nr = n as JsonObject;
  return { kind: 'nonResource', user, verb: str(nr['verb']), path: str(nr['path']) };
}

function accessStatus(d: Decision): JsonObject {
  return d.allowed ? { allowed: true, ...(d.reason === '' ? {} : { reason: d.reason }) } : { allowed: false, ...(d.reason === '' ? {} : { reason: d.reason }) };
}

function specOf(kind: string, group: string, body: JsonObject): JsonObject {
  const spec = body['spec'];
  if (spec !== undefined && !isObject(spec)) throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: spec must be an object`);
  if (spec === undefined && kind !== 'SelfSubjectReview') throw invalid(kind, group, '', [{ field: 'spec', type: 'FieldValueRequired', detail: 'Required value' }]);
  return spec ?? {};
}

/** Answers a POST of a review kind; `body` is the decoded request object. */
export async function review(type: ResourceType, body: JsonObject, ctx: ReviewContext): Promise<JsonObject> {
  const spec = specOf(type.kind, type.group, body);
  const out = (status: JsonObject): JsonObject => ({ ...body, kind: type.kind, apiVersion: `${type.group}/v1`, metadata: isObject(body['metadata']) ? body['metadata'] : {}, spec, status });
  switch (type.kind) {
    case 'SelfSubjectAccessReview':
      return out(accessStatus(ctx.decide(accessAttributes(type.kind, spec, ctx.user))));
    case 'SubjectAccessReview': {
      const user = str(spec['user']);
      const groups = strings(spec['groups']);
      if (user === '' && groups.length === 0) throw invalid(type.kind, type.group, '', [{ field: 'spec.user', type: 'FieldValueInvalid', detail: 'Invalid value: "": at least one of user or group must be specified' }]);
      const extra = isObject(spec['extra']) ? Object.fromEntries(Object.entries(spec['extra']).map(([k, v]) => [k, strings(v)])) : undefined;
      const subject: UserInfo = { name: user, groups, ...(str(spec['uid']) === '' ? {} : { uid: str(spec['uid']) }), ...(extra === undefined ? {} : { extra }) };
      return out(accessStatus(ctx.decide(accessAttributes(type.kind, spec, subject))));
    }
    case 'SelfSubjectRulesReview': {
      const namespace = str(spec['namespace']);
      if (!ctx.rbacMode) {
        if (namespace === '') throw badRequest('no namespace on request');
        return out({ resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false });
      }
      try {
        return out(rulesReview(ctx.user, namespace, ctx.rbac) as unknown as JsonObject);
      } catch (e) {
        if (e instanceof RulesReviewError) throw badRequest(e.kubeMessage);
        throw e;
      }
    }
    case 'SelfSubjectReview':
      return out({ userInfo: userInfoJson(ctx.user) });
    case 'TokenReview': {
      const token = str(spec['token']);
      if (token === '') throw invalid(type.kind, type.group, '', [{ field: 'spec.token', type: 'FieldValueRequired', detail: 'Required value' }]);
      if (ctx.authenticator === undefined) return out({ authenticated: false, user: {}, error: 'token authentication is off on this server' });
      const audiences = strings(spec['audiences']);
      const r = await authenticate({ authorization: `Bearer ${token}` }, { ...ctx.authenticator, anonymous: false }, audiences.length > 0 ? { audiences } : {});
      if (r.kind === 'authenticated') return out({ authenticated: true, user: userInfoJson(r.user), audiences: audiences.length > 0 ? audiences : ['https://kubernetes.default.svc.cluster.local'] });
      return out({ authenticated: false, user: {}, error: r.kind === 'unauthorized' ? r.reason : 'no token' });
    }
    default:
      throw badRequest(`reviews: ${type.kind} is not a review kind`);
  }
}
