// The decision the real kube-apiserver's authorizer chain reaches for a request: the privileged
// group first (system:masters may do anything), then RBAC. Pure over the RBAC objects given.

import { SYSTEM_MASTERS, type RequestAttributes } from '../identity.js';
import type { RbacObjects } from './objects.js';
import { aggregateMessage, visitRules } from './resolver.js';
import { ruleAllows } from './rules.js';

/**
 * `reason` is what the real server reports: "RBAC: allowed by ..." when a binding allows, "" for
 * system:masters and for a plain denial, and "RBAC: <errors>" when a denial met bindings whose
 * role could not be resolved (the 403 message then ends with it).
 */
export interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
}

export function authorize(attrs: RequestAttributes, rbac: RbacObjects): Decision {
  if (attrs.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
  const namespace = attrs.kind === 'resource' ? attrs.namespace : '';
  const errors: string[] = [];
  for (const visit of visitRules(attrs.user, namespace, rbac)) {
    if ('error' in visit) errors.push(visit.error);
    else if (ruleAllows(attrs, visit.rule)) return { allowed: true, reason: `RBAC: allowed by ${visit.source}` };
  }
  return { allowed: false, reason: errors.length === 0 ? '' : `RBAC: ${aggregateMessage(errors)}` };
}
