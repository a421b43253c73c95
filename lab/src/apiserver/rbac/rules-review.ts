// The status of a SelfSubjectRulesReview (authorization.k8s.io/v1), as the real server answers
// it from RBAC: what `kubectl auth can-i --list` prints. Rules are listed as bound, not merged.

import type { UserInfo } from '../identity.js';
import type { PolicyRule, RbacObjects } from './objects.js';
import { aggregateMessage, visitRules } from './resolver.js';

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface SubjectRulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export class RulesReviewError extends Error {
  override readonly name = 'RulesReviewError';
  /** The message of the real server's 400 Status. */
  readonly kubeMessage: string;
  constructor(kubeMessage: string) {
    super(`rbac/rules-review: ${kubeMessage}`);
    this.kubeMessage = kubeMessage;
  }
}

/** Empty lists are left out, as the v1 JSON's omitempty fields are. */
function resourceRule(r: PolicyRule): ResourceRule {
  const out: ResourceRule = { verbs: [...r.verbs] };
  if (r.apiGroups.length > 0) out.apiGroups = [...r.apiGroups];
  if (r.resources.length > 0) out.resources = [...r.resources];
  if (r.resourceNames.length > 0) out.resourceNames = [...r.resourceNames];
  return out;
}

function nonResourceRule(r: PolicyRule): NonResourceRule {
  const out: NonResourceRule = { verbs: [...r.verbs] };
  if (r.nonResourceURLs.length > 0) out.nonResourceURLs = [...r.nonResourceURLs];
  return out;
}

/**
 * Throws RulesReviewError("no namespace on request") for an empty namespace, as the real server
 * answers 400. RBAC alone never reports `incomplete`; unresolvable roles show in evaluationError.
 */
export function rulesReview(user: UserInfo, namespace: string, rbac: RbacObjects): SubjectRulesReviewStatus {
  if (namespace === '') throw new RulesReviewError('no namespace on request');
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  const errors: string[] = [];
  for (const visit of visitRules(user, namespace, rbac)) {
    if ('error' in visit) {
      errors.push(visit.error);
      continue;
    }
    // A rule with both resources and URLs (invalid, but storable) shows in both lists, as in the real server.
    if (visit.rule.resources.length > 0) resourceRules.push(resourceRule(visit.rule));
    if (visit.rule.nonResourceURLs.length > 0) nonResourceRules.push(nonResourceRule(visit.rule));
  }
  const status: SubjectRulesReviewStatus = { resourceRules, nonResourceRules, incomplete: false };
  if (errors.length > 0) status.evaluationError = aggregateMessage(errors);
  return status;
}
