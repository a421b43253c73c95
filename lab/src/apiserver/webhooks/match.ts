// Which webhooks a request calls (generic.Webhook.ShouldCallHook): namespaceSelector, objectSelector,
// rules with matchPolicy, then matchConditions, which headland-apiserver cannot evaluate (see shouldCallHook).

import type { JsonObject } from '../json.js';
import type { UserInfo } from '../identity.js';
import type { Rule, Webhook } from './config.js';
import { goQuote } from '../go-text.js';
import { labelsOf, selects, toLabelSelector, type Labels } from './labels.js';
import { forbidden, internalError, namespaceNotFound, type AdmissionStatus } from './status.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  /** Plural, e.g. "pods". */
  readonly resource: string;
}

/** One admission request, as admission.Attributes carries it. */
export interface AdmissionRequest {
  readonly operation: Operation;
  readonly kind: GroupVersionKind;
  readonly resource: GroupVersionResource;
  /** "" when none. */
  readonly subresource: string;
  /** "" for a create with generateName, as the real request attributes have it. */
  readonly name: string;
  /**
   * "" for cluster-scoped objects. For a Namespace the real server sets it to the namespace's name on
   * requests naming one (/api/v1/namespaces/NAME) and leaves it "" on create.
   */
  readonly namespace: string;
  /** The new object (null for DELETE and CONNECT), with apiVersion and kind. */
  readonly object: JsonObject | null;
  /** The stored object for UPDATE and DELETE, else null. */
  readonly oldObject: JsonObject | null;
  /** CreateOptions/UpdateOptions/DeleteOptions with kind and apiVersion (see reviewOptions), or null. */
  readonly options: JsonObject | null;
  readonly dryRun: boolean;
  readonly user: UserInfo;
  /** Other versions this resource is served in (a CRD's), for matchPolicy Equivalent; none by default. */
  readonly equivalentVersions?: readonly string[];
}

/** What a matching webhook is called with: the request's kind and resource, or an equivalent version's. */
export interface Invocation {
  readonly webhook: Webhook;
  readonly kind: GroupVersionKind;
  readonly resource: GroupVersionResource;
  readonly subresource: string;
}

export type NamespaceLabels = (namespace: string) => Labels | undefined;

export type MatchOutcome =
  | { readonly call: false; readonly status?: undefined; readonly skipped?: string }
  | { readonly call: true; readonly invocation: Invocation }
  | { readonly call: false; readonly status: AdmissionStatus };

const EXEMPT_KINDS = new Set([
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
]);

/** Webhooks never see requests on admission configuration itself, so a broken webhook cannot lock its own fix out. */
export function isExemptConfigurationResource(req: AdmissionRequest): boolean {
  return req.kind.group === 'admissionregistration.k8s.io' && EXEMPT_KINDS.has(req.kind.kind);
}

function isNamespaceResource(r: GroupVersionResource): boolean {
  return r.group === '' && r.version === 'v1' && r.resource === 'namespaces';
}

function exactOrWildcard(items: readonly string[], requested: string): boolean {
  return items.some((i) => i === '*' || i === requested);
}

function scopeMatches(rule: Rule, req: AdmissionRequest, resource: GroupVersionResource): boolean {
  switch (rule.scope) {
    case '*':
      return true;
    case 'Namespaced':
      return !isNamespaceResource(resource) && req.namespace !== '';
    case 'Cluster':
      return isNamespaceResource(resource) || req.namespace === '';
    default:
      return false;
  }
}

function resourceMatches(rule: Rule, resource: string, subresource: string): boolean {
  return rule.resources.some((entry) => {
    const slash = entry.indexOf('/');
    const res = slash < 0 ? entry : entry.slice(0, slash);
    const sub = slash < 0 ? '' : entry.slice(slash + 1);
    return (res === '*' || res === resource) && (sub === '*' || sub === subresource);
  });
}

/** rules.Matcher: scope, operation, group, version and resource/subresource all match. */
export function ruleMatches(rule: Rule, req: AdmissionRequest, resource: GroupVersionResource = req.resource): boolean {
  return (
    scopeMatches(rule, req, resource) &&
    rule.operations.some((op) => op === '*' || op === req.operation) &&
    exactOrWildcard(rule.apiGroups, resource.group) &&
    exactOrWildcard(rule.apiVersions, resource.version) &&
    resourceMatches(rule, resource.resource, req.subresource)
  );
}

