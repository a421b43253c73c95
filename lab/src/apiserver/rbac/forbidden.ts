// The 403 the real server sends when authorization denies a request (k8s.io/apiserver
// responsewriters.Forbidden and apierrors.NewForbidden): the exact message and Status object.

import type { Status } from '../errors.js';
import type { RequestAttributes } from '../identity.js';
import { goQuote } from '../go-text.js';

/** The real server escapes these so that the message never reads as HTML. */
function sanitize(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** "User ... cannot ...", the part that names the user and the action. */
export function denialText(attrs: RequestAttributes): string {
  const user = goQuote(attrs.user.name);
  if (attrs.kind === 'nonResource') return `User ${user} cannot ${attrs.verb} path ${goQuote(attrs.path)}`;
  const resource = attrs.subresource === '' ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
  const what = `User ${user} cannot ${attrs.verb} resource ${goQuote(resource)} in API group ${goQuote(attrs.apiGroup)}`;
  return attrs.namespace === '' ? `${what} at the cluster scope` : `${what} in the namespace ${goQuote(attrs.namespace)}`;
}

/** `services` or `ipaddresspools.headland.io` (group and resource, no subresource); "" for a non-resource request. */
function qualifiedResource(attrs: RequestAttributes): string {
  if (attrs.kind === 'nonResource') return '';
  return attrs.apiGroup === '' ? attrs.resource : `${attrs.resource}.${attrs.apiGroup}`;
}

/**
 * The Status message: `services "x" is forbidden: User "u" cannot patch resource "services/status"
 * in API group "" in the namespace "y"`, then `: <reason>` when the authorizer gave one.
 */
export function forbiddenMessage(attrs: RequestAttributes, reason = ''): string {
  const detail = reason === '' ? sanitize(denialText(attrs)) : `${sanitize(denialText(attrs))}: ${reason}`;
  const resource = qualifiedResource(attrs);
  const name = attrs.kind === 'resource' ? attrs.name : '';
  if (resource === '') return `forbidden: ${detail}`;
  if (name === '') return `${resource} is forbidden: ${detail}`;
  return `${resource} ${goQuote(name)} is forbidden: ${detail}`;
}

/** The whole 403 Status object, details as the real one fills them (kind is the plural resource). */
export function forbiddenStatus(attrs: RequestAttributes, reason = ''): Status {
  const details: { name?: string; group?: string; kind?: string } = {};
  if (attrs.kind === 'resource') {
    if (attrs.name !== '') details.name = attrs.name;
    if (attrs.apiGroup !== '') details.group = attrs.apiGroup;
    if (attrs.resource !== '') details.kind = attrs.resource;
  }
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: forbiddenMessage(attrs, reason),
    reason: 'Forbidden',
    details,
    code: 403,
  };
}
