// Acting as another user (kubectl --as/--as-group/--as-uid), as the real impersonation filter
// does: the Impersonate-* headers, one `impersonate` check per thing asked, and the user that results.

import type { Status } from '../errors.js';
import { ANONYMOUS, SYSTEM_AUTHENTICATED, SYSTEM_UNAUTHENTICATED, type ResourceAttributes, type UserInfo } from '../identity.js';
import { serviceAccountGroups, serviceAccountUsername, splitServiceAccountUsername } from './sa-names.js';
import { forbiddenStatus } from '../rbac/forbidden.js';
import { internalErrorText, type PlainTextResponse } from './status.js';

export const IMPERSONATE_USER_HEADER = 'impersonate-user';
export const IMPERSONATE_GROUP_HEADER = 'impersonate-group';
export const IMPERSONATE_UID_HEADER = 'impersonate-uid';
export const IMPERSONATE_EXTRA_PREFIX = 'impersonate-extra-';

const AUTHENTICATION_GROUP = 'authentication.k8s.io';

/** One thing a request asks to impersonate; each needs its own `impersonate` permission. */
export type ImpersonationTarget =
  | { readonly kind: 'ServiceAccount'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'User'; readonly name: string }
  | { readonly kind: 'Group'; readonly name: string }
  | { readonly kind: 'UserExtra'; readonly key: string; readonly value: string }
  | { readonly kind: 'UID'; readonly uid: string };

/** The real filter's complaint about groups, extras or a uid without a user; its message is the real text. */
export class ImpersonationError extends Error {
  override readonly name = 'ImpersonationError';
}

/** Header values by lower-case name: pass `req.headersDistinct`, as `req.headers` joins repeated Impersonate-Group lines with ", ". */
export type HeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>;

function values(headers: HeaderValues, name: string): readonly string[] {
  const v = headers[name];
  return v === undefined ? [] : typeof v === 'string' ? [v] : v;
}

