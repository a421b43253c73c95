// Who a request comes from, as the real authentication chain decides: a bearer token (static
// table, then ServiceAccount JWT), else anonymous when allowed; a token nobody knows is a 401.

import type { Status } from '../errors.js';
import { ANONYMOUS, SYSTEM_AUTHENTICATED, SYSTEM_UNAUTHENTICATED, type UserInfo } from '../identity.js';
import type { ObjectLookup } from './sa-claims.js';
import type { StaticTokens } from './static-tokens.js';
import { unauthorizedStatus } from './status.js';
import type { ServiceAccountTokens } from './tokens.js';

/** The warning the real server adds when `Authorization: Bearer  TOKEN` has a second space. */
export const EXTRA_SPACE_WARNING = 'the provided Authorization header contains extra space before the bearer token, and is ignored';

export const ANONYMOUS_USER: UserInfo = { name: ANONYMOUS, groups: [SYSTEM_UNAUTHENTICATED] };

export interface AuthenticatorConfig {
  readonly staticTokens: StaticTokens;
  /** ServiceAccount JWTs; without it only static tokens authenticate. */
  readonly serviceAccounts?: ServiceAccountTokens;
  /** How the ServiceAccount verifier finds the objects a token names. */
  readonly lookup: ObjectLookup;
  /** Requests without credentials become system:anonymous (the real default, --anonymous-auth=true); else 401. */
  readonly anonymous?: boolean;
}

/** What an Authorization header offers the bearer token authenticator. */
export type AuthorizationHeader =
  | { readonly kind: 'absent' }
  | { readonly kind: 'bearer'; readonly token: string }
  /** Another scheme, or "Bearer" with no token: no credentials as far as the bearer authenticator goes. */
  | { readonly kind: 'ignored'; readonly warning?: string };

export type AuthenticationResult =
  | {
      readonly kind: 'authenticated';
      readonly user: UserInfo;
      readonly method: 'static-token' | 'serviceaccount-token';
      readonly warnings: readonly string[];
    }
  | { readonly kind: 'anonymous'; readonly user: UserInfo; readonly warnings: readonly string[] }
  /** Answer `status` (401); `reason` is for the log only, as the real server keeps it there. */
  | { readonly kind: 'unauthorized'; readonly reason: string; readonly status: Status; readonly warnings: readonly string[] };

/**
 * Reads an Authorization header the way the real bearer token authenticator does: trimmed,
 * split on single spaces into at most three parts, the scheme matched without regard to case,
 * the second part being the token (a third part is ignored).
 */
export function parseAuthorizationHeader(value: string | undefined): AuthorizationHeader {
  const auth = (value ?? '').trim();
  if (auth === '') return { kind: 'absent' };
  const first = auth.indexOf(' ');
  if (first < 0 || auth.slice(0, first).toLowerCase() !== 'bearer') return { kind: 'ignored' };
  const rest = auth.slice(first + 1);
  const second = rest.indexOf(' ');
  const token = second < 0 ? rest : rest.slice(0, second);
  if (token === '') return second < 0 ? { kind: 'ignored' } : { kind: 'ignored', warning: EXTRA_SPACE_WARNING };
  return { kind: 'bearer', token };
}

/** The real chain's AuthenticatedGroupAdder: authenticated users are in system:authenticated. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.name === ANONYMOUS) return user;
  if (user.groups.includes(SYSTEM_AUTHENTICATED) || user.groups.includes(SYSTEM_UNAUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, SYSTEM_AUTHENTICATED] };
}

function firstValue(v: string | readonly string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : v?.[0];
}

/**
 * Authenticates a request from its headers (`req.headers` or `req.headersDistinct`). Never
 * throws for bad credentials. `audiences`: what the request is for (default the API audiences).
 */
export async function authenticate(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  config: AuthenticatorConfig,
  opts: { readonly now?: Date; readonly audiences?: readonly string[] } = {},
): Promise<AuthenticationResult> {
  const header = parseAuthorizationHeader(firstValue(headers['authorization']));
  const warnings = header.kind === 'ignored' && header.warning !== undefined ? [header.warning] : [];
  if (header.kind !== 'bearer') {
    if (config.anonymous ?? true) return { kind: 'anonymous', user: ANONYMOUS_USER, warnings };
    return { kind: 'unauthorized', reason: 'no credentials, and anonymous requests are off', status: unauthorizedStatus(), warnings };
  }
  const known = config.staticTokens.lookup(header.token);
  if (known !== undefined) return { kind: 'authenticated', user: withAuthenticatedGroup(known), method: 'static-token', warnings };
  if (config.serviceAccounts !== undefined) {
    const verified = await config.serviceAccounts.verify(header.token, config.lookup, opts);
    if (verified.ok) return { kind: 'authenticated', user: withAuthenticatedGroup(verified.user), method: 'serviceaccount-token', warnings };
    if (verified.ours) return { kind: 'unauthorized', reason: verified.reason, status: unauthorizedStatus(), warnings };
  }
  return { kind: 'unauthorized', reason: 'invalid bearer token', status: unauthorizedStatus(), warnings };
}