type Check = { matches: boolean; status?: AdmissionStatus };

/**
 * The namespace's labels decide; for a Namespace being created or updated, the object's own labels;
 * a cluster-scoped object that is not a Namespace is never excluded.
 */
export function matchNamespaceSelector(webhook: Webhook, req: AdmissionRequest, namespaceLabels: NamespaceLabels): Check {
  const isNamespace = req.resource.resource === 'namespaces';
  if (req.namespace === '' && !isNamespace) return { matches: true };
  const conv = toLabelSelector(webhook.namespaceSelector);
  if (!conv.ok) return { matches: false, status: internalError(conv.error) };
  if (conv.selector.length === 0) return { matches: true };
  if (isNamespace && req.subresource === '' && (req.operation === 'CREATE' || req.operation === 'UPDATE')) {
    return { matches: selects(conv.selector, labelsOf(req.object)) };
  }
  // The real RequestInfo names a Namespace's own requests after it; fall back to the name if the caller did not.
  const ns = req.namespace !== '' ? req.namespace : req.name;
  const labels = namespaceLabels(ns);
  if (labels === undefined) return { matches: false, status: namespaceNotFound(ns) };
  return { matches: selects(conv.selector, labels) };
}

/** Matches when either the new or the old object's labels match; an empty selector matches even no object. */
export function matchObjectSelector(webhook: Webhook, req: AdmissionRequest): Check {
  const conv = toLabelSelector(webhook.objectSelector);
  if (!conv.ok) return { matches: false, status: internalError(conv.error) };
  if (conv.selector.length === 0) return { matches: true };
  const hit = (o: JsonObject | null): boolean => o !== null && selects(conv.selector, labelsOf(o));
  return { matches: hit(req.object) || hit(req.oldObject) };
}

/** matchPolicy Equivalent, limited to the same group and resource in the other served versions (a CRD's). */
function equivalentInvocation(webhook: Webhook, req: AdmissionRequest): Invocation | undefined {
  for (const rule of webhook.rules) {
    for (const version of req.equivalentVersions ?? []) {
      if (version === req.resource.version) continue;
      const resource = { ...req.resource, version };
      if (ruleMatches(rule, req, resource)) return { webhook, resource, kind: { ...req.kind, version }, subresource: req.subresource };
    }
  }
  return undefined;
}

/**
 * ShouldCallHook. Selector errors count only for webhooks whose rules match. matchConditions need CEL,
 * which headland-apiserver lacks: such a webhook is treated as a condition that failed to evaluate, so
 * failurePolicy decides as on a real server — Ignore skips the webhook, Fail refuses the request (403).
 */
export function shouldCallHook(webhook: Webhook, req: AdmissionRequest, namespaceLabels: NamespaceLabels): MatchOutcome {
  const ns = matchNamespaceSelector(webhook, req, namespaceLabels);
  if (!ns.matches && ns.status === undefined) return { call: false };
  const obj = matchObjectSelector(webhook, req);
  if (!obj.matches && obj.status === undefined) return { call: false };

  let invocation: Invocation | undefined;
  if (webhook.rules.some((r) => ruleMatches(r, req))) invocation = { webhook, kind: req.kind, resource: req.resource, subresource: req.subresource };
  if (invocation === undefined && webhook.matchPolicy === 'Equivalent') invocation = equivalentInvocation(webhook, req);
  if (invocation === undefined) return { call: false };
  if (ns.status !== undefined) return { call: false, status: ns.status };
  if (obj.status !== undefined) return { call: false, status: obj.status };

  if (webhook.matchConditions.length > 0) {
    const names = webhook.matchConditions.map((m) => m.name).join(', ');
    const why = `webhook ${goQuote(webhook.name)} has matchConditions (${names}), and headland-apiserver cannot evaluate CEL expressions`;
    if (webhook.failurePolicy === 'Ignore') return { call: false, skipped: why };
    return { call: false, status: forbidden(req.resource.group, req.resource.resource, req.name, why) };
  }
  return { call: true, invocation };
}