/** Go's url.PathUnescape, keeping the text as it came when any %-escape is malformed. */
function unescapeExtraKey(encoded: string): string {
  if (!/^(?:[^%]|%[0-9A-Fa-f]{2})*$/.test(encoded)) return encoded;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '%') {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(encoded[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Go's %v of the v1.ObjectReference the real filter builds for a target. */
function goObjectReference(t: ImpersonationTarget): string {
  const v1 = 'authentication.k8s.io/v1';
  // Kind Namespace Name UID APIVersion ResourceVersion FieldPath
  const fields = (kind: string, namespace: string, name: string, apiVersion = '', fieldPath = ''): string => `{${[kind, namespace, name, '', apiVersion, '', fieldPath].join(' ')}}`;
  switch (t.kind) {
    case 'ServiceAccount':
      return fields(t.kind, t.namespace, t.name);
    case 'User':
    case 'Group':
      return fields(t.kind, '', t.name);
    case 'UserExtra':
      return fields(t.kind, '', t.value, v1, t.key);
    case 'UID':
      return fields(t.kind, '', t.uid, v1);
  }
}

/**
 * The targets the Impersonate-* headers ask for, in the order the real filter checks them: the
 * user (a ServiceAccount when its name splits as one), each group, each extra value (keys
 * lower-cased and %-unescaped, here in key order), the uid. Throws ImpersonationError when
 * groups, extras or a uid come without a user.
 */
export function parseImpersonationHeaders(headers: HeaderValues): ImpersonationTarget[] {
  const targets: ImpersonationTarget[] = [];
  const user = values(headers, IMPERSONATE_USER_HEADER)[0] ?? '';
  if (user !== '') {
    const sa = splitServiceAccountUsername(user);
    targets.push(sa === undefined ? { kind: 'User', name: user } : { kind: 'ServiceAccount', ...sa });
  }
  const groups = values(headers, IMPERSONATE_GROUP_HEADER);
  for (const name of groups) targets.push({ kind: 'Group', name });
  const extraHeaders = Object.keys(headers)
    .filter((h) => h.toLowerCase().startsWith(IMPERSONATE_EXTRA_PREFIX))
    .sort();
  for (const h of extraHeaders) {
    const key = unescapeExtraKey(h.slice(IMPERSONATE_EXTRA_PREFIX.length).toLowerCase());
    for (const value of values(headers, h)) targets.push({ kind: 'UserExtra', key, value });
  }
  const uid = values(headers, IMPERSONATE_UID_HEADER)[0] ?? '';
  if (uid !== '') targets.push({ kind: 'UID', uid });
  if (user === '' && (groups.length > 0 || extraHeaders.length > 0 || uid !== '')) {
    throw new ImpersonationError(`requested [${targets.map(goObjectReference).join(' ')}] without impersonating a user`);
  }
  return targets;
}

/** The authorization check for one target: verb `impersonate` on what it names, by the requesting user. */
export function impersonationCheck(requestor: UserInfo, target: ImpersonationTarget): ResourceAttributes {
  const base = { kind: 'resource', user: requestor, verb: 'impersonate', subresource: '', namespace: '' } as const;
  switch (target.kind) {
    case 'ServiceAccount':
      return { ...base, apiGroup: '', apiVersion: '', resource: 'serviceaccounts', name: target.name, namespace: target.namespace };
    case 'User':
      return { ...base, apiGroup: '', apiVersion: '', resource: 'users', name: target.name };
    case 'Group':
      return { ...base, apiGroup: '', apiVersion: '', resource: 'groups', name: target.name };
    case 'UserExtra':
      return { ...base, apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'userextras', subresource: target.key, name: target.value };
    case 'UID':
      return { ...base, apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'uids', name: target.uid };
  }
}

/**
 * The user the targets make: named by the User/ServiceAccount target, in the groups asked for (a
 * ServiceAccount's own groups when none are), plus system:authenticated unless the groups already
 * say authenticated or unauthenticated, or plus system:unauthenticated for system:anonymous.
 */
export function impersonatedUser(targets: readonly ImpersonationTarget[]): UserInfo {
  let name = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  const groupsGiven = targets.some((t) => t.kind === 'Group');
  for (const t of targets) {
    if (t.kind === 'ServiceAccount') {
      name = serviceAccountUsername(t.namespace, t.name);
      if (!groupsGiven) groups = serviceAccountGroups(t.namespace);
    } else if (t.kind === 'User') name = t.name;
    else if (t.kind === 'Group') groups.push(t.name);
    else if (t.kind === 'UserExtra') (extra[t.key] ??= []).push(t.value);
    else uid = t.uid;
  }
  if (name !== ANONYMOUS) {
    if (!groups.includes(SYSTEM_AUTHENTICATED) && !groups.includes(SYSTEM_UNAUTHENTICATED)) groups.push(SYSTEM_AUTHENTICATED);
  } else if (!groups.includes(SYSTEM_UNAUTHENTICATED)) groups.push(SYSTEM_UNAUTHENTICATED);
  return { name, groups, ...(uid === '' ? {} : { uid }), ...(Object.keys(extra).length === 0 ? {} : { extra }) };
}

/** The authorizer's answer: a boolean, or RBAC's decision with its reason (appended to the 403 message). */
export type Authorize = (attrs: ResourceAttributes) => boolean | { readonly allowed: boolean; readonly reason: string };

export type ImpersonationOutcome =
  /** No Impersonate-* headers: go on as the authenticated user. */
  | { readonly kind: 'none' }
  | { readonly kind: 'impersonated'; readonly user: UserInfo }
  /** Answer `status` (403) for the first target the requestor may not impersonate. */
  | { readonly kind: 'forbidden'; readonly status: Status }
  /** Answer `response` as it is: the real filter's plain-text 500 for malformed headers. */
  | { readonly kind: 'malformed'; readonly message: string; readonly response: PlainTextResponse };

/**
 * The impersonation filter for one request: parses the headers, asks `authorize` about each
 * target in order and stops at the first refusal. `requestUri` is `req.url` (for the 500 text).
 */
export function impersonate(requestor: UserInfo, headers: HeaderValues, requestUri: string, authorize: Authorize): ImpersonationOutcome {
  let targets: ImpersonationTarget[];
  try {
    targets = parseImpersonationHeaders(headers);
  } catch (e) {
    if (!(e instanceof ImpersonationError)) throw e;
    return { kind: 'malformed', message: e.message, response: internalErrorText(requestUri, e.message) };
  }
  if (targets.length === 0) return { kind: 'none' };
  for (const target of targets) {
    const attrs = impersonationCheck(requestor, target);
    const decision = authorize(attrs);
    const allowed = typeof decision === 'boolean' ? decision : decision.allowed;
    if (!allowed) return { kind: 'forbidden', status: forbiddenStatus(attrs, typeof decision === 'boolean' ? '' : decision.reason) };
  }
  return { kind: 'impersonated', user: impersonatedUser(targets) };
}
