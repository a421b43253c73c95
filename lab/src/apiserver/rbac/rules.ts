// Whether one PolicyRule covers one request, field by field, as the real RBAC authorizer decides
// it (k8s.io/kubernetes pkg/apis/rbac/v1 evaluation helpers). Pure.

import type { RequestAttributes } from '../identity.js';
import type { PolicyRule } from './objects.js';

const ALL = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === ALL || v === verb);
}

/** "" is the core group; only "*" or an exact name matches. */
export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some((g) => g === ALL || g === group);
}

/**
 * `combined` is "resource" or "resource/subresource". A rule's "*" matches both; "*\/status"
 * matches any resource's status subresource; "services" alone does not match "services/status".
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return rule.resources.some((r) => r === ALL || r === combined || (subresource !== '' && r === `*/${subresource}`));
}

/** An empty list allows any name; a non-empty one only the names listed, so never a request without a name. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
}

/** Exact, or a prefix when the rule's URL ends in "*" ("*" alone matches every path). */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some((u) => u === ALL || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))));
}

export function ruleAllows(attrs: RequestAttributes, rule: PolicyRule): boolean {
  if (attrs.kind === 'nonResource') return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
  const combined = attrs.subresource === '' ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
  return (
    verbMatches(rule, attrs.verb) &&
    apiGroupMatches(rule, attrs.apiGroup) &&
    resourceMatches(rule, combined, attrs.subresource) &&
    resourceNameMatches(rule, attrs.name)
  );
}
