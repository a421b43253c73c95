// The RBAC authorizer of headland-apiserver: request attributes, decisions, 403 texts, rules
// reviews and the default policy, pure over RBAC objects the caller supplies.

export { authorize, type Decision } from './authorizer.js';
export { bootstrapPolicy, type BootstrapPolicy } from './bootstrap.js';
export { denialText, forbiddenMessage, forbiddenStatus } from './forbidden.js';
export { listQuery, type ListQuery } from './list-options.js';
export { MemoryRbac, MemoryRbacError } from './memory.js';
export {
  bindingRoleRef,
  bindingSubjects,
  objectName,
  objectNamespace,
  policyRules,
  RBAC_GROUP,
  type PolicyRule,
  type RbacObject,
  type RbacObjects,
  type RoleRef,
  type Subject,
} from './objects.js';
export { requestAttributes, RequestInfoError } from './request-info.js';
export { aggregateMessage, roleRefRules, subjectMatches, visitRules, type RuleVisit } from './resolver.js';
export { ruleAllows } from './rules.js';
export { rulesReview, RulesReviewError, type NonResourceRule, type ResourceRule, type SubjectRulesReviewStatus } from './rules-review.js';
