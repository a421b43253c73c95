// The filters every request passes before it is served, in the real server's order:
// authentication, impersonation, then authorization of what the request asks (RBAC or allow-all).

import type { IncomingMessage } from 'node:http';
import { ADMIN_USER, authenticate, impersonate, type ObjectLookup, type PlainTextResponse } from './auth/index.js';
import type { Status } from './errors.js';
import type { RequestAttributes, UserInfo } from './identity.js';
import { authorize, forbiddenStatus, requestAttributes, RequestInfoError, type Decision, type RbacObjects } from './rbac/index.js';
import type { Security } from './security.js';

export type GateResult =
  | { readonly kind: 'pass'; readonly user: UserInfo; readonly warnings: readonly string[] }
  | { readonly kind: 'refuse'; readonly status: Status; readonly warnings: readonly string[]; readonly why: string }
  /** Answer as is: the real filters' plain-text errors. */
  | { readonly kind: 'plain'; readonly response: PlainTextResponse };

const ALLOW: Decision = { allowed: true, reason: '' };

export class Gate {
  constructor(
    private readonly security: Security | undefined,
    private readonly rbac: RbacObjects,
    private readonly lookup: ObjectLookup,
  ) {}

  /** The decision for one request as this server's authorizer makes it (SelfSubjectAccessReview too). */
  decide(attrs: RequestAttributes): Decision {
    if (this.security?.authorization !== 'RBAC') return ALLOW;
    return authorize(attrs, this.rbac);
  }

  async check(req: IncomingMessage, url: URL): Promise<GateResult> {
    // Without security (in-process test servers) every request is the admin's, as before.
    if (this.security === undefined) return { kind: 'pass', user: ADMIN_USER, warnings: [] };
    const authn = await authenticate(req.headersDistinct, { staticTokens: this.security.staticTokens, serviceAccounts: this.security.serviceAccounts, lookup: this.lookup, anonymous: this.security.anonymous });
    if (authn.kind === 'unauthorized') return { kind: 'refuse', status: authn.status, warnings: authn.warnings, why: authn.reason };
    let user = authn.user;
    const imp = impersonate(user, req.headersDistinct, req.url ?? '/', (a) => this.decide(a));
    if (imp.kind === 'malformed') return { kind: 'plain', response: imp.response };
    if (imp.kind === 'forbidden') return { kind: 'refuse', status: imp.status, warnings: authn.warnings, why: imp.status.message };
    if (imp.kind === 'impersonated') user = imp.user;
    let attrs: RequestAttributes;
    try {
      attrs = requestAttributes(user, req.method ?? 'GET', url.pathname, url.searchParams);
    } catch (e) {
      if (!(e instanceof RequestInfoError)) throw e;
      return { kind: 'plain', response: { code: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `failed to create RequestInfo: ${e.kubeMessage}\n` } };
    }
    const d = this.decide(attrs);
    if (!d.allowed) {
      const status = forbiddenStatus(attrs, d.reason);
      return { kind: 'refuse', status, warnings: authn.warnings, why: status.message };
    }
    return { kind: 'pass', user, warnings: authn.warnings };
  }
}
