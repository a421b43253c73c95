// Who is asking and what they ask for: the contract between authentication (auth/), the RBAC
// authorizer (rbac/), admission webhooks (webhooks/) and the request path in the server.

/** An authenticated (or anonymous) user, as the real server's user.Info. */
export interface UserInfo {
  readonly name: string;
  readonly uid?: string;
  /** Including system:authenticated (or system:unauthenticated for anonymous). */
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** A request on a resource, as the authorizer sees it (k8s.io/apiserver authorizer.Attributes). */
export interface ResourceAttributes {
  readonly kind: 'resource';
  readonly user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection, or impersonate, escalate, bind, ... */
  readonly verb: string;
  /** "" for the core group. */
  readonly apiGroup: string;
  readonly apiVersion: string;
  /** Plural, e.g. "services". */
  readonly resource: string;
  /** "" when none, e.g. "status". */
  readonly subresource: string;
  /** "" for collections and for create without a name. */
  readonly name: string;
  /** "" for cluster-scoped resources and all-namespace requests. */
  readonly namespace: string;
}

/** A request on a path outside the resource API (/version, /healthz, /api, /openapi/v3...). */
export interface NonResourceAttributes {
  readonly kind: 'nonResource';
  readonly user: UserInfo;
  /** The HTTP method in lower case: get, post, put, delete... */
  readonly verb: string;
  readonly path: string;
}

export type RequestAttributes = ResourceAttributes | NonResourceAttributes;

export const SYSTEM_AUTHENTICATED = 'system:authenticated';
export const SYSTEM_UNAUTHENTICATED = 'system:unauthenticated';
export const SYSTEM_MASTERS = 'system:masters';
export const ANONYMOUS = 'system:anonymous';
